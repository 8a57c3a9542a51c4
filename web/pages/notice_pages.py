"""A person's notices, the outbox state for administrators, and the plan's reporting cycle."""
import datetime as dt

from flask import Blueprint, current_app, flash, g, redirect, render_template, url_for
from flask_login import login_required

from services import notice_service, outbox_service
from web.auth import page_user
from web.current import current_documents, current_store
from workflow import cycle
from workflow.errors import Forbidden

bp = Blueprint("notices", __name__)


def send_waiting_mail(response):
    """After a request whose committed change queued mail (web.current.mail_queued): try it
    now rather than wait for cron. A failed try only schedules the row's retry."""
    if g.pop("outbox_waiting", False) and current_app.config.get("SMTP_BACKGROUND", True):
        outbox_service.send_in_background(current_store(), current_app.extensions["smtp"])
    return response


def unread_count():
    def count():
        user = page_user()
        if user is None:
            return None
        if "unread_notices" not in g:
            g.unread_notices = current_documents().until_any_change.get(
                ("unread", user.name), lambda: notice_service.unread_count(current_store(), user))
        return g.unread_notices
    return {"unread_notices": count}


def reports_due():
    """For the Head's My work: the plan's reports overdue or due soon, with the store's settings."""
    def owed():
        user, today = page_user(), dt.date.today()
        return current_documents().until_any_change.get(
            ("reports_due", user, today), lambda: notice_service.reports_due(current_store(), user, today))
    return {"reports_due": owed}


@bp.route("/notices")
@login_required
def index():
    return render_template("notices/index.html", notices=notice_service.mine(current_store(), page_user()))


@bp.route("/notices/read", methods=["POST"])
@login_required
def mark_read():
    notice_service.mark_all_read(current_store(), page_user())
    flash("All your notices are marked as read.")
    return redirect(url_for("notices.index"))


@bp.route("/notices/outbox")
@login_required
def outbox_state():
    if not page_user().has("admin"):
        raise Forbidden("Only administrators can see the outbox.")
    counts, failed = outbox_service.state(current_store())
    return render_template("notices/outbox.html", counts=counts, failed=failed,
                           configured=current_app.extensions["smtp"].configured,
                           max_attempts=outbox_service.MAX_ATTEMPTS)


@bp.route("/reporting-cycle")
@login_required
def reporting():
    user, today = page_user(), dt.date.today()
    items = notice_service.reporting_cycle(current_store(), notice_service.reports_seen(current_store(), user), today)
    return render_template("notices/cycle.html", today=today, upcoming=cycle.upcoming(items, today),
                           overdue=list(reversed(cycle.overdue(items))))
