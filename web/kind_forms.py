"""Which inputs make which fields, for each kind's pages.

The EqIA is written over several pages (details, a page per strand, the full
assessment); each page changes only the top-level keys it shows, so a page
never clears what another page wrote.
"""
from web.form_state import (
    EVIDENCE,
    MITIGATIONS,
    PROGRESS,
    TARGETS,
    choices,
    compact,
    line,
    rows,
    text,
)
from workflow import numbers, strands
from workflow.documents import FIX_ANSWERS
from workflow.errors import Invalid

EQIA_DETAILS = ("subject", "trigger", "lead_organisation", "review_date")
ASSESSMENT_TEXTS = ("evidence", "consultation", "justification", "monitoring")

# The top-level keys each kind's main form (new / edit) shows.
FORM_KEYS = {
    "eqia": EQIA_DETAILS,
    "objective": ("heading", "theme", "action", "deadline", "outcomes", "leads", "strands",
                  "standard_level", "progress", "strategic", "disposition", "successor_plan"),
    "team_plan": ("period", "coordinator", "targets"),
    "standard_cell": ("level", "area", "requirements", "evidence", "self_assessed", "verification"),
}


def _eqia_details(form):
    return {"subject": text(form, "fields.subject"), "trigger": line(form, "fields.trigger"),
            "lead_organisation": line(form, "fields.lead_organisation"),
            "review_date": line(form, "fields.review_date")}


def _yes_or_no(form, name):
    """A Yes/No radio pair: True, False, or None when it was not answered, so that an
    unanswered question stays unanswered rather than being taken for No."""
    return {"yes": True, "no": False}.get(line(form, name))


def strand_answer(form, strand):
    """One strand's screening answer from its page.

    The page asks one question that must be answered (the impact), so an
    unanswered page is refused rather than saved empty. The Yes/No questions
    are kept only when answered: whether a negative impact is intended is then
    asked for before the screening is done (workflow.kinds.eqia.screening_gaps).
    "Intended" only has a meaning for a negative impact, and is recorded as No otherwise."""
    p = f"fields.screening.{strand}."
    impact = line(form, p + "impact")
    if impact is None:
        raise Invalid(FIX_ANSWERS, {p + "impact": f"Select the impact on {strands.LABELS.get(strand, strand).lower()}"})
    return compact({"impact": impact, "evidence": text(form, p + "evidence"),
                    "differential": _yes_or_no(form, p + "differential"),
                    "intended": _yes_or_no(form, p + "intended") if impact == "negative" else False})


def _mitigation(form, p):
    return compact({"strand": line(form, p + "strand"), "action": text(form, p + "action"),
                    "owner": line(form, p + "owner"), "deadline": line(form, p + "deadline")})


def assessment_changes(form, fields):
    """The full-assessment page's changes. A text the page did not show (the
    justification, when no negative impact is intended) keeps its stored value."""
    posted = {key: text(form, f"fields.full_assessment.{key}") for key in ASSESSMENT_TEXTS
              if f"fields.full_assessment.{key}" in form}
    posted["outcome"] = line(form, "fields.full_assessment.outcome")
    posted["mitigations"] = rows(form, MITIGATIONS, _mitigation)
    posted["consultations"] = choices(form, "fields.full_assessment.consultations")  # none ticked: none cited
    full = compact({**(fields.get("full_assessment") or {}), **posted})
    return {"full_assessment": full, "review_date": line(form, "fields.review_date")}


def _progress(form, p):
    return compact({"period": line(form, p + "period"), "status": line(form, p + "status"),
                    **{key: text(form, p + key) for key in ("evidence", "key_outcomes", "improvements", "comment",
                                                            "reason")}})


def _number(form, name):
    """A whole number from a select or radio; anything else is passed on for the kind to refuse."""
    return numbers.or_as_sent(line(form, name))


def _objective(form):
    leads = [entry.strip() for entry in (form.get("fields.leads") or "").splitlines() if entry.strip()]
    return {"heading": line(form, "fields.heading"), "theme": line(form, "fields.theme"),
            "action": text(form, "fields.action"), "deadline": line(form, "fields.deadline"),
            "outcomes": text(form, "fields.outcomes"), "leads": leads or None,
            "strands": choices(form, "fields.strands"),
            "standard_level": _number(form, "fields.standard_level"),
            "progress": rows(form, PROGRESS, _progress), "strategic": _number(form, "fields.strategic"),
            "disposition": line(form, "fields.disposition"), "successor_plan": line(form, "fields.successor_plan")}


def _target(form, p):
    ids = [item.strip() for item in (form.get(p + "objectives") or "").split(",") if item.strip()]
    return compact({"target": text(form, p + "target"), "owner": line(form, p + "owner"), "objectives": ids or None,
                    "deadline": line(form, p + "deadline"), "strands": choices(form, p + "strands")})


def _team_plan(form):
    return {"period": line(form, "fields.period"), "coordinator": line(form, "fields.coordinator"),
            "targets": rows(form, TARGETS, _target)}


def _evidence(form, p):
    return compact({"description": line(form, p + "description"), "document": line(form, p + "document"),
                    "link": line(form, p + "link"), "text": text(form, p + "text"), "file": line(form, p + "file")})


def _standard_cell(form):
    v = "fields.verification."
    return {"level": _number(form, "fields.level"), "area": line(form, "fields.area"),
            "requirements": text(form, "fields.requirements"), "evidence": rows(form, EVIDENCE, _evidence),
            "self_assessed": line(form, "fields.self_assessed"),
            "verification": compact({"status": line(form, v + "status"), "verifier": line(form, v + "verifier"),
                                     "date": line(form, v + "date"), "note": text(form, v + "note")})}


_BUILD = {"eqia": _eqia_details, "objective": _objective, "team_plan": _team_plan, "standard_cell": _standard_cell}


def fields_from_form(kind, form):
    """A new document's fields from the posted form: only what was given."""
    return compact(_BUILD[kind](form)) or {}


def changes_from_form(kind, form, locked=()):
    """An edit's changes: every key the form shows, None clearing what was emptied;
    locked keys (screening once screened) are not sent at all."""
    built = _BUILD[kind](form)
    return {key: built.get(key) for key in FORM_KEYS[kind] if key not in locked}
