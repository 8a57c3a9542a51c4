"""The EqIA training register page. Its figures are for those who read the Board's
reports; the names, the CSV upload and the form for one entry are for those who
keep the register (workflow.policy). Thin: parse, call services.training_service,
render. A bad upload changes nothing: every bad row is listed.
"""
import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import training_service
from web.auth import acting, page_user
from web.current import current_store
from web.form_state import FormState
from web.pages.document_pages import when
from workflow import policy, training
from workflow.errors import Forbidden, Invalid

bp = Blueprint("training", __name__)


def _page(f=None, error=None, status=200):
    """The register as the viewer may see it; `f` and `error` belong to a refused form."""
    user, store, today = page_user(), current_store(), dt.date.today().isoformat()
    try:
        counted, as_of_error = training_service.figures(store, user, request.args.get("as_of") or today), None
    except Invalid as exc:
        counted, as_of_error, status = training_service.figures(store, user, today), exc.details["as_of"], 422
    rows, courses = training_service.register(store, user, request.args.get("group"), request.args.get("course"))
    return render_template(
        "training/index.html", figures=counted, keeper=policy.may_read_training_register(user), rows=rows,
        groups=training.GROUP_WORDS, courses=courses,
        as_of_error=as_of_error, f=f or FormState({"course": [training.EQIA]}), error=error), status


def _refused(exc, f=None):
    f = f or FormState.posted(request.form, exc)
    f.values.setdefault("course", [training.EQIA])  # a refused upload leaves the entry form as it was
    return _page(f, exc, exc.status)


@bp.route("/training")
@login_required
def index():
    return _page()


@bp.route("/training/upload", methods=["POST"])
@login_required
def upload():
    file = request.files.get("file")
    filename = file.filename if file else None
    try:
        added, present = training_service.upload(current_store(), page_user(), acting(), filename,
                                                 file.read() if filename else None)
    except Forbidden:
        raise
    except Invalid as exc:
        f = FormState.posted(request.form, exc)
        if isinstance(exc.details.get("file"), list):  # the bad rows are listed above the form
            f.errors["file"] = "Correct the rows listed above, then upload the whole file again"
        return _refused(exc, f)
    flash(f"Imported {added} entries from {filename}; {present} were already in the register.")
    return redirect(url_for(".index"))


@bp.route("/training/add", methods=["POST"])
@login_required
def add():
    try:
        entry, added = training_service.add(current_store(), page_user(), acting(), request.form)
    except Forbidden:
        raise
    except Invalid as exc:
        return _refused(exc)
    said = f"{entry['name']}: {training.course_words(entry['course'])}, {when(entry['date'])}"
    flash(f"Recorded {said}." if added else f"Already in the register: {said}.")
    return redirect(url_for(".index"))
