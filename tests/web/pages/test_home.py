"""My work: each person's home page shows what awaits them, and the navigation counts it."""
import errno
import re

import pytest

from store import StoreError
from tests.web.api.test_meetings_api import PAST
from tests.web.browsing import create, fire, sign_in
from workflow import documents


@pytest.fixture(params=["tinydb", "postgresql"])
def app_config(request):
    """On both backends: PostgreSQL keeps a few fields of each document, and My work reads no
    other (workflow.worklist)."""
    if request.param == "postgresql":
        return {"WTF_CSRF_ENABLED": False, "STORE": request.getfixturevalue("pg_server").new_database()}
    return {"WTF_CSRF_ENABLED": False}


def submitted(api, title):
    return fire(api, "hr_lead", fire(api, "hr_staff", create(api, title), "screen"), "assess")


def nav_count(html):
    return int(re.search(r"My work <span class=\"nav-count\">\((\d+)", html).group(1))


def section(html, title):
    """The HTML of the My work section headed `title` ('' when absent)."""
    start = html.find(f">{title} <span")
    return html[start:html.find("</section>", start)] if start >= 0 else ""


def test_the_front_page_is_the_public_register_with_a_way_to_sign_in_for_anyone_not_signed_in(client, api):
    fire(api, "head", submitted(api, "Published policy"), "approve")
    create(api, "Draft policy")
    response = client.get("/")
    assert response.status_code == 200
    assert "<h1>Public register</h1>" in response.text and "My work" not in response.text
    assert "Published policy" in response.text and "Draft policy" not in response.text
    assert re.search(r'<p class="sign-in-prompt">[^<]*<a href="/sign-in">Sign in</a>', response.text)


def test_a_filtered_link_to_the_front_page_takes_anyone_not_signed_in_to_the_register(client):
    response = client.get("/", query_string={"q": "pay", "endpoint": "auth.sign_in", "page": "2"})
    assert response.status_code == 302 and response.headers["Location"] == "/register?q=pay&page=2"


def test_staff_see_their_drafts_and_a_sent_back_document_with_its_comment(client, api):
    create(api, "Flexible working policy")
    returned = fire(api, "hr_staff", create(api, "Recruitment policy"), "screen")
    fire(api, "hr_lead", returned, "send_back", comment="Please add the *consultation* results")
    sign_in(client, "hr_staff")
    page = client.get("/").text
    sent_back = section(page, "Sent back to you")
    assert "Recruitment policy" in sent_back and "hr_lead" in sent_back
    assert "<em>consultation</em>" in sent_back  # the comment is shown as written
    assert "Flexible working policy" in section(page, "Your drafts")
    assert nav_count(page) == 2


def test_a_team_leader_sees_screened_work_to_submit_and_what_was_sent_back(client, api):
    fire(api, "hr_staff", create(api, "Recruitment policy"), "screen")
    fire(api, "head", submitted(api, "Pay review"), "send_back", comment="Evidence is missing")
    submitted(api, "Training plan")
    sign_in(client, "hr_lead")
    page = client.get("/").text
    assert "Recruitment policy" in section(page, "Screened: ready for your team to submit")
    returned = section(page, "Sent back to your team")
    assert "Pay review" in returned and "Evidence is missing" in returned
    assert "Training plan" in section(page, "Submitted by your team, no approver assigned yet")
    assert nav_count(page) == 3


def test_another_teams_leader_sees_none_of_it(client, api):
    fire(api, "hr_staff", create(api, "Recruitment policy"), "screen")
    sign_in(client, "pp_lead")
    page = client.get("/").text
    assert "Recruitment policy" not in page and nav_count(page) == 0


def test_assignment_puts_the_item_first_on_the_assignees_my_work_with_its_due_date(client, api):
    submitted(api, "First submitted")
    second = submitted(api, "Second submitted")
    sign_in(client, "hr_lead")
    response = client.post(f"/documents/{second['id']}/assign",
                           data={"version": second["version"], "assignee": "head", "due": "2031-05-06"})
    assert response.status_code == 302
    sign_in(client, "head")
    page = client.get("/").text
    assigned = section(page, "Assigned to you for sign-off")
    assert "Second submitted" in assigned and "6 May 2031" in assigned
    assert page.index("Second submitted") < page.index("First submitted")
    assert "First submitted" in section(page, "Waiting for sign-off, no approver assigned")
    assert nav_count(page) == 2


def test_an_assignment_past_its_due_date_is_flagged_overdue(client, api):
    doc = submitted(api, "Late one")
    sign_in(client, "hr_lead")
    client.post(f"/documents/{doc['id']}/assign", data={"version": doc["version"], "assignee": "head", "due": "2001-01-01"})
    sign_in(client, "head")
    assert "Overdue" in section(client.get("/").text, "Assigned to you for sign-off")


