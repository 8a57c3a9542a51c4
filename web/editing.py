"""Creating and editing documents through forms. Thin: parse, call, render."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from web import forms
from web.auth import page_user
from web.documents import current_documents
from workflow import kinds, policy
from workflow.errors import NotFound, WorkflowError

bp = Blueprint("editing", __name__)


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
            stored = current_documents().create(user, kind, request.form.get("title", ""),
                                         request.form.get("team", ""), forms.fields_from_form(kind, request.form))
        except WorkflowError as exc:
            return _form_page(kind, forms.FormState.posted(request.form, exc), exc.status, error=exc)
        flash(f"{kinds.get(kind).LABEL} created as a draft.")
        return redirect(url_for("pages.document", doc_id=stored["id"]))
    preset = {"team": [next(iter(user.teams))]} if len(user.teams) == 1 else {}
    return _form_page(kind, forms.FormState(preset))


@bp.route("/documents/<doc_id>/edit", methods=["GET", "POST"])
@login_required
def edit(doc_id):
    user = page_user()
    doc, shown = current_documents().read(doc_id, user)
    policy.check_edit(doc, user, ())
    kind = doc["kind"]
    locked = kinds.get(kind).LOCKED_WHEN_SCREENED if doc["state"] == "screened" else ()
    stored_values = {"title": [doc["title"]], **forms.form_values(doc["fields"])}
    if request.method == "POST":
        try:
            current_documents().edit(doc_id, user, forms.posted_version(request.form), request.form.get("title", ""),
                              forms.changes_from_form(kind, request.form, locked))
        except NotFound:
            raise
        except WorkflowError as exc:
            state = forms.FormState.posted(request.form, exc, kept=stored_values, locked=locked)
            return _form_page(kind, state, exc.status, doc=doc, error=exc)
        flash("Saved.")
        return redirect(url_for("pages.document", doc_id=doc_id))
    return _form_page(kind, forms.FormState(stored_values, locked=locked), doc=doc)
