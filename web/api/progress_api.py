"""The API's progress entries of objectives, and the reporting periods."""
from flask import jsonify

from services import period_service, progress_service
from web.api import bp, json_body
from web.auth import api_user
from web.current import current_documents, current_store
from workflow import periods, progress


@bp.get("/documents/<doc_id>/progress")
def document_progress(doc_id):
    """An objective's progress entries, oldest period first, as the caller may see them."""
    _, shown = current_documents().read(doc_id, api_user())
    return jsonify({"items": _progress_of(shown)})


@bp.put("/documents/<doc_id>/progress/<period>")
def put_progress(doc_id, period):
    """Write one period's progress entry on the working copy (revise an approved objective first);
    refused, as on the progress page, for a period nobody opened or without a status."""
    user = api_user()
    body = json_body(required=("version",))
    entry = {**{key: value for key, value in body.items() if key != "version"}, "period": period}
    updated = progress_service.write_entry(current_documents(), doc_id, user, body["version"], entry)
    return jsonify(current_documents().answer(updated, user))


@bp.put("/documents/<doc_id>/team-progress/<period>")
def put_team_progress(doc_id, period):
    """Write the caller's team's own entry for `period` on a shared objective's working copy
    (the body names the team), refused as on the team's entry page."""
    user = api_user()
    body = json_body(required=("version", "team"))
    entry = {**{key: value for key, value in body.items() if key != "version"}, "period": period}
    updated = progress_service.write_team_entry(current_documents(), doc_id, user, body["version"], entry)
    return jsonify(current_documents().answer(updated, user))


@bp.put("/documents/<doc_id>/target-progress/<period>")
def put_target_progress(doc_id, period):
    """Write each target's status and progress for `period` on a team plan's working copy
    (`targets`: one object per target, in the plan's order; one without a status records nothing)."""
    user = api_user()
    body = json_body(required=("version", "targets"))
    updated = progress_service.write_target_progress(current_documents(), doc_id, user, body["version"], period,
                                                     body["targets"])
    return jsonify(current_documents().answer(updated, user))


@bp.post("/documents/<doc_id>/carry-forward")
def carry_forward(doc_id):
    """A new draft objective continuing an approved one in a successor plan (the old one is unchanged)."""
    user = api_user()
    stored = progress_service.carry_forward(current_documents(), doc_id, user)
    return jsonify(current_documents().answer(stored, user)), 201


def _progress_of(shown):
    progress.objective_only(shown)
    return sorted(shown["fields"].get("progress") or [], key=lambda e: periods.sort_key(e["period"]))


@bp.get("/periods")
def list_periods():
    api_user()
    return jsonify({"items": period_service.list_periods(current_store())})


@bp.post("/periods")
def add_period():
    user = api_user()
    body = json_body(required=("code",))
    return jsonify(period_service.add_period(current_store(), user, body["code"])), 201
