"""Board meeting pages: arranging meetings, building agendas of approved items, and recording
the Board's decisions through the forms, as a browser would post them."""
import datetime as dt
import re

from services import audit_service, settings_service
from tests.web.api.test_meetings_api import FUTURE, PAST, approved_eqia, meeting, on_agenda
from tests.web.api.test_progress_api import approved_objective
from tests.conftest import HR
from tests.web.browsing import sign_in
from web.pages.document_pages import when


def arranged(client, date=PAST):
    """A meeting arranged by the Head through the page: its address."""
    sign_in(client, "head")
    response = client.post("/meetings/new", data={"title": "EODB", "date": date, "venue": "10 Dean Farrar St"})
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def decide(client, meeting_id, doc_id, **fields):
    """Post one item's decision form: its inputs carry the document's prefix."""
    data = {"document": doc_id, **{f"d{doc_id}.{name.replace('agreed_', 'agreed.')}": value
                                   for name, value in fields.items()}}
    return client.post(f"/meetings/{meeting_id}/decisions", data=data)


def test_the_head_arranges_a_meeting_and_puts_an_approved_item_on_its_agenda(client, api):
    doc = approved_eqia(api)
    sign_in(client, "head")
    assert "Arrange a meeting" in client.get("/meetings").text
    address = arranged(client)
    page = client.get(address).text
    assert "EODB" in page and "10 Dean Farrar St" in page
    assert f'<option value="{doc["id"]}"' in page
    added = client.post(address + "/items", data={"document": doc["id"]})
    assert added.status_code == 302
    page = client.get(address).text
    assert f"Report 1 of the {when(PAST)} meeting: Recruitment EqIA" in page
    assert f'<option value="{doc["id"]}"' not in page  # on the agenda: no longer offered
    assert "EODB" in client.get("/meetings").text


def test_a_meeting_needs_a_title_and_a_date_each_said_by_its_field(client, api):
    sign_in(client, "head")
    refused = client.post("/meetings/new", data={"title": "", "date": "6 December 2007"})
    assert refused.status_code == 422
    assert 'id="title-error"' in refused.text and 'id="date-error"' in refused.text


def test_a_draft_is_not_offered_and_a_forged_post_is_refused_with_the_reason(client, api):
    draft = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Draft EqIA", "team": HR}).json
    address = arranged(client)
    assert "Draft EqIA" not in client.get(address).text
    forged = client.post(address + "/items", data={"document": draft["id"]})
    assert forged.status_code == 409
    assert "Only approved items, or items a body has reviewed, can be put on an agenda" in forged.text
    assert 'id="document-error"' in forged.text


def test_a_board_member_endorses_a_held_meeting_item_and_it_becomes_reviewed(client, api):
    m, doc = meeting(api), approved_eqia(api)
    on_agenda(api, m["id"], doc)
    sign_in(client, "board")
    page = client.get(f"/meetings/{m['id']}").text
    assert f'name="d{doc["id"]}.decision"' in page and "Add an item" not in page
    done = decide(client, m["id"], doc["id"], decision="endorsed", note="Well done.")
    assert done.status_code == 302
    # Back to the meeting's top, where the banner takes the focus: an anchor's scroll would take it away.
    assert done.headers["Location"].endswith(f"/meetings/{m['id']}")
    assert api.as_("board").get(f"/documents/{doc['id']}").json["state"] == "reviewed"
    page = client.get(f"/meetings/{m['id']}").text
    assert "Endorsed" in page and "Well done." in page and f'name="d{doc["id"]}.decision"' not in page
    box = client.get(f"/documents/{doc['id']}").text
    assert f"Report 1 of the {when(PAST)} meeting" in box and "Endorsed" in box


def test_a_referral_needs_a_note_by_its_field_and_starts_a_revision_the_team_sees(client, api):
    m, doc = meeting(api), approved_eqia(api)
    on_agenda(api, m["id"], doc)
    sign_in(client, "board")
    refused = decide(client, m["id"], doc["id"], decision="referred_back")
    assert refused.status_code == 422
    error = re.search(rf'id="d{doc["id"]}-note-error">(.*?)</p>', refused.text, re.S)
    assert error and "Enter why the Board refers it back" in error.group(1)
    assert f'href="#d{doc["id"]}-note"' in refused.text  # the summary links to the field
    assert api.as_("board").get(f"/documents/{doc['id']}").json["state"] == "approved"
    assert decide(client, m["id"], doc["id"], decision="referred_back",
                  note="Consult the staff networks.").status_code == 302
    team_view = api.as_("hr_lead").get(f"/documents/{doc['id']}").json
    assert (team_view["state"], team_view["revision"]) == ("draft", 2)
    sign_in(client, "hr_lead")
    assert "Consult the staff networks." in client.get(f"/documents/{doc['id']}").text


