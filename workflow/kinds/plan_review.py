"""Review of an equality plan: each of its critical success factors assessed as met, partly
met or not met, with the evidence (CEP 2004 "Critical Success Factors ... shall form part of
the periodic review"). Written by the Head's Unit and signed off like every document; once
approved, the reporting cycle counts the review it fulfils as done (workflow.plans)."""
from functools import partial

from workflow import fields as f

NAME = "plan_review"
LABEL = "Plan review"
CREATORS = ("head",)
TEAM = "Race & Diversity Unit"  # "monitored and reviewed ... by the Race & Diversity Unit" (CEP 2004)
LOCKED_WHEN_SCREENED = ()

RATINGS = ("met", "partly_met", "not_met")
RATING_WORDS = {"met": "Met", "partly_met": "Partly met", "not_met": "Not met"}

ASSESSMENT_SPEC = {
    "factor": f.text,
    "rating": partial(f.choice, options=RATINGS, words=RATING_WORDS),
    "evidence": f.text,
}
SPEC = {
    "plan": partial(f.one_line, limit=100),  # the key of the plan reviewed (workflow.plans.Plan.key)
    "due": f.date,  # the review of the plan's cycle it fulfils
    "assessments": partial(f.records, spec=ASSESSMENT_SPEC),
    "summary": f.text,
}


def validate(fields, current=None):  # `current`: see the kinds package
    return f.record("", fields, SPEC)


def screening_gaps(fields):
    return [f.Gap(key, words) for key, words in
            (("plan", "Select the plan reviewed"), ("due", "Select the review this records"),
             ("assessments", "Assess each critical success factor")) if f.blank(fields.get(key))]


def submission_gaps(fields):
    gaps = []
    for i, answer in enumerate(fields.get("assessments") or []):
        if f.blank(answer.get("rating")):
            gaps.append(f.Gap(f"assessments.{i}.rating", f"Select whether success factor {i + 1} was met"))
        if f.blank(answer.get("evidence")):
            gaps.append(f.Gap(f"assessments.{i}.evidence", f"Enter the evidence for success factor {i + 1}"))
    return gaps
