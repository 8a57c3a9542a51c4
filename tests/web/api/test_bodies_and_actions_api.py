"""Several bodies and the actions they agree, through API v1: meetings belong to a body, a
reviewed item goes on to another body's agenda, the Head numbers reports, and an action agreed
at one meeting comes back as matters arising at the later meetings of that body until done."""
import datetime as dt

from services import audit_service
from store import Put
from tests.conftest import HR, PP
from tests.web.api.test_meetings_api import FUTURE, approved_eqia, on_agenda
from workflow import periods


def day(offset):
    return (dt.date.today() + dt.timedelta(days=offset)).isoformat()  # now, not at import: a run may cross midnight


def arranged(api, body=None, date=None, title="Meeting"):
    given = {"title": title, "date": date or day(-1), **({"body": body} if body else {})}
    response = api.as_("head").post("/meetings", given)
    assert response.status_code == 201, response.json
    return response.json


def decided(api, meeting, doc, decision="endorsed", actions=None, who="board"):
    response = api.as_(who).post(f"/meetings/{meeting['id']}/decisions",
                                 {"document": doc["id"], "decision": decision,
                                  **({"actions": actions} if actions is not None else {})})
    assert response.status_code == 200, response.json
    return response.json


def arising(api, meeting, who="board"):
    return [a["what"] for a in api.as_(who).get(f"/meetings/{meeting['id']}/matters-arising").json["items"]]


TRAIN = {"what": "Ensure all staff and Members are trained in EqIA", "team": HR, "due": day(10)}


def test_a_meeting_belongs_to_a_body_the_eodb_unless_another_is_chosen_and_the_list_filters_by_it(api):
    names = {b["key"]: b["name"] for b in api.as_("board").get("/bodies").json["items"]}
    assert names == {"eodb": "Equal Opportunities and Diversity Board", "authority": "Full Authority",
                     "smt": "Senior Management Team", "staff_forums": "Staff forums"}
    board, smt = arranged(api), arranged(api, "smt", title="SMT")
    assert (board["body"], smt["body"]) == ("eodb", "smt")
    assert [m["id"] for m in api.as_("board").get("/meetings", body="smt").json["items"]] == [smt["id"]]
    assert [m["id"] for m in api.as_("board").get("/meetings", body="eodb").json["items"]] == [board["id"]]
    refused = api.as_("head").post("/meetings", {"title": "X", "date": day(1), "body": "the pub"})
    assert refused.status_code == 422 and set(refused.json["details"]) == {"body"}
    assert api.as_("board").get("/meetings", body="the pub").status_code == 422


def test_a_meeting_stored_before_bodies_is_the_eodbs(api, store):
    [old] = store.commit([Put("meetings", None, {"title": "Old EODB", "date": day(-30), "venue": None, "items": [],
                                                  "decisions": [], "created_by": "head", "created_at": "2007-01-01"})])
    arranged(api, "smt", title="SMT")
    assert [m["id"] for m in api.as_("board").get("/meetings", body="eodb").json["items"]] == [old["id"]]


def test_the_head_sets_the_report_number_unique_on_the_agenda_and_the_next_one_is_the_default(api):
    meeting = arranged(api)
    first, second, third = approved_eqia(api, "One"), approved_eqia(api, "Two"), approved_eqia(api, "Three")
    added = api.as_("head").post(f"/meetings/{meeting['id']}/items", {"document": first["id"], "number": 13})
    assert added.status_code == 201 and added.json["number"] == 13
    taken = api.as_("head").post(f"/meetings/{meeting['id']}/items", {"document": second["id"], "number": "13"})
    assert taken.status_code == 409 and set(taken.json["details"]) == {"number"}
    for bad in (0, -1, "13a", 1000, True, 1.5):
        answer = api.as_("head").post(f"/meetings/{meeting['id']}/items", {"document": second["id"], "number": bad})
        assert answer.status_code == 422 and set(answer.json["details"]) == {"number"}, bad
    assert on_agenda(api, meeting["id"], second)["number"] == 14
    assert api.as_("head").post(f"/meetings/{meeting['id']}/items",
                                {"document": third["id"], "number": " 2 "}).json["number"] == 2
    numbers = [item["number"] for item in api.as_("board").get(f"/meetings/{meeting['id']}").json["items"]]
    assert sorted(numbers) == [2, 13, 14]


