"""Committee progress report: the 2007 report to the EODB on the Corporate
Equalities Objectives, generated from approved content, edited as a draft and
approved like every document before it goes on a Board agenda."""
from functools import partial

from workflow import fields as f
from workflow import numbers, periods, report_entries, report_paragraphs, strands
from workflow.kinds.objective import STATUS_WORDS, STATUSES

NAME = "report"
LABEL = "Committee progress report"
CREATORS = ("head", "team_leader")
TEAM = "Race & Diversity Unit"  # reports to the Board are prepared by the Race & Diversity Unit
LOCKED_WHEN_SCREENED = ()

# In the 2007 report's order: the background paragraphs of B, what follows the objectives
# in B, then C to F and the footnotes (workflow/report_texts.py has their starting words).
TEXTS = ("summary", "recommendations", "background", "ongoing_aims", "aims_comment", "action_required",
         "standard_steps", "future_objectives", "race_equality_impact", "financial_implications",
         "background_papers", "contact_details", "footnotes")
SECTION_TEXTS = ("evidence", "key_outcomes", "improvements", "comment")


def _count(path, value, low=0, high=10_000):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return {path: f"Enter the {f.name(path)} as a whole number from {low} to {high}"}
    return {}


def _document_id(path, value):
    return {} if numbers.is_id(value) else {path: "Enter the number of an existing document"}


SECTION_SPEC = {
    "strategic": partial(_count, low=1, high=99),
    "title": f.text,
    **{key: f.text for key in SECTION_TEXTS},
    "status": partial(f.choice, options=STATUSES, words=STATUS_WORDS),
    "rolled_up_from": _count,
    **report_entries.SECTION_SPEC,
}
EQIA_SPEC = {"id": _document_id, "title": f.text, "team": partial(f.text, limit=200), "approved_at": f.date,
             strands.FIELD: strands.check_name}
OTHER_SPEC = {"id": _document_id, "title": f.text, "team": partial(f.text, limit=200), "heading": f.text,
              "status": partial(f.choice, options=STATUSES, words=STATUS_WORDS),
              **{key: f.text for key in SECTION_TEXTS},
              **report_entries.SECTION_SPEC}
TRAINING_SPEC = {"staff": _count, "members": _count, "as_of": f.date}
# The actions bodies agreed, open during the period (workflow.actions.for_report).
ACTION_SPEC = {"what": f.text, "team": partial(f.text, limit=200), "due": f.date, "agreed": f.date,
               "done": f.date, "note": f.text}
# The partners' equality checks done in the period, by outcome, and those overdue (workflow.partners.for_report).
PARTNER_SPEC = {"compliant": _count, "actions_agreed": _count, "not_compliant": _count, "overdue": _count,
                "as_of": f.date}

SPEC = {
    "period": periods.check_reportable,
    "number": partial(_count, low=1, high=999),
    "meeting_date": f.date,
    "author_line": partial(f.one_line, limit=200),
    **{key: f.text for key in TEXTS},
    "sections": partial(f.records, spec=SECTION_SPEC),
    "eqia_appendix": partial(f.records, spec=EQIA_SPEC),
    "other_objectives": partial(f.records, spec=OTHER_SPEC),
    "eqias_since": f.date,
    "training": partial(f.record, spec=TRAINING_SPEC),
    "board_actions": partial(f.records, spec=ACTION_SPEC),
    "partner_checks": partial(f.record, spec=PARTNER_SPEC),
}


def validate(fields, current=None):  # `current`: see the kinds package
    errors = f.record("", fields, SPEC)
    return errors or report_paragraphs.reference_errors(fields, TEXTS, SECTION_TEXTS)


def screening_gaps(fields):
    return [f.Gap(key, words) for key, words in
            (("period", "Enter the reporting period"), ("sections", "Add at least one objective's section"))
            if f.blank(fields.get(key))]


def submission_gaps(fields):
    return [f.Gap(key, words) for key, words in
            (("summary", "Enter the summary"), ("recommendations", "Enter the recommendations"))
            if f.blank(fields.get(key))]
