"""The Equality Standard self-assessment: the 5 × 4 matrix of cells, the level
achieved, the target and the cost of external assessment. Thin: parse, call
services.standard_service, render.

Each cell is shown through policy.view, so a Board member sees approved
content only; the levels count approved content only (workflow.standard), so
they are the same for every reader.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from services import standard_service
from web.auth import page_user
from web.current import current_documents, current_store
from web.form_state import FormState
from workflow import numbers, policy, standard
from workflow.errors import Forbidden, WorkflowError

bp = Blueprint("standard", __name__)
SETTING_LABELS = {"target_level": "Target level", "target_date": "Target date", "cost_per_level": "Cost per level"}


def words():
    return {"ESLG": {"levels": standard.LEVELS, "areas": standard.AREAS,
                     "level_words": {level: f"Level {level}: {name}" for level, name in standard.LEVELS.items()},
                     "self_assessed": standard.SELF_ASSESSED, "verification": standard.VERIFICATION}}


def evidence_document(doc_id):
    """A document given as evidence, as the reader may see it; None if they may not."""
    return standard_service.evidence_document(current_store(), doc_id, page_user())


def _page(f=None, error=None, status=200):
    user = page_user()
    shown = standard_service.page(current_store(), user)
    seen, (settings, version), missing = shown["seen"], shown["settings"], shown["missing"]
    return render_template(
        "standard/index.html", seen=seen, grid=standard.matrix(seen["cells"]),
        no_evidence=[c for c in seen["cells"] if not c["evidence"]], version=version,
        f=f or FormState({key: [str(value)] for key, value in settings.items()}), error=error,
        may_manage=policy.may_manage_reporting(user), may_set_up=standard_service.may_set_up(user) and bool(missing),
        missing=missing), status


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
        standard_service.save_settings(current_store(), page_user(), posted, numbers.whole(raw_version))
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
    made = standard_service.set_up(current_documents(), page_user())
    flash(f"{made} cells of the matrix created as drafts." if made else "The matrix is complete.")
    return redirect(url_for(".index"))
