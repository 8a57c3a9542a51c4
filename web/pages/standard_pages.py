"""The Equality Standard self-assessment: the 5 × 4 matrix of cells, the level
achieved, the target and the cost of external assessment. Thin: parse, call
workflow.standard, render.

Each cell is shown through policy.view, so a Board member sees approved
content only; the levels count approved content only (workflow.standard), so
they are the same for every reader.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from store import Conflict, Put
from web.auth import page_user
from services.document_service import DOCS
from web.pages.evidence_pages import evidence_file
from web.form_state import FormState
from workflow import evidence_files, numbers, policy, standard
from workflow.errors import Forbidden, Invalid, StateConflict, WorkflowError
from workflow.kinds import standard_cell
from web.current import current_documents

bp = Blueprint("standard", __name__)
SETTINGS, KEY = "settings", "equality_standard"
SETTING_LABELS = {"target_level": "Target level", "target_date": "Target date", "cost_per_level": "Cost per level"}


@bp.app_context_processor
def words():
    return {"ESLG": {"levels": standard.LEVELS, "areas": standard.AREAS,
                     "level_words": {level: f"Level {level}: {name}" for level, name in standard.LEVELS.items()},
                     "self_assessed": standard.SELF_ASSESSED, "verification": standard.VERIFICATION}}


@bp.app_template_global()
def evidence_document(doc_id):
    """A document given as evidence, as the reader may see it; None if they may not."""
    doc = current_documents().store.get(DOCS, str(doc_id)) if numbers.is_id(str(doc_id)) else None
    return policy.view(doc, page_user()) if doc else None


def load_settings(store):
    """(settings, version): the stored target and cost, or the seeds' defaults (version None)."""
    record = store.get(SETTINGS, KEY)
    if record is None:
        return dict(standard.DEFAULT_SETTINGS), None
    return {key: record.get(key, default) for key, default in standard.DEFAULT_SETTINGS.items()}, record["version"]


def save_settings(store, user, settings, version):
    # The target and the cost are kept with the reporting settings, by the same people.
    if not policy.may_manage_reporting(user):
        raise Forbidden("the target is set by the Head of Race and Diversity or an administrator")
    errors = standard.check_settings(settings)
    if errors:
        raise Invalid("the target and cost were not saved", errors)
    try:
        store.commit([Put(SETTINGS, KEY, {key: settings[key] for key in standard.DEFAULT_SETTINGS},
                          expected_version=version)])
    except Conflict:
        raise StateConflict("someone else changed the target first; reload", {"version": "stale"}) from None


def _summary(doc, shown):
    """What the matrix and the API say of one cell: as `shown`, plus whether its
    approved content counts towards the levels."""
    fields, approved = shown["fields"], standard.approved_fields(doc)
    return {"id": shown["id"], "title": shown["title"], "state": shown["state"], "revision": shown["revision"],
            "level": fields.get("level"), "area": fields.get("area"),
            "self_assessed": fields.get("self_assessed"), "evidence": len(fields.get("evidence") or []),
            "files": [found for key in evidence_files.referenced(fields) if (found := evidence_file(doc["id"], key))],
            "verification": (fields.get("verification") or {}).get("status", "not_verified"),
            "approved_revision": doc["published"]["revision"] if approved else None,
            "counts": bool(approved and standard.meets(approved)),
            "verified": bool(approved and standard.verified(approved))}


def overview(store, user):
    """The whole self-assessment as `user` may see it."""
    docs = store.scan(DOCS, {"kind": standard_cell.NAME})
    cells = [_summary(doc, shown) for doc in docs if (shown := policy.view(doc, user))]
    settings, _ = load_settings(store)
    verified = standard.verified_level(docs)
    return {"levels": [{"level": level, "name": name} for level, name in standard.LEVELS.items()],
            "areas": [{"key": key, "name": name} for key, name in standard.AREAS.items()],
            "cells": cells, "level_achieved": standard.level_achieved(docs), "verified_level": verified,
            "target": {"level": settings["target_level"], "date": settings["target_date"]},
            "cost_per_level": settings["cost_per_level"],
            "cost_to_target": standard.assessment_cost(settings, verified)}


def _may_set_up(user):
    try:
        policy.check_create(user, standard_cell.NAME, standard_cell.TEAM)
    except WorkflowError:
        return False
    return True


def _page(f=None, error=None, status=200):
    store, user = current_documents().store, page_user()
    seen = overview(store, user)
    settings, version = load_settings(store)
    missing = standard.missing_positions(store.scan(DOCS, {"kind": standard_cell.NAME}))
    return render_template(
        "standard/index.html", seen=seen, grid=standard.matrix(seen["cells"]),
        no_evidence=[c for c in seen["cells"] if not c["evidence"]], version=version,
        f=f or FormState({key: [str(value)] for key, value in settings.items()}), error=error,
        may_manage=policy.may_manage_reporting(user), may_set_up=_may_set_up(user) and bool(missing),
        missing=len(missing)), status


@bp.route("/standard")
@login_required
def index():
    return _page()


def _whole_number(raw):
    """A number as people type it ("7,000", "£7000"); anything else goes on for the domain to refuse."""
    cleaned = (raw or "").strip().lstrip("£").replace(",", "")
    number = numbers.whole(cleaned)
    return raw if number is None else number


@bp.route("/standard/settings", methods=["POST"])
@login_required
def settings():
    form = request.form
    posted = {"target_level": _whole_number(form.get("target_level")),
              "target_date": (form.get("target_date") or "").strip(),
              "cost_per_level": _whole_number(form.get("cost_per_level"))}
    raw_version = (form.get("version") or "").strip()
    try:
        save_settings(current_documents().store, page_user(), posted, numbers.whole(raw_version))
    except Forbidden:
        raise
    except WorkflowError as exc:
        values = {key: [form.get(key, "")] for key in SETTING_LABELS}
        errors = {key: message for key, message in exc.details.items() if key in SETTING_LABELS}
        summary = [(SETTING_LABELS[key], message, key) for key, message in errors.items()]
        return _page(FormState(values, errors, summary), exc, exc.status)
    flash("The target and the cost of external assessment are saved.")
    return redirect(url_for(".index"))


@bp.route("/standard/set-up", methods=["POST"])
@login_required
def set_up():
    """Create the cells the matrix lacks, as drafts with the seeds' requirement text."""
    store, user = current_documents().store, page_user()
    policy.check_create(user, standard_cell.NAME, standard_cell.TEAM)
    missing = standard.missing_positions(store.scan(DOCS, {"kind": standard_cell.NAME}))
    for level, area in missing:
        current_documents().create(user, standard_cell.NAME, f"Level {level}: {standard.AREAS[area]}",
                                   standard_cell.TEAM, {"level": level, "area": area, "self_assessed": "not_started",
                                                        "requirements": standard.requirements(level, area)})
    flash(f"{len(missing)} cells of the matrix created as drafts." if missing else "The matrix is complete.")
    return redirect(url_for(".index"))
