"""Board meetings through API v1: agendas of approved items, decisions of held meetings."""
import datetime as dt

from services import audit_service, settings_service
from tests.web.api.test_progress_api import approved_objective
from tests.conftest import HR, complete_eqia

PAST = (dt.date.today() - dt.timedelta(days=1)).isoformat()
FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def approved_eqia(api, title="Recruitment EqIA"):
    doc = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": title, "team": HR,
                                                   "fields": complete_eqia()}).json
    doc = api.as_("hr_staff").fire(doc, "screen").json
    doc = api.as_("hr_lead").fire(doc, "assess").json
    return api.as_("head").fire(doc, "approve").json


def meeting(api, date=PAST):
    response = api.as_("head").post("/meetings", {"title": "EODB", "date": date, "venue": "10 Dean Farrar St"})
    assert response.status_code == 201, response.json
    return response.json


def on_agenda(api, meeting_id, doc):
    response = api.as_("head").post(f"/meetings/{meeting_id}/items", {"document": doc["id"]})
    assert response.status_code == 201, response.json
    return response.json


def test_only_the_head_arranges_meetings_with_a_valid_date(api):
    assert api.as_("board").post("/meetings", {"title": "EODB", "date": PAST}).status_code == 403
    bad = api.as_("head").post("/meetings", {"title": "", "date": "6 December 2007"})
    assert bad.status_code == 422 and set(bad.json["details"]) == {"title", "date"}
    made = meeting(api)
    assert api.as_("board").get(f"/meetings/{made['id']}").json["title"] == "EODB"


def test_the_agenda_takes_approved_items_only_numbered_in_order(api):
    m = meeting(api)
    first, second = approved_eqia(api, "One"), approved_eqia(api, "Two")
    assert on_agenda(api, m["id"], first)["number"] == 1
    assert on_agenda(api, m["id"], second)["number"] == 2
    draft = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Draft", "team": HR}).json
    refused = api.as_("head").post(f"/meetings/{m['id']}/items", {"document": draft["id"]})
    assert refused.status_code == 409 and "Only approved items" in refused.json["error"]
    assert api.as_("head").post(f"/meetings/{m['id']}/items", {"document": first["id"]}).status_code == 409
    assert api.as_("hr_lead").post(f"/meetings/{m['id']}/items", {"document": first["id"]}).status_code == 403
    assert api.as_("head").post(f"/meetings/{m['id']}/items", {"document": "999"}).status_code == 404


def test_endorsement_at_a_held_meeting_reviews_the_item(api):
    m = meeting(api)
    doc = approved_eqia(api)
    on_agenda(api, m["id"], doc)
    decided = api.as_("board").post(f"/meetings/{m['id']}/decisions",
                                    {"document": doc["id"], "decision": "endorsed", "note": "Well done."})
    assert decided.status_code == 200 and decided.json["state"] == "reviewed"
    history = api.as_("board").get(f"/documents/{doc['id']}/history").json["items"]
    assert (history[-1]["action"], history[-1]["actor"]) == ("review", "board")
    assert history[-1]["comment"] == f"Board endorsed at the meeting of {PAST}: Well done."
    again = api.as_("board").post(f"/meetings/{m['id']}/decisions", {"document": doc["id"], "decision": "noted"})
    assert again.status_code == 409
    assert api.as_("board").fire(decided.json, "revise").status_code == 403  # the decision is spent


def test_no_decision_before_the_meeting_date_or_for_items_not_on_its_agenda(api):
    future, held = meeting(api, FUTURE), meeting(api)
    doc = approved_eqia(api)
    on_agenda(api, future["id"], doc)
    early = api.as_("board").post(f"/meetings/{future['id']}/decisions", {"document": doc["id"], "decision": "noted"})
    assert early.status_code == 409 and "not been held" in early.json["error"]
    absent = api.as_("board").post(f"/meetings/{held['id']}/decisions", {"document": doc["id"], "decision": "noted"})
    assert absent.status_code == 409 and "not on this meeting's agenda" in absent.json["error"]
    assert api.as_("board").get(f"/documents/{doc['id']}").json["state"] == "approved"
    assert api.as_("hr_lead").post(f"/meetings/{held['id']}/decisions",
                                   {"document": doc["id"], "decision": "noted"}).status_code == 403


