"""The OpenAPI description of the consultations' routes (web.api.consultation_api), merged into web.api.openapi."""
from workflow import consultations

_TEXT = {"type": "string"}
_VALUES = {
    "title": {"type": "string", "description": "what the consultation was about, on one line"},
    "team": {"type": "string", "description": "the team that keeps it"},
    "consulted": {"type": "array", "minItems": 1, "items": {
        "type": "object", "required": ["name", "type"], "additionalProperties": False,
        "properties": {"name": _TEXT, "type": {"type": "string", "enum": list(consultations.TYPES)}}}},
    "start": {"type": "string", "format": "date", "description": "the day, or the first day"},
    "end": {"type": ["string", "null"], "format": "date", "description": "the last day, if it ran for more than one"},
    "methods": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": list(consultations.METHODS)}},
    "responses": {"type": "string", "description": "a summary of the responses (Markdown)"},
    "changes": {"type": ["string", "null"], "description": "what changed because of them (Markdown)"},
    "informed": {"type": ["array", "null"], "items": {"type": "string"},
                 "description": "ids of the EqIAs and objectives it informed, each one the caller may see"},
}
_CONSULTATION = {"type": "object", "required": ["id", "version", *consultations.KEYS], "properties": {
    "id": _TEXT, "version": {"type": "integer"}, **_VALUES,
    **{key: _TEXT for key in ("created_by", "created_at", "updated_by", "updated_at")}}}
_WHO = ("Read by everyone signed in except Board members, who read consultations through the approved documents "
        "that cite them; recorded and changed by the staff and team leaders of its team, and the Head; audited.")

OPERATIONS = {
    ("/consultations", "get"): ("list_consultations", "documents", "Every consultation, newest first. " + _WHO),
    ("/consultations", "post"): ("create_consultation", "documents", "Record a consultation; 422 names each "
                                 "bad key. " + _WHO),
    ("/consultations/{id}", "get"): ("get_consultation", "documents", "One consultation; 404 if absent or not "
                                     "readable by the caller."),
    ("/consultations/{id}", "patch"): ("edit_consultation", "documents", "Change a consultation: the keys given "
                                       "replace those stored; 409 if `version` is stale, 403 if the caller may "
                                       "not keep it."),
}


def paths(errors, response):
    ref = {"$ref": "#/components/schemas/Consultation"}
    key = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    new = {"type": "object", "required": ["title", "team", "consulted", "start", "methods", "responses"],
           "additionalProperties": False, "properties": _VALUES}
    edit = {"type": "object", "required": ["version"], "additionalProperties": False,
            "properties": {"version": {"type": "integer"}, **_VALUES}}
    return {
        "/consultations": {
            "get": {"summary": "Consultations, newest first", "responses": {"200": response("consultations", {
                "type": "object", "properties": {"items": {"type": "array", "items": ref}}}), **errors(401, 404)}},
            "post": {"summary": "Record a consultation", "requestBody": {"required": True, "content": {
                "application/json": {"schema": new}}},
                "responses": {"201": response("the consultation recorded", ref), **errors(400, 401, 403, 404, 422)}}},
        "/consultations/{id}": {
            "get": {"summary": "One consultation", "parameters": [key],
                    "responses": {"200": response("the consultation", ref), **errors(401, 404)}},
            "patch": {"summary": "Change a consultation", "parameters": [key], "requestBody": {
                "required": True, "content": {"application/json": {"schema": edit}}},
                "responses": {"200": response("the consultation as saved", ref),
                              **errors(400, 401, 403, 404, 409, 422)}}},
    }


SCHEMAS = {"Consultation": _CONSULTATION}
