"""Reporting periods and key strategic objectives, kept in the store.

Periods: collection "periods" keyed by code ("2007-08", "2007-08 Q3").
Strategic objectives: collection "strategic" keyed by number ("1".."9").
"""
from services import commits
from store import Put
from workflow import periods, policy, strategy
from workflow.errors import Forbidden, Invalid, NotFound, StateConflict
from workflow.strategy import STRATEGIC_2004

PERIODS, STRATEGIC = "periods", "strategic"


def period_record(code):
    first, last = periods.bounds(code)
    return {"code": code, "label": periods.label(code), "starts": first.isoformat(), "ends": last.isoformat()}


def list_periods(store):
    """Every reporting period, oldest first (a stored code that is no period is left out)."""
    return sorted((record for record in store.scan(PERIODS) if periods.parse(record.get("code"))),
                  key=lambda record: periods.sort_key(record["code"]))


def add_period(store, user, code):
    """Open a reporting period; Invalid for a bad code, StateConflict if it exists."""
    check_keeper(user)
    code = code.strip() if isinstance(code, str) else code  # as typed into a form, or sent
    errors = periods.check("code", code)
    if errors:
        raise Invalid("Correct the reporting period shown.", errors)
    with commits.refused_if_changed(f"{code} is already a reporting period.",
                                    {"code": f"{code} is already open: enter another period"}):
        [stored] = store.commit([Put(PERIODS, code, period_record(code))])
    return stored


def list_strategic(store):
    return sorted(store.scan(STRATEGIC), key=lambda record: record["number"])


def strategic(store, number):
    """The strategic objective numbered `number`, or NotFound."""
    found = [record for record in list_strategic(store) if record["number"] == number]
    if not found:
        raise NotFound("There is no such strategic objective.")
    return found[0]


def add_strategic(store, user, number, title):
    """A new strategic objective; Invalid if its number is taken."""
    check_keeper(user)
    strategy.check_strategic(number, title)
    if any(record["number"] == number for record in list_strategic(store)):
        raise Invalid("That number is taken.", {"number": f"Objective {number} already exists; choose another number"})
    with commits.refused_if_changed("Someone else added it first: reload the page to see it.",
                                    {"number": "That number is taken: choose another number"}):
        [stored] = store.commit([Put(STRATEGIC, str(number), _strategic_record(number, title))])
    return stored


def retitle_strategic(store, user, number, title, version):
    """A strategic objective's new title, over the `version` its editor saw."""
    check_keeper(user)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        # without it the change would overwrite whatever is stored
        raise StateConflict("The form did not say which version it changes: reload the page and try again.",
                            {"version": "stale"})
    strategy.check_strategic(number, title)
    with commits.refused_if_changed("Someone else changed it first, so nothing was saved: reload the page and try "
                                    "again.", {"version": "stale"}):
        [stored] = store.commit([Put(STRATEGIC, str(number), _strategic_record(number, title),
                                     expected_version=version)])
    return stored


def _strategic_record(number, title):
    return {"number": number, "title": title.strip()}


def check_keeper(user):
    """Forbidden unless `user` keeps the reporting periods and strategic objectives (policy)."""
    if not policy.may_manage_reporting(user):
        raise Forbidden("Only the Head of Race and Diversity or an administrator can keep strategic objectives "
                        "and reporting periods.")


def seed_strategic(store):
    """The 2007 report's nine strategic objectives, into a store that has none."""
    if not store.scan(STRATEGIC):
        store.commit([Put(STRATEGIC, str(n), {"number": n, "title": title}) for n, title in STRATEGIC_2004])
