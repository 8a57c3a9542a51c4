"""Equality Impact Assessment: initial screening across the strands of its strand
set (workflow.strands), then the full assessment wherever the screening found a
negative impact (CEP 2004)."""
from functools import partial

from workflow import fields as f
from workflow import strands

NAME = "eqia"
LABEL = "Equality Impact Assessment"
CREATORS = ("staff", "team_leader")
LOCKED_WHEN_SCREENED = ("screening",)

IMPACTS = ("positive", "negative", "neutral", "unknown")
TRIGGERS = ("new", "review", "requested")
OUTCOMES = ("no_change", "adjust", "justify_continue", "stop")

STRAND_SPEC = {
    "impact": partial(f.choice, options=IMPACTS),
    "differential": f.boolean,
    "intended": f.boolean,
    "evidence": f.text,
}


def _screening(path, value, options):
    if not isinstance(value, dict):
        return {path: "must be an object"}
    errors = f.record(path, value, {strand: partial(f.record, spec=STRAND_SPEC) for strand in options})
    # Say which strands are allowed, not only that a key is foreign.
    return {key: (f"is not a strand of this EqIA's strand set; it must be one of {', '.join(options)}"
                  if message == "is not a field of this kind" else message) for key, message in errors.items()}


def _spec(options):
    """The validators of an EqIA's fields, given its strand set's strands."""
    mitigation = {"strand": partial(f.choice, options=options), "action": f.text,
                  "owner": partial(f.text, limit=200), "deadline": f.deadline, "done": f.boolean}
    assessment = {"evidence": f.text, "consultation": f.text, "mitigations": partial(f.records, spec=mitigation),
                  "justification": f.text, "outcome": partial(f.choice, options=OUTCOMES), "monitoring": f.text}
    return {strands.FIELD: strands.check_name, "subject": f.text, "trigger": partial(f.choice, options=TRIGGERS),
            "lead_organisation": partial(f.text, limit=200), "review_date": f.date,
            "screening": partial(_screening, options=options),
            "full_assessment": partial(f.record, spec=assessment)}


def validate(fields, current=None):
    """Errors in `fields`: a whole EqIA's when `current` is None, else the changes
    to one whose fields are `current`. The set is fixed once the EqIA exists, so
    its answers stay readable and comparable against the set they were given for."""
    errors = f.record("", fields, _spec(strands.strands_of(current if current is not None else fields)))
    if current is None or strands.FIELD not in fields or strands.FIELD in errors:
        return errors
    given, kept = fields[strands.FIELD], strands.strand_set(current)
    if given != current.get(strands.FIELD) and (given is None or strands.SETS[given] != kept):
        errors[strands.FIELD] = f"cannot be changed: this EqIA is screened against {kept.title} ({kept.name})"
    return errors


def negative_strands(fields):
    screening = fields.get("screening") or {}
    return [s for s in strands.strands_of(fields) if (screening.get(s) or {}).get("impact") == "negative"]


def screening_gaps(fields):
    """What the initial screening still lacks: every strand of its set answered."""
    gaps = []
    if f.blank(fields.get("subject")):
        gaps.append("the policy, strategy or project assessed (subject) is given")
    if f.blank(fields.get("trigger")):
        gaps.append("why it is assessed (trigger) is given")
    screening = fields.get("screening") or {}
    for strand in strands.strands_of(fields):
        answer = screening.get(strand) or {}
        if f.blank(answer.get("impact")):
            gaps.append(f"screening.{strand}: the impact is answered")
            continue
        if answer["impact"] == "negative" and f.blank(answer.get("evidence")):
            gaps.append(f"screening.{strand}: evidence is given for the negative impact")
        if answer["impact"] == "negative" and answer.get("intended") is None:
            # An unanswered question is not taken for No: the full assessment justifies an intended impact.
            gaps.append(f"screening.{strand}: whether the negative impact is intended is answered")
    return gaps


def submission_gaps(fields):
    """What must hold before submission: a review date, and the full
    assessment wherever screening found a negative impact."""
    gaps = []
    if f.blank(fields.get("review_date")):
        gaps.append("a review date is set")
    negatives = negative_strands(fields)
    if not negatives:
        return gaps
    full = fields.get("full_assessment") or {}
    for key, words in (("evidence", "evidence and data"), ("consultation", "consultation"),
                       ("outcome", "the outcome"), ("monitoring", "monitoring arrangements")):
        if f.blank(full.get(key)):
            gaps.append(f"full_assessment.{key}: {words} given (screening found a negative impact)")
    mitigated = {m.get("strand") for m in full.get("mitigations") or []
                 if not f.blank(m.get("action")) and not f.blank(m.get("owner"))
                 and not f.blank(m.get("deadline"))}
    for strand in negatives:
        if strand not in mitigated:
            gaps.append(f"full_assessment.mitigations: an action with owner and deadline for the negative impact on {strand}")
    screening = fields.get("screening") or {}
    intended = [s for s in negatives if (screening.get(s) or {}).get("intended")]
    if intended and f.blank(full.get("justification")):
        gaps.append("full_assessment.justification: the intended negative impact on "
                    + ", ".join(intended) + " is justified")
    return gaps
