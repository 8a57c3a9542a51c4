"""The API's meetings of the bodies: agendas, decisions and the actions agreed with them."""
from flask import jsonify, request

from services import audit_service
from web.api import bp, json_body
from web.auth import api_user, client_address
from web.current import current_documents, current_meetings


@bp.get("/bodies")
def list_bodies():
    api_user()
    return jsonify({"items": [{"key": key, "name": name} for key, name in current_meetings().bodies().items()]})


@bp.get("/meetings")
def list_meetings():
    return jsonify({"items": current_meetings().list(api_user(), request.args.get("body"))})


@bp.post("/meetings")
def create_meeting():
    user = api_user()
    body = json_body(required=("title", "date"))
    return jsonify(current_meetings().create(user, body["title"], body["date"], body.get("venue"),
                                             body.get("body"))), 201


@bp.get("/meetings/<meeting_id>")
def get_meeting(meeting_id):
    return jsonify(current_meetings().load(meeting_id, api_user()))


@bp.get("/meetings/<meeting_id>/matters-arising")
def matters_arising(meeting_id):
    return jsonify({"items": current_meetings().matters_arising(current_meetings().load(meeting_id, api_user()))})


@bp.post("/meetings/<meeting_id>/items")
def add_agenda_item(meeting_id):
    user = api_user()
    body = json_body(required=("document",))
    meeting = current_meetings().add_item(meeting_id, user, body["document"], body.get("number"))
    return jsonify(meeting["items"][-1]), 201


@bp.post("/meetings/<meeting_id>/decisions")
def record_decision(meeting_id):
    user = api_user()
    body = json_body(required=("document", "decision"))
    doc = current_meetings().decide(meeting_id, user, body["document"], body["decision"], body.get("note"),
                                    body.get("agreed"), agreed_actions=body.get("actions"),
                                    actor=audit_service.Actor(user.name, client_address()))
    return jsonify(current_documents().answer(doc, user))
