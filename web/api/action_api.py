"""The API's actions agreed by the bodies: listed, read, marked done."""
from flask import jsonify, request

from services import audit_service
from web.api import bp, json_body
from web.auth import api_user, client_address
from web.current import current_meetings


@bp.get("/actions")
def list_actions():
    user = api_user()
    return jsonify({"items": current_meetings().actions.list(user, request.args.get("state"),
                                                             request.args.get("team"))})


@bp.get("/actions/<action_id>")
def get_action(action_id):
    return jsonify(current_meetings().actions.load(action_id, api_user()))


@bp.post("/actions/<action_id>/done")
def complete_action(action_id):
    user = api_user()
    body = json_body(required=("note",))
    return jsonify(current_meetings().actions.complete(action_id, user, body["note"], body.get("version"),
                                                       audit_service.Actor(user.name, client_address())))
