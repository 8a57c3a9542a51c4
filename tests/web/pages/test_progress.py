"""Progress per reporting period, updates through sign-off, carrying an objective
forward, the team targets serving an objective, and the reporting periods page."""
import re

import pytest

from tests.conftest import HR, PP
from tests.web.browsing import sign_in, version_on

EARLIER = {"period": "2006-07", "status": "amber", "evidence": "Six-month update to the EODB",
           "comment": "Partially achieved"}


def objective_fields(**extra):
    return {"heading": "The MPA as a Public Authority", "theme": "Corporate Commitment",
            "action": "Train members in EqIAs", "strands": ["race"], "deadline": "Ongoing",
            "outcomes": "All members trained", "leads": ["Human Resources"], "strategic": 1, **extra}


def approved(api, title="EqIA training for members", team=HR, lead="hr_lead", **fields):
    """An objective taken through screen, submit and the Head's sign-off by the API."""
    response = api.as_(lead).post("/documents", {"kind": "objective", "title": title, "team": team,
                                                 "fields": objective_fields(**fields)})
    assert response.status_code == 201, response.get_json()
    doc = response.get_json()
    for who, name in ((lead, "screen"), (lead, "assess"), ("head", "approve")):
        response = api.as_(who).fire(doc, name)
        assert response.status_code == 200, response.get_json()
        doc = response.get_json()
    return doc


def open_period(app, code):
    from services import period_service
    from workflow.users import User
    period_service.add_period(app.extensions["store"], User("head", frozenset({"head"})), code)


def progress_form(page, **entry):
    return {"version": version_on(page), **{f"entry.{key}": value for key, value in entry.items()}}


def test_a_progress_update_is_invisible_to_the_board_until_the_head_approves_it(app, client, api):
    doc = approved(api, progress=[EARLIER])
    open_period(app, "2007-08 Q3")
    url = f"/documents/{doc['id']}/progress?period=2007-08 Q3"
    sign_in(client, "hr_lead")
    page = client.get(url).text
    assert "Progress on an approved objective goes through sign-off" in page
    started = client.post(f"/documents/{doc['id']}/progress/start", data={"version": version_on(page),
                                                                         "period": "2007-08 Q3"})
    assert started.status_code == 302
    page = client.get(url).text
    saved = client.post(f"/documents/{doc['id']}/progress", data=progress_form(
        page, period="2007-08 Q3", status="amber_green", evidence="71 staff trained in EqIAs",
        reason="Training reached most staff"))
    assert saved.status_code == 302, saved.text

    sign_in(client, "board")
    before = client.get(f"/documents/{doc['id']}").text
    assert "71 staff trained" not in before and "2007/08 Q3" not in before
    assert "Six-month update to the EODB" in before
    assert "71 staff trained" not in client.get(url).text  # nor on the progress page itself

    working = api.as_("hr_lead").get(f"/documents/{doc['id']}").get_json()
    for who, name in (("hr_lead", "screen"), ("hr_lead", "assess"), ("head", "approve")):
        working = api.as_(who).fire(working, name).get_json()
    after = client.get(f"/documents/{doc['id']}").text
    assert "71 staff trained" in after and "Training reached most staff" in after
    assert "Six-month update to the EODB" in after
    assert after.index("2007/08 Q3") < after.index("2006/07")  # newest first


def test_a_status_change_without_a_reason_is_refused_next_to_the_field_and_saves_with_one(app, client, api):
    response = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "Race Equality Scheme",
                                                      "team": HR, "fields": objective_fields(progress=[EARLIER])})
    doc_id = response.get_json()["id"]
    open_period(app, "2007-08")
    sign_in(client, "hr_lead")
    page = client.get(f"/documents/{doc_id}/progress?period=2007-08").text
    assert "In 2006/07 the status was “Amber”" in page
    refused = client.post(f"/documents/{doc_id}/progress", data=progress_form(
        page, period="2007-08", status="green", evidence="RES updated on the website"))
    assert refused.status_code == 422
    error = re.search(r'id="entry-reason-error">(.*?)</p>', refused.text, re.S).group(1)
    assert "Enter why the status changed from Amber in 2006-07 to Green" in error
    assert 'href="#entry-reason"' in refused.text  # the summary at the top links to it
    assert "RES updated on the website" in refused.text  # nothing typed is lost
    assert 'value="green" checked' in refused.text

    saved = client.post(f"/documents/{doc_id}/progress", data=progress_form(
        page, period="2007-08", status="green", evidence="RES updated on the website",
        reason="The scheme was published"))
    assert saved.status_code == 302
    stored = app.extensions["documents"].load(doc_id)["fields"]["progress"]
    assert stored[0] == EARLIER
    assert stored[1] == {"period": "2007-08", "status": "green", "evidence": "RES updated on the website",
                         "reason": "The scheme was published"}


def test_progress_for_a_period_the_head_has_not_opened_is_refused(app, client, api):
    response = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "Objective",
                                                      "team": HR, "fields": objective_fields()})
    doc_id = response.get_json()["id"]
    open_period(app, "2007-08")
    sign_in(client, "hr_lead")
    page = client.get(f"/documents/{doc_id}/progress").text
    refused = client.post(f"/documents/{doc_id}/progress", data=progress_form(page, period="2009-10", status="red"))
    assert refused.status_code == 422
    assert "Select a reporting period the Head has opened" in refused.text
    assert "progress" not in app.extensions["documents"].load(doc_id)["fields"]


