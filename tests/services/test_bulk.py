"""Bulk changes: the imported plan's 66 objectives linked in a few steps, each a revision of its
own, submitted together and signed off by one approval under the single sign-off's rules."""
import time
from pathlib import Path

import pytest

from services import account_service, bulk_service
from services.document_service import DOCS, HISTORY, REVISIONS, Documents
from services.import_service import import_plan
from services.storage import open_app_store
from workflow.errors import Forbidden, Invalid, NotFound

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "data" / "corporate-equality-plan-2004.txt"
RDU, HR = "Race & Diversity Unit", "Human Resources"
LINKS = {"strands": ["race", "gender"], "strategic": 9}


@pytest.fixture
def world(tmp_path):
    store = open_app_store(str(tmp_path / "data"))
    import_plan(store, PLAN.read_text(encoding="utf-8"), PLAN.name)
    for name, roles, teams in (("head", ("head",), (RDU,)), ("ce", ("chief_executive",), ()),
                               ("hr_lead", ("team_leader",), (HR,)), ("head2", ("head",), (RDU,)),
                               ("untrained_ce", ("chief_executive",), ())):
        account_service.add_user(store, name, "correct horse battery", roles, teams,
                                 None if name.startswith("untrained") else "2006-01-01")
    yield store, Documents(store)
    store.close()


def who(store, name):
    return account_service.find_user(store, name)


def ids(store, team=None):
    return [d["id"] for d in store.scan(DOCS) if team is None or d["team"] == team]


def test_the_head_links_all_66_objectives_and_the_chief_executive_signs_them_off_at_once(world):
    store, docs = world
    everything = ids(store)
    assert len(everything) == 66
    batch = bulk_service.submit(docs, who(store, "head"), everything, LINKS)
    [waiting] = bulk_service.pending(docs, who(store, "ce")).values()
    assert len(waiting["documents"]) == 66

    started = time.perf_counter()
    assert bulk_service.approve(docs, who(store, "ce"), batch) == 66
    assert time.perf_counter() - started < 3

    for doc in store.scan(DOCS):
        assert doc["state"] == "approved" and doc["revision"] == 2
        assert doc["published"]["fields"]["strategic"] == 9 and doc["published"]["approved_by"] == "ce"
        assert doc["published"]["fields"]["strands"] == ["race", "gender"]
        assert store.get(REVISIONS, f"{doc['id']}.2")["fields"]["strategic"] == 9
        *_, submitted, approved = store.log(HISTORY, doc["id"])
        assert (submitted["action"], submitted["actor"], submitted["to"]) == ("bulk_submit", "head", "assessed")
        assert approved["action"] == "approve" and approved["bulk"] == batch
        assert "one bulk sign-off of 66 objectives" in approved["comment"]
    assert bulk_service.pending(docs, who(store, "ce")) == {}


def test_the_head_who_made_the_change_cannot_sign_it_off_and_nothing_is_signed_off(world):
    store, docs = world
    batch = bulk_service.submit(docs, who(store, "head"), ids(store)[:3], LINKS)
    with pytest.raises(Forbidden):
        bulk_service.approve(docs, who(store, "head"), batch)
    with pytest.raises(Forbidden):  # an untrained Chief Executive is refused as for one document
        bulk_service.approve(docs, who(store, "untrained_ce"), batch)
    assert {d["state"] for d in store.scan(DOCS)} == {"approved", "assessed"}
    assert sum(d["state"] == "assessed" for d in store.scan(DOCS)) == 3


def test_a_team_leader_changes_only_their_own_teams_objectives(world):
    store, docs = world
    lead = who(store, "hr_lead")
    theirs, others = ids(store, HR), ids(store, RDU)
    assert theirs and others
    with pytest.raises(Forbidden):
        bulk_service.submit(docs, lead, theirs + others[:1], LINKS)
    with pytest.raises(Invalid):  # nor hand them to a team they do not lead
        bulk_service.submit(docs, lead, theirs, {"team": RDU})
    assert all(d["revision"] == 1 for d in store.scan(DOCS))
    batch = bulk_service.submit(docs, lead, theirs, {"strategic": 4, "strands": ["disability"]})
    # What a team leader wrote is signed off by a Head, not the Chief Executive.
    with pytest.raises(NotFound):
        bulk_service.batch(docs, who(store, "ce"), batch)
    assert bulk_service.approve(docs, who(store, "head"), batch) == len(theirs)


def test_a_change_that_leaves_an_objective_unscreenable_changes_nothing(world):
    store, docs = world
    # The imported objectives have no strands: a strategic link alone cannot be screened.
    with pytest.raises(Invalid) as refused:
        bulk_service.submit(docs, who(store, "head"), ids(store)[:2], {"strategic": 3})
    assert all("strands" in message.lower() for message in refused.value.details.values())
    assert all(d["state"] == "approved" and d["revision"] == 1 for d in store.scan(DOCS))


@pytest.mark.parametrize("values", [{}, {"strategic": 0}, {"strategic": "3"}, {"strands": ["martian"]},
                                    {"team": "Nobody"}, ["strategic"], {"strands": "race"}])
def test_a_bad_change_is_refused_in_words_and_changes_nothing(world, values):
    store, docs = world
    with pytest.raises(Invalid):
        bulk_service.submit(docs, who(store, "head"), ids(store)[:2], values)
    assert all(d["revision"] == 1 for d in store.scan(DOCS))


@pytest.mark.parametrize("selection", [[], ["999"], ["abc"], "1,2", [True], [None]])
def test_a_bad_selection_is_refused_and_changes_nothing(world, selection):
    store, docs = world
    with pytest.raises(Invalid):
        bulk_service.submit(docs, who(store, "head"), selection, LINKS)
    assert all(d["revision"] == 1 for d in store.scan(DOCS))


def test_an_objective_with_a_revision_under_way_is_refused_and_the_batch_with_it(world):
    store, docs = world
    first, second = ids(store)[:2]
    bulk_service.submit(docs, who(store, "head"), [first], LINKS)
    with pytest.raises(Invalid) as refused:
        bulk_service.submit(docs, who(store, "head"), [first, second], LINKS)
    assert f"ids.{first}" in refused.value.details
    assert store.get(DOCS, second)["revision"] == 1


def test_another_head_may_sign_off_what_the_head_changed_in_bulk(world):
    store, docs = world
    batch = bulk_service.submit(docs, who(store, "head"), ids(store)[:2], LINKS)
    # Another Head did not write it: the single sign-off lets them, and so does the bulk one.
    assert bulk_service.approve(docs, who(store, "head2"), batch) == 2
