"""The Equality Standard matrix through the app: the level moves only as cells are signed off."""
import re

import pytest

from services.standard_service import KEY, SETTINGS
from tests.conftest import RDU, Api
from tests.web.browsing import sign_in, version_on
from workflow import standard

AREAS = list(standard.AREAS)


@pytest.fixture
def unit(make_user):
    """The Race & Diversity Unit's team leader (who self-assesses), its Head (who
    signs off), a staff member, a Board member and an administrator: name -> token."""
    return {"rdu_lead": make_user("rdu_lead", "team_leader", teams=[RDU]),
            "head": make_user("head", "head", teams=[RDU], trained="2006-03-01"),
            "rdu_staff": make_user("rdu_staff", "staff", teams=[RDU]),
            "bea": make_user("bea", "eodb", trained="2007-01-15"),
            "admin": make_user("admin", "admin")}


@pytest.fixture
def api(client, unit):
    return Api(client, unit)


def set_up(client):
    sign_in(client, "rdu_lead")
    assert client.post("/standard/set-up").status_code == 302


def cells_by_position(api, who="rdu_lead"):
    return {(c["level"], c["area"]): c for c in api.as_(who).get("/standard").json["cells"]}


def claim_met(api, cell_id, description="Equality and Diversity Policy adopted"):
    lead = api.as_("rdu_lead")
    doc = lead.get(f"/documents/{cell_id}").json
    response = lead.patch(f"/documents/{cell_id}", {"version": doc["version"], "fields": {
        "self_assessed": "met", "evidence": [{"description": description, "text": "Minutes of the EODB"}]}})
    assert response.status_code == 200, response.json
    return response.json


def sign_off(api, doc):
    """Screen and submit as the unit's team leader, approve as the Head (neither author nor submitter)."""
    for who, name in (("rdu_lead", "screen"), ("rdu_lead", "assess"), ("head", "approve")):
        response = api.as_(who).fire(doc, name)
        assert response.status_code == 200, response.json
        doc = response.json
    return doc


def level_on_page(client):
    page = client.get("/standard")
    assert page.status_code == 200
    return re.search(r'<dd id="level-achieved">([^<]*)</dd>', page.text).group(1)


def test_the_level_achieved_changes_exactly_when_the_last_cell_of_a_level_is_signed_off(client, api):
    set_up(client)
    cells = cells_by_position(api)
    assert len(cells) == 20 and api.as_("bea").get("/standard").json["level_achieved"] == 0
    for level in (1, 2):
        for i, area in enumerate(AREAS):
            doc = claim_met(api, cells[(level, area)]["id"])
            assert api.as_("head").get("/standard").json["level_achieved"] == level - 1  # claimed, not signed off
            sign_off(api, doc)
            expected = level if i == len(AREAS) - 1 else level - 1
            for who in ("head", "bea"):
                assert api.as_(who).get("/standard").json["level_achieved"] == expected
            sign_in(client, "bea")
            assert level_on_page(client) == (f"Level {expected}" if expected else "None yet")
    # A level-3 cell signed off does not make level 3 without the other three areas.
    sign_off(api, claim_met(api, cells[(3, "leadership")]["id"]))
    assert api.as_("bea").get("/standard").json["level_achieved"] == 2


def test_a_new_revision_in_progress_keeps_the_approved_level_until_signed_off(client, api):
    set_up(client)
    cells = cells_by_position(api)
    docs = [sign_off(api, claim_met(api, cells[(1, area)]["id"])) for area in AREAS]
    revised = api.as_("rdu_lead").fire(docs[0], "revise").json
    api.as_("rdu_lead").patch(f"/documents/{revised['id']}", {"version": revised["version"],
                                                               "fields": {"self_assessed": "in_progress"}})
    assert api.as_("head").get("/standard").json["level_achieved"] == 1


def test_a_board_member_sees_no_unapproved_content_in_the_matrix(client, api):
    set_up(client)
    cells = cells_by_position(api)
    secret = cells[(2, "service")]
    claim_met(api, secret["id"], description="Draft customer-care survey")
    seen = cells_by_position(api, "bea")
    assert seen == {}  # nothing is approved yet: no cell, no title, no id
    sign_in(client, "bea")
    page = client.get("/standard").text
    assert f'/documents/{secret["id"]}"' not in page and "Met" not in page
    assert client.get(f"/documents/{secret['id']}").status_code == 404
    # Approved as "in progress", then revised to "met": the Board sees the approved revision only.
    lead = api.as_("rdu_lead")
    doc = lead.get(f"/documents/{secret['id']}").json
    doc = lead.patch(f"/documents/{secret['id']}", {"version": doc["version"],
                                                    "fields": {"self_assessed": "in_progress"}}).json
    doc = lead.fire(sign_off(api, doc), "revise").json
    claim_met(api, secret["id"])
    [shown] = cells_by_position(api, "bea").values()
    assert (shown["self_assessed"], shown["evidence"], shown["state"]) == ("in_progress", 1, "approved")
    assert cells_by_position(api, "rdu_lead")[(2, "service")]["self_assessed"] == "met"
    sign_in(client, "bea")
    page = client.get("/standard").text
    assert "In progress" in page and ">Met<" not in page


