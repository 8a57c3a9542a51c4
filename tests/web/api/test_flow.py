"""The whole DESIGN.md flow through the JSON API, with every status the contract names."""
import re

from services import account_service, audit_service, settings_service
from tests.conftest import HR, complete_eqia, full_assessment, screening
from workflow import machine


def create_eqia(api, who="hr_staff", fields=None, title="Recruitment policy EqIA"):
    response = api.as_(who).post("/documents", {"kind": "eqia", "title": title, "team": HR,
                                               "fields": fields or {"subject": "Recruitment", "trigger": "new"}})
    assert response.status_code == 201, response.json
    return response.json


def test_full_flow_from_draft_to_sign_off(api):
    """Draft, screening with a negative impact, full assessment, submission, sign-off."""
    doc = create_eqia(api)
    assert doc["state"] == "draft" and doc["version"] == 1 and doc["author"] == "hr_staff"
    doc = api.as_("hr_staff").patch(f"/documents/{doc['id']}",
                                    {"version": doc["version"], "fields": {"screening": screening(["age"])}}).json
    doc = api.as_("hr_staff").fire(doc, "screen").json
    assert doc["state"] == "screened"

    refused = api.as_("hr_lead").fire(doc, "assess")
    assert refused.status_code == 422
    assert any("negative impact on age" in gap for gap in refused.json["details"]["unmet"])

    doc = api.as_("hr_lead").patch(f"/documents/{doc['id']}", {"version": doc["version"], "fields": {
        "review_date": "2008-04-01", "full_assessment": full_assessment(["age"])}}).json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    assert doc["state"] == "assessed"

    head = api.as_("head").get(f"/documents/{doc['id']}").json
    assert head["actions"] == ["approve", "send_back"]
    doc = api.as_("head").fire(head, "approve").json
    assert doc["state"] == "approved"

    history = api.as_("head").get(f"/documents/{doc['id']}/history").json["items"]
    assert [h["action"] for h in history] == ["create", "edit", "screen", "edit", "assess", "approve"]
    assert history[-1]["actor"] == "head" and len(history[-1]["content_hash"]) == 64
    assert api.as_("board").get(f"/documents/{doc['id']}").json["state"] == "approved"


def test_board_and_other_teams_see_nothing_unapproved(api):
    doc = create_eqia(api)
    for who in ("board", "pp_lead", "pp_staff", "smt", "admin"):
        assert api.as_(who).get(f"/documents/{doc['id']}").status_code == 404
        assert api.as_(who).get(f"/documents/{doc['id']}/history").status_code == 404
        listing = api.as_(who).get("/documents").json
        assert listing == {"items": [], "total": 0, "page": 1, "pages": 1}
        assert api.as_(who).fire(doc, "screen").status_code == 404
    for who in ("hr_staff", "hr_lead", "head"):
        assert api.as_(who).get("/documents").json["total"] == 1


def test_missing_or_bad_token_is_401(api, client):
    assert client.get("/api/v1/documents").status_code == 401
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401 and response.json["error"]


def test_me_names_roles_and_teams(api):
    assert api.as_("hr_lead").get("/me").json == {"name": "hr_lead", "roles": ["team_leader"], "teams": [HR]}


def test_bad_fields_are_422_naming_each_field(api):
    response = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "", "team": HR, "fields": {
        "screening": {"age": {"impact": "awful"}}, "trigger": 3, "colour": "red"}})
    assert response.status_code == 422
    assert response.json["details"] == {
        "title": "Enter a title",
        "fields.screening.age.impact": "Select the impact from the choices given",
        "fields.trigger": "Select the reason for the assessment from the choices given",
        "fields.colour": "This is not a field of this kind of document",
    }
    assert api.as_("hr_staff").get("/documents").json["total"] == 0


def test_malformed_json_and_wrong_types_are_4xx_with_reason(api, client, cast):
    headers = {"Authorization": f"Bearer {cast['hr_staff']}", "Content-Type": "application/json"}
    for body in (b"{not json", b"[1, 2]", b'"text"', b"", b"\xff\xfe"):
        response = client.post("/api/v1/documents", data=body, headers=headers)
        assert response.status_code == 400 and response.json["error"], body
    doc = create_eqia(api)
    for patch in ({"version": "1"}, {"version": None}, {"version": 1, "fields": []},
                  {"version": 1, "title": 5}, {"version": 1, "colour": "red"}):
        response = api.as_("hr_staff").patch(f"/documents/{doc['id']}", patch)
        assert response.status_code == 422 and response.json["details"], patch
    for fire in ({"name": 5, "version": 1}, {"name": "screen"}, {"name": "fly", "version": 1},
                 {"name": "screen", "version": 1, "comment": ["x"]}):
        response = api.as_("hr_staff").post(f"/documents/{doc['id']}/transitions", fire)
        assert response.status_code == 422, fire
    assert api.as_("hr_staff").get(f"/documents/{doc['id']}").json["version"] == 1


def test_unknown_ids_are_404(api):
    for path in ("/documents/999", "/documents/abc", "/documents/999/history"):
        assert api.as_("head").get(path).status_code == 404


