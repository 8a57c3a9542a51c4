"""A lead team's entry on a shared objective and a team plan's targets' progress through API
v1: the same service as the pages, so the same refusals, and the Board reads them only approved."""
import pytest

from tests.conftest import HR, PP

PERIOD = "2007-08"
SHARED = {"heading": "The MPA as a Public Authority", "action": "Every team reports its equality work",
          "strands": ["race"], "deadline": "Ongoing", "outcomes": "Reports", "leads": [HR, "Planning & Performance"]}


def revising_shared_objective(api):
    """An approved objective HR and Planning & Performance lead, with HR's update under way."""
    doc = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "Joint work", "team": HR,
                                                 "fields": SHARED}).json
    for who, name in (("hr_lead", "screen"), ("hr_lead", "assess"), ("head", "approve"), ("hr_lead", "revise")):
        doc = api.as_(who).fire(doc, name).json
    api.as_("head").post("/periods", {"code": PERIOD})
    return doc


def test_each_lead_team_writes_its_entry_and_the_board_reads_it_once_approved(api):
    doc = revising_shared_objective(api)
    written = api.as_("pp_lead").put(f"/documents/{doc['id']}/team-progress/{PERIOD}", {
        "version": doc["version"], "team": PP, "evidence": "PP published its monitoring"})
    assert written.status_code == 200, written.json
    assert api.as_("board").get(f"/documents/{doc['id']}").json["fields"].get("team_progress") is None
    doc = written.json
    for who, name in (("hr_lead", "screen"), ("hr_lead", "assess"), ("head", "approve")):
        doc = api.as_(who).fire(doc, name).json
    assert api.as_("board").get(f"/documents/{doc['id']}").json["fields"]["team_progress"] == [
        {"period": PERIOD, "team": PP, "evidence": "PP published its monitoring"}]


@pytest.mark.parametrize("who, body, status", [
    ("pp_lead", {"team": HR, "evidence": "Written for HR"}, 422),  # a team they do not lead
    ("pp_lead", {"team": PP}, 422),  # nothing written
    ("pp_lead", {"team": PP, "evidence": ["not", "text"]}, 422),
    ("pp_lead", {"team": PP, "evidence": "Words", "status": "green"}, 422),  # the Head's status is not theirs
    ("pp_staff", {"team": PP, "evidence": "Staff words"}, 403),  # staff of a lead team: not theirs to write
    ("board", {"team": PP, "evidence": "Board words"}, 403),
])
def test_a_team_entry_is_refused_as_on_the_page_and_changes_nothing(api, who, body, status):
    doc = revising_shared_objective(api)
    refused = api.as_(who).put(f"/documents/{doc['id']}/team-progress/{PERIOD}", {"version": doc["version"], **body})
    assert refused.status_code == status, refused.json
    assert set(refused.json) >= {"error", "details"}
    assert api.as_("hr_lead").get(f"/documents/{doc['id']}").json["version"] == doc["version"]


def test_another_field_of_a_shared_objective_is_not_a_lead_teams_to_change(api):
    doc = revising_shared_objective(api)
    refused = api.as_("pp_lead").patch(f"/documents/{doc['id']}", {"version": doc["version"],
                                                                   "fields": {"outcomes": "Changed by PP"}})
    assert refused.status_code == 403


def plan(api, objective_id):
    doc = api.as_("hr_lead").post("/documents", {"kind": "team_plan", "title": "HR plan", "team": HR, "fields": {
        "period": PERIOD, "coordinator": "A. Person",
        "targets": [{"target": "Train managers", "objectives": [objective_id]}]}}).json
    api.as_("head").post("/periods", {"code": PERIOD})
    return doc


@pytest.mark.parametrize("targets", [{"status": "green"}, ["green"], [{"status": "purple"}],
                                     [{"progress": "No status"}], [{"status": "green"}, {"status": "red"}]])
def test_targets_progress_that_is_not_one_object_per_target_with_a_status_is_refused(api, targets):
    doc = plan(api, "1")
    refused = api.as_("hr_lead").put(f"/documents/{doc['id']}/target-progress/{PERIOD}",
                                     {"version": doc["version"], "targets": targets})
    assert refused.status_code == 422, refused.json
    assert api.as_("hr_lead").get(f"/documents/{doc['id']}").json["version"] == doc["version"]


def test_the_team_writes_its_targets_status_for_a_period(api):
    doc = plan(api, "1")
    written = api.as_("hr_lead").put(f"/documents/{doc['id']}/target-progress/{PERIOD}", {
        "version": doc["version"], "targets": [{"status": "amber", "progress": "Half the managers"}]})
    assert written.status_code == 200, written.json
    assert written.json["fields"]["targets"][0]["progress"] == [
        {"period": PERIOD, "status": "amber", "progress": "Half the managers"}]
    assert api.as_("pp_lead").put(f"/documents/{doc['id']}/target-progress/{PERIOD}", {
        "version": written.json["version"], "targets": [{"status": "red"}]}).status_code == 404
