"""Teams and their equality coordinators: the contact list the Corporate Equality Plan asks for.

The "teams" collection is keyed by team name: {name, coordinator, phone, email}. The known
teams are the plan's units, any team added here, and any team an account
belongs to, so a team named on an account is never missing from the list.
A team's name and coordinator are held to workflow.accounts' rules, the coordinator's
telephone and e-mail to workflow.contact's; the Head and administrators keep them
(workflow.policy.may_keep_coordinators), from the admin page and the contact list alike.
"""
from services import account_service, audit_service, commits
from store import Put
from workflow import accounts, contact, policy
from workflow.errors import Forbidden, Invalid, NotFound
from workflow.users import TEAMS as PLAN_TEAMS

TEAMS = "teams"
REACH = ("phone", "email")  # how to reach a team's coordinator


def contact_list(store):
    """Every known team, A-Z: {name, coordinator, phone, email (each None if not given),
    version (None until first saved)}."""
    stored = {record["name"]: record for record in store.scan(TEAMS)}
    names = set(PLAN_TEAMS) | set(stored)
    names.update(team for record in store.scan(account_service.USERS) for team in record.get("teams", ()))
    return [{"name": name, **{key: stored.get(name, {}).get(key) for key in ("coordinator", *REACH, "version")}}
            for name in sorted(names, key=str.casefold)]


def known_teams(store):
    return [team["name"] for team in contact_list(store)]


def team(store, name):
    """The contact list's entry for team `name` (NotFound if it is not a known team)."""
    for known in contact_list(store):
        if known["name"] == name:
            return known
    raise NotFound("There is no such team.")


def _put(store, name, coordinator, version, entry, reach=None):
    """Save the team's coordinator and `reach` ({phone, email}; None: neither given)."""
    reach = reach or dict.fromkeys(REACH)
    with commits.refused_if_changed("someone else changed this team since you opened the page; reload it",
                                    {"version": "the team has changed"}):
        [stored] = audit_service.commit(store, [Put(TEAMS, name, {"name": name, "coordinator": coordinator, **reach},
                                                    expected_version=version)], [entry])
    return stored


def keep_coordinator(store, user, name, coordinator, phone, email, version, by):
    """Name (or, given blank, clear) team `name`'s coordinator and how to reach them, for `user`,
    who may keep the list (the Head or an administrator); `by`: the audit_service.Actor."""
    if not policy.may_keep_coordinators(user):
        raise Forbidden("Only the Head of Race and Diversity or an administrator can keep the coordinators' list.")
    coordinator = (coordinator or "").strip() or None
    reach = {"phone": (phone or "").strip() or None, "email": (email or "").strip() or None}
    if name not in known_teams(store):
        raise Invalid("There is no such team.", {"team": f"Select a known team: {name} is not one"})
    errors = {**accounts.coordinator_errors(coordinator), **contact.reach_errors(reach["email"], reach["phone"])}
    if errors:
        raise Invalid("Correct the coordinator's details shown.", errors)
    return _put(store, name, coordinator, version,
                audit_service.entry(by, "team", name, "coordinator named" if coordinator else "coordinator cleared",
                                    coordinator=coordinator, **reach), reach)


def add_team(store, name, by=audit_service.COMMAND_LINE):
    name = (name or "").strip()
    errors = accounts.team_name_errors(name, "name")
    if not errors and name in known_teams(store):
        errors = {"name": f"{name} is already a team: enter another name"}
    if errors:
        raise Invalid("Correct the team's name shown.", errors)
    return _put(store, name, None, None, audit_service.entry(by, "team", name, "added"))
