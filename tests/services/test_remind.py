"""`python run.py remind` and `send-mail`, as cron runs them, against a real SMTP server."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from services import account_service
from store import Put
from tests.conftest import HR

ROOT = Path(__file__).resolve().parents[2]


def run(data, mailbox, *args):
    env = {**os.environ, "EQUALITY_SMTP_HOST": "127.0.0.1", "EQUALITY_SMTP_PORT": str(mailbox.port)}
    return subprocess.run([sys.executable, "run.py", *args, "--data", str(data)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def overdue_objective(api, store):
    """An approved objective of Human Resources that was due by December 2007."""
    fields = {"heading": "The MPA as a Public Authority", "theme": "Accountability", "action": "Monitor recruitment",
              "deadline": "2007-12", "outcomes": "Monitoring report", "leads": [HR], "strands": ["race"]}
    doc = api.as_("hr_lead").post("/documents", {"kind": "objective", "title": "Monitor recruitment",
                                                 "team": HR, "fields": fields}).json
    for who, name in (("hr_lead", "screen"), ("hr_lead", "assess"), ("head", "approve")):
        doc = api.as_(who).fire(doc, name).json
    account_service.set_email(store, "hr_lead", "hr.lead@example.org")
    account_service.set_email(store, "pp_lead", "pp.lead@example.org")
    return doc


def test_remind_mails_the_team_leader_once_a_day(app, overdue_objective, mailbox):
    mailbox.start()
    data = app.config["STORE"]
    first = run(data, mailbox, "remind", "--today", "2008-02-01")
    assert first.returncode == 0, first.stderr
    [text] = mailbox.texts("hr.lead@example.org")
    assert "Overdue: the objective “Monitor recruitment” was due by 2007-12" in text
    assert not mailbox.to("pp.lead@example.org")  # another team's leader is not told
    assert "mail: 1 sent" in first.stdout
    again = run(data, mailbox, "remind", "--today", "2008-02-01")
    assert again.returncode == 0, again.stderr
    assert "reminders: 0 new" in again.stdout and len(mailbox.to("hr.lead@example.org")) == 1
    next_day = run(data, mailbox, "remind", "--today", "2008-02-02")
    assert len(mailbox.to("hr.lead@example.org")) == 2, next_day.stdout


def test_send_mail_delivers_what_an_outage_left_pending(app, overdue_objective, mailbox):
    data = app.config["STORE"]
    down = run(data, mailbox, "remind", "--today", "2008-02-01")
    assert down.returncode == 0 and "1 to retry" in down.stdout
    mailbox.start()
    # The retry waits out its backoff: make it due now, as the clock would after two minutes.
    store = app.extensions["store"]
    [row] = [r for r in store.scan("outbox") if r["to"] == "hr.lead@example.org"]
    store.commit([Put("outbox", row["id"], {**row, "next_try": row["created_at"]}, expected_version=row["version"])])
    sent = run(data, mailbox, "send-mail")
    assert sent.returncode == 0 and "1 sent" in sent.stdout
    assert len(mailbox.to("hr.lead@example.org")) == 1


def test_remind_rejects_a_bad_date(app, mailbox):
    result = run(app.config["STORE"], mailbox, "remind", "--today", "01/02/2008")
    assert result.returncode == 2 and "is not a date" in result.stderr
