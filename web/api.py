"""The JSON API, version 1 (contract: shared/DESIGN.md). Bearer tokens only."""
from flask import Blueprint, current_app, jsonify, request

from web.auth import api_user
from web.openapi import openapi_document
from web.security import csrf
from workflow import machine
from workflow.errors import Invalid, WorkflowError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer-token calls carry no cookie, so there is nothing to forge

LIST_KEYS = ("id", "kind", "title", "state", "team", "version", "revision")


class BadRequest(WorkflowError):
    status = 400


def _docs():
    return current_app.extensions["documents"]


def _body(required=()):
    """The JSON object sent, or a 400/422 that says what is wrong with it."""
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object", {"body": "malformed or not an object"})
    missing = {key: "is required" for key in required if key not in body}
    if missing:
        raise Invalid("required keys are missing", missing)
    return body


def _query(name):
    value = request.args.get(name)
    return value if value else None


@bp.get("/me")
def me():
    user = api_user()
    return jsonify({"name": user.name, "roles": sorted(user.roles), "teams": sorted(user.teams)})


@bp.get("/documents")
def list_documents():
    found = _docs().search(api_user(), kind=_query("kind"), state=_query("state"),
                           team=_query("team"), q=_query("q"))
    return jsonify({"items": [{key: shown[key] for key in LIST_KEYS} for shown in found],
                    "total": len(found)})


@bp.post("/documents")
def create_document():
    user = api_user()
    body = _body(required=("kind", "title", "team"))
    doc = _docs().create(user, body["kind"], body["title"], body["team"], body.get("fields", {}))
    return jsonify(_docs().answer(doc, user)), 201


@bp.get("/documents/<doc_id>")
def get_document(doc_id):
    user = api_user()
    doc = _docs().load(doc_id)
    return jsonify(_docs().answer(doc, user))


@bp.patch("/documents/<doc_id>")
def edit_document(doc_id):
    user = api_user()
    body = _body(required=("version",))
    unknown = {key: "is not an editable key" for key in body if key not in ("version", "title", "fields")}
    if unknown:
        raise Invalid("unknown keys", unknown)
    doc = _docs().edit(doc_id, user, body["version"], body.get("title"), body.get("fields"))
    return jsonify(_docs().answer(doc, user))


@bp.post("/documents/<doc_id>/transitions")
def fire_transition(doc_id):
    user = api_user()
    body = _body(required=("name", "version"))
    comment = body.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise Invalid("comment must be text", {"comment": "must be text"})
    if not isinstance(body["name"], str):
        raise Invalid("name must be text", {"name": "must be one of " + ", ".join(machine.BY_NAME)})
    doc = _docs().fire(doc_id, user, body["name"], body["version"], comment)
    return jsonify(_docs().answer(doc, user))


@bp.get("/documents/<doc_id>/history")
def document_history(doc_id):
    return jsonify({"items": _docs().history(doc_id, api_user())})


@bp.get("/workflow")
def workflow():
    api_user()
    return jsonify(machine.describe())


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
