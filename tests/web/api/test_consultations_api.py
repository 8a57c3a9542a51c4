"""Consultations through the API: the same rules as the pages (one service), audited, versioned."""
from services import audit_service
from services.consultation_service import CONSULTATIONS
from tests.conftest import HR, complete_eqia

BODY = {"title": "Stop and search monitoring", "team": HR,
        "consulted": [{"name": "Brixton Community Forum", "type": "community_group"}],
        "start": "2007-03-01", "methods": ["meeting"], "responses": "Publish the data quarterly."}


def test_a_consultation_is_recorded_read_and_changed_by_its_team_and_audited(api, store):
    doc = api.as_("hr_lead").post("/documents", {"kind": "eqia", "title": "EqIA", "team": HR,
                                                 "fields": complete_eqia()}).json
    made = api.as_("hr_staff").post("/consultations", {**BODY, "informed": [doc["id"]]})
    assert made.status_code == 201, made.json
    assert made.json["informed"] == [doc["id"]] and made.json["end"] is None
    path = f"/consultations/{made.json['id']}"
    assert api.as_("smt").get(path).json["title"] == BODY["title"]
    assert [c["id"] for c in api.as_("pp_staff").get("/consultations").json["items"]] == [made.json["id"]]
    changed = api.as_("hr_lead").patch(path, {"version": made.json["version"], "changes": "Published quarterly."})
    assert changed.status_code == 200 and changed.json["changes"] == "Published quarterly."
    assert changed.json["consulted"] == BODY["consulted"] and changed.json["informed"] == [doc["id"]]
    stale = api.as_("hr_lead").patch(path, {"version": made.json["version"], "title": "Again"})
    assert stale.status_code == 409
    assert [e["action"] for e in audit_service.entries(store) if e["kind"] == "consultation"] == ["changed", "recorded"]


def test_the_api_refuses_what_the_pages_refuse_and_saves_nothing(api, store):
    bad = api.as_("hr_staff").post("/consultations", {**BODY, "methods": ["séance"], "start": "2007-13-01"})
    assert bad.status_code == 422 and set(bad.json["details"]) == {"methods", "start"}
    assert api.as_("hr_staff").post("/consultations", {**BODY, "secret": 1}).status_code == 422
    assert api.as_("pp_staff").post("/consultations", BODY).status_code == 403
    assert api.as_("board").post("/consultations", BODY).status_code == 404
    assert api.as_("board").get("/consultations").status_code == 404
    assert api.post("/consultations", BODY).status_code == 401
    assert store.scan(CONSULTATIONS) == []
    made = api.as_("hr_staff").post("/consultations", BODY).json
    assert api.as_("pp_lead").patch(f"/consultations/{made['id']}", {"version": 1, "title": "Mine"}).status_code == 403
    assert api.as_("hr_lead").patch(f"/consultations/{made['id']}", {"title": "No version"}).status_code == 422
    assert api.as_("hr_lead").get("/consultations/999").status_code == 404

