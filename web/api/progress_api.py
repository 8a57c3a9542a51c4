"""The API's progress entries of objectives, and the reporting periods."""
from flask import jsonify

from services import period_service
from web.api import bp, json_body
from web.auth import api_user
from web.current import current_documents, current_store
from workflow import periods
from workflow.errors import Invalid, NotFound


@bp.get("/documents/<doc_id>/progress")
def document_progress(doc_id):
    """An objective's progress entries, oldest period first, as the caller may see them."""
    _, shown = current_documents().read(doc_id, api_user())
    return jsonify({"items": _progress_of(shown)})


@bp.put("/documents/<doc_id>/progress/<period>")
def put_progress(doc_id, period):
    """Write one period's progress entry on the working copy (revise an approved objective first)."""
    user = api_user()
    body = json_body(required=("version",))
    doc, shown = current_documents().read(doc_id, user)
    _objective_only(shown)
    if periods.parse(period) is None:
        raise Invalid("not a reporting period", periods.check("period", period))
    entry = {key: value for key, value in body.items() if key != "version"}
    others = [e for e in doc["fields"].get("progress") or [] if e.get("period") != period]
    updated = current_documents().edit(doc_id, user, body["version"], changes={"progress": [*others, {**entry, "period": period}]})
    return jsonify(current_documents().answer(updated, user))


def _objective_only(shown):
    if shown["kind"] != "objective":
        raise NotFound("only objectives have progress")


def _progress_of(shown):
    _objective_only(shown)
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