def test_the_matrix_marks_missing_evidence_in_words(client, api):
    set_up(client)
    cells = cells_by_position(api)
    claim_met(api, cells[(1, "leadership")]["id"])
    page = client.get("/standard").text
    assert page.count("Evidence missing") == 19 + 1  # every other cell, and the page's summary
    assert "Evidence: 1" in page and "<caption>" in page and '<th scope="row">Level 1' in page


def test_set_up_creates_the_twenty_cells_once_with_the_seeds_requirements(client, api):
    sign_in(client, "rdu_staff")
    assert "Set up the matrix" not in client.get("/standard").text
    assert client.post("/standard/set-up").status_code == 403
    set_up(client)
    assert client.post("/standard/set-up").status_code == 302
    cells = cells_by_position(api)
    assert len(cells) == 20 and {c["state"] for c in cells.values()} == {"draft"}
    first = api.as_("rdu_lead").get(f"/documents/{cells[(1, 'leadership')]['id']}").json
    assert "Commit ourselves to promoting equality of opportunity" in first["fields"]["requirements"]
    assert "Equal Pay Audit" in api.as_("rdu_lead").get(
        f"/documents/{cells[(3, 'employment')]['id']}").json["fields"]["requirements"]


def test_a_cell_is_read_and_edited_through_the_document_pages(client, api):
    set_up(client)
    cell_id = cells_by_position(api)[(1, "service")]["id"]
    page = client.get(f"/documents/{cell_id}")
    assert page.status_code == 200 and "What the Standard requires" in page.text and "Evidence missing" in page.text
    form = client.get(f"/documents/{cell_id}/edit")
    assert form.status_code == 200
    data = {"version": version_on(form.text), "title": "Level 1: Service Delivery and Customer Care",
            "fields.level": "1", "fields.area": "service", "fields.requirements": "Published service standards",
            "fields.self_assessed": "met", "fields.evidence.0.description": "Policing Plan",
            "fields.evidence.0.link": "https://www.mpa.gov.uk/plan", "fields.verification.status": "not_verified"}
    assert client.post(f"/documents/{cell_id}/edit", data=data).status_code == 302
    fields = api.as_("rdu_lead").get(f"/documents/{cell_id}").json["fields"]
    assert fields["evidence"] == [{"description": "Policing Plan", "link": "https://www.mpa.gov.uk/plan"}]
    refused = client.post(f"/documents/{cell_id}/edit", data={
        **data, "version": str(api.as_("rdu_lead").get(f"/documents/{cell_id}").json["version"]),
        "fields.evidence.0.link": "javascript:alert(1)"})
    assert refused.status_code == 422 and "Enter a web address starting http://" in refused.text


def stored_settings(app):
    return app.extensions["store"].get(SETTINGS, KEY)


def test_the_target_and_cost_are_set_by_the_head_and_bad_input_changes_nothing(app, client, api):
    sign_in(client, "head")
    refused = client.post("/standard/settings", data={"target_level": "9", "target_date": "December 2007",
                                                       "cost_per_level": "seven thousand"})
    assert refused.status_code == 422
    assert "Select the target level, from 1 to 5" in refused.text
    assert "Enter the target date as a real date" in refused.text
    assert 'value="seven thousand"' in refused.text  # what was typed is kept
    assert stored_settings(app) is None
    assert api.as_("head").get("/standard").json["cost_to_target"] == 5 * 7000  # the seed's £7,000 a level
    saved = client.post("/standard/settings", data={"target_level": "3", "target_date": "2007-12-31",
                                                    "cost_per_level": "£7,500"})
    assert saved.status_code == 302
    answer = api.as_("bea").get("/standard").json
    assert (answer["target"], answer["cost_per_level"], answer["cost_to_target"]) == (
        {"level": 3, "date": "2007-12-31"}, 7500, 22_500)
    assert "£22,500" in client.get("/standard").text
    sign_in(client, "bea")
    assert client.post("/standard/settings", data={"target_level": "1", "target_date": "2009-01-01",
                                                   "cost_per_level": "1"}).status_code == 403
    assert stored_settings(app)["target_level"] == 3
