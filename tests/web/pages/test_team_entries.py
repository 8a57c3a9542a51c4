"""The pages where teams write beyond an objective's own progress: each lead team's entry
on an objective several teams lead, and the status of a team plan's targets per period;
the Board reads either only once the Head approves, in the objective page and the report."""
from html import unescape

from tests.conftest import HR, PP, RDU
from tests.web.browsing import sign_in, version_on
from tests.web.pages.test_progress import approved, open_period, team_plan
from tests.web.pages.test_report_pdf import text_of

PERIOD = "2007-08"


def test_each_lead_team_writes_its_own_entry_and_the_board_reads_them_once_approved(app, client, api, make_user):
    api.tokens["rdu_lead"] = make_user("rdu_lead", "team_leader", teams=(RDU,), trained="2006-05-10")
    doc = approved(api, title="Mainstream equality in every team", team=RDU, lead="rdu_lead", leads=["All Teams"])
    open_period(app, PERIOD)
    url = f"/documents/{doc['id']}/team-progress?period={PERIOD}"

    sign_in(client, "pp_lead")  # Planning & Performance: not the owning team
    page = client.get(url).text
    assert "No progress update of this objective is under way" in page and "Start a progress update" not in page
    refused = client.post(f"/documents/{doc['id']}/team-progress",
                          data={"version": doc["version"], "period": PERIOD, "team": PP, "entry.evidence": "Too early"})
    assert refused.status_code == 409 and f"Ask a team leader of {RDU}" in unescape(refused.text)

    doc = api.as_("rdu_lead").fire(doc, "revise").get_json()  # the Unit opens the quarter's update
    sign_in(client, "pp_lead")  # My work asks for the team's entry, and links to where it is written
    assert f'href="/documents/{doc["id"]}/team-progress"' in client.get("/").text
    for who, team, words in (("pp_lead", PP, "PP reviewed its performance indicators"),
                             ("hr_lead", HR, "HR trained all its managers")):
        sign_in(client, who)
        page = client.get(url).text
        assert f"Save {team}'s entry" in unescape(page)
        saved = client.post(f"/documents/{doc['id']}/team-progress", data={
            "version": version_on(page), "period": PERIOD, "team": team, "entry.key_outcomes": words})
        assert saved.status_code == 302, saved.text
    entries = app.extensions["documents"].load(doc["id"])["fields"]["team_progress"]
    assert [(e["team"], e["key_outcomes"]) for e in entries] == [
        (PP, "PP reviewed its performance indicators"), (HR, "HR trained all its managers")]

    sign_in(client, "board")
    assert "HR trained all its managers" not in client.get(f"/documents/{doc['id']}").text
    working = api.as_("rdu_lead").get(f"/documents/{doc['id']}").get_json()
    for who, name in (("rdu_lead", "screen"), ("rdu_lead", "assess"), ("head", "approve")):
        working = api.as_(who).fire(working, name).get_json()
    page = client.get(f"/documents/{doc['id']}").text
    assert "Lead teams' entries" in unescape(page)
    assert "HR trained all its managers" in page and "PP reviewed its performance indicators" in page
    readers = (("md", lambda r: r.text), ("html", lambda r: unescape(r.text)), ("pdf", lambda r: text_of(r.data)))
    for fmt, read in readers:
        report = read(api.as_("head").get("/reports/progress", period=PERIOD, format=fmt))
        objective_1, objective_2 = report.index("Objective 1"), report.index("Objective 2")
        assert objective_1 < report.index("Lead teams' entries") < report.index("HR trained all its managers") \
            < objective_2, fmt


def test_a_lead_teams_leader_cannot_write_another_teams_entry_nor_any_other_field(app, client, api, make_user):
    api.tokens["rdu_lead"] = make_user("rdu_lead", "team_leader", teams=(RDU,), trained="2006-05-10")
    doc = approved(api, title="Joint objective", team=RDU, lead="rdu_lead", leads=["Race & Diversity", HR])
    open_period(app, PERIOD)
    doc = api.as_("rdu_lead").fire(doc, "revise").get_json()
    sign_in(client, "hr_lead")
    forged = client.post(f"/documents/{doc['id']}/team-progress", data={
        "version": doc["version"], "period": PERIOD, "team": RDU, "entry.evidence": "Written for the Unit"})
    assert forged.status_code == 422 and "Select a team you lead" in forged.text
    assert client.get(f"/documents/{doc['id']}/edit").status_code in (403, 404)
    patched = api.as_("hr_lead").patch(f"/documents/{doc['id']}", {
        "version": doc["version"], "fields": {"action": "Changed by HR"}})
    assert patched.status_code == 403
    sign_in(client, "pp_lead")  # Planning & Performance does not lead it: told so, offered no form
    page = client.get(f"/documents/{doc['id']}/team-progress").text
    assert "you lead none of them" in page and "entry.evidence" not in page
    assert "team_progress" not in app.extensions["documents"].load(doc["id"])["fields"]


def test_the_team_writes_each_targets_status_and_the_report_shows_it_once_the_plan_is_approved(app, client, api):
    doc = approved(api)
    plan = team_plan(api, "hr_lead", HR, [{"target": "Train all HR managers", "objectives": [doc["id"]]},
                                          {"target": "Publish HR monitoring", "objectives": [doc["id"]]}])
    open_period(app, PERIOD)
    url = f"/documents/{plan['id']}/target-progress?period={PERIOD}"
    sign_in(client, "hr_lead")
    page = client.get(url).text
    refused = client.post(f"/documents/{plan['id']}/target-progress", data={
        "version": version_on(page), "period": PERIOD, "target.1.progress": "Words but no status"})
    assert refused.status_code == 422 and 'id="target-1-status-error"' in refused.text
    assert "Words but no status" in refused.text
    saved = client.post(f"/documents/{plan['id']}/target-progress", data={
        "version": version_on(page), "period": PERIOD, "target.0.status": "amber_green",
        "target.0.progress": "40 of 52 managers trained"})
    assert saved.status_code == 302, saved.text
    edit = client.get(f"/documents/{plan['id']}/edit").text  # the plan's own form keeps what was written
    assert client.post(f"/documents/{plan['id']}/edit", data={
        "version": version_on(edit), "title": "HR plan", "fields.period": PERIOD, "fields.coordinator": "B. Person",
        "fields.targets.0.target": "Train all HR managers", "fields.targets.0.objectives": doc["id"],
        "fields.targets.1.target": "Publish HR monitoring", "fields.targets.1.objectives": doc["id"]},
    ).status_code == 302
    stored = app.extensions["documents"].load(plan["id"])["fields"]["targets"]
    assert stored[0]["progress"] == [{"period": PERIOD, "status": "amber_green",
                                      "progress": "40 of 52 managers trained"}]
    assert "progress" not in stored[1]

    assert "40 of 52 managers trained" not in api.as_("head").get("/reports/progress", period=PERIOD, format="md").text
    for who, name in (("hr_lead", "screen"), ("hr_lead", "assess"), ("head", "approve")):
        plan = api.as_(who).fire(api.as_("hr_lead").get(f"/documents/{plan['id']}").get_json(), name).get_json()
    report = api.as_("head").get("/reports/progress", period=PERIOD, format="md")
    assert report.status_code == 200, report.text
    assert "| Human Resources | Train all HR managers |" in report.text and "40 of 52 managers trained" in report.text
    sign_in(client, "board")
    page = client.get(f"/documents/{doc['id']}").text
    assert "Amber/Green" in page  # the objective page shows the target's latest status
