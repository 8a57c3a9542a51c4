"""The API's consultations (services.consultation_service): listed, read, recorded, changed."""
from flask import jsonify

from services import audit_service
from services.consultation_service import Consultations
from web.api import bp, json_body
from web.auth import api_user, client_address
from web.current import current_documents, current_store
from workflow import consultations
from workflow.errors import Invalid


def _service():
    return Consultations(current_store(), current_documents())


def _actor(user):
    return audit_service.Actor(user.name, client_address())


@bp.get("/consultations")
def list_consultations():
    return jsonify({"items": _service().list(api_user())})


@bp.get("/consultations/<consultation_id>")
def get_consultation(consultation_id):
    return jsonify(_service().load(consultation_id, api_user()))


@bp.post("/consultations")
def create_consultation():
    user = api_user()
    body = _known(json_body())
    return jsonify(_service().create(user, body, _actor(user))), 201


@bp.patch("/consultations/<consultation_id>")
def edit_consultation(consultation_id):
    """The given keys replace those stored; the others stay."""
    user = api_user()
    service = _service()
    current = service.load(consultation_id, user)
    body = _known(json_body(required=("version",)), extra=("version",))
    values = {**{key: current.get(key) for key in consultations.KEYS}, **body}
    return jsonify(service.edit(consultation_id, user, body.pop("version"), values, _actor(user)))


def _known(body, extra=()):
    unknown = {key: "is not a key of a consultation" for key in body if key not in (*consultations.KEYS, *extra)}
    if unknown:
        raise Invalid("the body has keys a consultation does not have", unknown)
    return body
