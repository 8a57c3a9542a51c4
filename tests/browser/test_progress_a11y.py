"""The progress page, the strategic objectives pages and the periods page pass axe-core,
with their error messages showing."""
import pytest

from services import account_service, period_service
from workflow.errors import StateConflict


@pytest.fixture(scope="module")
def objective_id(live_app):
    """A draft objective of Human Resources under strategic objective 1, with one period reported,
    and the period 2007-08 open (the live app is shared by the session: made once)."""
    store = live_app.extensions["store"]
    head = account_service.find_user(store, "hana.head")
    period_service.seed_strategic(store)
    for code in ("2006-07", "2007-08"):
        try:
            period_service.add_period(store, head, code)
        except StateConflict:
            pass
    doc = live_app.extensions["documents"].create(
        account_service.find_user(store, "lee.lead"), "objective", "EqIA training for members", "Human Resources",
        {"heading": "The MPA as a Public Authority", "action": "Train members", "strategic": 1,
         "progress": [{"period": "2006-07", "status": "amber", "evidence": "Eight members trained"}]})
    return doc["id"]


def test_the_progress_page_and_its_errors_are_accessible(person, objective_id):
    lead = person("lee.lead")
    lead.sign_in()
    lead.page.goto(f"/documents/{objective_id}/progress?period=2007-08")
    lead.checked("progress")
    lead.page.get_by_label("Green — achievement").check()
    lead.page.get_by_role("button", name="Save progress").click()
    page = lead.checked("progress-errors")
    assert "Enter why the status changed from" in page.content()
    lead.page.goto(f"/documents/{objective_id}")
    lead.checked("objective-with-progress")


def test_the_strategic_and_periods_pages_are_accessible(person, objective_id):
    head = person("hana.head")
    head.sign_in()
    for path in ("/strategic", "/strategic/1", "/strategic/1/edit", "/strategic/new", "/periods"):
        head.page.goto(path)
        head.checked(path)
    head.page.get_by_label("Period", exact=True).fill("not a period")
    head.page.get_by_role("button", name="Open the period").click()
    assert "There is a problem" in head.checked("periods-error").content()
    board = person("bo.board")
    board.sign_in()
    board.page.goto("/strategic")
    board.checked("strategic-board")
