"""Every door × every reader: the Board, other teams, the SMT and the public never see an
unapproved dataset nor a small count that suppression withholds — in any page, list, search,
comparison, CSV, feed or API answer — while the owning team and the Head see the exact counts."""
import re

import pytest

from tests.conftest import HR
from tests.factories import Factory
from tests.web.browsing import sign_in

APPLICANTS = (("Asian", 3), ("Black", 4817), ("White", 5903))
REVISED = (("Asian", 2), ("Black", 4818), ("White", 5903))
SECRETS = (4817, 4818)  # 3 and 2 are small; the 4817 and 4818 beside them are withheld so they cannot be worked out
DRAFT_TITLE = "Unapproved leavers dataset"
OUTSIDERS = ("pp_staff", "board", "smt", None)  # None: the public, not signed in
OWNERS = ("hr_staff", "head")


def fields(counts):
    rows = [{"measure": "Applicants", "period": "2006-07", "strand": "race", "group": g, "count": n} for g, n in counts]
    rows += [{"measure": "Applicants", "period": "2006-07", "strand": "gender", "group": g, "count": n}
             for g, n in (("Female", 5400), ("Male", 5323))]
    return {"description": "Applicants for posts in 2006-07", "strand_set": "ces2004", "rows": rows}


@pytest.fixture
def world(app, cast):
    make = Factory.of(app)
    doc = make.document("monitoring", "approved", "hr_lead", HR, title=TITLE,
                        fields=fields(APPLICANTS))
    documents, lead = make.documents, make.user("hr_lead")
    doc = documents.fire(doc["id"], lead, "revise", doc["version"])
    doc = documents.edit(doc["id"], lead, doc["version"], changes={"rows": fields(REVISED)["rows"]})
    doc = make.walk(doc, "approved", "hr_lead")
    draft = make.document("monitoring", "assessed", "hr_lead", HR, title=DRAFT_TITLE, fields=fields(APPLICANTS))
    return {"id": doc["id"], "draft": draft["id"]}


TITLE = "Recruitment monitoring"
SEARCHES = ("/documents?q=4818", "/register/all?q=4818")  # a search for a withheld count finds nothing


def shows(body, count):
    """The count as a figure, with or without a thousands separator — and not four characters of a hash or of a
    longer number (the history's SHA-256 hex holds "4817" now and then)."""
    figure = f"{count:,}".replace(",", ",?")
    return re.search(rf"(?<![0-9A-Za-z])(?<![0-9],){figure}(?![0-9A-Za-z]|,[0-9])", body) is not None


def page_doors(ids):
    return [f"/documents/{ids['id']}", f"/documents/{ids['id']}/compare?from=1&to=2", "/documents?kind=monitoring",
            "/register",
            "/register/all?kind=monitoring", f"/register/monitoring/{ids['id']}", "/register.csv",
            "/register/feed.atom", "/register/monitoring.csv"]


def api_doors(ids):
    return [f"/documents/{ids['id']}", "/documents?kind=monitoring", f"/documents/{ids['id']}/history"]


def read(client, api, who, door, through_api):
    if through_api:
        path, _, query = door.partition("?")
        return api.as_(who).get(path, **dict(pair.split("=") for pair in query.split("&") if pair))
    if who is None:
        client.post("/sign-out")
    else:
        sign_in(client, who)
    return client.get(door)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_no_outsider_sees_a_withheld_count_or_an_unapproved_dataset_at_any_door(client, api, world, who):
    doors = [(door, False) for door in page_doors(world)]
    doors += [(door, True) for door in api_doors(world)] if who else []
    for door, through_api in doors:
        response = read(client, api, who, door, through_api)
        if door.startswith("/documents") and not through_api and who is None:
            assert response.status_code in (302, 401), door  # the public is sent to sign in
            continue
        assert response.status_code == 200, (door, response.status_code)
        body = response.get_data(as_text=True)
        assert not any(shows(body, secret) for secret in SECRETS), (who, door)
        assert DRAFT_TITLE not in body, (who, door)
    for door in SEARCHES if who else SEARCHES[1:]:
        assert TITLE not in read(client, api, who, door, False).get_data(as_text=True), (who, door)
    if who:
        assert api.as_(who).get("/documents", q="4818").json["total"] == 0


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_read_the_published_figures_themselves(client, api, world, who):
    """The doors above are not empty: the counts that are not withheld, and the table's total, are there."""
    if who:
        fields_seen = api.as_(who).get(f"/documents/{world['id']}").json["fields"]
        assert [row["count"] for row in fields_seen["rows"]][:3] == [None, None, 5903]
        assert {"measure": "Applicants", "period": "2006-07", "strand": "race", "count": 10723} in fields_seen["totals"]
    assert "5,903" in read(client, api, who, f"/register/monitoring/{world['id']}", False).get_data(as_text=True)
    assert ",5903," in read(client, api, who, "/register/monitoring.csv", False).get_data(as_text=True)


@pytest.mark.parametrize("who", ["board", "pp_staff", None])
def test_an_unapproved_dataset_answers_404_to_outsiders(client, api, world, who):
    if who:
        assert api.as_(who).get(f"/documents/{world['draft']}").status_code == 404
        sign_in(client, who)
        assert client.get(f"/documents/{world['draft']}").status_code == 404
    else:
        client.post("/sign-out")
    assert client.get(f"/register/monitoring/{world['draft']}").status_code == 404


@pytest.mark.parametrize("who", OWNERS)
def test_the_owning_team_and_the_head_read_and_find_the_exact_counts(client, api, world, who):
    fields_seen = api.as_(who).get(f"/documents/{world['id']}").json["fields"]
    assert [row["count"] for row in fields_seen["rows"]][:3] == [2, 4818, 5903]
    assert api.as_(who).get("/documents", q="4818").json["total"] == 1
    sign_in(client, who)
    assert TITLE in client.get(SEARCHES[0]).get_data(as_text=True)
    assert shows(client.get(f"/documents/{world['id']}/compare?from=1&to=2").get_data(as_text=True), 4817)
    # The register is the register as published, whoever reads it.
    assert not shows(client.get(f"/register/monitoring/{world['id']}").get_data(as_text=True), 4818)


def test_a_withheld_count_is_found_however_written_and_not_in_a_hash():
    assert all(shows(text, 4817) for text in ("4817", "4,817", "<td>4,817</td>", '"count":4817}', ",4817,"))
    assert not any(shows(text, 4817) for text in ("a6181b3aff4817b", "14817", "48170", "4,8170", "1,4817"))


def test_the_board_reviews_a_dataset_it_reads_suppressed(app, api, cast):
    reviewed = Factory.of(app).document("monitoring", "reviewed", "hr_lead", HR, fields=fields(APPLICANTS))
    answer = api.as_("board").get(f"/documents/{reviewed['id']}").json
    assert answer["state"] == "reviewed" and [row["count"] for row in answer["fields"]["rows"]][:3] == [None, None, 5903]
