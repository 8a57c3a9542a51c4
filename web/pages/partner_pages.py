"""Partners and contractors and their equality compliance checks: the list and each partner's
page for everyone signed in; the forms their owner team and the Head keep them with. Thin:
parse, call services.partner_service (rules in workflow/partners.py and workflow/policy.py), render."""
import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import partner_service, team_service
from web.auth import acting, page_user
from web.current import current_store
from web.form_state import FormState
from workflow import partners, policy
from workflow.errors import Forbidden, WorkflowError

bp = Blueprint("partners", __name__)


@bp.route("/partners")
@login_required
def index():
    user = page_user()
    return render_template("partners/index.html", partners=partner_service.every(current_store(), user),
                           next_due=partners.next_due, outcomes=partners.OUTCOMES, today=_today().isoformat(),
                           may_add=bool(_teams_kept(user)))


@bp.route("/partners/new", methods=["GET", "POST"])
@login_required
def new():
    if not _teams_kept(page_user()):
        raise Forbidden(partner_service.MAY_NOT_KEEP)
    if request.method == "GET":
        return _form_page(None, FormState())
    try:
        stored = partner_service.add(current_store(), page_user(), _given(request.form, partners.DETAILS), acting())
    except WorkflowError as exc:
        return _form_page(None, FormState.posted(request.form, exc), exc)
    flash(f"Added {stored['name']}. Record its equality checks below.")
    return redirect(url_for(".show", partner_id=stored["id"]))


@bp.route("/partners/<partner_id>")
@login_required
def show(partner_id):
    return _partner_page(partner_id)


@bp.route("/partners/<partner_id>/edit", methods=["GET", "POST"])
@login_required
def edit(partner_id):
    record = partner_service.load(current_store(), partner_id, page_user())
    if not policy.may_keep_partner(page_user(), record["team"]):
        raise Forbidden(partner_service.MAY_NOT_KEEP)
    if request.method == "GET":
        return _form_page(record, FormState({key: [record.get(key) or ""] for key in partners.DETAILS}))
    try:
        partner_service.save(current_store(), page_user(), partner_id, _given(request.form, partners.DETAILS),
                             request.form.get("version"), acting())
    except WorkflowError as exc:
        return _form_page(record, FormState.posted(request.form, exc), exc)
    flash("The partner's details are saved.")
    return redirect(url_for(".show", partner_id=partner_id))


@bp.route("/partners/<partner_id>/checks", methods=["POST"])
@login_required
def check(partner_id):
    partner_service.load(current_store(), partner_id, page_user())  # an unknown partner is a plain 404
    try:
        partner_service.record_check(current_store(), page_user(), partner_id, _given(request.form, partners.CHECK),
                                     request.form.get("version"), acting(), _today())
    except WorkflowError as exc:
        return _partner_page(partner_id, exc, FormState.posted(request.form, exc))
    flash("The check is recorded.")
    return redirect(url_for(".show", partner_id=partner_id))


def _given(form, keys):
    return {key: form.get(key) for key in keys}


def _teams_kept(user):
    return [team for team in team_service.known_teams(current_store()) if policy.may_keep_partner(user, team)]


def _partner_page(partner_id, error=None, f=None):
    user = page_user()
    record = partner_service.load(current_store(), partner_id, user)
    return render_template("partners/show.html", partner=record, error=error, f=f or FormState(),
                           outcomes=partners.OUTCOMES, due=partners.next_due(record), today=_today().isoformat(),
                           version=request.form.get("version", "") if error else record["version"],
                           may_keep=policy.may_keep_partner(user, record["team"])), error.status if error else 200


def _form_page(record, f, error=None):
    return render_template("partners/form.html", partner=record, f=f, error=error, teams=_teams_kept(page_user()),
                           version=request.form.get("version", "") if error else (record or {}).get("version", "")
                           ), error.status if error else 200


def _today():
    # The local date, as My work's Board actions and the meetings go by.
    return dt.date.today()
