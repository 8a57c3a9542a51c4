"""The issue's first promise, end to end: where there is exactly one Head of Race and Diversity,
the progress report that Head generates is signed off by the Chief Executive and reaches the
Board; the Head cannot sign it off."""
import pytest

from tests.conftest import Api
from tests.web.browsing import sign_in
from tests.workflow.test_reports_build import PERIOD

RDU = "Race & Diversity Unit"


@pytest.fixture
def lone(client, make_user):
    """An authority with one Head, one team leader of the Unit, a Chief Executive and a Board member."""
    return Api(client, {"head": make_user("head", "head", teams=(RDU,), trained="2006-03-01"),
                        "rdu_lead": make_user("rdu_lead", "team_leader", teams=(RDU,), trained="2006-02-01"),
                        "chief": make_user("chief", "chief_executive", trained="2006-04-01"),
                        "board": make_user("board", "eodb", trained="2007-01-15")})


def test_the_lone_heads_report_is_signed_off_by_the_chief_executive_and_reaches_the_board(client, store, lone):
    assert [u["name"] for u in store.scan("users", None) if "head" in u.get("roles", ())] == ["head"]
    assert lone.as_("head").post("/periods", {"code": PERIOD}).status_code == 201
    sign_in(client, "head")
    generated = client.post("/reports/generate", data={"fields.period": PERIOD})
    assert generated.status_code == 302, generated.text
    doc_id = generated.headers["Location"].rsplit("/", 1)[1]

    doc = lone.as_("head").get(f"/documents/{doc_id}").json
    doc = lone.as_("head").fire(doc, "screen").json
    doc = lone.as_("rdu_lead").fire(doc, "assess").json
    assert doc["state"] == "assessed"
    assert lone.as_("head").fire(doc, "approve").status_code in (403, 422)
    assert lone.as_("board").get(f"/documents/{doc_id}").status_code == 404  # not the Board's to read yet

    approved = lone.as_("chief").fire(doc, "approve")
    assert approved.status_code == 200, approved.json
    assert approved.json["state"] == "approved"

    meeting = lone.as_("head").post("/meetings", {"title": "EODB", "date": "2007-12-06"}).json
    assert lone.as_("head").post(f"/meetings/{meeting['id']}/items", {"document": doc_id}).status_code == 201
    seen = lone.as_("board").get(f"/documents/{doc_id}")
    assert seen.status_code == 200 and seen.json["state"] == "approved"
    sign_in(client, "board")
    agenda = client.get(f"/meetings/{meeting['id']}").text
    assert doc["title"] in agenda and client.get(f"/reports/{doc_id}").status_code == 200