def test_before_the_meeting_date_there_is_no_decision_form_and_a_forged_post_is_refused(client, api):
    m, doc = meeting(api, FUTURE), approved_eqia(api)
    on_agenda(api, m["id"], doc)
    sign_in(client, "board")
    page = client.get(f"/meetings/{m['id']}").text
    assert f'name="d{doc["id"]}.decision"' not in page
    assert f"can be recorded from {when(FUTURE)}" in page
    forged = decide(client, m["id"], doc["id"], decision="noted")
    assert forged.status_code == 409 and "has not been held yet" in forged.text
    assert api.as_("board").get(f"/documents/{doc['id']}").json["state"] == "approved"


def test_the_board_agrees_a_different_status_shown_with_the_proposed_one_and_both_reasons(client, api):
    m = meeting(api)
    doc = approved_objective(api, [{"period": "2007-08 Q3", "status": "amber", "reason": "First report."}])
    on_agenda(api, m["id"], doc)
    sign_in(client, "board")
    page = client.get(f"/meetings/{m['id']}").text
    assert "The Board agrees a different status" in page and '<option value="2007-08 Q3"' in page
    assert decide(client, m["id"], doc["id"], decision="endorsed", agreed_period="2007-08 Q3",
                  agreed_status="green", agreed_reason="The last course has run.").status_code == 302
    sign_in(client, "smt")
    box = client.get(f"/documents/{doc['id']}").text
    assert "Status agreed by the Board for 2007/08 Q3" in box
    assert 'rag-green">Green' in box and "The last course has run." in box
    assert 'rag-amber">Amber' in box and "First report." in box


def test_an_agreed_status_needs_a_reason_said_by_its_field(client, api):
    m = meeting(api)
    doc = approved_objective(api, [{"period": "2007-08 Q3", "status": "amber"}])
    on_agenda(api, m["id"], doc)
    sign_in(client, "board")
    refused = decide(client, m["id"], doc["id"], decision="endorsed", agreed_period="2007-08 Q3",
                     agreed_status="green")
    assert refused.status_code == 422 and f'id="d{doc["id"]}-agreed-reason-error"' in refused.text


def test_staff_cannot_arrange_meetings(client, api):
    sign_in(client, "hr_staff")
    assert "Arrange a meeting" not in client.get("/meetings").text
    assert client.get("/meetings/new").status_code == 403
    assert client.post("/meetings/new", data={"title": "EODB", "date": PAST}).status_code == 403
    assert "Board meetings" in client.get("/meetings").text


def test_an_unknown_meeting_is_not_found(client, api):
    sign_in(client, "board")
    assert client.get("/meetings/999").status_code == 404
    assert client.post("/meetings/999/decisions", data={"document": "1"}).status_code == 404


def test_the_page_offers_the_decision_form_only_to_whom_the_training_rule_lets_record_it(client, api, store):
    """The page asks the domain's own check (workflow.meetings.check_recorder): an untrained
    Head is told why instead of being given a form that the decision would then refuse."""
    m, doc = meeting(api), approved_eqia(api)
    on_agenda(api, m["id"], doc)
    form = f'name="d{doc["id"]}.decision"'
    sign_in(client, "untrained_head")
    page = client.get(f"/meetings/{m['id']}").text
    assert form not in page and "the EqIA training rule" in page
    sign_in(client, "head")
    assert form in client.get(f"/meetings/{m['id']}").text
    settings_service.set_training_rule(store, False, by=audit_service.Actor("admin"))
    sign_in(client, "untrained_head")
    page = client.get(f"/meetings/{m['id']}").text
    assert form in page and "the EqIA training rule" not in page


def test_a_meeting_held_today_is_listed_under_today_neither_upcoming_nor_past(client, api):
    today = dt.date.today().isoformat()
    for date in (today, FUTURE):
        arranged(client, date)
    page = client.get("/meetings").text
    headings = re.findall(r"<h2>(\w+)</h2>", page)
    assert headings == ["Today", "Upcoming", "Past"]
    today_part = page[page.index("<h2>Today</h2>"):page.index("<h2>Upcoming</h2>")]
    upcoming_part = page[page.index("<h2>Upcoming</h2>"):page.index("<h2>Past</h2>")]
    assert when(today) in today_part and when(FUTURE) in upcoming_part and when(today) not in upcoming_part
    assert "No meeting before today." in page[page.index("<h2>Past</h2>"):]
