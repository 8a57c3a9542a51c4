"""The JSON API, version 1 (contract: shared/DESIGN.md), bearer tokens only: one blueprint,
its views in a module per use case family (document_api, progress_api, meeting_api, action_api, report_api)."""
from flask import Blueprint, current_app, jsonify, request

from services import memo
from services.document_service import DOCS
from web.security import exempt_blueprint
from workflow.errors import Invalid, WorkflowError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
exempt_blueprint(bp)  # bearer-token calls carry no cookie, so there is nothing to forge


class BadRequest(WorkflowError):
    status = 400


@bp.record_once
def _keep_answers(state):
    # The JSON of what each caller reads (lists, documents), kept until a document changes
    # (services.memo): between two such commits by any process the answer cannot change.
    state.app.extensions["api_answers"] = memo.UntilChanged(state.app.extensions["store"], collections=(DOCS,))


def kept_json(key, answer):
    """The JSON response of answer() (a value to encode), encoded once per state of the store.
    `key` names everything the answer depends on besides the store: the caller among it."""
    app = current_app._get_current_object()  # once: each use of Flask's `current_app` looks it up anew
    body = app.extensions["api_answers"].get(key, lambda: jsonify(answer()).get_data())
    return app.response_class(body, mimetype=app.json.mimetype)


def json_body(required=()):
    """The JSON object sent, or a 400/422 that says what is wrong with it."""
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object", {"body": "malformed or not an object"})
    missing = {key: "is required" for key in required if key not in body}
    if missing:
        raise Invalid("required keys are missing", missing)
    return body


# Each module adds its views to bp as it is imported.
from web.api import (  # noqa: E402,F401
    action_api,
    bulk_api,
    complaint_api,
    consultation_api,
    document_api,
    meeting_api,
    plan_api,
    progress_api,
    report_api,
)