def test_a_board_member_never_sees_or_counts_an_unapproved_item(client, api):
    create(api, "Draft policy")
    submitted(api, "Submitted policy")
    fire(api, "head", submitted(api, "Approved policy"), "approve")
    sign_in(client, "board")
    page = client.get("/").text
    assert "Approved policy" in section(page, "Recently approved")  # a first visit
    assert "Draft policy" not in page and "Submitted policy" not in page
    assert nav_count(page) == 1


def test_a_board_member_sees_only_what_was_approved_since_their_last_visit(client, api, monkeypatch):
    # Stamps are to the second: approve before and after the sign-in by setting the clock, not racing it.
    monkeypatch.setattr(documents, "now", lambda: "2008-01-01T09:00:00+00:00")
    fire(api, "head", submitted(api, "Seen before"), "approve")
    sign_in(client, "board")
    assert "Seen before" in client.get("/").text
    monkeypatch.setattr(documents, "now", lambda: "2999-01-01T09:00:00+00:00")
    fire(api, "head", submitted(api, "Approved later"), "approve")
    sign_in(client, "board")
    page = client.get("/").text
    assert "Approved later" in page and "Seen before" not in page
    assert nav_count(page) == 1


def test_the_navigation_count_equals_the_items_listed_on_every_page(client, api):
    for title in ("One", "Two", "Three"):
        create(api, title)
    sign_in(client, "hr_staff")
    home = client.get("/").text
    listed = len(re.findall(r'<p class="worklist-title">', home))
    assert listed == nav_count(home) == 3
    assert nav_count(client.get("/documents").text) == 3


def test_an_old_filtered_link_to_the_home_page_goes_to_the_document_list(client, cast):
    sign_in(client, "hr_staff")
    response = client.get("/?kind=objective")
    assert response.status_code == 302 and response.headers["Location"].endswith("/documents?kind=objective")


def test_the_board_is_led_from_my_work_to_a_held_meeting_and_the_items_awaiting_its_decision(client, api):
    waiting = fire(api, "head", submitted(api, "Agenda item"), "approve")
    decided = fire(api, "head", submitted(api, "Decided item"), "approve")
    sign_in(client, "head")
    address = client.post("/meetings/new", data={"title": "EODB", "date": PAST}).headers["Location"]
    for doc in (waiting, decided):
        assert client.post(address + "/items", data={"document": doc["id"]}).status_code == 302
    meeting_id = address.rsplit("/", 1)[1]
    assert client.post(address + "/decisions", data={"document": decided["id"],
                                                     f"d{decided['id']}.decision": "noted"}).status_code == 302
    sign_in(client, "board")
    page = client.get("/").text
    board = section(page, "Board meetings awaiting decisions")
    assert f'<a href="/meetings/{meeting_id}#report-1">Report 1: Agenda item</a>' in board
    assert "Decided item" not in board
    assert "Agenda item" not in section(page, "Recently approved")  # listed once, where the work is
    assert "not yet recorded" not in page
    assert nav_count(page) == 1 + page.count('<p class="worklist-title"><a href="/documents/')


def test_my_work_of_a_role_with_nothing_to_decide_leads_to_where_its_work_is(client, api):
    sign_in(client, "smt")
    page = client.get("/").text
    assert all(f'href="{path}"' in page for path in ("/reports", "/dashboard", "/documents?state=approved"))
    sign_in(client, "admin")
    page = client.get("/").text
    assert all(f'href="{path}"' in page.split("<h1>My work</h1>")[1]
               for path in ("/admin/users", "/role-changes", "/admin/settings"))
    sign_in(client, "hr_staff")  # nothing drafted yet: the way to start
    assert 'You have no draft. <a href="/documents/new">Start a new document</a>' in client.get("/").text


@pytest.mark.parametrize("path", ["/", "/documents", "/dashboard"])
def test_a_store_that_refuses_during_a_page_answers_503_with_the_plain_message(client, api, store, monkeypatch,
                                                                               path):
    create(api, "Recruitment policy")
    sign_in(client, "hr_staff")

    def refusing(read):
        def refuse(collection, *args, **kwargs):
            if collection == "documents":
                raise StoreError("refused") from OSError(errno.EIO, "Input/output error")
            return read(collection, *args, **kwargs)
        return refuse
    for name in ("scan", "scan_slim", "stream", "get", "get_many"):
        monkeypatch.setattr(store, name, refusing(getattr(store, name)))
    response = client.get(path)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "The store could not be read" in response.text and "Try again shortly." in response.text
    assert "nav-count" not in response.text  # the layout's counts are not asked of it again
