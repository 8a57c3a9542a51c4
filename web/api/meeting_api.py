"""The API's Board meetings: agendas and the Board's decisions."""
from flask import jsonify

from web.api import bp, json_body
from web.auth import api_user
from web.current import current_documents, current_meetings


@bp.get("/meetings")
def list_meetings():
    return jsonify({"items": current_meetings().list(api_user())})


@bp.post("/meetings")
def create_meeting():
    user = api_user()
    body = json_body(required=("title", "date"))
    return jsonify(current_meetings().create(user, body["title"], body["date"], body.get("venue"))), 201


@bp.get("/meetings/<meeting_id>")
def get_meeting(meeting_id):
    return jsonify(current_meetings().load(meeting_id, api_user()))


@bp.post("/meetings/<meeting_id>/items")
def add_agenda_item(meeting_id):
    user = api_user()
    body = json_body(required=("document",))
    meeting = current_meetings().add_item(meeting_id, user, body["document"])
    return jsonify(meeting["items"][-1]), 201


@bp.post("/meetings/<meeting_id>/decisions")
def record_decision(meeting_id):
    user = api_user()
    body = json_body(required=("document", "decision"))
    doc = current_meetings().decide(meeting_id, user, body["document"], body["decision"], body.get("note"),
                                    body.get("agreed"))
    return jsonify(current_documents().answer(doc, user))
