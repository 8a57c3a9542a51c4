"""Teams and their equality coordinators: the contact list (services.team_service), read by
everyone signed in, and each team's coordinator and how to reach them, kept by the Head (and
administrators, who also keep them from the admin page through the same service)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import team_service
from web import form_state
from web.auth import acting, page_user
from web.current import current_store
from workflow import policy
from workflow.errors import Forbidden, WorkflowError

bp = Blueprint("teams", __name__)


@bp.route("/teams")
@login_required
def index():
    """The contact list, for every signed-in person; a way to change it for those who keep it."""
    return render_template("account/teams.html", teams=team_service.contact_list(current_store()),
                           may_keep=policy.may_keep_coordinators(page_user()))


@bp.route("/teams/<team>/coordinator", methods=["GET", "POST"])
@login_required
def coordinator(team):
    """One team's coordinator, telephone and e-mail: a question page."""
    if not policy.may_keep_coordinators(page_user()):
        raise Forbidden("Only the Head of Race and Diversity or an administrator can keep the coordinators' list.")
    stored = team_service.team(current_store(), team)
    if request.method == "GET":
        f = form_state.FormState({key: [stored[key] or ""] for key in ("coordinator", *team_service.REACH)})
        return _coordinator_page(stored, f)
    form = request.form
    try:
        team_service.keep_coordinator(current_store(), page_user(), team, form.get("coordinator"), form.get("phone"),
                                      form.get("email"), form_state.posted_version(form), acting())
    except WorkflowError as exc:
        return _coordinator_page(stored, form_state.FormState.posted(form, exc), exc, form.get("version", ""))
    flash(f"Saved the equality coordinator of {team}.")
    return redirect(url_for(".index"))


def _coordinator_page(stored, f, error=None, version=None):
    return render_template("account/coordinator.html", team=stored, f=f, error=error,
                           version=stored["version"] or "" if version is None else version), \
        error.status if error else 200