def test_stale_version_is_409_and_changes_nothing(api):
    doc = create_eqia(api)
    api.as_("hr_staff").patch(f"/documents/{doc['id']}", {"version": 1, "title": "First"})
    stale = api.as_("hr_lead").patch(f"/documents/{doc['id']}", {"version": 1, "title": "Second"})
    assert stale.status_code == 409
    assert api.as_("hr_lead").get(f"/documents/{doc['id']}").json["title"] == "First"
    assert api.as_("hr_lead").fire(doc, "screen").status_code == 409


def test_editing_outside_draft_and_screened_is_409(api):
    doc = create_eqia(api, fields=complete_eqia(negative=()))
    doc = api.as_("hr_staff").fire(doc, "screen").json
    locked = api.as_("hr_staff").patch(f"/documents/{doc['id']}", {"version": doc["version"],
                                                                   "fields": {"screening": screening()}})
    assert locked.status_code == 409 and "fields.screening" in locked.json["details"]
    doc = api.as_("hr_lead").fire(doc, "assess").json
    response = api.as_("hr_lead").patch(f"/documents/{doc['id']}", {"version": doc["version"], "title": "x"})
    assert response.status_code == 409


def test_visible_but_not_editable_is_403(api):
    doc = create_eqia(api, fields=complete_eqia(negative=()))
    response = api.as_("head").patch(f"/documents/{doc['id']}", {"version": doc["version"], "title": "x"})
    assert response.status_code == 403


def test_wrong_role_is_403_and_wrong_state_is_409(api):
    doc = create_eqia(api, fields=complete_eqia(negative=()))
    assert api.as_("head").fire(doc, "screen").status_code == 403
    assert api.as_("hr_staff").fire(doc, "approve").status_code == 409
    doc = api.as_("hr_staff").fire(doc, "screen").json
    assert api.as_("hr_staff").fire(doc, "assess").status_code == 403


def test_send_back_needs_a_comment(api):
    doc = create_eqia(api, fields=complete_eqia(negative=()))
    doc = api.as_("hr_staff").fire(doc, "screen").json
    response = api.as_("head").fire(doc, "send_back")
    assert response.status_code == 422 and response.json["details"] == {
        "unmet": ["Enter why you are sending it back"], "fields": {"comment": "Enter why you are sending it back"}}
    response = api.as_("head").fire(doc, "send_back", comment="The evidence for race is missing.")
    assert response.json["state"] == "draft"
    history = api.as_("hr_staff").get(f"/documents/{doc['id']}/history").json["items"]
    assert history[-1]["comment"] == "The evidence for race is missing."


def test_head_who_submitted_cannot_approve(api):
    """Separation of duties: a Head who is also the team leader who submitted may not sign off."""
    doc = create_eqia(api, fields=complete_eqia())
    doc = api.as_("hr_staff").fire(doc, "screen").json
    doc = api.as_("lead_head").fire(doc, "assess").json
    response = api.as_("lead_head").fire(doc, "approve")
    assert response.status_code == 422
    assert "the approver is not the submitter" in response.json["details"]["unmet"]


def test_author_cannot_approve_own_document(api):
    doc = create_eqia(api, who="lead_head", fields=complete_eqia())
    doc = api.as_("lead_head").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    response = api.as_("lead_head").fire(doc, "approve")
    assert response.status_code == 422 and "the approver is not the author" in response.json["details"]["unmet"]


def test_untrained_head_cannot_approve_until_the_training_is_recorded(api, store):
    doc = create_eqia(api, fields=complete_eqia())
    doc = api.as_("hr_staff").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    response = api.as_("untrained_head").fire(doc, "approve")
    assert response.status_code == 422
    assert response.json["details"]["unmet"] == [machine.TRAINED_APPROVER]
    assert response.json["error"] == "“Sign off” cannot be done yet"
    account_service.record_training(store, "untrained_head", "2007-03-01")
    assert api.as_("untrained_head").fire(doc, "approve").json["state"] == "approved"


def test_with_the_training_rule_switched_off_an_untrained_head_may_approve(api, store):
    doc = create_eqia(api, fields=complete_eqia())
    doc = api.as_("hr_staff").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    settings_service.set_training_rule(store, False, by=audit_service.Actor("admin"))
    assert "approve" in api.as_("untrained_head").get(f"/documents/{doc['id']}").json["actions"]
    assert api.as_("untrained_head").fire(doc, "approve").json["state"] == "approved"
    assert store.get("users", "untrained_head")["trained"] is None  # nothing was recorded to get round it


def approved(api, fields=None):
    doc = create_eqia(api, fields=fields or complete_eqia())
    doc = api.as_("hr_staff").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    return api.as_("head").fire(doc, "approve").json


def test_review_needs_a_recorded_decision_of_a_held_meeting(api):
    doc = approved(api)
    response = api.as_("board").fire(doc, "review")
    assert response.status_code == 422
    assert "the agenda of a Board meeting that has been held" in response.json["details"]["unmet"][0]
    assert "review" not in api.as_("board").get(f"/documents/{doc['id']}").json["actions"]