def test_an_item_the_board_reviewed_goes_on_to_the_full_authority_whose_decision_its_history_records(api):
    board, authority = arranged(api, date=day(-10)), arranged(api, "authority", title="Authority")
    doc = approved_eqia(api)
    on_agenda(api, board["id"], doc)
    decided(api, board, doc)
    on_agenda(api, authority["id"], doc)  # reviewed, no longer only approved: accepted
    after = decided(api, authority, doc, "noted", who="head")
    assert after["state"] == "reviewed"
    history = api.as_("board").get(f"/documents/{doc['id']}/history").json["items"]
    assert [(e["action"], e["from"], e["to"], e["comment"]) for e in history[-2:]] == [
        ("review", "approved", "reviewed", f"Board endorsed at the meeting of {day(-10)}"),
        ("review", "reviewed", "reviewed", f"Full Authority noted at the meeting of {day(-1)}")]
    stored = api.as_("board").get(f"/meetings/{authority['id']}").json
    assert stored["decisions"][0]["decision"] == "noted"


def test_a_body_refers_back_an_item_another_body_reviewed_and_the_team_revises_it(api):
    board, smt = arranged(api, date=day(-10)), arranged(api, "smt", title="SMT")
    doc = approved_eqia(api)
    on_agenda(api, board["id"], doc)
    decided(api, board, doc)
    on_agenda(api, smt["id"], doc)
    refused = api.as_("head").post(f"/meetings/{smt['id']}/decisions",
                                   {"document": doc["id"], "decision": "referred_back", "note": "Add the costs."})
    assert refused.status_code == 200
    assert api.as_("hr_lead").get(f"/documents/{doc['id']}").json["state"] == "draft"
    last = api.as_("hr_lead").get(f"/documents/{doc['id']}/history").json["items"][-1]
    assert last["comment"] == f"Senior Management Team referred back at the meeting of {day(-1)}: Add the costs."


def test_an_action_agreed_at_one_meeting_is_a_matter_arising_at_each_later_meeting_of_that_body_until_done(api):
    first, smt = arranged(api, date=day(-20)), arranged(api, "smt", date=day(-5), title="SMT")
    second, third = arranged(api, date=day(-3)), arranged(api, date=FUTURE)
    doc = approved_eqia(api)
    on_agenda(api, first["id"], doc)
    decided(api, first, doc, actions=[TRAIN, {"what": "", "team": "", "due": ""}])  # a blank row is no action
    [action] = api.as_("board").get("/actions").json["items"]
    assert (action["team"], action["body"], action["meeting"], action["done"]) == (HR, "eodb", first["id"], None)
    assert arising(api, first) == []  # not at the meeting that agreed it
    assert arising(api, second) == arising(api, third) == [TRAIN["what"]]
    assert arising(api, smt) == []  # nor at another body's meeting
    done = api.as_("hr_lead").post(f"/actions/{action['id']}/done", {"note": "All trained by March."})
    assert done.status_code == 200 and done.json["done"]["note"] == "All trained by March."
    assert arising(api, third) == []  # done: no longer brought back
    assert arising(api, second) == [TRAIN["what"]]  # the meeting held before it was done still shows it
    assert api.as_("board").get("/actions", state="open").json["items"] == []
    assert [a["id"] for a in api.as_("board").get("/actions", state="done").json["items"]] == [action["id"]]


