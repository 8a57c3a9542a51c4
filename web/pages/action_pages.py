"""The actions bodies agreed: the list (open or done, by owner team) and each action's page,
where a leader of its owner team, or the Head, marks it done with a note.

Thin: parse, call services.action_service (rules in workflow/actions.py and workflow/policy.py), render.
"""
import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from web.auth import acting, page_user
from web.current import current_meetings
from web.form_state import FormState, text
from workflow import actions, bodies, policy
from workflow.errors import Invalid, WorkflowError

bp = Blueprint("actions", __name__)
STATE_WORDS = {"open": "Open", "done": "Done"}


@bp.route("/actions")
@login_required
def index():
    user, state = page_user(), request.args.get("state") or None
    try:
        listed, error = current_meetings().actions.list(user, state), None
    except Invalid as exc:  # an unknown state in the address: say so, and list every action
        listed, error, state = current_meetings().actions.list(user), exc, None
    return render_template("actions/index.html", actions=listed, state=state, error=error,
                           f=FormState({}, error.details if error else {}), states=STATE_WORDS,
                           bodies=current_meetings().bodies(), today=_today()), 422 if error else 200


@bp.route("/actions/<action_id>")
@login_required
def show(action_id):
    return _action_page(action_id)


@bp.route("/actions/<action_id>/done", methods=["POST"])
@login_required
def complete(action_id):
    current_meetings().actions.load(action_id, page_user())  # an unknown action is a plain 404
    form = request.form
    try:
        # The version as posted: the service refuses a malformed or stale one (None would mean "as stored").
        current_meetings().actions.complete(action_id, page_user(), text(form, "note"), form.get("version", "none"),
                                            acting())
    except WorkflowError as exc:
        return _action_page(action_id, exc, FormState.posted(form, exc))
    flash("The action is marked done.")
    return redirect(url_for(".show", action_id=action_id))


def _action_page(action_id, error=None, f=None):
    user = page_user()
    action = current_meetings().actions.load(action_id, user)
    return render_template("actions/show.html", action=action, error=error, f=f or FormState(),
                           body=bodies.name(current_meetings().bodies(), action["body"]),
                           may_complete=policy.may_complete_action(user, action) and not action.get("done"),
                           overdue=actions.overdue(action, _today())), error.status if error else 200


def _today():
    # The local date, as My work and the meetings go by.
    return dt.date.today()
