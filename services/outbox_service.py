"""The durable outbox: e-mail rows committed with the change that caused them, sent later.

A row is {to, subject, body, status, attempts, next_try, last_error, created_at}:
status "pending" until sent ("sent") or given up after MAX_ATTEMPTS ("failed",
shown to administrators). Each row is claimed with its version before it is
sent, so two senders (cron and the app) never both send it; a sender that dies
mid-send leaves a claim that expires after CLAIM_TTL, so the row is retried:
delivery is at least once.
"""
import datetime as dt
import os
import smtplib
import threading
from dataclasses import dataclass
from email.message import EmailMessage

from services import commits
from store import Put, StoreError
from workflow import fields

OUTBOX = "outbox"
MAX_ATTEMPTS = 5
CLAIM_TTL = dt.timedelta(minutes=10)
TIMEOUT = 10  # seconds: a hung server must not hold a cron run forever
PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


@dataclass(frozen=True)
class SmtpSettings:
    host: str | None = None
    port: int = 25
    sender: str = "equality@localhost"
    user: str | None = None
    password: str | None = None
    starttls: bool = False

    @property
    def configured(self):
        return bool(self.host)


def settings(config=None, environ=None):
    """Mail settings: app config keys SMTP_* first, then EQUALITY_SMTP_* variables."""
    config, environ = config or {}, os.environ if environ is None else environ

    def get(name, default=None):
        value = config.get(f"SMTP_{name}")
        return value if value not in (None, "") else environ.get(f"EQUALITY_SMTP_{name}") or default

    return SmtpSettings(host=get("HOST"), port=int(get("PORT", 25)), sender=get("FROM", "equality@localhost"),
                        user=get("USER"), password=get("PASSWORD"),
                        starttls=str(get("STARTTLS", "")).lower() in ("1", "true", "yes", "on"))


def iso(moment):
    return moment.isoformat(timespec="seconds")


def row(to, subject, body, now):
    """A new outbox row, due at once."""
    return {"to": to, "subject": subject, "body": body, "status": PENDING, "attempts": 0,
            "next_try": iso(now), "last_error": None, "created_at": iso(now)}


def backoff(attempts):
    """2, 4, 8, 16 minutes between tries: an outage of half an hour loses nothing."""
    return dt.timedelta(minutes=2 ** attempts)


def _due(record, now):
    if record["status"] == PENDING:
        return record["next_try"] <= iso(now)
    return record["status"] == SENDING and record.get("claimed_at", "") <= iso(now - CLAIM_TTL)


def _deliver(smtp, record):
    message = EmailMessage()
    # A subject is one line whatever the stored title holds (titles written before they were
    # checked); an address with a line break is refused by the mail library, failing that message.
    message["From"], message["To"] = smtp.sender, record["to"]
    message["Subject"] = fields.flattened(record["subject"])
    message.set_content(record["body"])
    with smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT) as server:
        if smtp.starttls:
            server.starttls()
        if smtp.user:
            server.login(smtp.user, smtp.password or "")
        server.send_message(message)


def send_pending(store, smtp, now=None):
    """Send every row that is due; returns {"sent", "retry", "failed"} counts for this run."""
    now = now or dt.datetime.now(dt.timezone.utc)
    counts = {SENT: 0, "retry": 0, FAILED: 0}
    if not smtp.configured:
        return counts
    for record in [r for r in store.scan(OUTBOX) if _due(r, now)]:
        claim = Put(OUTBOX, record["id"], {**record, "status": SENDING, "claimed_at": iso(now)},
                    expected_version=record["version"])
        claimed = commits.unless_done_elsewhere(lambda: store.commit([claim])[0])
        if claimed is None:
            continue  # another sender has it
        try:
            _deliver(smtp, claimed)
            # A sent message's text is the person's now: it may hold a one-time sign-in link,
            # which is kept nowhere in clear once it has left (only its digest is stored).
            outcome = {"status": SENT, "sent_at": iso(now), "last_error": None, "body": ""}
        except (OSError, smtplib.SMTPException) as exc:  # refused, timed out, rejected: try again later
            attempts = claimed["attempts"] + 1
            outcome = {"status": FAILED if attempts >= MAX_ATTEMPTS else PENDING,
                       "last_error": _reason(exc), "next_try": iso(now + backoff(attempts))}
        except Exception as exc:  # noqa: BLE001 - the message itself is bad (a header, a body): no retry mends it,
            # and it must not stop the messages after it nor stay "sending" for ever.
            outcome = {"status": FAILED, "last_error": _reason(exc)}
        outcome["attempts"] = claimed["attempts"] + 1
        done = Put(OUTBOX, claimed["id"], {**claimed, **outcome, "claimed_at": None},
                   expected_version=claimed["version"])
        if commits.unless_done_elsewhere(lambda: store.commit([done])) is None:
            continue  # our claim expired and another sender took the row over: it records the outcome
        counts[outcome["status"] if outcome["status"] != PENDING else "retry"] += 1
    return counts


def _reason(exc):
    return f"{type(exc).__name__}: {exc}"[:500]


def state(store):
    """For administrators: counts per status and the failed rows, newest first."""
    rows = store.scan(OUTBOX)
    counts = {status: sum(1 for r in rows if r["status"] == status) for status in (PENDING, SENDING, SENT, FAILED)}
    failed = sorted((r for r in rows if r["status"] == FAILED), key=lambda r: r["created_at"], reverse=True)
    return counts, failed


def send_in_background(store, smtp):
    """Try the outbox now, off the request: a slow or absent server never delays a page."""
    def run():
        try:
            send_pending(store, smtp)
        except StoreError:
            pass  # the store was closed or refused; cron's send-mail will pick the rows up
    threading.Thread(target=run, daemon=True, name="outbox").start()
