"""The rules of writing one period's progress on an objective, and of carrying an
objective forward to a successor plan: pure, so that the progress page and the API
(through services/progress_service.py) refuse and store alike.

The objective's own rules (one entry per period, a reason for a changed status)
are its kind's (workflow/kinds/objective.py) and hold for every change of its fields.
"""
from workflow import fields, machine, periods
from workflow.errors import (
    NO_SUCH_DOCUMENT,
    Forbidden,
    Invalid,
    NotFound,
    StateConflict,
)
from workflow.kinds import objective

# Where a refusal of the entry being written is reported, whatever its place will be.
NEW_ENTRY = "fields.progress.new"
# What a successor objective keeps: what it is and whom it serves, not how far it got.
CARRIED = ("heading", "theme", "action", "leads", "strands", "strategic")


def by_period(progress):
    """Progress entries, newest period first (an entry naming no period is left out)."""
    return sorted((e for e in progress or [] if periods.parse(e.get("period"))),
                  key=lambda e: periods.sort_key(e["period"]), reverse=True)


def previous(progress, code):
    """The entry of the latest period before `code` (the one its status is compared with)."""
    return next((e for e in by_period(progress) if periods.sort_key(e["period"]) < periods.sort_key(code)), None)


def following(progress, code):
    """The entry of the earliest period after `code` that has a status: the one whose status
    is compared with `code`'s, so that back-filling `code` may need a reason given there."""
    return next((e for e in reversed(by_period(progress))
                 if periods.sort_key(e["period"]) > periods.sort_key(code) and e.get("status")), None)


def with_following_reason(progress, code, reason):
    """`progress` with the reason of the entry following `code` (see `following`) replaced
    by `reason` (None or blank clears it); as it was if no entry follows."""
    after = following(progress, code)
    if after is None:
        return progress
    given = {"reason": reason} if reason and reason.strip() else {}
    rest = {key: value for key, value in after.items() if key != "reason"}
    return [{**rest, **given} if entry is after else entry for entry in progress]


def writable_periods(opened, progress):
    """Periods one may write, oldest first: those the Head opened (codes), and any already written."""
    return sorted(set(opened) | {e["period"] for e in by_period(progress)}, key=periods.sort_key)


def objective_only(doc):
    """`doc` if it is an objective; only objectives have progress (anything else: NotFound)."""
    if doc["kind"] != objective.NAME:
        raise NotFound(NO_SUCH_DOCUMENT)
    return doc


def check_entry(entry, writable):
    """Refuse an entry for a period not in `writable` (writable_periods) or without a status,
    before the objective's own rules are applied to the series it makes."""
    code, errors = entry.get("period"), {}
    if code not in writable:
        # A code that is no period at all is told what a period is (and the range of years).
        errors.update(periods.check(f"{NEW_ENTRY}.period", code)
                      or {f"{NEW_ENTRY}.period": "Select a reporting period the Head has opened"})
    if not entry.get("status"):
        errors[f"{NEW_ENTRY}.status"] = "Select the status: " + fields.either(list(objective.STATUS_WORDS.values()))
    if errors:
        raise Invalid("Correct the progress entry shown.", errors)


def with_entry(progress, entry):
    """(the progress list with `entry` in place of its period's entry, or added at the end;
    the entry's place in it), so that an entry rewritten keeps its place."""
    code = entry.get("period")
    kept = [e for e in progress or [] if e.get("period") != code]
    index = next((i for i, e in enumerate(progress or []) if e.get("period") == code), len(kept))
    kept.insert(index, entry)
    return kept, index


def may_carry_forward(doc, user):
    """Team leaders of the owning team carry an approved objective forward."""
    return user is not None and user.leads(doc["team"]) and doc["state"] in machine.PUBLISHED_STATES


def carried_forward(doc, user, successors):
    """(title, team, fields) of a new draft objective continuing the approved `doc` in a
    successor plan; refused unless `user` leads its team, it is approved and not already
    carried forward (`successors`: the objectives carried forward from it)."""
    objective_only(doc)
    if not user.leads(doc["team"]):
        raise Forbidden(f"Only a team leader of {doc['team']} can carry this objective forward.")
    if doc["state"] not in machine.PUBLISHED_STATES:
        raise StateConflict("Only an approved objective can be carried forward.", {"state": doc["state"]})
    if successors:
        raise StateConflict(f"This objective is already carried forward to “{successors[0]['title']}”.",
                            {"successor": successors[0]["id"]})
    approved = doc["published"]
    fields = {key: approved["fields"][key] for key in CARRIED if key in approved["fields"]}
    return approved["title"], doc["team"], {**fields, "disposition": "open", "carried_forward_from": doc["id"]}
