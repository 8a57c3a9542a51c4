"""Bulk changes of objectives: select many (with filters), choose the change, check
your answers, submit; then one sign-off of them all. Thin: parse, call, render
(services.bulk_service, as the API uses it)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import bulk_service, team_service
from web.auth import page_user
from web.current import current_documents, current_store
from web.form_state import FormState
from web.pages.strategic_pages import strategic_choices
from workflow import bulk, numbers
from workflow.errors import Forbidden, Invalid, StateConflict
from workflow.kinds import objective

bp = Blueprint("bulk", __name__)

NOT_LINKED = "none"  # the filter for objectives with no strategic objective yet
LABELS = {"ids": "Objectives", "change": "Change", "strands": "Equality strands", "strategic": "Strategic objective",
          "team": "Owning team"}


def _may_use(user):
    if not (user.has("head") or user.has("team_leader")):
        abort(404)


def _filters():
    """The list's filters as asked: team, heading and strategic objective (a number, or not linked)."""
    return {key: (request.values.get(f"filter_{key}") or "").strip() for key in ("team", "heading", "strategic")}


def _matches(doc, filters):
    strategic = doc["fields"].get("strategic")
    return ((not filters["team"] or doc["team"] == filters["team"])
            and (not filters["heading"] or doc["fields"].get("heading") == filters["heading"])
            and (not filters["strategic"] or (strategic is None if filters["strategic"] == NOT_LINKED
                                              else str(strategic) == filters["strategic"])))


def _change_values(form):
    """The change the form asks for, as the service takes it (a strategic number as typed)."""
    strategic = (form.get("strategic") or "").strip()
    return {"strands": [s for s in form.getlist("strands") if s] or None,
            "strategic": numbers.or_as_sent(strategic) if strategic else None,
            "team": (form.get("team") or "").strip() or None}


def _select_page(f=None, error=None, status=200):
    user = page_user()
    _may_use(user)
    filters = _filters()
    objectives = [d for d in bulk_service.changeable(current_documents(), user) if _matches(d, filters)]
    f = f or FormState({key: request.values.getlist(key) for key in ("ids", "strands", "strategic", "team")})
    teams = team_service.known_teams(current_store())
    return render_template("bulk/select.html", objectives=objectives, filters=filters, f=f, error=error,
                           teams=teams, team_options={team: team for team in teams}, headings=objective.HEADINGS,
                           strategic=strategic_choices(), not_linked=NOT_LINKED,
                           pending=bulk_service.pending(current_documents(), user)), status


def _refused(exc):
    """The select form again with what was chosen, each message in the summary by its input."""
    summary = [(LABELS.get(key.split(".")[0]), message, key.split(".")[0]) for key, message in exc.details.items()]
    values = {key: request.form.getlist(key) for key in ("ids", "strands", "strategic", "team")}
    errors = {name: message for _, message, name in summary}
    return _select_page(FormState(values, errors, summary), exc, 403 if isinstance(exc, Forbidden) else 422)


def to_sign_off():
    """{batch id: record} of the bulk changes the signed-in person may sign off now (My work)."""
    user = page_user()
    if user is None or not (user.has("head") or user.has("chief_executive")):
        return {}
    docs = current_documents()
    return {batch_id: record for batch_id, record in bulk_service.pending(docs, user).items()
            if bulk_service.refusal(docs, user, batch_id) is None}


@bp.route("/bulk")
@login_required
def select():
    return _select_page()


@bp.route("/bulk/check", methods=["POST"])
@login_required
def check():
    user = page_user()
    _may_use(user)
    ids, values = request.form.getlist("ids"), _change_values(request.form)
    try:
        change, done = bulk_service.preview(current_documents(), user, ids, values)
    except (Invalid, Forbidden) as exc:
        return _refused(exc)
    return render_template("bulk/check.html", change=change, docs=[after for _, after, _ in done], ids=ids,
                           form=request.form)


@bp.route("/bulk/submit", methods=["POST"])
@login_required
def submit():
    user = page_user()
    _may_use(user)
    try:
        batch = bulk_service.submit(current_documents(), user, request.form.getlist("ids"),
                                    _change_values(request.form))
    except (Invalid, Forbidden) as exc:
        return _refused(exc)
    flash("Submitted for sign-off: each objective is a new revision, and one sign-off approves them all.")
    return redirect(url_for(".show", batch_id=batch))


@bp.route("/bulk/<batch_id>")
@login_required
def show(batch_id, error=None, status=200):
    user = page_user()
    record = bulk_service.batch(current_documents(), user, batch_id)
    return render_template("bulk/show.html", batch_id=batch_id, record=record, error=error,
                           refusal=bulk_service.refusal(current_documents(), user, batch_id),
                           fingerprint=bulk.fingerprint(record["documents"])), status


@bp.route("/bulk/<batch_id>/approve", methods=["POST"])
@login_required
def approve(batch_id):
    user = page_user()
    comment = (request.form.get("comment") or "").strip() or None
    try:
        count = bulk_service.approve(current_documents(), user, batch_id, comment,
                                     read=request.form.get("fingerprint") or "")
    except (Invalid, Forbidden, StateConflict) as exc:
        return show(batch_id, error=exc, status=exc.status)
    flash(f"Signed off {count} objectives in one sign-off.")
    return redirect(url_for(".select"))
