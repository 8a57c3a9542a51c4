"""A person's notices, the outbox state for administrators, and the plan's reporting cycle."""
import datetime as dt

from flask import Blueprint, current_app, flash, g, redirect, render_template, url_for
from flask_login import login_required

from store import Conflict, Put, StoreError
from services import outbox_service
from web.auth import page_user
from services.document_service import DOCS
from services.notice_service import NOTICES, reporting_cycle
from workflow import cycle, numbers, policy
from workflow.errors import Forbidden
from web.current import current_documents

bp = Blueprint("notices", __name__)


def _store():
    return current_app.extensions["store"]


def init_app(app):
    @app.after_request
    def send_waiting_mail(response):
        # Set by the notifier when a committed change queued mail: try it now rather
        # than wait for cron. A failed try only schedules the row's retry.
        if g.pop("outbox_waiting", False) and app.config.get("SMTP_BACKGROUND", True):
            outbox_service.send_in_background(app.extensions["store"], app.extensions["smtp"])
        return response


def _mine(user):
    return sorted(_store().scan(NOTICES, {"user": user.name}), key=lambda n: (n["at"], _order(n)), reverse=True)


def _order(notice):
    """Reminders have text keys, notices of changes numeric ones: order both stably."""
    return numbers.whole(notice["id"]) or 0


@bp.app_context_processor
def unread_count():
    def count():
        user = page_user()
        if user is None:
            return None
        if "unread_notices" not in g:
            g.unread_notices = current_documents().until_any_change.get(
                ("unread", user.name),
                lambda: sum(1 for n in _store().scan(NOTICES, {"user": user.name}) if not n["read"]))
        return g.unread_notices
    return {"unread_notices": count}


@bp.app_context_processor
def reports_due():
    """For the Head's My work: the plan's reports overdue or due soon, with the store's settings."""
    def owed():
        user, today = page_user(), dt.date.today()
        return current_documents().until_any_change.get(("reports_due", user, today), lambda: cycle.needing_attention(
            reporting_cycle(_store(), _reports_seen(user), today), today))
    return {"reports_due": owed}


def _reports_seen(user):
    return [shown for doc in _store().scan(DOCS, {"kind": "report"}) if (shown := policy.view(doc, user))]


@bp.route("/notices")
@login_required
def index():
    return render_template("notices/index.html", notices=_mine(page_user()))


@bp.route("/notices/read", methods=["POST"])
@login_required
def mark_read():
    for _ in range(3):  # a notice arriving meanwhile makes the commit stale: read again
        unread = [n for n in _store().scan(NOTICES, {"user": page_user().name}) if not n["read"]]
        try:
            if unread:
                _store().commit([Put(NOTICES, n["id"], {**n, "read": True}, expected_version=n["version"])
                                 for n in unread])
            break
        except Conflict:
            continue
    else:  # never "marked as read" unless they were
        raise StoreError("new notices kept arriving; none were marked as read, try again")
    flash("All your notices are marked as read.")
    return redirect(url_for("notices.index"))


@bp.route("/notices/outbox")
@login_required
def outbox_state():
    if not page_user().has("admin"):
        raise Forbidden("Only administrators can see the outbox.")
    counts, failed = outbox_service.state(_store())
    return render_template("notices/outbox.html", counts=counts, failed=failed,
                           configured=current_app.extensions["smtp"].configured,
                           max_attempts=outbox_service.MAX_ATTEMPTS)


@bp.route("/reporting-cycle")
@login_required
def reporting():
    user, today = page_user(), dt.date.today()
    items = reporting_cycle(_store(), _reports_seen(user), today)
    return render_template("notices/cycle.html", today=today, upcoming=cycle.upcoming(items, today),
                           overdue=list(reversed(cycle.overdue(items))))
