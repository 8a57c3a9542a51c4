"""The EqIA training register page. Its figures are for those who read the Board's
reports; the names, the CSV upload and the form for one entry are for those who
keep the register (workflow.policy). Thin: parse, call workflow.training and
services.account_service, render. A bad upload changes nothing: every bad row is listed.
"""
import datetime as dt

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import account_service
from web.auth import acting, page_user
from web.form_state import FormState
from web.pages.document_pages import when
from workflow import fields, plan_import, policy, training
from workflow.errors import Forbidden, Invalid

bp = Blueprint("training", __name__)


def _store():
    return current_app.extensions["store"]


def _keeper():
    if not policy.may_read_training_register(page_user()):
        raise Forbidden("The training register is kept by the Head of Race and Diversity and administrators.")


def figures(store, user, as_of):
    """The training figures as of the ISO date `as_of`, for a user who may see them (the
    page and the API): the register, and accounts' dates recorded before it existed."""
    if not policy.may_see_training_figures(user):
        raise Forbidden("The training figures are for the Head of Race and Diversity, the Board, the Senior "
                        "Management Team and administrators.")
    if not fields.is_date(as_of):
        raise Invalid("not a date", {"as_of": "must be a date YYYY-MM-DD"})
    return training.figures(store.scan(account_service.TRAINING), as_of, accounts=store.scan(account_service.USERS))


def _page(f=None, error=None, status=200):
    """The register as the viewer may see it; `f` and `error` belong to a refused form."""
    user, store, today = page_user(), _store(), dt.date.today().isoformat()
    try:
        counted, as_of_error = figures(store, user, request.args.get("as_of") or today), None
    except Invalid as exc:
        counted, as_of_error, status = figures(store, user, today), exc.details["as_of"], 422
    entries = store.scan(account_service.TRAINING)
    keeper = policy.may_read_training_register(user)
    rows = training.select(entries, request.args.get("group"), request.args.get("course")) if keeper else []
    return render_template(
        "training/index.html", figures=counted, keeper=keeper, rows=rows, groups=training.GROUP_WORDS,
        courses={e["course"]: training.course_words(e["course"]) for e in entries},
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
    _keeper()
    upload = request.files.get("file")
    if not upload or not upload.filename:
        return _refused(Invalid("No file was chosen.", {"file": "choose a CSV file to upload"}))
    try:
        text = plan_import.decode(upload.read())
    except Invalid:
        return _refused(Invalid("The file cannot be read.", {"file": "must be a CSV file saved as UTF-8 text"}))
    entries, bad = training.parse(text, entered_by=page_user().name)
    if bad:
        exc = Invalid(f"{len(bad)} row{'s' if len(bad) > 1 else ''} of {upload.filename} cannot be imported, "
                      f"so nothing was imported: correct the file and upload it again.", {"file": bad})
        f = FormState.posted(request.form, exc)
        f.errors["file"] = "correct the rows listed above, then upload the whole file again"
        return _refused(exc, f)
    added, present = account_service.record_entries(_store(), entries, acting())
    flash(f"Imported {added} entries from {upload.filename}; {present} were already in the register.")
    return redirect(url_for(".index"))


@bp.route("/training/add", methods=["POST"])
@login_required
def add():
    _keeper()
    try:
        entry = training.check(request.form, entered_by=page_user().name)
    except Invalid as exc:
        return _refused(exc)
    added, _ = account_service.record_entries(_store(), [entry], acting())
    said = f"{entry['name']}: {training.course_words(entry['course'])}, {when(entry['date'])}"
    flash(f"Recorded {said}." if added else f"Already in the register: {said}.")
    return redirect(url_for(".index"))
