"""One bad message never jams the outbox: whatever goes wrong with a message marks that
message failed with its reason, the others are sent, and `run.py send-mail` reports it
without a traceback. A title stored on two lines still makes a one-line subject."""
import datetime as dt
from email import message_from_bytes
from email.policy import default

from services import outbox_service
from store import Put
from tests.services.test_remind import run

NOW = dt.datetime(2008, 2, 1, 9, 0, tzinfo=dt.timezone.utc)


def queue(store, *rows):
    """Outbox rows as they may already be stored, due now; their ids, in order."""
    return [store.commit([Put(outbox_service.OUTBOX, None, outbox_service.row(to, subject, body, NOW))])[0]["id"]
            for to, subject, body in rows]


def stored(store, row_id):
    return store.get(outbox_service.OUTBOX, row_id)


def subjects(mailbox, address):
    return [message_from_bytes(m.content, policy=default)["Subject"] for m in mailbox.to(address)]


def test_a_bad_message_is_failed_with_its_reason_and_the_rest_are_sent(store, mailbox):
    mailbox.start()
    smtp = outbox_service.SmtpSettings(host="127.0.0.1", port=mailbox.port)
    bad_address, bad_body, good = queue(
        store, ("a@example.org\r\nBcc: b@example.org", "Equality governance: notice", "text"),
        ("c@example.org", "Equality governance: notice", None),
        ("d@example.org", "Equality governance: notice", "text"))
    counts = outbox_service.send_pending(store, smtp, NOW)
    assert counts == {"sent": 1, "retry": 0, "failed": 2}
    for row_id in (bad_address, bad_body):
        row = stored(store, row_id)
        assert row["status"] == outbox_service.FAILED and row["last_error"] and row["claimed_at"] is None
    assert "ValueError" in stored(store, bad_address)["last_error"]
    assert stored(store, good)["status"] == outbox_service.SENT and len(mailbox.to("d@example.org")) == 1
    assert not mailbox.to("b@example.org")


def test_a_title_stored_on_two_lines_still_makes_a_one_line_subject(store, mailbox):
    mailbox.start()
    smtp = outbox_service.SmtpSettings(host="127.0.0.1", port=mailbox.port)
    [row_id] = queue(store, ("e@example.org", "Equality governance: Recruitment\r\nBcc: f@example.org\tpolicy", "t"))
    assert outbox_service.send_pending(store, smtp, NOW)["sent"] == 1
    assert subjects(mailbox, "e@example.org") == ["Equality governance: Recruitment Bcc: f@example.org policy"]
    assert not mailbox.to("f@example.org") and stored(store, row_id)["status"] == outbox_service.SENT


def test_send_mail_reports_failures_and_exits_cleanly(app, store, mailbox):
    mailbox.start()
    queue(store, ("a@example.org\nBcc: b@example.org", "Equality governance: notice", "text"),
          ("d@example.org", "Equality governance: Two\nlines", "text"))
    result = run(app.config["STORE"], mailbox, "send-mail")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "1 sent" in result.stdout and "1 given up" in result.stdout
    assert "failed: a@example.org\\nBcc: b@example.org: ValueError" in result.stdout
    assert subjects(mailbox, "d@example.org") == ["Equality governance: Two lines"]


def test_a_sent_message_keeps_no_text_a_sign_in_link_may_be_in(store, mailbox):
    mailbox.start()
    smtp = outbox_service.SmtpSettings(host="127.0.0.1", port=mailbox.port)
    link = "https://equality.example.org/sign-in/link/SECRET-PART-OF-THE-LINK"
    [sent] = queue(store, ("kim@example.org", "Equality governance: set your password", f"Follow {link}"))
    assert outbox_service.send_pending(store, smtp, NOW)["sent"] == 1
    assert link in mailbox.texts("kim@example.org")[0]
    row = stored(store, sent)
    assert row["status"] == outbox_service.SENT and "SECRET-PART-OF-THE-LINK" not in repr(row)
