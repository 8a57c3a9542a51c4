"""Creating and editing documents through forms, and the guided EqIA pages
(details, the screening a strand at a time, the full assessment). Thin: parse, call, render."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import settings_service
from services.consultation_service import Consultations
from web import form_state, kind_forms
from web.auth import page_user
from web.current import current_documents, current_store
from web.pages import evidence_pages
from workflow import kinds, policy, strands, target_progress
from workflow.errors import NO_SUCH_DOCUMENT, NotFound, WorkflowError
from workflow.kinds import eqia, monitoring_dataset, standard_cell, team_plan

bp = Blueprint("editing", __name__)


def _screening_context(fields):
    """What the EqIA pages say about the screening so far, over the strands of its own set."""
    screening, strand_set = fields.get("screening") or {}, strands.strand_set(fields)
    negatives = eqia.negative_strands(fields)
    return {"screening": screening, "negatives": negatives, "strand_set": strand_set,
            "strand_words": {s: form_state.STRAND_WORDS[s] for s in strand_set.strands},
            "answered": [s for s in strand_set.strands if (screening.get(s) or {}).get("impact")],
            "intended": [s for s in negatives if screening[s].get("intended")]}


def _form_page(kind, state, status=200, doc=None, error=None):
    user = page_user()
    extra = {}
    if kind == "eqia":  # a new one is screened against the authority's current setting
        fields = doc["fields"] if doc else {strands.FIELD: settings_service.strand_set(current_store())}
        extra = _screening_context(fields)
    return render_template("documents/form.html", kind=kinds.get(kind), f=state, doc=doc, error=error,
                           teams=sorted(user.teams), **extra), status


def _editable(doc_id, user, kind=None):
    """The stored document if `user` may edit it now; otherwise the refusal
    (404 unseen or of another kind, 403 not theirs, 409 not in an editable state)."""
    doc, _ = current_documents().read(doc_id, user)
    if kind and doc["kind"] != kind:
        raise NotFound(NO_SUCH_DOCUMENT)
    policy.check_edit(doc, user, ())
    return doc


def _stored_values(doc):
    return {"title": [doc["title"]], **form_state.form_values(doc["fields"])}


@bp.route("/documents/new", methods=["GET", "POST"])
@login_required
def new():
    user = page_user()
    kind = request.args.get("kind")
    if kind not in kinds.KINDS:
        creatable = [k for name, k in kinds.KINDS.items() if policy.may_create(user, name)]
        return render_template("documents/choose.html", creatable=creatable)
    if kind == monitoring_dataset.NAME:  # its counts come from a file: the upload page
        return redirect(url_for("monitoring.new"), 303)
    if request.method == "POST":
        adding = form_state.adding(request.form)
        if adding:
            return _form_page(kind, form_state.FormState.posted(request.form, adding=adding))
        try:
            stored = current_documents().create(user, kind, request.form.get("title", ""), request.form.get("team", ""),
                                                kind_forms.fields_from_form(kind, request.form))
        except WorkflowError as exc:
            return _form_page(kind, form_state.FormState.posted(request.form, exc), exc.status, error=exc)
        if kind == "eqia":
            flash("Draft saved. Now the initial screening: one equality strand at a time.")
            return redirect(url_for(".screening", doc_id=stored["id"], strand=strands.strands_of(stored["fields"])[0]))
        flash(f"{kinds.get(kind).LABEL} created as a draft.")
        return redirect(url_for("pages.document", doc_id=stored["id"]))
    preset = {"team": [next(iter(user.teams))]} if len(user.teams) == 1 else {}
    return _form_page(kind, form_state.FormState(preset))


@bp.route("/documents/<doc_id>/edit", methods=["GET", "POST"])
@login_required
def edit(doc_id):
    user = page_user()
    doc = _editable(doc_id, user)
    kind = doc["kind"]
    if kind == monitoring_dataset.NAME:  # its counts come from a file: the upload page
        return redirect(url_for("monitoring.change", doc_id=doc_id), 303)
    locked = kinds.get(kind).LOCKED_WHEN_SCREENED if doc["state"] == "screened" else ()
    if request.method == "POST":
        adding = form_state.adding(request.form)
        if adding:
            state = form_state.FormState.posted(request.form, kept=_stored_values(doc), locked=locked, adding=adding)
            return _form_page(kind, state, doc=doc)
        try:
            changes, extra = kind_forms.changes_from_form(kind, request.form, locked), []
            if kind == standard_cell.NAME:
                changes, extra = evidence_pages.with_upload(doc, user, changes)
            if kind == team_plan.NAME:  # the form does not show the targets' progress: it is kept
                changes = target_progress.kept_on_edit(doc["fields"], changes)
            current_documents().edit(doc_id, user, form_state.posted_version(request.form), request.form.get("title", ""),
                                     changes, extra)
        except NotFound:
            raise
        except WorkflowError as exc:
            state = form_state.FormState.posted(request.form, exc, kept=_stored_values(doc), locked=locked)
            return _form_page(kind, state, exc.status, doc=doc, error=exc)
        flash("Saved.")
        return redirect(url_for("pages.document", doc_id=doc_id))
    return _form_page(kind, form_state.FormState(_stored_values(doc), locked=locked), doc=doc)


def _next_strand(doc, strand):
    """(the strand's place in its set, from 1; the strand after it, or None)."""
    order = strands.strands_of(doc["fields"])
    number = order.index(strand) + 1
    return number, order[number] if number < len(order) else None


def _back_to_summary():
    """Whether the strand page was opened by "Change" on the screening summary, so that
    saving returns there rather than going on to the next strand. A flag, not an address."""
    return request.args.get("then") == "summary"


def _strand_page(doc, strand, state, status=200, error=None):
    number, next_strand = _next_strand(doc, strand)
    return render_template("documents/screening_strand.html", doc=doc, strand=strand, number=number, f=state,
                           next_strand=next_strand, meaning=strands.strand_set(doc["fields"]).meanings[strand],
                           back_to_summary=_back_to_summary(),
                           locked=doc["state"] == "screened", error=error,
                           **_screening_context(doc["fields"])), status


@bp.route("/documents/<doc_id>/screening/<strand>", methods=["GET", "POST"])
@login_required
def screening(doc_id, strand):
    """One strand of the initial screening; read-only once screened."""
    user = page_user()
    doc = _editable(doc_id, user, "eqia")
    if strand not in strands.strands_of(doc["fields"]):
        raise NotFound("There is no such equality strand in this EqIA's strand set.")
    stored = form_state.form_values(doc["fields"])
    if request.method == "POST":
        try:
            answers = {**(doc["fields"].get("screening") or {}),
                       strand: kind_forms.strand_answer(request.form, strand)}
            current_documents().edit(doc_id, user, form_state.posted_version(request.form), None, {"screening": answers})
        except NotFound:
            raise
        except WorkflowError as exc:
            return _strand_page(doc, strand, form_state.FormState.posted(request.form, exc), exc.status, exc)
        _, next_strand = _next_strand(doc, strand)
        if next_strand and not _back_to_summary():
            return redirect(url_for(".screening", doc_id=doc_id, strand=next_strand))
        return redirect(url_for(".screening_summary", doc_id=doc_id))
    return _strand_page(doc, strand, form_state.FormState(stored))


@bp.route("/documents/<doc_id>/screening")
@login_required
def screening_summary(doc_id):
    """The screening's answers and what follows from them: whether a full assessment is needed."""
    user = page_user()
    doc, shown = current_documents().read(doc_id, user)
    if doc["kind"] != "eqia":
        raise NotFound(NO_SUCH_DOCUMENT)
    editable = policy.editable(doc, user)
    return render_template("documents/screening_summary.html", doc=shown, editable=editable,
                           locked=doc["state"] != "draft", gaps=eqia.screening_gaps(shown["fields"]),
                           **_screening_context(shown["fields"]))


def _assessment_page(doc, state, status=200, error=None):
    consultations = Consultations(current_store(), current_documents()).to_cite(doc["id"], page_user())
    return render_template("documents/form_assessment.html", doc=doc, f=state, error=error,
                           rows=form_state.MITIGATIONS, consultations=consultations,
                           **_screening_context(doc["fields"])), status


@bp.route("/documents/<doc_id>/assessment", methods=["GET", "POST"])
@login_required
def assessment(doc_id):
    """The full assessment: offered only where the screening found a negative impact."""
    user = page_user()
    doc = _editable(doc_id, user, "eqia")
    if not eqia.negative_strands(doc["fields"]):
        raise NotFound("No full assessment is needed: the screening found no negative impact.")
    if request.method == "POST":
        adding = form_state.adding(request.form)
        if adding:
            return _assessment_page(doc, form_state.FormState.posted(request.form, adding=adding))
        try:
            current_documents().edit(doc_id, user, form_state.posted_version(request.form), None,
                                     kind_forms.assessment_changes(request.form, doc["fields"]))
        except NotFound:
            raise
        except WorkflowError as exc:
            return _assessment_page(doc, form_state.FormState.posted(request.form, exc), exc.status, exc)
        flash("Full assessment saved.")
        return redirect(url_for("pages.document", doc_id=doc_id))
    return _assessment_page(doc, form_state.FormState(_stored_values(doc)))
