"""The Deputy approvers page: a Head names a trained person who may sign off, for a range
of dates, what a Head may sign off, or ends a naming (services.deputy_service)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import deputy_service
from web.auth import acting, page_user
from web.current import current_store, mail_settings
from web.form_state import FormState, line
from workflow import deputies
from workflow.errors import WorkflowError

bp = Blueprint("deputies", __name__)


def _page(f=None, error=None, status=200):
    user, store = page_user(), current_store()
    namings = deputy_service.namings(store, user)
    day = deputies.today()
    return render_template("deputies/index.html", namings=namings, f=f or FormState(), error=error,
                           in_effect={record["id"] for record in namings if deputies.in_effect(record, day)},
                           may_name=user.has("head"),
                           candidates=deputy_service.candidates(store, user) if user.has("head") else [],
                           span=deputies.span, today_iso=day.isoformat()), status


@bp.route("/deputies", methods=["GET", "POST"])
@login_required
def index():
    if request.method == "GET":
        return _page()
    form = request.form
    try:
        named = deputy_service.name(current_store(), page_user(), acting(), line(form, "person"),
                                    line(form, "from") or "", line(form, "to") or "", *mail_settings())
    except WorkflowError as exc:
        return _page(FormState.posted(form, exc), exc, exc.status)
    flash(f"{named['person']} is deputy approver {deputies.span(named['from'], named['to'])}.")
    return redirect(url_for(".index"))


@bp.route("/deputies/<key>/end", methods=["POST"])
@login_required
def end(key):
    try:
        ended = deputy_service.end(current_store(), page_user(), acting(), key, *mail_settings())
    except WorkflowError as exc:
        return _page(error=exc, status=exc.status)
    flash(f"{ended['person']} is no longer deputy approver.")
    return redirect(url_for(".index"))
