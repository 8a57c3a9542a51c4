"""Equality plans (workflow.plans): reading them, recording a review and superseding a plan.

A plan, its reviews and its successor are read from approved documents only, as the Board
sees them (workflow.reports.seen_by_board), so every reader sees the same plans. Recording a
review or a succession makes a draft document of its kind, signed off like every document.
"""
import dataclasses
import datetime as dt

from services import settings_service
from services.document_service import DOCS
from store import key_order
from workflow import cycle, plans, reports
from workflow.documents import FIX_ANSWERS
from workflow.errors import NO_SUCH_DOCUMENT, Invalid, NotFound

SETTINGS = "settings"
NO_SUCH_PLAN = "There is no such plan"
SUCCESSOR_FIELDS = ("first_year", "last_year", "adopted_by", "adopted_on", "factors")


# The kinds a plan's cycle is read from (workflow.plans.full_cycle): its successions and reviews.
CYCLE_KINDS = ("plan_succession", "plan_review")


def approved(store, kinds=None):
    """Every document (of `kinds`, if given) as the Board sees it. Given kinds, those alone are
    read (by the store's index, where it has one), not every document."""
    if kinds is None:
        return reports.seen_by_board(store.scan(DOCS))
    docs = [doc for kind in kinds for doc in store.scan(DOCS, {"kind": kind})]
    return reports.seen_by_board(sorted(docs, key=lambda doc: key_order(doc["id"])))


def first_plan(store):
    """The Corporate Equality Plan 2004, adopted on the "plan_adopted" setting's date where one is set."""
    adopted = store.get(SETTINGS, "plan_adopted")
    return plans.FIRST if not adopted else dataclasses.replace(plans.FIRST,
                                                              adopted_on=dt.date.fromisoformat(adopted["value"]))


def all_plans(store, seen=None):
    return plans.all_plans(approved(store) if seen is None else seen, first_plan(store))


def plan(store, key):
    """(the plan `key`, every plan, the approved documents); NotFound if there is none."""
    seen = approved(store)
    found = all_plans(store, seen)
    chosen = plans.find(found, key)
    if chosen is None:
        raise NotFound(NO_SUCH_PLAN)
    return chosen, found, seen


def recorded_reviews(store):
    """Review dates recorded as done before reviews were documents (setting "plan_reviews")."""
    return tuple((store.get(SETTINGS, "plan_reviews") or {}).get("done", ()))


def plan_cycle(store, key, seen_reports, today):
    """The commitments of the plan `key`, marked from the approved reports in `seen_reports`."""
    chosen, found, seen = plan(store, key)
    return plans.plan_cycle(chosen, today, cycle.reported_periods(seen_reports),
                            plans.reviews_done(chosen, found, seen, recorded_reviews(store)),
                            settings_service.bodies(store))


def full_cycle(store, seen_reports, today):
    """Every plan's commitments, the superseded plans' closed."""
    seen = approved(store, CYCLE_KINDS)
    return plans.full_cycle(all_plans(store, seen), today, cycle.reported_periods(seen_reports), seen,
                            recorded_reviews(store), settings_service.bodies(store))


def _at_inputs(errors):
    """Errors of a plan's fields, keyed as the document's field errors are (fields.<name>)."""
    return {f"fields.{name}": words for name, words in errors.items()}


def record_review(documents, user, key, due, assessments, summary=None, today=None):
    """A draft review of the plan `key` fulfilling its review due on `due`: `assessments`
    one {rating, evidence} per critical success factor, in the plan's order."""
    chosen, _, seen = plan(documents.store, key)
    errors = plans.review_errors(chosen, due, today or dt.date.today(), seen)
    if not errors and (begun := plans.in_progress(documents.all_stored(), "plan_review", chosen, due)):
        errors = {"due": f"This review is already being written, as “{begun['title']}”: finish that one"}
    if errors:
        raise Invalid(FIX_ANSWERS, _at_inputs(errors))
    fields = {"plan": chosen.key, "due": due, "assessments": _assessments(chosen.factors, assessments),
              **({"summary": summary} if summary else {})}
    title = f"Review of the {chosen.title}, due {due}"
    return documents.create(user, "plan_review", title, reports.UNIT, fields)


def supersede(documents, user, key, title, fields):
    """A draft succession of the plan `key` by a successor called `title` (`fields`: first_year,
    last_year, adopted_by, adopted_on, factors); it carries the plan's open objectives as they stand."""
    seen = approved(documents.store)
    found = all_plans(documents.store, seen)
    chosen = plans.find(found, key)
    errors = plans.succession_errors(chosen, fields)
    if not errors and (begun := plans.in_progress(documents.all_stored(), "plan_succession", chosen)):
        errors = {"plan": f"A successor to the {chosen.title} is already being written, as “{begun['title']}”"}
    if errors:
        raise Invalid(FIX_ANSWERS, _at_inputs(errors))
    carried = plans.to_carry(chosen, found, documents.all_stored(), seen)
    given = {name: fields.get(name) for name in SUCCESSOR_FIELDS}
    return documents.create(user, "plan_succession", title, reports.UNIT,
                            {"plan": chosen.key, **{k: v for k, v in given.items() if v}, "carried": carried})


def _assessments(factors, answers):
    """One row per factor, in the plan's order, with what was answered for it."""
    padded = list(answers) + [{}] * len(factors)
    return [{"factor": factor, **{k: v for k, v in (answer or {}).items() if k in ("rating", "evidence") and v}}
            for factor, answer in zip(factors, padded)]


def edit_review(documents, user, doc_id, version, answers, summary=None):
    """Change a draft review's assessments (its factors stay the plan's) and summary."""
    doc = _of_kind(documents, doc_id, user, "plan_review")
    factors = [row.get("factor") for row in doc["fields"].get("assessments") or []]
    return documents.edit(doc_id, user, version, changes={"assessments": _assessments(factors, answers),
                                                          "summary": summary})


def edit_succession(documents, user, doc_id, version, title, fields):
    """Change a draft succession; the objectives it carries are worked out again, as they stand now."""
    doc = _of_kind(documents, doc_id, user, "plan_succession")
    seen = approved(documents.store)
    found = all_plans(documents.store, seen)
    chosen = plans.find(found, doc["fields"].get("plan"))
    errors = plans.succession_errors(chosen, fields)
    if errors:
        raise Invalid(FIX_ANSWERS, _at_inputs(errors))
    changes = {name: fields.get(name) for name in SUCCESSOR_FIELDS}
    changes["carried"] = plans.to_carry(chosen, found, documents.all_stored(), seen)
    return documents.edit(doc_id, user, version, title, changes)


def _of_kind(documents, doc_id, user, kind):
    doc, _ = documents.read(doc_id, user)
    if doc["kind"] != kind:
        raise NotFound(NO_SUCH_DOCUMENT)
    return doc
