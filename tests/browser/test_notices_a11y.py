"""Notices, the reporting cycle, the Head's reports due and the outbox pass axe-core."""
import re

from store import Put


def test_notices_reporting_cycle_and_outbox_are_accessible(person, live_app):
    live_app.extensions["store"].commit([Put("notices", None, {
        "user": "hana.head", "at": "2008-01-10T09:00:00+00:00", "event": "reports", "document": None,
        "title": None, "message": "Reports due: Quarterly report, 2007/08 Q3, due 2008-01-31.",
        "item": "reports", "read": False})])
    head = person("hana.head")
    assert "Reports due" in head.sign_in().content()
    page = head.page
    # Other browser tests share the app and may have told the Head of their work too.
    page.get_by_role("link", name=re.compile(r"^Notices \([1-9]\d* unread\)$")).click()
    assert "Unread" in head.checked("notices-unread").content()
    page.get_by_role("button", name="Mark all as read").click()
    assert "All your notices are marked as read." in head.checked("notices-read").content()
    assert page.get_by_role("link", name="Notices (0 unread)").is_visible()
    page.goto("/reporting-cycle")
    cycle = head.checked("reporting-cycle")
    assert cycle.get_by_role("table", name="Reports past their due date and not done, latest first").is_visible()
    admin = person("ada.admin")
    admin.sign_in()
    admin.page.goto("/notices/outbox")
    assert "No message has failed." in admin.checked("outbox").content()
