"""Teams and their equality coordinators: the contact list the Corporate Equality Plan asks for.

The "teams" collection is keyed by team name: {name, coordinator}. The known
teams are the plan's units, any team added here, and any team an account
belongs to, so a team named on an account is never missing from the list.
A team's name and coordinator are held to workflow.accounts' rules.
"""
from services import account_service, audit_service, commits
from store import Put
from workflow import accounts
from workflow.errors import Invalid
from workflow.users import TEAMS as PLAN_TEAMS

TEAMS = "teams"


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
    with commits.refused_if_changed("someone else changed this team since you opened the page; reload it",
                                    {"version": "the team has changed"}):
        [stored] = audit_service.commit(store, [Put(TEAMS, name, {"name": name, "coordinator": coordinator},
                                                    expected_version=version)], [entry])
    return stored


def set_coordinator(store, name, coordinator, version, by=audit_service.COMMAND_LINE):
    """Name (or, given blank, clear) a team's coordinator: a user name or a post holder."""
    coordinator = (coordinator or "").strip() or None
    if name not in known_teams(store):
        raise Invalid("There is no such team.", {"team": f"Select a known team: {name} is not one"})
    if accounts.coordinator_errors(coordinator):
        raise Invalid("Correct the coordinator shown.", accounts.coordinator_errors(coordinator))
    return _put(store, name, coordinator, version,
                audit_service.entry(by, "team", name, "coordinator named" if coordinator else "coordinator cleared",
                                    coordinator=coordinator))


def add_team(store, name, by=audit_service.COMMAND_LINE):
    name = (name or "").strip()
    errors = accounts.team_name_errors(name, "name")
    if not errors and name in known_teams(store):
        errors = {"name": f"{name} is already a team: enter another name"}
    if errors:
        raise Invalid("Correct the team's name shown.", errors)
    return _put(store, name, None, None, audit_service.entry(by, "team", name, "added"))
