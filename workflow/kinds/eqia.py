"""Equality Impact Assessment: initial screening across the strands of its strand
set (workflow.strands), then the full assessment wherever the screening found a
negative impact (CEP 2004)."""
from functools import partial

from workflow import fields as f
from workflow import citations, strands

NAME = "eqia"
LABEL = "Equality Impact Assessment"
CREATORS = ("staff", "team_leader")
LOCKED_WHEN_SCREENED = ("screening",)

IMPACTS = ("positive", "negative", "neutral", "unknown")
TRIGGERS = ("new", "review", "requested")
OUTCOMES = ("no_change", "adjust", "justify_continue", "stop")
MAX_CITED = 50  # consultations a full assessment cites (workflow.consultations), by their numbers

STRAND_SPEC = {
    "impact": partial(f.choice, options=IMPACTS),
    "differential": f.boolean,
    "intended": f.boolean,
    "evidence": f.text,
}


def _screening(path, value, options):
    errors = f.record(path, value, {strand: partial(f.record, spec=STRAND_SPEC) for strand in options})
    # Say which strands are allowed, not only that a key is foreign.
    allowed = ", ".join(strands.LABELS.get(s, s) for s in options)
    return {key: (f"This is not a strand of this EqIA's strand set; its strands are {allowed}"
                  if message == f.UNKNOWN else message) for key, message in errors.items()}


def _spec(options):
    """The validators of an EqIA's fields, given its strand set's strands."""
    mitigation = {"strand": partial(f.choice, options=options, words=strands.LABELS), "action": f.text,
                  "owner": partial(f.text, limit=200), "deadline": f.deadline, "done": f.boolean}
    assessment = {"evidence": f.text, "consultation": f.text, "consultations": partial(f.record_ids, limit=MAX_CITED),
                  "figures": citations.check,
                  "mitigations": partial(f.records, spec=mitigation),
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
        errors[strands.FIELD] = f"The strand set cannot be changed: this EqIA is screened against {kept.title}"
    return errors


def negative_strands(fields):
    screening = fields.get("screening") or {}
    return [s for s in strands.strands_of(fields) if (screening.get(s) or {}).get("impact") == "negative"]


def _on(strand):
    return strands.LABELS.get(strand, strand).lower()


def screening_gaps(fields):
    """What the initial screening still lacks: every strand of its set answered (f.Gap each)."""
    gaps = []
    if f.blank(fields.get("subject")):
        gaps.append(f.Gap("subject", "Enter the policy, strategy or project assessed"))
    if f.blank(fields.get("trigger")):
        gaps.append(f.Gap("trigger", "Select why it is assessed"))
    screening = fields.get("screening") or {}
    # Asked of every strand at each transition's check, its machine's guard and the actions
    # an answer lists: the impact is read once, and only a falsy one is asked whether it is blank.
    for strand in strands.strands_of(fields):
        answer = screening.get(strand) or {}
        impact = answer.get("impact")
        if impact == "negative":
            if f.blank(answer.get("evidence")):
                gaps.append(f.Gap(f"screening.{strand}.evidence",
                                  f"Enter the evidence for the negative impact on {_on(strand)}"))
            if answer.get("intended") is None:
                # An unanswered question is not taken for No: the full assessment justifies an intended impact.
                gaps.append(f.Gap(f"screening.{strand}.intended",
                                  f"Select whether the negative impact on {_on(strand)} is intended"))
        elif not impact and f.blank(impact):
            gaps.append(f.Gap(f"screening.{strand}.impact", f"Select the impact on {_on(strand)}"))
    return gaps


def submission_gaps(fields):
    """What must hold before submission: a review date, and the full
    assessment wherever screening found a negative impact."""
    gaps = []
    if f.blank(fields.get("review_date")):
        gaps.append(f.Gap("review_date", "Enter a review date"))
    negatives = negative_strands(fields)
    if not negatives:
        return gaps
    full = fields.get("full_assessment") or {}
    # Consultations or monitoring figures cited answer for the consultation or the evidence as well as words do.
    cited = {"consultation": full.get("consultations"), "evidence": full.get("figures")}
    for key, words in (("evidence", "Enter the evidence and data"), ("consultation", "Enter the consultation"),
                       ("outcome", "Select the outcome"), ("monitoring", "Enter the monitoring arrangements")):
        if f.blank(full.get(key)) and f.blank(cited.get(key)):
            gaps.append(f.Gap(f"full_assessment.{key}", f"{words} of the full assessment"))
    mitigated = {m.get("strand") for m in full.get("mitigations") or []
                 if not f.blank(m.get("action")) and not f.blank(m.get("owner"))
                 and not f.blank(m.get("deadline"))}
    for strand in negatives:
        if strand not in mitigated:
            gaps.append(f.Gap("full_assessment.mitigations",
                              f"Add an action, with its owner and deadline, for the negative impact on {_on(strand)}"))
    screening = fields.get("screening") or {}
    intended = [s for s in negatives if (screening.get(s) or {}).get("intended")]
    if intended and f.blank(full.get("justification")):
        gaps.append(f.Gap("full_assessment.justification", "Enter the justification for the intended negative impact on "
                          + ", ".join(map(_on, intended))))
    return gaps
