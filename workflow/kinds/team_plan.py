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
        return {path: "must be a list"}
    return {f"{path}.{i}": "must be an objective id" for i, item in enumerate(value)
            if not numbers.is_id(item)}


TARGET_SPEC = {
    "target": f.text,
    "owner": partial(f.text, limit=200),
    "objectives": _objective_ids,
    "deadline": f.deadline,
    "strands": partial(f.text_list, options=strands.ALL),
}

SPEC = {
    "period": periods.check,
    "coordinator": partial(f.text, limit=200),
    "targets": partial(f.records, spec=TARGET_SPEC),
}


def validate(fields, current=None):  # `current`: see the kinds package
    return f.record("", fields, SPEC)


def screening_gaps(fields):
    gaps = []
    for key, words in (("period", "the period"), ("coordinator", "the team's equality coordinator"),
                       ("targets", "at least one target")):
        if f.blank(fields.get(key)):
            gaps.append(f"{key}: {words} given")
    return gaps


def submission_gaps(fields):
    return [f"targets.{i}.objectives: the target is linked to the corporate objectives it serves"
            for i, target in enumerate(fields.get("targets") or [])
            if f.blank(target.get("objectives"))]