def test_revision_keeps_the_approved_one_visible_until_the_next_approval(api):
    doc = approved(api)
    doc = api.as_("hr_lead").fire(doc, "revise").json
    assert doc["state"] == "draft" and doc["revision"] == 2 and doc["approved_revision"] == 1
    api.as_("hr_lead").patch(f"/documents/{doc['id']}", {"version": doc["version"], "title": "Draft rev 2"})

    for who in ("board", "pp_staff", "smt"):
        seen = api.as_(who).get(f"/documents/{doc['id']}").json
        assert (seen["state"], seen["revision"], seen["title"]) == ("approved", 1, "Recruitment policy EqIA")
        listed = api.as_(who).get("/documents").json["items"]
        assert [(d["id"], d["state"], d["revision"]) for d in listed] == [(doc["id"], "approved", 1)]
        history = api.as_(who).get(f"/documents/{doc['id']}/history").json["items"]
        assert all(item["revision"] == 1 for item in history)
        assert api.as_(who).get("/documents", q="Draft rev 2").json["total"] == 0

    doc = api.as_("hr_lead").get(f"/documents/{doc['id']}").json
    doc = api.as_("hr_staff").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    doc = api.as_("head").fire(doc, "approve").json
    seen = api.as_("board").get(f"/documents/{doc['id']}").json
    assert (seen["revision"], seen["title"]) == (2, "Draft rev 2")
    history = api.as_("head").get(f"/documents/{doc['id']}/history").json["items"]
    assert [h["action"] for h in history][:4] == ["create", "screen", "assess", "approve"]
    hashes = [h["content_hash"] for h in history if h["action"] == "approve"]
    assert len(hashes) == 2 and hashes[0] != hashes[1]


def test_list_filters_by_kind_state_team_and_text(api):
    create_eqia(api, title="Recruitment policy EqIA")
    create_eqia(api, title="Staff survey EqIA")
    api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "Level 5", "team": HR,
                                           "fields": {"action": "Achieve level 5 of the Standard"}})
    lead = api.as_("hr_lead")
    assert lead.get("/documents").json["total"] == 3
    assert lead.get("/documents", kind="objective").json["items"][0]["title"] == "Level 5"
    assert lead.get("/documents", q="survey").json["total"] == 1
    assert lead.get("/documents", q="LEVEL 5 OF").json["total"] == 1
    assert lead.get("/documents", state="approved").json["total"] == 0
    assert lead.get("/documents", team="CLAMS").json["total"] == 0


def test_staff_may_not_draft_objectives(api):
    response = api.as_("hr_staff").post("/documents", {"kind": "objective", "title": "x", "team": HR})
    assert response.status_code == 403
    response = api.as_("hr_lead").post("/documents", {"kind": "eqia", "title": "x", "team": "CLAMS"})
    assert response.status_code == 403


def test_workflow_describes_every_transition_in_words(api):
    machine = api.as_("board").get("/workflow").json
    assert machine["states"] == ["draft", "screened", "assessed", "approved", "reviewed"]
    approve = next(t for t in machine["transitions"] if t["name"] == "approve")
    assert approve["from"] == ["assessed"] and approve["to"] == "approved"
    assert "the approver is not the submitter" in approve["conditions"]


def test_openapi_document_lists_every_api_route(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    def as_openapi(rule):
        return re.sub(r"<(\w+)>", lambda m: "{id}" if m[1].endswith("_id") else "{" + m[1] + "}",
                      rule.removeprefix("/api/v1"))
    routes = {as_openapi(rule.rule) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1")}
    assert routes == set(spec["paths"])


def test_sent_back_documents_carry_who_returned_them_and_why(api, store):
    doc = create_eqia(api, fields=complete_eqia(negative=()))
    doc = api.as_("hr_staff").fire(doc, "screen").json
    api.as_("head").fire(doc, "send_back", comment="Add the consultation.")
    returned = store.get("documents", doc["id"])["returned"]
    assert (returned["by"], returned["comment"]) == ("head", "Add the consultation.")
    doc = api.as_("hr_staff").get(f"/documents/{doc['id']}").json
    api.as_("hr_staff").fire(doc, "screen")
    assert store.get("documents", doc["id"])["returned"] is None


def test_the_list_comes_in_pages_with_the_total_of_every_page(api):
    for i in range(5):
        create_eqia(api, title=f"EqIA {i}")
    first = api.as_("hr_lead").get("/documents", per_page=2).json
    assert (first["total"], first["page"], first["pages"], len(first["items"])) == (5, 1, 3, 2)
    last = api.as_("hr_lead").get("/documents", per_page=2, page=3).json
    assert len(last["items"]) == 1
    seen = {d["id"] for p in (1, 2, 3) for d in api.as_("hr_lead").get("/documents", per_page=2, page=p).json["items"]}
    assert len(seen) == 5
    refused = api.as_("hr_lead").get("/documents", per_page=100000)
    assert refused.status_code == 422 and "per_page" in refused.json["details"]