def test_referral_starts_a_new_revision_carrying_the_boards_note(api):
    m = meeting(api)
    doc = approved_eqia(api)
    on_agenda(api, m["id"], doc)
    no_note = api.as_("board").post(f"/meetings/{m['id']}/decisions",
                                    {"document": doc["id"], "decision": "referred_back"})
    assert no_note.status_code == 422 and "note" in no_note.json["details"]
    referred = api.as_("head").post(f"/meetings/{m['id']}/decisions", {
        "document": doc["id"], "decision": "referred_back", "note": "Consult the staff networks."}).json
    team_view = api.as_("hr_lead").get(f"/documents/{doc['id']}").json
    assert (team_view["state"], team_view["revision"]) == ("draft", 2)
    history = api.as_("hr_lead").get(f"/documents/{doc['id']}/history").json["items"]
    assert history[-1]["action"] == "revise" and "Consult the staff networks." in history[-1]["comment"]
    board_view = api.as_("board").get(f"/documents/{referred['id']}").json
    assert (board_view["state"], board_view["revision"]) == ("approved", 1)


def test_the_board_may_agree_a_status_other_than_the_one_proposed(api):
    m = meeting(api)
    doc = approved_objective(api, [{"period": "2007-08 Q3", "status": "amber", "reason": "first report"}])
    on_agenda(api, m["id"], doc)
    bad = api.as_("board").post(f"/meetings/{m['id']}/decisions", {
        "document": doc["id"], "decision": "endorsed", "agreed": {"period": "2006-07", "status": "blue"}})
    assert bad.status_code == 422 and set(bad.json["details"]) == {"agreed.period", "agreed.status", "agreed.reason"}
    api.as_("board").post(f"/meetings/{m['id']}/decisions", {
        "document": doc["id"], "decision": "endorsed",
        "agreed": {"period": "2007-08 Q3", "status": "green", "reason": "The last course has run."}})
    [entry] = api.as_("smt").get(f"/documents/{doc['id']}/progress").json["items"]
    assert entry["status"] == "green"
    assert (entry["board"]["proposed"], entry["board"]["proposed_reason"]) == ("amber", "first report")
    assert entry["board"]["agreed_reason"] == "The last course has run."
    assert api.as_("smt").get("/documents", period="2007-08 Q3", status="green").json["total"] == 1


def test_an_untrained_board_member_may_not_record_a_decision_while_the_training_rule_is_on(api, cast, make_user,
                                                                                          store):
    cast["new_member"] = make_user("new_member", "eodb")
    m = meeting(api)
    doc = approved_eqia(api)
    on_agenda(api, m["id"], doc)
    decision = {"document": doc["id"], "decision": "endorsed"}
    refused = api.as_("new_member").post(f"/meetings/{m['id']}/decisions", decision)
    assert refused.status_code == 422 and "EqIA training rule" in refused.json["error"]
    assert api.as_("board").get(f"/documents/{doc['id']}").json["state"] == "approved"
    assert api.as_("board").get(f"/meetings/{m['id']}").json["decisions"] == []
    settings_service.set_training_rule(store, False, by=audit_service.Actor("admin"))
    assert api.as_("new_member").post(f"/meetings/{m['id']}/decisions", decision).json["state"] == "reviewed"


def test_an_agreed_status_for_a_period_out_of_range_is_a_field_error(api):
    doc = approved_objective(api)
    held = meeting(api)
    on_agenda(api, held["id"], doc)
    for period in ("9999-00", "9999-00 Q1", "x", "", ["2007-08"]):
        bad = api.as_("head").post(f"/meetings/{held['id']}/decisions", {
            "document": doc["id"], "decision": "endorsed",
            "agreed": {"period": period, "status": "green", "reason": "why"}})
        assert bad.status_code == 422 and "agreed.period" in bad.json["details"], bad.json
