"""Teams and their equality coordinators: the contact list the Corporate Equality Plan asks for.

The "teams" collection is keyed by team name: {name, coordinator}. The known
teams are the plan's units, any team added here, and any team an account
belongs to, so a team named on an account is never missing from the list.
"""
from flask import Blueprint, current_app, render_template
from flask_login import login_required

from store import Conflict, Put
from services import account_service, audit_service
from workflow import fields
from workflow.errors import Invalid, StateConflict
from workflow.users import TEAMS as PLAN_TEAMS

TEAMS = "teams"
bp = Blueprint("teams", __name__)


def contact_list(store):
    """Every known team, A-Z: {name, coordinator (or None), version (None until first saved)}."""
    stored = {record["name"]: record for record in store.scan(TEAMS)}
    names = set(PLAN_TEAMS) | set(stored)
    names.update(team for record in store.scan(account_service.USERS) for team in record.get("teams", ()))
    return [{"name": name, "coordinator": stored.get(name, {}).get("coordinator"),
             "version": stored.get(name, {}).get("version")} for name in sorted(names, key=str.casefold)]


def known_teams(store):
    return [team["name"] for team in contact_list(store)]


def _put(store, name, coordinator, version, entry):
    try:
        [stored] = audit_service.commit(store, [Put(TEAMS, name, {"name": name, "coordinator": coordinator},
                                            expected_version=version)], [entry])
    except Conflict:
        raise StateConflict("someone else changed this team since you opened the page; reload it",
                            {"version": "the team has changed"})
    return stored


def set_coordinator(store, name, coordinator, version, by=audit_service.COMMAND_LINE):
    """Name (or, given blank, clear) a team's coordinator: a user name or a post holder."""
    coordinator = (coordinator or "").strip() or None
    if name not in known_teams(store):
        raise Invalid("there is no such team", {"team": f"{name} is not a known team"})
    if coordinator and fields.one_line("coordinator", coordinator, 100):
        raise Invalid("the coordinator is not valid", fields.one_line("coordinator", coordinator, 100))
    return _put(store, name, coordinator, version,
                audit_service.entry(by, "team", name, "coordinator named" if coordinator else "coordinator cleared",
                            coordinator=coordinator))


def add_team(store, name, by=audit_service.COMMAND_LINE):
    name = (name or "").strip()
    if not account_service.valid_team_name(name):
        raise Invalid("the team is not valid", {"name": "team names are 1-100 characters on one line, "
                                                         "without line breaks, tabs or other control characters"})
    if name in known_teams(store):
        raise Invalid("the team is not valid", {"name": f"{name} is already a team"})
    return _put(store, name, None, None, audit_service.entry(by, "team", name, "added"))


@bp.route("/teams")
@login_required
def index():
    """The contact list, read-only, for every signed-in person."""
    return render_template("account/teams.html", teams=contact_list(current_app.extensions["store"]))
