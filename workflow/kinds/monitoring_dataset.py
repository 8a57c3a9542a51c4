"""Monitoring dataset: measures (staff in post, applicants, shortlisted, appointed, ...) counted
by the groups of a strand for a period, one count a row (CEP 2004: the Head of Race and
Diversity is "responsible for providing and publishing monitoring data").

Owned by a team and signed off like every document. What it means (shares, stage rates,
relative rates, flags) is workflow.monitoring's; what readers outside the owning team see
(small counts suppressed) is workflow.suppression's.
"""
from functools import partial

from workflow import fields as f
from workflow import numbers, periods, strands

NAME = "monitoring"
LABEL = "Monitoring dataset"
CREATORS = ("staff", "team_leader")
LOCKED_WHEN_SCREENED = ()

MAX_COUNT = 10_000_000  # more than any authority's staff or public contacts in a period
MAX_ROWS = 20_000


def count(path, value):
    """A count of people: a whole number from 0 up."""
    if numbers.whole(value, 0, MAX_COUNT) is None or not isinstance(value, int):
        return {path: f"Enter the count as a whole number from 0 to {MAX_COUNT:,}"}
    return {}


ROW_SPEC = {
    "measure": partial(f.one_line, limit=100),
    "period": periods.check,
    "strand": partial(f.choice, options=strands.ALL, words=strands.LABELS),
    "group": partial(f.one_line, limit=100),
    "count": count,
}
ROW_KEYS = tuple(ROW_SPEC)


def _rows(path, value):
    if isinstance(value, list) and len(value) > MAX_ROWS:
        return {path: f"A dataset holds at most {MAX_ROWS:,} counts: split it into several datasets"}
    errors = f.records(path, value, ROW_SPEC)
    for i, row in enumerate(value if not errors else []):
        missing = [key for key in ROW_KEYS if key not in row]
        if missing:
            errors[f"{path}.{i}"] = "Give the measure, period, strand, group and count of each row"
    return errors


SPEC = {
    "description": f.text,
    strands.FIELD: strands.check_name,
    "rows": _rows,
}


def validate(fields, current=None):  # `current`: see the kinds package
    return f.record("", fields, SPEC)


def screening_gaps(fields):
    return [f.Gap("rows", "Add the counts: upload a CSV file of them")] if f.blank(fields.get("rows")) else []


def submission_gaps(fields):
    return []