def test_carry_forward_makes_a_linked_draft_and_both_pages_show_the_link(app, client, api):
    old = approved(api, progress=[EARLIER], disposition="carried_forward",
                   successor_plan="Generic Equality Scheme Action Plan")
    sign_in(client, "hr_lead")
    response = client.post(f"/documents/{old['id']}/carry-forward")
    assert response.status_code == 302
    new_id = response.headers["Location"].rsplit("/", 1)[1]
    docs = app.extensions["documents"]
    new = docs.load(new_id)
    assert new["state"] == "draft" and new["title"] == old["title"] and new["team"] == HR
    assert new["fields"]["carried_forward_from"] == old["id"]
    assert "progress" not in new["fields"]
    assert all(new["fields"][key] == old["fields"][key] for key in ("heading", "theme", "action", "leads",
                                                                    "strands", "strategic"))
    assert docs.load(old["id"])["version"] == old["version"]  # the approved one is not changed
    old_page = client.get(f"/documents/{old['id']}").text
    assert "Carried forward to" in old_page and f'href="/documents/{new_id}"' in old_page
    new_page = client.get(f"/documents/{new_id}").text
    assert "Carried forward from" in new_page and f'href="/documents/{old["id"]}"' in new_page
    assert client.post(f"/documents/{old['id']}/carry-forward").status_code == 409  # once only

    sign_in(client, "board")  # the draft successor is not the Board's to see
    assert f'href="/documents/{new_id}"' not in client.get(f"/documents/{old['id']}").text


@pytest.mark.parametrize("who", ["hr_staff", "pp_lead", "board", "head"])
def test_only_a_team_leader_of_the_owning_team_may_carry_an_objective_forward(app, client, api, who):
    old = approved(api)
    sign_in(client, who)
    assert client.post(f"/documents/{old['id']}/carry-forward").status_code == 403
    assert len(app.extensions["store"].scan("documents")) == 1


def team_plan(api, lead, team, targets):
    response = api.as_(lead).post("/documents", {"kind": "team_plan", "title": f"{team} plan", "team": team,
                                                 "fields": {"period": "2007-08", "coordinator": "A. Person",
                                                            "targets": targets}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_the_objective_page_lists_the_team_targets_serving_it_that_the_viewer_may_see(client, api):
    doc = approved(api)
    other = approved(api, title="Another objective")
    hr_plan = team_plan(api, "hr_lead", HR, [
        {"target": "Train all HR staff", "owner": "HR training officer", "objectives": [doc["id"]],
         "deadline": "2008-03"},
        {"target": "Unrelated target", "owner": "Nobody", "objectives": [other["id"]]}])
    for who, name in (("hr_lead", "screen"), ("hr_lead", "assess"), ("head", "approve")):
        hr_plan = api.as_(who).fire(hr_plan, name).get_json()
    team_plan(api, "pp_lead", PP, [{"target": "Draft PP target", "owner": "PP officer", "objectives": [doc["id"]]}])

    sign_in(client, "hr_staff")
    page = client.get(f"/documents/{doc['id']}").text
    assert "Team targets serving this objective" in page
    assert "Train all HR staff" in page and "HR training officer" in page and "March 2008" in page
    assert f'href="/documents/{hr_plan["id"]}"' in page
    assert "Unrelated target" not in page
    assert "Draft PP target" not in page  # another team's draft
    sign_in(client, "pp_staff")
    assert "Draft PP target" in client.get(f"/documents/{doc['id']}").text


def test_the_team_plan_form_records_each_targets_owner(app, client, cast):
    sign_in(client, "hr_lead")
    response = client.post("/documents/new?kind=team_plan", data={
        "title": "HR plan", "team": HR, "fields.period": "2007-08", "fields.targets.0.target": "Train staff",
        "fields.targets.0.owner": "HR training officer", "fields.targets.0.objectives": "12"})
    assert response.status_code == 302, response.text
    doc_id = response.headers["Location"].rsplit("/", 1)[1]
    assert app.extensions["documents"].load(doc_id)["fields"]["targets"][0]["owner"] == "HR training officer"
    assert "HR training officer" in client.get(f"/documents/{doc_id}").text


def test_the_head_opens_a_reporting_period_and_everyone_signed_in_sees_it(client, cast):
    sign_in(client, "head")
    assert client.post("/periods", data={"code": "2007-08 Q3"}).status_code == 302
    sign_in(client, "hr_staff")
    page = client.get("/periods").text
    assert "2007/08 Q3" in page and "1 October 2007" in page
    assert "Open the period" not in page


def test_staff_cannot_open_a_reporting_period(app, client, cast):
    sign_in(client, "hr_staff")
    assert client.post("/periods", data={"code": "2007-08 Q3"}).status_code == 403
    assert app.extensions["store"].scan("periods") == []


def test_a_bad_or_repeated_period_code_gets_a_clear_message_by_the_field(client, cast):
    sign_in(client, "admin")
    refused = client.post("/periods", data={"code": "Q3 2007"})
    assert refused.status_code == 422
    assert 'id="code-error"' in refused.text and "a financial year like 2007-08" in refused.text
    assert 'value="Q3 2007"' in refused.text
    client.post("/periods", data={"code": "2007-08"})
    again = client.post("/periods", data={"code": "2007-08"})
    assert again.status_code == 409 and "2007-08 is already a reporting period" in again.text
