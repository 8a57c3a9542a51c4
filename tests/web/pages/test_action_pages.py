"""Bodies, report numbers, actions and matters arising through the pages, as a browser posts them."""
from services import audit_service, settings_service
from tests.conftest import HR, PP
from tests.web.api.test_bodies_and_actions_api import arranged, day
from tests.web.api.test_meetings_api import approved_eqia, on_agenda
from tests.web.browsing import sign_in
from web.pages.document_pages import when


def decide(client, meeting_id, doc_id, decision="endorsed", **rows):
    """Post one item's decision form, with action rows given as what_0=..., team_0=..., due_0=..."""
    data = {"document": doc_id, f"d{doc_id}.decision": decision}
    for name, value in rows.items():
        key, n = name.rsplit("_", 1)
        data[f"d{doc_id}.actions.{n}.{key}"] = value
    return client.post(f"/meetings/{meeting_id}/decisions", data=data)


def test_the_head_arranges_a_meeting_of_a_body_and_the_list_shows_each_bodys_meetings(client, api):
    sign_in(client, "head")
    form = client.get("/meetings/new").text
    assert '<option value="smt">Senior Management Team</option>' in form
    made = client.post("/meetings/new", data={"title": "SMT quarterly", "date": day(5), "body": "smt"})
    assert made.status_code == 302
    page = client.get(made.headers["Location"]).text
    assert "Senior Management Team" in page
    arranged(api, title="EODB December")
    listed = client.get("/meetings?body=smt").text
    assert "Meetings of the Senior Management Team" in listed and "SMT quarterly" in listed
    assert "EODB December" not in listed
    unknown = client.get("/meetings?body=pub")
    assert unknown.status_code == 422 and 'id="body-error"' in unknown.text and "EODB December" in unknown.text
    refused = client.post("/meetings/new", data={"title": "X", "date": day(5), "body": "pub"})
    assert refused.status_code == 422 and 'id="body-error"' in refused.text


def test_the_head_gives_the_report_number_the_meeting_page_shows_and_a_number_taken_is_refused_by_its_field(
        client, api):
    meeting, first, second = arranged(api), approved_eqia(api, "One"), approved_eqia(api, "Two")
    sign_in(client, "head")
    page = client.get(f"/meetings/{meeting['id']}").text
    assert 'name="number" value="1"' in page  # the next number, offered
    assert client.post(f"/meetings/{meeting['id']}/items", data={"document": first["id"], "number": "13"}).status_code == 302
    page = client.get(f"/meetings/{meeting['id']}").text
    assert f"Report 13 of the {when(day(-1))} meeting: One" in page and 'name="number" value="14"' in page
    taken = client.post(f"/meetings/{meeting['id']}/items", data={"document": second["id"], "number": "13"})
    assert taken.status_code == 409 and 'id="number-error"' in taken.text and "Report 13 is already" in taken.text


def test_an_action_agreed_on_the_decision_form_is_a_matter_arising_next_time_until_its_team_marks_it_done(client, api):
    first, smt, second = arranged(api, date=day(-20)), arranged(api, "smt", date=day(-5)), arranged(api, date=day(20))
    doc = approved_eqia(api)
    on_agenda(api, first["id"], doc)
    sign_in(client, "board")
    form = client.get(f"/meetings/{first['id']}").text
    assert f'name="d{doc["id"]}.actions.0.what"' in form
    done = decide(client, first["id"], doc["id"], what_0="Ensure all staff are trained in EqIA", team_0=HR,
                  due_0=day(7))
    assert done.status_code == 302, done.text
    agreed_page = client.get(f"/meetings/{first['id']}").text
    assert "Actions agreed" in agreed_page and "Ensure all staff are trained in EqIA" in agreed_page
    assert "Ensure all staff are trained" in client.get(f"/meetings/{second['id']}").text
    assert "Ensure all staff are trained" not in client.get(f"/meetings/{smt['id']}").text
    [action] = api.as_("board").get("/actions").json["items"]
    sign_in(client, "hr_lead")
    assert "Actions agreed by the Board, due" in client.get("/").text  # due within two weeks
    action_page = client.get(f"/actions/{action['id']}").text
    assert "Mark the action done" in action_page
    for version in ("abc", "1.0", "-1", "²", str(action["version"] + 1)):  # malformed or stale: refused, not "as stored"
        refused = client.post(f"/actions/{action['id']}/done", data={"note": "Done early", "version": version})
        assert refused.status_code in (409, 422), version
        assert api.as_("board").get(f"/actions/{action['id']}").json["done"] is None, version
    blank = client.post(f"/actions/{action['id']}/done", data={"note": " ", "version": action["version"]})
    assert blank.status_code == 422 and 'id="note-error"' in blank.text
    marked = client.post(f"/actions/{action['id']}/done", data={"note": "All trained.", "version": action["version"]})
    assert marked.status_code == 302
    assert "All trained." in client.get(f"/actions/{action['id']}").text
    assert "Ensure all staff are trained" not in client.get(f"/meetings/{second['id']}").text
    assert "Actions agreed by the Board, due" not in client.get("/").text


