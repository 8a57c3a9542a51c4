"""Equality plans: the list, a plan's page (details, critical success factors, reviews,
successor, reporting cycle), recording a review and superseding a plan. Thin: parse, call
services.plan_service, render. Plans are read from approved documents only, so every reader
sees the same plans; the review and the succession are drafts signed off like any document.
"""
import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import notice_service, plan_service
from web.auth import page_user
from web.current import current_documents, current_store
from web.form_state import FormState, line, posted_version, text
from web.pages.document_pages import when
from workflow import cycle, plans, policy
from workflow.errors import Forbidden, NotFound, WorkflowError
from workflow.kinds import plan_review

bp = Blueprint("plans", __name__)
PLAN_KINDS = ("plan_review", "plan_succession")

SUCCESSOR_INPUTS = ("first_year", "last_year", "adopted_by", "adopted_on")
YEAR_HINT = "A financial year, written like 2007-08 (April 2007 to March 2008)"


def to_plan_pages():
    """Before the shared new/edit document pages (web/hooks.py), which have no form for a plan's review or
    succession; these pages do. Only a document the person may see is redirected, so nothing leaks about other ids."""
    args = request.view_args or {}
    if request.endpoint == "editing.new" and request.args.get("kind") in PLAN_KINDS:
        return redirect(url_for("plans.index"))
    if request.endpoint == "editing.edit" and page_user() is not None:
        try:
            _, shown = current_documents().read(args.get("doc_id"), page_user())
        except WorkflowError:
            return None  # the edit page answers for what is not there
        if shown["kind"] in PLAN_KINDS:
            return redirect(url_for("plans.edit", doc_id=shown["id"]))
    return None


def _may(kind):
    return policy.may_create(page_user(), kind)


def _writer(kind):
    if not _may(kind):
        raise Forbidden("Only the Head of Race and Diversity can record a plan's review or its successor.")
    return page_user()


@bp.route("/plans")
@login_required
def index():
    found = plan_service.all_plans(current_store())
    return render_template("plans/index.html", plans=found, current=plans.current(found))


@bp.route("/plans/<plan_key>")
@login_required
def show(plan_key):
    user, today = page_user(), dt.date.today()
    plan, found, seen = plan_service.plan(current_store(), plan_key)
    items = plan_service.plan_cycle(current_store(), plan_key, notice_service.reports_seen(current_store(), user), today)
    visible = current_documents().search(user, kind="objective")
    return render_template(
        "plans/show.html", plan=plan, found=found, reviews=plans.reviews(plan, seen), today=today,
        items=items, objectives=plans.objectives_of(plan, found, visible, seen),
        owed=plans.reviews_owed(plan, today, seen), may_review=_may("plan_review"),
        may_supersede=_may("plan_succession") and plan.successor is None,
        drafts=[d for d in current_documents().search(user, kind="plan_review")
                + current_documents().search(user, kind="plan_succession")
                if d["fields"].get("plan") == plan.key and d["state"] not in ("approved", "reviewed")],
        RATING_WORDS=plan_review.RATING_WORDS, STATUS_WORDS=STATUS_WORDS, find=plans.find)


STATUS_WORDS = {cycle.DONE: "Done", cycle.DUE: "Due", cycle.OVERDUE: "Overdue", cycle.CLOSED: "Closed with the plan"}


@bp.route("/plans/<plan_key>/review", methods=["GET", "POST"])
@login_required
def review(plan_key):
    user, today = _writer("plan_review"), dt.date.today()
    plan, _, seen = plan_service.plan(current_store(), plan_key)
    owed = plans.reviews_owed(plan, today, seen)
    if request.method == "GET":
        return _review_form(plan, owed, FormState({"fields.due": owed[:1]}))
    form = request.form
    try:
        stored = plan_service.record_review(current_documents(), user, plan_key, line(form, "fields.due"),
                                            _answers(form, plan.factors),
                                            text(form, "fields.summary"), today)
    except Forbidden:
        raise
    except WorkflowError as exc:
        return _review_form(plan, owed, FormState.posted(form, exc), exc, exc.status)
    flash("Plan review saved as a draft. Mark it as screened, then a team leader of the Unit submits it for sign-off.")
    return redirect(url_for("pages.document", doc_id=stored["id"]))


def _answers(form, factors):
    """Each critical success factor's rating and evidence, in order."""
    return [{"rating": line(form, f"fields.assessments.{i}.rating"),
             "evidence": text(form, f"fields.assessments.{i}.evidence")} for i in range(len(factors))]


