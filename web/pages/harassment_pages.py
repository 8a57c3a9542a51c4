"""Named contacts for racism and harassment: the list for everyone signed in, and the forms
the Head and team leaders keep them with. Thin: parse, call services.harassment_service
(rules in workflow/harassment.py and workflow/policy.py), render."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import harassment_service, team_service
from web.auth import acting, page_user
from web.current import current_store
from web.form_state import FormState
from workflow import harassment, policy
from workflow.errors import Forbidden, WorkflowError

bp = Blueprint("contacts", __name__)


@bp.route("/contacts")
@login_required
def index():
    user = page_user()
    listed = harassment_service.every(current_store(), user)
    return render_template("contacts/index.html", places=listed, may_add=harassment_service.may_keep_some(user),
                           keeps=[c["id"] for _, group in listed for c in group
                                  if policy.may_keep_contact(user, c.get("team"))])


@bp.route("/contacts/new", methods=["GET", "POST"])
@login_required
def new():
    if not harassment_service.may_keep_some(page_user()):
        raise Forbidden(harassment_service.MAY_NOT_KEEP)
    if request.method == "GET":
        return _form_page(None, FormState())
    try:
        stored = harassment_service.add(current_store(), page_user(), _given(request.form), acting())
    except WorkflowError as exc:
        return _form_page(None, FormState.posted(request.form, exc), exc)
    flash(f"Added {stored['name']} as a contact for racism and harassment.")
    return redirect(url_for(".index"))


@bp.route("/contacts/<contact_id>", methods=["GET", "POST"])
@login_required
def edit(contact_id):
    record = harassment_service.load(current_store(), contact_id, page_user())
    if not policy.may_keep_contact(page_user(), record.get("team")):
        raise Forbidden(harassment_service.MAY_NOT_KEEP)
    if request.method == "GET":
        return _form_page(record, FormState({key: [record.get(key) or ""] for key in harassment.TEXTS}))
    try:
        harassment_service.save(current_store(), page_user(), contact_id, _given(request.form),
                                request.form.get("version"), acting())
    except WorkflowError as exc:
        return _form_page(record, FormState.posted(request.form, exc), exc)
    flash(f"Saved the contact {request.form.get('name', '').strip()}.")
    return redirect(url_for(".index"))


@bp.route("/contacts/<contact_id>/remove", methods=["POST"])
@login_required
def remove(contact_id):
    record = harassment_service.load(current_store(), contact_id, page_user())
    try:
        harassment_service.remove(current_store(), page_user(), contact_id, request.form.get("version"), acting())
    except WorkflowError as exc:
        values = FormState({key: [record.get(key) or ""] for key in harassment.TEXTS}, exc.details)
        return _form_page(record, values, exc)
    flash(f"Removed {record['name']} from the contacts for racism and harassment.")
    return redirect(url_for(".index"))


def _given(form):
    return {key: form.get(key) for key in harassment.TEXTS}


def _form_page(record, f, error=None):
    """The add or change form; the teams offered are those the person keeps contacts for."""
    user = page_user()
    teams = [team for team in team_service.known_teams(current_store()) if policy.may_keep_contact(user, team)]
    return render_template("contacts/form.html", contact=record, f=f, error=error, teams=teams,
                           version=request.form.get("version", "") if error else (record or {}).get("version", ""),
                           site_only=policy.may_keep_contact(user, None)), error.status if error else 200
