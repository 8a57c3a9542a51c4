"""Reporting periods and key strategic objectives, kept in the store.

Periods: collection "periods" keyed by code ("2007-08", "2007-08 Q3").
Strategic objectives: collection "strategic" keyed by number ("1".."9").
"""
from store import Conflict, Put
from workflow import fields, periods, policy
from workflow.errors import Forbidden, Invalid, StateConflict
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
    if not policy.may_manage_reporting(user):
        raise Forbidden("reporting periods are kept by the Head of Race and Diversity or an administrator")
    errors = periods.check("code", code)
    if errors:
        raise Invalid("not a reporting period", errors)
    try:
        [stored] = store.commit([Put(PERIODS, code, period_record(code))])
    except Conflict:
        raise StateConflict(f"{code} is already a reporting period", {"code": "exists"}) from None
    return stored


def list_strategic(store):
    return sorted(store.scan(STRATEGIC), key=lambda record: record["number"])


def save_strategic(store, user, number, title, version=None):
    """Create (version None) or retitle a strategic objective."""
    if not policy.may_manage_reporting(user):
        raise Forbidden("strategic objectives are kept by the Head of Race and Diversity or an administrator")
    errors = {}
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 99:
        errors["number"] = "must be a whole number from 1 to 99"
    errors.update(fields.one_line("title", title, 500))
    if errors:
        raise Invalid("the strategic objective is not valid", errors)
    try:
        [stored] = store.commit([Put(STRATEGIC, str(number), {"number": number, "title": title.strip()},
                                     expected_version=version)])
    except Conflict:
        raise StateConflict("someone else changed it first; reload", {"version": "stale"}) from None
    return stored


def seed_strategic(store):
    """The 2007 report's nine strategic objectives, into a store that has none."""
    if not store.scan(STRATEGIC):
        store.commit([Put(STRATEGIC, str(n), {"number": n, "title": title}) for n, title in STRATEGIC_2004])