def _successor(form):
    factors = [entry.strip() for entry in (form.get("fields.factors") or "").splitlines() if entry.strip()]
    return {**{name: line(form, f"fields.{name}") for name in SUCCESSOR_INPUTS}, "factors": factors or None}


def _review_form(plan, owed, state, error=None, status=200):
    return render_template("plans/review.html", plan=plan, factors=plan.factors, f=state, error=error,
                           owed={due: when(due) for due in owed},
                           RATING_WORDS=plan_review.RATING_WORDS), status


@bp.route("/plans/<plan_key>/supersede", methods=["GET", "POST"])
@login_required
def supersede(plan_key):
    user = _writer("plan_succession")
    plan, found, seen = plan_service.plan(current_store(), plan_key)
    carried = plans.objectives_of(plan, found, current_documents().search(user, kind="objective"), seen)
    carried = [doc for doc in carried if plans.is_open(doc)]
    if request.method == "GET":
        return _supersede_form(plan, carried, FormState({"fields.adopted_by": [plans.EODB]}))
    form = request.form
    try:
        stored = plan_service.supersede(current_documents(), user, plan_key, line(form, "title"), _successor(form))
    except Forbidden:
        raise
    except WorkflowError as exc:
        return _supersede_form(plan, carried, FormState.posted(form, exc), exc, exc.status)
    flash("Plan succession saved as a draft. Once signed off, the successor is in force and takes over "
          "the open objectives.")
    return redirect(url_for("pages.document", doc_id=stored["id"]))


def _supersede_form(plan, carried, state, error=None, status=200):
    return render_template("plans/supersede.html", plan=plan, carried=carried, f=state, error=error,
                           year_hint=YEAR_HINT), status


@bp.route("/plans/documents/<doc_id>/edit", methods=["GET", "POST"])
@login_required
def edit(doc_id):
    user = page_user()
    doc, _ = current_documents().read(doc_id, user)
    if doc["kind"] not in PLAN_KINDS:
        return redirect(url_for("editing.edit", doc_id=doc["id"]))
    if not policy.editable(doc, user):
        raise Forbidden("Only the Head of Race and Diversity can change this draft, while it is a draft.")
    plan, found, seen = plan_service.plan(current_store(), doc["fields"].get("plan"))
    if request.method == "GET":
        return _edit_form(doc, plan, found, seen, FormState(_stored_values(doc)))
    form = request.form
    try:
        if doc["kind"] == "plan_review":
            plan_service.edit_review(current_documents(), user, doc_id, posted_version(form), _answers(form, doc["fields"].get("assessments") or []),
                                     text(form, "fields.summary"))
        else:
            plan_service.edit_succession(current_documents(), user, doc_id, posted_version(form),
                                         line(form, "title"), _successor(form))
    except (Forbidden, NotFound):
        raise
    except WorkflowError as exc:
        return _edit_form(doc, plan, found, seen, FormState.posted(form, exc), exc, exc.status)
    flash("Changes saved.")
    return redirect(url_for("pages.document", doc_id=doc["id"]))


def _stored_values(doc):
    fields = doc["fields"]
    values = {"title": [doc["title"]], "fields.summary": [fields.get("summary") or ""],
              "fields.factors": ["\n".join(fields.get("factors") or ())]}
    values.update({f"fields.{name}": [fields.get(name) or ""] for name in SUCCESSOR_INPUTS})
    for i, row in enumerate(fields.get("assessments") or []):
        values[f"fields.assessments.{i}.rating"] = [row.get("rating") or ""]
        values[f"fields.assessments.{i}.evidence"] = [row.get("evidence") or ""]
    return values


def _edit_form(doc, plan, found, seen, state, error=None, status=200):
    if doc["kind"] == "plan_review":
        factors = [row.get("factor") for row in doc["fields"].get("assessments") or []]
        return render_template("plans/review.html", plan=plan, doc=doc, factors=factors, f=state, error=error,
                               owed={}, RATING_WORDS=plan_review.RATING_WORDS), status
    carried = [d for d in plans.objectives_of(plan, found, current_documents().search(page_user(), kind="objective"),
                                              seen) if plans.is_open(d)]
    return render_template("plans/supersede.html", plan=plan, doc=doc, carried=carried, f=state, error=error,
                           year_hint=YEAR_HINT), status