def test_another_teams_leader_is_not_offered_the_form_nor_sees_the_action_on_my_work(client, api):
    meeting, doc = arranged(api), approved_eqia(api)
    on_agenda(api, meeting["id"], doc)
    api.as_("board").post(f"/meetings/{meeting['id']}/decisions", {
        "document": doc["id"], "decision": "endorsed", "actions": [{"what": "Train", "team": HR, "due": day(-2)}]})
    [action] = api.as_("board").get("/actions").json["items"]
    sign_in(client, "pp_lead")
    assert "Mark the action done" not in client.get(f"/actions/{action['id']}").text
    assert client.post(f"/actions/{action['id']}/done", data={"note": "Done"}).status_code == 403
    assert "Actions agreed by the Board, due" not in client.get("/").text
    sign_in(client, "head")
    home = client.get("/").text
    assert "Actions agreed by the Board, due" in home and "(overdue)" in home
    assert "Train" in client.get("/actions?state=open").text
    assert client.get("/actions?state=maybe").status_code == 422


def test_a_bad_action_row_is_named_in_the_summary_and_nothing_is_recorded(client, api):
    meeting, doc = arranged(api), approved_eqia(api)
    on_agenda(api, meeting["id"], doc)
    sign_in(client, "board")
    refused = decide(client, meeting["id"], doc["id"], what_1="Train everyone", team_1=PP, due_1="next year")
    assert refused.status_code == 422
    assert "Report 1: Action 2: due date" in refused.text and f'id="d{doc["id"]}.actions.1.due-error"'.replace(
        ".", "-") in refused.text.replace(".", "-")
    assert api.as_("board").get(f"/documents/{doc['id']}").json["state"] == "approved"
    assert api.as_("board").get("/actions").json["items"] == []


def test_an_administrator_renames_and_adds_bodies_which_meetings_then_offer_and_the_audit_log_records(
        client, api, store):
    sign_in(client, "admin")
    page = client.get("/admin/settings").text
    assert 'value="Senior Management Team"' in page
    saved = client.post("/admin/settings/bodies", data={"name.smt": "Management Board",
                                                       "added": "Race Equality Staff Forum"})
    assert saved.status_code == 302
    twice = client.post("/admin/settings/bodies", data={"name.eodb": "Management Board",
                                                       "version": settings_service.bodies_version(store)})
    assert twice.status_code == 422 and 'id="name-eodb-error"' in twice.text
    assert [e["subject"] for e in audit_service.entries(store)][0] == "bodies"
    sign_in(client, "head")
    form = client.get("/meetings/new").text
    assert "Management Board" in form and "Race Equality Staff Forum" in form
    assert api.as_("head").post("/meetings", {"title": "Forum", "date": day(3),
                                              "body": "race_equality_staff_forum"}).status_code == 201


def test_the_actions_list_and_an_action_are_for_signed_in_people_only(client, api):
    assert client.get("/actions").status_code in (302, 401)
    assert client.get("/actions/1").status_code in (302, 401)
    sign_in(client, "hr_staff")
    assert client.get("/actions/1").status_code == 404
