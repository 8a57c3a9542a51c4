"""Team Equality Plan: a team's targets for a period, each serving corporate objectives."""
from functools import partial

from workflow import fields as f
from workflow import numbers, periods, strands

NAME = "team_plan"
LABEL = "Team Equality Plan"
CREATORS = ("team_leader",)
LOCKED_WHEN_SCREENED = ()


def _objective_ids(path, value):
    if not isinstance(value, list):
        return {path: "Give the objectives as a list"}
    return {f"{path}.{i}": "Select an existing corporate objective" for i, item in enumerate(value)
            if not numbers.is_id(item)}


TARGET_SPEC = {
    "target": f.text,
    "owner": partial(f.text, limit=200),
    "objectives": _objective_ids,
    "deadline": f.deadline,
    "strands": partial(f.text_list, options=strands.ALL, words=strands.LABELS),
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
