"""What a reader of the approved revision is told while a team revises a document.

README (API): "A caller who may read only a document's approved revision (a Board
member, the SMT, another team) gets that revision's `version`, `state` and `actions` as
they stood when a new revision began, and the same answers to its writes, until the
new revision is approved: nothing in an answer tells that a revision is under way."
DESIGN.md (workflow table): `revise` "starts revision N+1; the approved revision stays
what readers see until the new one is approved".

The documents here are written out by hand as the store holds them; every expected
answer is written by hand too, never asked of workflow.policy.
"""
import pytest

from tests.conftest import HR, PP, RDU
from tests.factories import fields_for
from workflow import documents, policy
from workflow.errors import Forbidden, NotFound
from workflow.users import User

PEOPLE = {name: User(name, frozenset(roles), frozenset(teams), trained="2006-01-01") for name, roles, teams in (
    ("hr_author", {"staff"}, {HR}),  # wrote the EqIA
    ("hr_writer", {"staff"}, {HR}),  # changed revision 2
    ("hr_lead", {"team_leader"}, {HR}),  # submitted revision 1
    ("hr_deputy", {"team_leader"}, {HR}),  # started and submitted revision 2
    ("head", {"head"}, {RDU}),
    ("board", {"eodb"}, set()),
    ("smt", {"smt"}, set()),
    ("pp_lead", {"team_leader"}, {PP}),
    ("admin", {"admin"}, set()),
)}
WORKING_COPY_READERS = ("hr_author", "hr_writer", "hr_lead", "hr_deputy", "head")  # the owning team, the Head
APPROVED_READERS = ("board", "smt", "pp_lead", "admin", "anonymous")  # an EqIA is on the public register

APPROVED_AT, SENT_BACK_AT, SUBMITTED_AT = "2008-02-01T12:00:00", "2008-03-01T09:00:00", "2008-03-05T10:00:00"
APPROVED_REVISION = {"revision": 1, "state": "approved", "title": "Recruitment",
                     "fields": fields_for("eqia", "REVISION1", 0, {}), "approved_by": "head",
                     "approved_at": APPROVED_AT, "submitter": "hr_lead", "content_hash": "0" * 64,
                     # set by `revise`: the approved revision's version and time of change as it began
                     "version": 4, "updated_at": APPROVED_AT}


# Revision 2 at two stages: sent back by the Head, and then submitted again and waiting
# for the Head's sign-off. A reader of the approved revision must not tell them apart.
STAGES = {
    "sent back": {"state": "draft", "version": 7, "updated_at": SENT_BACK_AT, "submitter": None, "assignee": None,
                  "returned": {"by": "head", "at": SENT_BACK_AT, "comment": "say who was consulted"}},
    "submitted": {"state": "assessed", "version": 9, "updated_at": SUBMITTED_AT, "submitter": "hr_deputy",
                  "assignee": {"name": "head", "due": "2008-04-01", "by": "hr_deputy", "at": SUBMITTED_AT},
                  "returned": None},
}


def revised(stage="submitted"):
    """Revision 2 of an approved EqIA, rewritten by its team and at `stage`."""
    return {"id": "1", "kind": "eqia", "title": "Recruitment (revised)", "team": HR, "author": "hr_author",
            "revision": 2, "fields": fields_for("eqia", "REVISION2", 0, {}), "contributors": ["hr_deputy", "hr_writer"],
            "created_at": "2008-01-02T08:00:00", "published": documents.copy_of(APPROVED_REVISION),
            **documents.copy_of(STAGES[stage])}


def user(name):
    return None if name == "anonymous" else PEOPLE[name]


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("name", APPROVED_READERS)
def test_a_reader_of_the_approved_revision_is_given_it_as_it_stood(name, stage):
    doc = revised(stage)
    assert policy.as_seen(doc, user(name)) == {
        "id": "1", "kind": "eqia", "team": HR, "author": "hr_author", "created_at": "2008-01-02T08:00:00",
        "published": APPROVED_REVISION,
        # the approved revision, as it stood when revision 2 began
        "state": "approved", "revision": 1, "title": "Recruitment", "fields": fields_for("eqia", "REVISION1", 0, {}),
        "submitter": "hr_lead", "version": 4, "updated_at": APPROVED_AT,
        # nothing of the working copy: no approver waited for, no return, no writers
        "assignee": None, "returned": None}
    assert doc == revised(stage)  # shown, not stored


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("name", WORKING_COPY_READERS)
def test_those_who_see_the_working_copy_get_the_document_itself(name, stage):
    doc = revised(stage)
    assert policy.as_seen(doc, PEOPLE[name]) is doc


def test_a_revision_begun_before_the_approved_version_was_kept_shows_the_documents_own():
    """Revisions started before `revise` kept the approved revision's version and time of
    change: the document's own are all there is (and approvals before the submitter was
    kept name none)."""
    doc = revised()
    for key in ("version", "updated_at", "submitter"):
        del doc["published"][key]
    seen = policy.as_seen(doc, PEOPLE["board"])
    assert (seen["version"], seen["updated_at"], seen["submitter"]) == (9, SUBMITTED_AT, None)
    del doc["updated_at"]
    seen = policy.as_seen(doc, PEOPLE["board"])
    assert (seen["version"], seen["updated_at"]) == (9, None)


@pytest.mark.parametrize("name", [*APPROVED_READERS, *WORKING_COPY_READERS])
def test_a_document_never_approved_is_nobody_s_but_its_team_s(name):
    doc = {**revised(), "revision": 1, "published": None}
    assert policy.as_seen(doc, user(name)) is (doc if name in WORKING_COPY_READERS else None)


def test_the_public_is_given_no_approved_revision_but_of_the_register_s_kinds():
    """README, Public register: approved EqIAs and objectives; a team plan is for those who sign in."""
    plan = {**revised(), "kind": "team_plan", "fields": fields_for("team_plan", "REVISION2", 0, {"objective": "7"})}
    assert policy.as_seen(plan, None) is None
    assert policy.as_seen(plan, PEOPLE["board"])["title"] == "Recruitment"


# Who may fire each (DESIGN.md, the workflow table; README: the Head minutes the Board).
WHO_MAY = {"review": ("Board", "Head"), "revise": ("team leader of the owning team", "Board")}


@pytest.mark.parametrize("decision, transition", [("endorsed", "review"), ("referred_back", "revise")])
def test_a_board_decision_fires_nothing_on_a_revision_out_of_the_boards_sight(decision, transition):
    """With a held meeting's decision being recorded, a Board member could fire `transition`
    on the approved revision (workflow.meetings records it there while a team revises); on
    the working copy, which they may not see, they fire nothing: refused, the refusal
    naming who may fire it, and nothing moves."""
    doc = {**revised("sent back"), "board_decision": {"meeting": "1", "decision": decision, "note": "n", "held": True}}
    before = repr(doc)
    for call in (policy.check_transition, documents.transition):
        with pytest.raises(Forbidden) as refused:
            call(doc, PEOPLE["board"], transition, "why")
        reason = refused.value.reason
        assert isinstance(reason, str) and reason.startswith("Only ")
        assert all(who in reason for who in WHO_MAY[transition])
    assert repr(doc) == before
    with pytest.raises(NotFound):  # and those who see nothing are told nothing
        policy.check_transition({**doc, "published": None}, PEOPLE["board"], transition, "why")
