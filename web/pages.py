"""The document list and the document page with its transitions. Thin: parse, call, render."""
import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from web import forms
from web.auth import page_user
from web.documents import current_documents
from workflow import kinds, machine, policy
from workflow.errors import NotFound, WorkflowError
from workflow.users import TEAMS

bp = Blueprint("pages", __name__)


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
@bp.route("/documents")
@login_required
def index():
    user = page_user()
    filters = {key: (request.args.get(key) or "").strip()[:200] or None
               for key in ("kind", "state", "team", "q")}
    found = current_documents().search(user, **filters)
    found.sort(key=lambda shown: int(shown["id"]) if str(shown["id"]).isdigit() else 0, reverse=True)
    teams = sorted(set(TEAMS) | set(user.teams))
    return render_template("documents/index.html", documents=found, filters=filters, teams=teams)


def _document_page(doc_id, error=None, status=200):
    user = page_user()
    doc, shown = current_documents().read(doc_id, user)
    actions = [machine.BY_NAME[name] for name in policy.actions(doc, user)]
    pending = [(machine.BY_NAME[name], unmet) for name, unmet in policy.pending(doc, user).items()]
    return render_template("documents/show.html", doc=shown, history=current_documents().history(doc_id, user),
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
        current_documents().fire(doc_id, page_user(), name, forms.posted_version(request.form), request.form.get("comment") or None)
    except NotFound:
        raise
    except WorkflowError as exc:
        return _document_page(doc_id, error=exc, status=exc.status)
    flash(f"Done: {machine.BY_NAME[name].label}.")
    return redirect(url_for(".document", doc_id=doc_id))