def test_only_the_owner_teams_leaders_or_the_head_mark_an_action_done_with_a_note_once_and_each_change_is_audited(
        api, store):
    meeting, doc = arranged(api), approved_eqia(api)
    on_agenda(api, meeting["id"], doc)
    decided(api, meeting, doc, actions=[TRAIN, {**TRAIN, "what": "Publish the results", "team": PP}])
    hr_action, pp_action = sorted(api.as_("board").get("/actions").json["items"], key=lambda a: a["team"] != HR)
    for who in ("pp_lead", "hr_staff", "board", "admin"):
        assert api.as_(who).post(f"/actions/{hr_action['id']}/done", {"note": "Done"}).status_code == 403, who
    blank = api.as_("hr_lead").post(f"/actions/{hr_action['id']}/done", {"note": "  "})
    assert blank.status_code == 422 and set(blank.json["details"]) == {"note"}
    stale = api.as_("hr_lead").post(f"/actions/{hr_action['id']}/done", {"note": "Done", "version": 99})
    assert stale.status_code == 409
    assert api.as_("hr_lead").post(f"/actions/{hr_action['id']}/done", {"note": "Done"}).status_code == 200
    assert api.as_("hr_lead").post(f"/actions/{hr_action['id']}/done", {"note": "Again"}).status_code == 409
    assert api.as_("head").post(f"/actions/{pp_action['id']}/done", {"note": "Published"}).status_code == 200
    logged = [(e["action"], e["actor"], e["details"].get("team")) for e in audit_service.entries(store)
              if e["kind"] == "action"]  # newest first
    assert logged == [("done", "head", PP), ("done", "hr_lead", HR), ("agreed", "board", PP), ("agreed", "board", HR)]
    assert api.as_("board").get("/actions/999").status_code == 404


def test_bad_actions_are_named_by_row_and_field_and_nothing_is_recorded(api):
    meeting, doc = arranged(api), approved_eqia(api)
    on_agenda(api, meeting["id"], doc)
    bad = api.as_("board").post(f"/meetings/{meeting['id']}/decisions", {
        "document": doc["id"], "decision": "endorsed",
        "actions": [TRAIN, {"what": "Train", "team": "Nobody's team", "due": "soon"}, {"what": "x", "team": HR}]})
    assert bad.status_code == 422
    assert set(bad.json["details"]) == {"actions.1.team", "actions.1.due", "actions.2.due"}
    assert api.as_("board").get("/actions").json["items"] == []
    assert api.as_("board").get(f"/documents/{doc['id']}").json["state"] == "approved"
    not_a_list = api.as_("board").post(f"/meetings/{meeting['id']}/decisions",
                                       {"document": doc["id"], "decision": "endorsed", "actions": "train everyone"})
    assert not_a_list.status_code == 422 and set(not_a_list.json["details"]) == {"actions"}


def test_the_next_progress_report_lists_the_actions_open_in_its_period_in_each_format(api):
    meeting, doc = arranged(api), approved_eqia(api)
    on_agenda(api, meeting["id"], doc)
    decided(api, meeting, doc, actions=[TRAIN])
    quarter = periods.containing(dt.date.today())
    assert api.as_("head").post("/periods", {"code": quarter}).status_code == 201
    for fmt in ("md", "html"):
        answer = api.as_("head").get("/reports/progress", period=quarter, format=fmt)
        assert answer.status_code == 200
        text = answer.get_data(as_text=True)
        assert "Matters arising: actions agreed by the Board" in text and TRAIN["what"] in text, fmt


def test_a_bad_decision_and_bad_actions_are_named_together_and_who_may_not_decide_learns_nothing_of_them(api):
    meeting, doc = arranged(api), approved_eqia(api)
    on_agenda(api, meeting["id"], doc)
    bad = [{"what": "", "team": HR, "due": day(3)}]
    both = api.as_("board").post(f"/meetings/{meeting['id']}/decisions",
                                 {"document": doc["id"], "decision": "maybe", "actions": bad})
    assert both.status_code == 422 and set(both.json["details"]) == {"decision", "actions.0.what"}
    assert api.as_("hr_lead").post(f"/meetings/{meeting['id']}/decisions",
                                   {"document": doc["id"], "decision": "noted", "actions": bad}).status_code == 403
