"""Supersession of an equality plan by its successor, in one signed-off step: the successor's
details and critical success factors, and the open objectives it takes over. Written by the
Head's Unit and signed off like every document (a Head's by the Chief Executive); once
approved, the old plan's cycle ends and the successor's begins (workflow.plans)."""
from functools import partial

from workflow import fields as f
from workflow import numbers, periods

NAME = "plan_succession"
LABEL = "Plan succession"
CREATORS = ("head",)
TEAM = "Race & Diversity Unit"
LOCKED_WHEN_SCREENED = ()


def _year(path, value):
    """A financial year: a plan runs over whole years."""
    if periods.parse(value) is None or periods.parse(value)[1] is not None:
        return {path: f"Enter a financial year like 2007-08, from {periods.RANGE}"}
    return {}


def _ids(path, value):
    if not isinstance(value, list):
        return {path: "Give the objectives as a list"}
    return {f"{path}.{i}": "Select an existing objective" for i, item in enumerate(value) if not numbers.is_id(item)}


SPEC = {
    "plan": partial(f.one_line, limit=100),  # the key of the plan superseded (workflow.plans.Plan.key)
    "first_year": _year,
    "last_year": _year,
    "adopted_by": partial(f.one_line, limit=200),
    "adopted_on": f.date,
    "factors": f.text_list,
    "carried": _ids,
}


def validate(fields, current=None):  # `current`: see the kinds package
    errors = f.record("", fields, SPEC)
    merged = {**(current or {}), **fields}
    first, last = merged.get("first_year"), merged.get("last_year")
    if not errors and first and last and periods.sort_key(last) < periods.sort_key(first):
        errors["last_year"] = "Enter a last year that is the first year or after it"
    return errors


def screening_gaps(fields):
    return [f.Gap(key, words) for key, words in
            (("plan", "Select the plan superseded"), ("first_year", "Enter the successor's first year"),
             ("last_year", "Enter the successor's last year"), ("adopted_by", "Enter who adopted the successor"),
             ("adopted_on", "Enter the date the successor was adopted")) if f.blank(fields.get(key))]


def submission_gaps(fields):
    return [] if not f.blank(fields.get("factors")) else [
        f.Gap("factors", "Enter the successor's critical success factors")]
