"""The server-rendered pages: the list, a document, and its forms. Thin: parse, call, render."""
import datetime as dt

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from web import forms
from web.auth import page_user
from workflow import kinds, machine, policy
from workflow.errors import NotFound, WorkflowError
from workflow.users import TEAMS

bp = Blueprint("pages", __name__)


def _documents():
    return current_app.extensions["documents"]


def _version():
    """The version the form was rendered with; anything else is refused by Documents."""
    value = (request.form.get("version") or "").strip()
    return int(value) if value.isdigit() else None


@bp.app_template_filter("input_id")
def input_id(name):
    return name.replace(".", "-")


@bp.app_template_filter("when")
def when(value):
    """ISO dates and times as people write them: 5 March 2025; March 2025; 5 March 2025, 14:03 UTC."""
    if not isinstance(value, str):
        return value
    try:
        if len(value) == 7:
            return dt.date.fromisoformat(value + "-01").strftime("%B %Y")
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return f"{day.day} {day:%B %Y}"
        moment = dt.datetime.fromisoformat(value)
        return f"{moment.day} {moment:%B %Y, %H:%M} {moment.tzname() or ''}".strip()
    except ValueError:
        return value


@bp.app_context_processor
def words():
    return {"KINDS": kinds.KINDS, "WORDS": forms.WORDS, "STRANDS": list(forms.STRAND_WORDS),
            "STATES": machine.STATES, "same": lambda items: {str(item): item for item in items}}


@bp.route("/")
@login_required
def index():
    user = page_user()
    filters = {key: (request.args.get(key) or "").strip()[:200] or None
               for key in ("kind", "state", "team", "q")}
    found = _documents().search(user, **filters)
    found.sort(key=lambda shown: int(shown["id"]) if str(shown["id"]).isdigit() else 0, reverse=True)
    teams = sorted(set(TEAMS) | set(user.teams))
    return render_template("documents/index.html", documents=found, filters=filters, teams=teams)


def _document_page(doc_id, error=None, status=200):
    user = page_user()
    doc, shown = _documents().read(doc_id, user)
    actions = [machine.BY_NAME[name] for name in policy.actions(doc, user)]
    pending = [(machine.BY_NAME[name], unmet) for name, unmet in policy.pending(doc, user).items()]
    return render_template("documents/show.html", doc=shown, history=_documents().history(doc_id, user),
                           actions=actions, pending=pending, editable=policy.editable(doc, user),
                           error=error), status


@bp.route("/documents/<doc_id>")
@login_required
def document(doc_id):
    return _document_page(doc_id)


@bp.route("/documents/<doc_id>/transitions/<name>", methods=["POST"])
@login_required
def fire(doc_id, name):
    try:
        _documents().fire(doc_id, page_user(), name, _version(), request.form.get("comment") or None)
    except NotFound:
        raise
    except WorkflowError as exc:
        return _document_page(doc_id, error=exc, status=exc.status)
    flash(f"Done: {machine.BY_NAME[name].label}.")
    return redirect(url_for(".document", doc_id=doc_id))


def _form_page(kind, state, status=200, doc=None, error=None):
    user = page_user()
    return render_template("documents/form.html", kind=kinds.get(kind), f=state, doc=doc, error=error,
                           teams=sorted(user.teams)), status


@bp.route("/documents/new", methods=["GET", "POST"])
@login_required
def new():
    user = page_user()
    kind = request.args.get("kind")
    if kind not in kinds.KINDS:
        creatable = [k for k in kinds.KINDS.values() if any(user.has(role) for role in k.CREATORS)]
        return render_template("documents/choose.html", creatable=creatable)
    if request.method == "POST":
        try:
            stored = _documents().create(user, kind, request.form.get("title", ""),
                                         request.form.get("team", ""), forms.fields_from_form(kind, request.form))
        except WorkflowError as exc:
            return _form_page(kind, forms.FormState.posted(request.form, exc), exc.status, error=exc)
        flash(f"{kinds.get(kind).LABEL} created as a draft.")
        return redirect(url_for(".document", doc_id=stored["id"]))
    preset = {"team": [next(iter(user.teams))]} if len(user.teams) == 1 else {}
    return _form_page(kind, forms.FormState(preset))


@bp.route("/documents/<doc_id>/edit", methods=["GET", "POST"])
@login_required
def edit(doc_id):
    user = page_user()
    doc, shown = _documents().read(doc_id, user)
    policy.check_edit(doc, user, ())
    kind = doc["kind"]
    locked = kinds.get(kind).LOCKED_WHEN_SCREENED if doc["state"] == "screened" else ()
    stored_values = {"title": [doc["title"]], **forms.form_values(doc["fields"])}
    if request.method == "POST":
        try:
            _documents().edit(doc_id, user, _version(), request.form.get("title", ""),
                              forms.changes_from_form(kind, request.form, locked))
        except NotFound:
            raise
        except WorkflowError as exc:
            state = forms.FormState.posted(request.form, exc, kept=stored_values, locked=locked)
            return _form_page(kind, state, exc.status, doc=doc, error=exc)
        flash("Saved.")
        return redirect(url_for(".document", doc_id=doc_id))
    return _form_page(kind, forms.FormState(stored_values, locked=locked), doc=doc)
