"""Notices and the durable outbox, against a real SMTP server (aiosmtpd) on 127.0.0.1."""
import datetime as dt
import threading
import time

import pytest

from services import account_service, outbox_service
from tests.conftest import HR, complete_eqia

LATER = dt.timedelta(hours=2)  # past every backoff a test needs


@pytest.fixture
def app_config(mailbox):
    return {"WTF_CSRF_ENABLED": False, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": mailbox.port,
            "SMTP_BACKGROUND": False}


@pytest.fixture
def addresses(store, cast):
    for name in ("head", "lead_head", "hr_lead", "hr_staff", "admin"):
        account_service.set_email(store, name, f"{name}@example.org")


def submitted(api, lead="hr_lead"):
    doc = api.as_("hr_staff").post("/documents", {"kind": "eqia", "title": "Recruitment policy", "team": HR,
                                                  "fields": complete_eqia()}).json
    doc = api.as_("hr_staff").fire(doc, "screen").json
    response = api.as_(lead).fire(doc, "assess")
    assert response.status_code == 200, response.json
    return response.json


def rows(store, collection, **match):
    return store.scan(collection, match or None)


def sign_in(client, name):
    from tests.conftest import PASSWORD
    client.post("/sign-in", data={"name": name, "password": PASSWORD})


def test_a_submission_is_noticed_in_the_app_and_queued_for_mail(api, store, addresses):
    submitted(api)
    assert sorted(n["user"] for n in rows(store, "notices", event="submitted")) == ["head", "lead_head"]
    mail = [m for m in rows(store, "outbox") if "awaits your approval" in m["body"]]
    assert sorted(m["to"] for m in mail) == ["head@example.org", "lead_head@example.org"]
    screened = [m["to"] for m in rows(store, "outbox") if "awaits your team's submission" in m["body"]]
    assert sorted(screened) == ["hr_lead@example.org", "lead_head@example.org"]  # hr_lead2 has no address
    assert {m["status"] for m in mail} == {"pending"} and {m["attempts"] for m in mail} == {0}
    # Each keyed as its notice is (by the change and the person told), not by the store's counter.
    notices = {n["id"] for n in rows(store, "notices", event="submitted")}
    assert {m["id"] for m in mail} == notices


def test_without_an_smtp_server_configured_only_notices_are_made(app, api, store, addresses):
    app.extensions["documents"].notify.smtp = outbox_service.SmtpSettings()
    submitted(api)
    assert rows(store, "notices") and not rows(store, "outbox")


def test_a_transition_while_the_server_is_down_succeeds_and_mail_is_delivered_later(api, store, addresses,
                                                                                   mailbox, app):
    doc = submitted(api)  # the server is not running yet
    smtp, now = app.extensions["smtp"], dt.datetime.now(dt.timezone.utc)
    assert outbox_service.send_pending(store, smtp, now) == {"sent": 0, "retry": 4, "failed": 0}
    for row in rows(store, "outbox"):
        assert (row["status"], row["attempts"]) == ("pending", 1) and "Connection" in row["last_error"]
    assert api.as_("head").fire(doc, "approve").status_code == 200
    mailbox.start()
    assert outbox_service.send_pending(store, smtp, now + LATER)["sent"] == 5
    [text] = mailbox.texts("head@example.org")
    assert "“Recruitment policy” was submitted for sign-off by hr_lead and awaits your approval." in text
    assert mailbox.to("hr_staff@example.org"), "the author is told of the sign-off"
    assert {row["status"] for row in rows(store, "outbox")} == {"sent"}
    assert outbox_service.send_pending(store, smtp, now + 2 * LATER)["sent"] == 0  # sent once only


def test_after_five_failed_tries_mail_is_failed_and_shown_to_the_admin(api, store, addresses, app, client):
    submitted(api)
    now = dt.datetime.now(dt.timezone.utc)
    for attempt in range(outbox_service.MAX_ATTEMPTS):
        outbox_service.send_pending(store, app.extensions["smtp"], now + attempt * LATER)
    assert {(row["status"], row["attempts"]) for row in rows(store, "outbox")} == {("failed", 5)}
    assert outbox_service.send_pending(store, app.extensions["smtp"], now + 10 * LATER)["sent"] == 0
    sign_in(client, "hr_lead")
    assert client.get("/notices/outbox").status_code == 403
    sign_in(client, "admin")
    page = client.get("/notices/outbox").text
    assert "head@example.org" in page and "ConnectionRefusedError" in page and "<td>5</td>" in page


def test_two_senders_at_once_deliver_each_message_once(api, store, addresses, app, mailbox):
    submitted(api)
    mailbox.start()
    senders = [threading.Thread(target=outbox_service.send_pending, args=(store, app.extensions["smtp"]))
               for _ in range(4)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    assert sorted(rcpt for m in mailbox.messages for rcpt in m.rcpt_tos) == [
        "head@example.org", "hr_lead@example.org", "lead_head@example.org", "lead_head@example.org"]


def test_the_app_tries_the_outbox_after_the_request_when_allowed(api, store, addresses, app, mailbox):
    app.config["SMTP_BACKGROUND"] = True
    mailbox.start()
    submitted(api)
    deadline = time.monotonic() + 10
    while len(mailbox.messages) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(mailbox.messages) == 4


def test_the_notices_page_marks_unread_in_words_and_marks_all_read(api, client, addresses, store):
    submitted(api)
    sign_in(client, "head")
    page = client.get("/notices").text
    assert "Notices <span class=\"nav-count\">(1 unread)" in page and "Unread" in page
    assert "awaits your approval" in page
    assert client.post("/notices/read").status_code == 302
    page = client.get("/notices").text
    assert "(0 unread)" in page and "tag-unread" not in page
    assert all(n["read"] for n in rows(store, "notices", user="head"))
    assert not all(n["read"] for n in rows(store, "notices", user="lead_head"))


def test_an_e_mail_address_must_be_one_address(store, cast):
    from workflow.errors import Invalid
    for bad in ("nobody", "a@b.org\nBcc: x@y.org", "a@b.org, c@d.org"):
        with pytest.raises(Invalid):
            account_service.set_email(store, "head", bad)
    account_service.set_email(store, "head", None)
    assert "email" not in store.get("users", "head")
