"""Objectives led by several teams (the plan's "All Teams", "All staff", or two units
named in its Lead column): each lead team's leaders write their own team's progress
entry for a period, on the objective's working copy; the owning team (the plan's
co-ordinator for "All Teams") submits the update, the Head signs it off as any other,
and sets the overall status with it. Pure: the progress pages and the API (through
services/progress_service.py) and workflow.policy ask here.

"All Teams" means every team, present and future: it is matched against the teams a
person leads, never against a list of teams fixed today.
"""
from workflow import fields as f
from workflow import machine, periods
from workflow.errors import Forbidden, Invalid, StateConflict
from workflow.kinds.objective import TEAM_ENTRY_TEXTS as TEXTS
from workflow.kinds.objective import TEAM_PROGRESS as FIELD

# Leads that name every team; "All staff (Professional Appraisal)" counts as "All staff".
EVERY_TEAM = ("All Teams", "All staff", "All Team Leaders")
# Where a refusal of the entry being written is reported (as progress.NEW_ENTRY for the objective's own).
NEW_ENTRY = f"fields.{FIELD}.new"


def lead_teams(fields):
    """(whether every team leads it, the teams its leads name): a lead is a team by the
    plan's name for it (workflow.plan_import.LEAD_TEAMS) or by the team's own name; a post
    the plan names (the MPA Chair, the Clerk) is the co-ordinating unit's to report on."""
    # Imported here: plan_import imports the documents module, which asks policy, which asks here.
    from workflow.plan_import import COORDINATOR, LEAD_TEAMS, NOT_A_TEAM, _bare

    bare = [_bare(lead) for lead in fields.get("leads") or [] if isinstance(lead, str)]
    every = any(lead in EVERY_TEAM for lead in bare)
    return every, {LEAD_TEAMS.get(lead, COORDINATOR if lead in NOT_A_TEAM else lead)
                   for lead in bare if lead not in EVERY_TEAM}


def is_shared(fields):
    """Led by every team, or by more than one."""
    every, named = lead_teams(fields)
    return every or len(named) > 1


def teams_of(doc, user):
    """The teams `user` leads that lead the shared objective `doc`, sorted: those they may
    write an entry for. Empty for anything else (not an objective, led by one team)."""
    if user is None or doc.get("kind") != "objective" or not is_shared(doc["fields"]):
        return []
    every, named = lead_teams(doc["fields"])
    return sorted(team for team in user.teams if user.leads(team) and (every or team in named))


def awaits_entry(doc, shown, user):
    """My work: an update of a shared objective is under way (a draft or screened revision)
    and `user` leads one of its lead teams, so their team's entry is wanted."""
    return shown["state"] in machine.EDITABLE_STATES and bool(teams_of(doc, user))


def _others(entries, teams):
    return [e for e in entries or [] if not isinstance(e, dict) or e.get("team") not in teams]


def writes_only_own_entries(doc, user, changes):
    """Whether `changes` (a dict of fields) changes nothing but the entries of teams `user`
    leads on the shared objective `doc`: what a lead team's leader may edit of it."""
    teams = teams_of(doc, user)
    if not teams or not isinstance(changes, dict) or set(changes) != {FIELD}:
        return False
    new = changes[FIELD] if isinstance(changes[FIELD], list) else []
    return _others(doc["fields"].get(FIELD), teams) == _others(new, teams)


def check_entry(doc, user, entry, writable):
    """Refuse writing `entry` ({period, team, texts}) on `doc` unless it is a shared objective,
    `user` leads the entry's team and that team leads it, the objective is being worked on
    (a draft, or screened), the period is one of `writable`, and something is written."""
    if not is_shared(doc["fields"]):
        raise StateConflict("This objective is led by one team: its progress is written on its progress page.")
    teams = teams_of(doc, user)
    if not teams:
        raise Forbidden("Only a team leader of a team that leads this objective can write a team's entry.")
    if entry.get("team") not in teams:
        raise Invalid("Correct the team's entry.", {f"{NEW_ENTRY}.team": "Select a team you lead: "
                                                    + f.either(teams)})
    if doc["state"] not in machine.EDITABLE_STATES:
        raise StateConflict(f"No progress update of this objective is under way. Ask a team leader of {doc['team']} "
                            f"to start one; you can then write {entry['team']}'s entry.", {"state": doc["state"]})
    errors = {}
    if entry.get("period") not in writable:
        errors.update(periods.check(f"{NEW_ENTRY}.period", entry.get("period"))
                      or {f"{NEW_ENTRY}.period": "Select a reporting period the Head has opened"})
    if all(f.blank(entry.get(key)) for key in TEXTS):
        errors[f"{NEW_ENTRY}.evidence"] = "Enter the evidence, key outcomes, areas for improvement or a comment"
    if errors:
        raise Invalid("Correct the team's entry shown.", errors)


def with_entry(entries, entry):
    """`entries` with `entry` in place of the entry of its period and team (kept in its
    place), or added at the end."""
    key = (entry.get("period"), entry.get("team"))
    kept = [e for e in entries or [] if (e.get("period"), e.get("team")) != key]
    index = next((i for i, e in enumerate(entries or []) if (e.get("period"), e.get("team")) == key), len(kept))
    kept.insert(index, entry)
    return kept


def entry_of(entries, period, team):
    return next((e for e in entries or [] if e.get("period") == period and e.get("team") == team), None)


def by_period(entries):
    """The teams' entries, newest period first, then by team."""
    ordered = sorted((e for e in entries or [] if periods.parse(e.get("period"))), key=lambda e: e.get("team") or "")
    return sorted(ordered, key=lambda e: periods.sort_key(e["period"]), reverse=True)


def for_period(entries, period):
    """The teams' entries for `period`, by team name."""
    return sorted((e for e in entries or [] if e.get("period") == period), key=lambda e: e.get("team") or "")
