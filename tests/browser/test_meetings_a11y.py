"""The Board meeting pages pass axe-core as the Head and as a Board member: the list, the
arrange form (with its errors), and a held meeting with its agenda, decision forms and errors."""
import datetime as dt

import pytest

from services import account_service
from tests.web.api.test_progress_api import OBJECTIVE
from tests.conftest import complete_eqia

HR = "Human Resources"
PAST = (dt.date.today() - dt.timedelta(days=1)).isoformat()


@pytest.fixture(scope="module")
def meeting_id(live_app):
    """A held meeting with an approved EqIA and an approved objective (with progress) on its
    agenda, and an upcoming one (the live app is shared by the session: made once)."""
    store, docs = live_app.extensions["store"], live_app.extensions["documents"]
    sam, lee, head = (account_service.find_user(store, name) for name in ("sam.staff", "lee.lead", "hana.head"))

    def approved(author, kind, title, fields):
        doc = docs.create(author, kind, title, HR, fields)
        for who, name in ((author, "screen"), (lee, "assess"), (head, "approve")):
            doc = docs.fire(doc["id"], who, name, doc["version"])
        return doc

    eqia = approved(sam, "eqia", "Recruitment policy EqIA", complete_eqia())
    objective = approved(lee, "objective", "Training for all staff", {
        **OBJECTIVE, "progress": [{"period": "2007-08", "status": "amber", "evidence": "Half trained"}]})
    board = live_app.extensions["meetings"]
    held = board.create(head, "Equal Opportunities and Diversity Board", PAST, "10 Dean Farrar Street")
    for doc in (eqia, objective):
        board.add_item(held["id"], head, doc["id"])
    board.create(head, "Equal Opportunities and Diversity Board", "2999-02-07", None)
    return held["id"]


def test_the_meeting_pages_are_accessible_to_the_head(person, meeting_id):
    head = person("hana.head")
    head.sign_in()
    for path in ("/meetings", f"/meetings/{meeting_id}"):
        head.page.goto(path)
        head.checked(path)
    assert head.page.get_by_role("group", name="The Board agrees a different status (optional)").count() == 1
    head.page.goto("/meetings/new")
    head.checked("arrange")
    head.page.get_by_role("button", name="Arrange the meeting").click()
    assert "There is a problem" in head.checked("arrange-errors").content()


def test_the_meeting_page_and_its_errors_are_accessible_to_a_board_member(person, meeting_id):
    board = person("bo.board")
    board.sign_in()  # My work, checked: it leads to the held meeting and its reports awaiting a decision
    assert board.page.get_by_role("link", name="Report 1: Recruitment policy EqIA").is_visible()
    board.page.goto("/meetings")
    board.checked("meetings")
    board.page.goto(f"/meetings/{meeting_id}")
    board.checked("meeting")
    board.page.get_by_role("button", name="Record the decision on report 1").click()
    assert "Select the Board's decision: endorsed, noted or referred back" in board.checked("decision-errors").content()
    board.page.get_by_role("group", name="The Board's decision on report 2").get_by_label("Endorsed").check()
    board.page.get_by_role("group", name="Agreed status").get_by_label("Green — achievement").check()
    board.page.get_by_role("button", name="Record the decision on report 2").click()
    assert "Enter why the Board agrees a different status" in board.checked("agreed-errors").content()
    board.page.get_by_role("group", name="The Board's decision on report 1").get_by_label("Endorsed").check()
    board.page.get_by_label("Note", exact=True).first.fill("The Board thanks the team.")
    board.page.get_by_role("button", name="Record the decision on report 1").click()
    board.checked("decided")
    board.page.get_by_role("link", name="Recruitment policy EqIA").click()
    assert "The Board thanks the team." in board.checked("document-board-box").content()
