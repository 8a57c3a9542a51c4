"""Progress per reporting period, periods, carrying forward and the monitoring filters through API v1."""
import pytest

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
        "fields.progress.1.reason": "Enter why the status changed from Green in 2007-08 Q1 to Red"}


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


NOT_OPENED = {"fields.progress.new.period": "Select a reporting period the Head has opened"}
NOT_A_PERIOD = {"fields.progress.new.period": "Enter a financial year like 2007-08 or a quarter like 2007-08 Q3, "
                                              "from 1900-01 to 2199-00"}
NO_STATUS = {"fields.progress.new.status": "Select the status: Red, Amber, Amber/Green or Green"}


@pytest.mark.parametrize("period, body, details", [
    ("2031-32 Q1", {"evidence": "Nothing yet"}, {**NOT_OPENED, **NO_STATUS}),  # the example
    ("2031-32 Q1", {"status": "green"}, NOT_OPENED),
    ("2007-08 Q3", {"evidence": "Nothing yet"}, NO_STATUS),
    ("2007-08 Q3", {"status": ""}, NO_STATUS),
    ("Q3", {"status": "green"}, NOT_A_PERIOD),
])
def test_an_entry_for_a_period_nobody_opened_or_without_a_status_is_refused_and_not_stored(api, period, body, details):
    api.as_("head").post("/periods", {"code": "2007-08 Q3"})
    doc = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "T", "team": HR,
                                                 "fields": OBJECTIVE}).json
    response = api.as_("hr_lead").put(f"/documents/{doc['id']}/progress/{period}", {"version": doc["version"], **body})
    assert response.status_code == 422, response.json
    assert response.json["details"] == details
    stored = api.as_("hr_lead").get(f"/documents/{doc['id']}").json
    assert stored["version"] == doc["version"] and "progress" not in stored["fields"]


def test_a_period_already_written_may_be_rewritten_though_nobody_opened_it(api):
    doc = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "T", "team": HR, "fields": {
        **OBJECTIVE, "progress": [{"period": "2006-07", "status": "amber", "reason": "Some trained"},
                                  {"period": "2005-06", "status": "red"}]}}).json
    assert doc["version"] == 1, doc
    response = api.as_("hr_lead").put(f"/documents/{doc['id']}/progress/2006-07",
                                      {"version": doc["version"], "status": "green", "reason": "All trained"})
    assert response.status_code == 200, response.json
    # the rewritten entry keeps its place, as on the progress page
    assert response.json["fields"]["progress"] == [{"period": "2006-07", "status": "green", "reason": "All trained"},
                                                   {"period": "2005-06", "status": "red"}]


def test_carry_forward_makes_a_linked_draft_once_and_leaves_the_approved_one_unchanged(api):
    old = approved_objective(api, [{"period": "2007-08 Q2", "status": "amber"}])
    made = api.as_("hr_lead").post(f"/documents/{old['id']}/carry-forward", {})
    assert made.status_code == 201, made.json
    new = made.json
    assert (new["kind"], new["state"], new["title"], new["team"]) == ("objective", "draft", old["title"], HR)
    assert new["fields"] == {**{key: old["fields"][key] for key in ("theme", "action", "leads", "strands")},
                             "heading": old["fields"]["heading"], "disposition": "open",
                             "carried_forward_from": old["id"]}
    assert api.as_("hr_lead").get(f"/documents/{old['id']}").json["version"] == old["version"]
    again = api.as_("hr_lead").post(f"/documents/{old['id']}/carry-forward", {})
    assert again.status_code == 409 and again.json["details"] == {"successor": new["id"]}


@pytest.mark.parametrize("who, status", [("hr_staff", 403), ("pp_lead", 403), ("board", 403), ("head", 403),
                                         ("pp_staff", 403)])
def test_only_a_team_leader_of_the_owning_team_carries_an_objective_forward(api, who, status):
    old = approved_objective(api)
    assert api.as_(who).post(f"/documents/{old['id']}/carry-forward", {}).status_code == status
    assert api.as_("hr_lead").get("/documents", kind="objective").json["total"] == 1


def test_carry_forward_needs_an_approved_objective_that_the_caller_sees(api):
    draft = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "T", "team": HR,
                                                   "fields": OBJECTIVE}).json
    refused = api.as_("hr_lead").post(f"/documents/{draft['id']}/carry-forward", {})
    assert refused.status_code == 409 and refused.json["details"] == {"state": "draft"}
    assert api.as_("pp_lead").post(f"/documents/{draft['id']}/carry-forward", {}).status_code == 404
    eqia = api.as_("hr_lead").post("/documents", {"kind": "eqia", "title": "E", "team": HR}).json
    assert api.as_("hr_lead").post(f"/documents/{eqia['id']}/carry-forward", {}).status_code == 404
    assert api.as_("hr_lead").post("/documents/999/carry-forward", {}).status_code == 404
    assert api.client.post(f"/api/v1/documents/{draft['id']}/carry-forward").status_code == 401
