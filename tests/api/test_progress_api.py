"""Progress per reporting period, periods and the monitoring filters through API v1."""
from tests.conftest import HR

OBJECTIVE = {"heading": "The MPA as an Exemplary Employer", "theme": "Developing our Staff",
             "action": "Provide specific training to all our staff", "strands": ["race"],
             "deadline": "2005-12", "outcomes": "Staff training", "leads": [HR]}


def approved_objective(api, progress=()):
    doc = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "Training", "team": HR,
                                                 "fields": {**OBJECTIVE, "progress": list(progress)}}).json
    doc = api.as_("hr_lead").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    return api.as_("head").fire(doc, "approve").json


def test_a_progress_update_through_revise_reaches_the_board_only_when_approved(api):
    doc = approved_objective(api, [{"period": "2007-08 Q2", "status": "amber", "evidence": "Half trained"}])
    api.as_("head").post("/periods", {"code": "2007-08 Q3"})
    doc = api.as_("hr_lead").fire(doc, "revise").json
    written = api.as_("hr_lead").put(f"/documents/{doc['id']}/progress/2007-08 Q3", {
        "version": doc["version"], "status": "green", "evidence": "All trained", "reason": "The last course ran"})
    assert written.status_code == 200, written.json
    board = api.as_("board").get(f"/documents/{doc['id']}/progress").json["items"]
    assert [(e["period"], e["status"]) for e in board] == [("2007-08 Q2", "amber")]
    assert api.as_("board").get("/documents", period="2007-08 Q3").json["total"] == 0

    doc = written.json
    doc = api.as_("hr_lead").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    api.as_("head").fire(doc, "approve")
    board = api.as_("board").get(f"/documents/{doc['id']}/progress").json["items"]
    assert [(e["period"], e["status"]) for e in board] == [("2007-08 Q2", "amber"), ("2007-08 Q3", "green")]
    assert api.as_("board").get("/documents", period="2007-08 Q3", status="green").json["total"] == 1
    assert api.as_("board").get("/documents", period="2007-08 Q2", status="green").json["total"] == 0


def test_progress_on_an_approved_objective_needs_a_revision_first(api):
    doc = approved_objective(api)
    response = api.as_("hr_lead").put(f"/documents/{doc['id']}/progress/2007-08 Q3",
                                      {"version": doc["version"], "status": "red"})
    assert response.status_code == 409


def test_a_status_change_without_a_reason_is_422_naming_the_field(api):
    doc = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "T", "team": HR, "fields": {
        "progress": [{"period": "2007-08 Q1", "status": "green"}]}}).json
    api.as_("head").post("/periods", {"code": "2007-08 Q2"})
    response = api.as_("hr_lead").put(f"/documents/{doc['id']}/progress/2007-08 Q2",
                                      {"version": doc["version"], "status": "red"})
    assert response.status_code == 422
    assert response.json["details"] == {
        "fields.progress.1.reason": "say why the status changed from Green in 2007-08 Q1 to Red"}


def test_bad_periods_and_non_objectives_are_refused(api):
    doc = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "T", "team": HR}).json
    assert api.as_("hr_lead").put(f"/documents/{doc['id']}/progress/Q3", {"version": 1}).status_code == 422
    eqia = api.as_("hr_lead").post("/documents", {"kind": "eqia", "title": "E", "team": HR}).json
    assert api.as_("hr_lead").get(f"/documents/{eqia['id']}/progress").status_code == 404
    assert api.as_("board").get(f"/documents/{doc['id']}/progress").status_code == 404
    assert api.as_("hr_lead").get("/documents", period="2007").status_code == 422


def test_periods_are_opened_by_the_head_and_listed(api):
    assert api.as_("hr_lead").post("/periods", {"code": "2007-08 Q3"}).status_code == 403
    opened = api.as_("head").post("/periods", {"code": "2007-08 Q3"})
    assert opened.status_code == 201 and opened.json["starts"] == "2007-10-01"
    assert api.as_("head").post("/periods", {"code": "2007-08 Q3"}).status_code == 409
    assert api.as_("head").post("/periods", {"code": "autumn"}).status_code == 422
    assert [p["code"] for p in api.as_("board").get("/periods").json["items"]] == ["2007-08 Q3"]


def test_list_filters_by_heading_and_theme(api):
    approved_objective(api)
    board = api.as_("board")
    assert board.get("/documents", heading="The MPA as an Exemplary Employer").json["total"] == 1
    assert board.get("/documents", theme="Developing our Staff").json["total"] == 1
    assert board.get("/documents", theme="Something else").json["total"] == 0
    assert board.get("/documents", heading="Nowhere").status_code == 422


def test_list_filter_overdue_finds_objectives_past_their_deadline_and_not_green(api):
    late = approved_objective(api, [{"period": "2005-06", "status": "amber"}])  # deadline 2005-12
    api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "Ongoing", "team": HR,
                                           "fields": {"deadline": "Ongoing"}})
    lead = api.as_("hr_lead")
    assert [d["id"] for d in lead.get("/documents", overdue="yes").json["items"]] == [late["id"]]
    assert late["id"] not in [d["id"] for d in lead.get("/documents", overdue="no").json["items"]]
    assert lead.get("/documents", overdue="maybe").status_code == 422
