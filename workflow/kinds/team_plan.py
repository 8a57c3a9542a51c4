"""Team Equality Plan: a team's targets for a period, each serving corporate objectives."""
from functools import partial

from workflow import fields as f
from workflow import numbers, periods, strands
from workflow.kinds.objective import STATUS_WORDS, STATUSES

NAME = "team_plan"
LABEL = "Team Equality Plan"
CREATORS = ("team_leader",)
LOCKED_WHEN_SCREENED = ()


def _objective_ids(path, value):
    if not isinstance(value, list):
        return {path: "Give the objectives as a list"}
    return {f"{path}.{i}": "Select an existing corporate objective" for i, item in enumerate(value)
            if not numbers.is_id(item)}


PROGRESS_SPEC = {
    "period": periods.check,
    "status": partial(f.choice, options=STATUSES, words=STATUS_WORDS),
    "progress": f.text,
}


def _progress(path, value):
    """A target's progress: one entry per reporting period, each with its status."""
    errors = f.records(path, value, PROGRESS_SPEC)
    seen = set()
    for i, entry in enumerate(value if not errors else []):
        if "period" not in entry or "status" not in entry:
            errors[f"{path}.{i}"] = "Enter the period and the status of each progress entry"
        elif entry["period"] in seen:
            errors[f"{path}.{i}.period"] = f"{entry['period']} already has a progress entry: change that one instead"
        seen.add(entry.get("period"))
    return errors


TARGET_SPEC = {
    "target": f.text,
    "owner": partial(f.text, limit=200),
    "objectives": _objective_ids,
    "deadline": f.deadline,
    "strands": partial(f.text_list, options=strands.ALL, words=strands.LABELS),
    "progress": _progress,
}

SPEC = {
    "period": periods.check,
    "coordinator": partial(f.text, limit=200),
    "targets": partial(f.records, spec=TARGET_SPEC),
}


def validate(fields, current=None):  # `current`: see the kinds package
    return f.record("", fields, SPEC)


def screening_gaps(fields):
    return [f.Gap(key, words) for key, words in
            (("period", "Enter the period"), ("coordinator", "Enter the team's equality coordinator"),
             ("targets", "Add at least one target")) if f.blank(fields.get(key))]


def submission_gaps(fields):
    return [f.Gap(f"targets.{i}.objectives", f"Link target {i + 1} to the corporate objectives it serves")
            for i, target in enumerate(fields.get("targets") or [])
            if f.blank(target.get("objectives"))]
