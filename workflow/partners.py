"""External partners and contractors, and their equality compliance checks (the plan's
"Purchaser of Goods and Services": contract compliance). Pure: what a partner and a check
must hold, when the next check is due, and what My work and the progress report show.

A partner is kept by its owner team's staff and team leaders and the Head
(workflow.policy.may_keep_partner); everyone signed in reads the list. Its next check is
due on the date its latest check set, or, before any check, from the contract's start (or
the day it was added); no check falls due after its contract has ended.
"""
import datetime as dt

from workflow import fields, periods, policy
from workflow.errors import Invalid
from workflow.worklist import Section

OUTCOMES = {"compliant": "Compliant", "actions_agreed": "Actions agreed", "not_compliant": "Not compliant"}
DUE_SOON = dt.timedelta(days=30)
NAME_LIMIT = 200
TEXT_LIMIT = 2000
DETAILS = ("name", "provides", "team", "contract_start", "contract_end")
CHECK = ("date", "outcome", "note", "next_due")


def _trimmed(value):
    return (value.strip() or None) if isinstance(value, str) else None


def _dates(found, errors, *keys):
    for key in keys:
        if found[key] is not None:
            errors.update(fields.date(key, found[key]))


def checked(given, teams):
    """The partner `given` ({name, provides, team, contract_start, contract_end}: text) as it will
    be stored, trimmed, blanks None; Invalid naming each input that is wrong. `teams`: the known teams."""
    found = {key: _trimmed(given.get(key)) for key in DETAILS}
    errors = fields.one_line("name", found["name"] or "", NAME_LIMIT)
    if found["provides"] is None:
        errors["provides"] = "Enter what they provide"
    else:
        errors.update(fields.text("provides", found["provides"], TEXT_LIMIT))
    if found["team"] not in teams:
        errors["team"] = "Select the team that owns the contract"
    _dates(found, errors, "contract_start", "contract_end")
    if not errors and found["contract_start"] and found["contract_end"] \
            and found["contract_end"] < found["contract_start"]:
        errors["contract_end"] = "The contract's end must be the same as or after its start"
    if errors:
        raise Invalid("Correct the partner's details shown.", errors)
    return found


def checked_check(given, today):
    """The compliance check `given` ({date, outcome, note, next_due}: text) as it will be stored;
    Invalid naming each input that is wrong. A check is recorded once done: not after `today`."""
    found = {key: _trimmed(given.get(key)) for key in CHECK}
    errors = {}
    if found["date"] is None:
        errors["date"] = "Enter the date of the check"
    _dates(found, errors, "date", "next_due")
    if "date" not in errors and found["date"] > today.isoformat():
        errors["date"] = "The date of the check must be today or in the past"
    if found["outcome"] not in OUTCOMES:
        errors["outcome"] = "Select the outcome: " + ", ".join(OUTCOMES.values())
    if found["note"] is not None:
        errors.update(fields.text("note", found["note"], TEXT_LIMIT))
    if not errors and found["next_due"] and found["next_due"] <= found["date"]:
        errors["next_due"] = "The next check must be due after the date of this check"
    if errors:
        raise Invalid("Correct the check shown.", errors)
    return found


def with_check(partner, check, by, at):
    """`partner` with `check` recorded (by `by`, at `at`), its checks in date order."""
    checks = [*partner.get("checks", ()), {**check, "recorded_by": by, "recorded_at": at}]
    return {**partner, "checks": sorted(checks, key=lambda c: (c["date"], c["recorded_at"]))}


def next_due(partner, on=None):
    """The day (ISO) the partner's next check is due, as known on day `on` (ISO; None: now),
    or None if none is due: the contract has ended by then, or the last check set no next one."""
    done = [c for c in partner.get("checks", ()) if on is None or c["date"] <= on]
    due = done[-1]["next_due"] if done else _begun(partner)
    ended = partner.get("contract_end")
    return None if due is None or (ended and due > ended) else due


def _begun(partner):
    """The day (ISO) the partner's contract began, or, not given, the day it was added."""
    return partner.get("contract_start") or partner["added_at"][:10]


def due_for(partners, user, today):
    """My work's checks due: [{partner, due, overdue}] for the partners `user` keeps
    (policy.may_keep_partner), next check due within DUE_SOON or overdue, soonest first."""
    horizon = (today + DUE_SOON).isoformat()
    found = [{"partner": p, "due": due, "overdue": due < today.isoformat()} for p in partners
             if (due := next_due(p)) and due <= horizon and policy.may_keep_partner(user, p["team"])]
    return sorted(found, key=lambda item: (item["due"], item["partner"]["name"].casefold()))


CHECKS_DUE = "checks_due"


def with_checks_due(sections, due):
    """My work's `sections` with the partners' checks `due` (from due_for) after the rest."""
    if not due:
        return sections
    return [*sections, Section(CHECKS_DUE, "Equality checks of partners and contractors, due", tuple(due))]


def for_report(partners, period, as_of):
    """The progress report's counts for `period`: the checks done in it by outcome, and the
    partners whose check was overdue on `as_of` (an ISO day), as the checks recorded by then
    have it (a partner added later with an older contract counts too); None if no partner is kept."""
    if not partners:
        return None
    start, end = (day.isoformat() for day in periods.bounds(period))
    done = [c for p in partners for c in p.get("checks", ()) if start <= c["date"] <= end]
    known = [p for p in partners if _begun(p) <= as_of]
    return {**{outcome: sum(c["outcome"] == outcome for c in done) for outcome in OUTCOMES},
            "overdue": sum(1 for p in known if (due := next_due(p, as_of)) and due < as_of), "as_of": as_of}


REPORT_HEADING = "Contract compliance: equality checks of partners and contractors"


def report_blocks(counts, label, day):
    """The progress report's part for the partners' checks (`counts` from for_report), as
    workflow.reports blocks; nothing when no partner is kept. `day`: how the report writes a date."""
    if not counts:
        return []
    total = sum(counts[outcome] for outcome in OUTCOMES)
    return [{"type": "heading", "level": 3, "text": REPORT_HEADING},
            {"type": "table", "caption": f"Equality compliance checks of partners and contractors done during {label}",
             "header": ["Outcome", "Checks"],
             "rows": [*([words, str(counts[outcome])] for outcome, words in OUTCOMES.items()),
                      ["All checks", str(total)]],
             "statuses": None},
            {"type": "text", "text": f"Checks overdue on {day(counts['as_of'])}: {counts['overdue']}."}]
