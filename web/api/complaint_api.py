"""The API's complaints and compliments log (services.complaint_service): listed and read as the
caller may see it (the person's details only for the team concerned and the Head), recorded and
changed by those who keep it, a stale change refused."""
import datetime as dt

from flask import jsonify, request

from services import complaint_service
from services.audit_service import Actor
from web.api import bp, json_body
from web.auth import api_user, client_address
from web.current import current_store
from workflow.errors import Invalid


def _actor(user):
    return Actor(user.name, client_address())


FILTERS = ("team", "kind")


@bp.get("/complaints")
def list_complaints():
    user = api_user()
    unknown = {name: f"Not a filter of the log: filter by {' or '.join(FILTERS)}" for name in request.args
               if name not in FILTERS}
    if unknown:
        raise Invalid("Unknown filters were given.", unknown)
    items = complaint_service.log(current_store(), user, request.args.get("team") or None,
                                  request.args.get("kind") or None)
    return jsonify({"items": items, "total": len(items)})


@bp.post("/complaints")
def record_complaint():
    user = api_user()
    entry = complaint_service.add(current_store(), user, _actor(user), json_body(), dt.date.today())
    return jsonify(entry), 201


@bp.get("/complaints/<complaint_id>")
def get_complaint(complaint_id):
    return jsonify(complaint_service.entry(current_store(), complaint_id, api_user()))


@bp.patch("/complaints/<complaint_id>")
def change_complaint(complaint_id):
    user = api_user()
    body = json_body(required=("version",))
    changes = {key: value for key, value in body.items() if key != "version"}
    return jsonify(complaint_service.edit(current_store(), user, _actor(user), complaint_id, body["version"],
                                          changes, dt.date.today()))
