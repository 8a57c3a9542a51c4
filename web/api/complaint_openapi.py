"""The OpenAPI description of the complaints and compliments log (web.api.complaint_api),
merged into web.api.openapi's document."""
from workflow import complaints, strands

OPERATIONS = {
    ("/complaints", "get"): ("list_complaints", "complaints", "The log, latest received first (team= and kind= "
                             "narrow it); the person's details only in the entries of the caller's own teams, "
                             "or every entry for the Head."),
    ("/complaints", "post"): ("record_complaint", "complaints", "Record a complaint or compliment about a team: by "
                              "its staff and team leaders, or the Head; audited."),
    ("/complaints/{id}", "get"): ("get_complaint", "complaints", "One entry of the log, as the caller may see it: "
                                  "the person's details for the team concerned and the Head only."),
    ("/complaints/{id}", "patch"): ("change_complaint", "complaints", "Change the answers given (the others stay), "
                                    "with the entry's version as read: a change since is refused (409)."),
}
TAG = {"name": "complaints", "description": "the complaints and compliments log"}


def _answers(one_line):
    """The answers an entry holds, as workflow.complaints.checked takes them."""
    date = {"type": ["string", "null"], "format": "date"}
    optional_line = {"type": ["string", "null"], "maxLength": complaints.LINE_LIMIT}
    return {
        "kind": {"type": "string", "enum": list(complaints.KINDS)},
        "received": {"type": "string", "format": "date", "description": "not after today"},
        "channel": {"type": "string", "enum": list(complaints.CHANNELS)},
        "team": {**one_line, "description": "the service or team concerned, which keeps the entry"},
        "strands": {"type": "array", "items": {"type": "string", "enum": list(strands.ALL)},
                    "description": "of the authority's strand set"},
        "summary": {"type": "string", "maxLength": complaints.SUMMARY_LIMIT},
        "outcome": {"type": ["string", "null"], "enum": [*complaints.OUTCOMES, None],
                    "description": "a compliment's: passed_on; with a date closed"},
        "closed": {**date, "description": "from the date received to today"},
        **{key: {**optional_line, "description": f"the person's {key}: seen by the team concerned and the Head only"}
           for key in complaints.PERSON}}


def paths(response, errors, json_body, id_parameter, one_line):
    """The paths, built with web.api.openapi's helpers (given, as it imports this module)."""
    entry = {"$ref": "#/components/schemas/Complaint"}
    answers = _answers(one_line)
    query = [{"name": "team", "in": "query", "required": False, "schema": {"type": "string"}},
             {"name": "kind", "in": "query", "required": False,
              "schema": {"type": "string", "enum": ["", *complaints.KINDS]}}]
    return {
        "/complaints": {
            "get": {"summary": "The complaints and compliments log", "parameters": query,
                    "responses": {"200": response("the entries", {"type": "object", "properties": {
                        "items": {"type": "array", "items": entry}, "total": {"type": "integer"}}}),
                        **errors(401, 404, 422)}},
            "post": {"summary": "Record a complaint or compliment",
                     "requestBody": json_body({"type": "object", "properties": answers,
                                               "required": ["kind", "received", "channel", "team", "summary"]}),
                     "responses": {"201": response("the entry", entry), **errors(400, 401, 403, 404, 422)}}},
        "/complaints/{id}": {
            "get": {"summary": "One entry of the log", "parameters": [id_parameter],
                    "responses": {"200": response("the entry", entry), **errors(401, 404)}},
            "patch": {"summary": "Change an entry", "parameters": [id_parameter],
                      "requestBody": json_body({"type": "object", "required": ["version"], "properties": {
                          "version": {"type": "integer"}, **answers}}),
                      "responses": {"200": response("the entry", entry), **errors(400, 401, 403, 404, 409, 422)}}},
    }


SCHEMAS = {"Complaint": {"type": "object", "required": ["id", "version", "kind", "received", "team", "strands"],
                         "properties": {
                             "id": {"type": "string"}, "version": {"type": "integer"},
                             "kind": {"type": "string"}, "received": {"type": "string", "format": "date"},
                             "channel": {"type": "string"}, "team": {"type": "string"},
                             "strands": {"type": "array", "items": {"type": "string"}},
                             "summary": {"type": "string"}, "outcome": {"type": ["string", "null"]},
                             "closed": {"type": ["string", "null"]},
                             "person": {"type": "object", "description": "only for the team concerned and the Head",
                                        "properties": {key: {"type": "string"} for key in complaints.PERSON}},
                             "recorded_by": {"type": "string"}, "recorded_at": {"type": "string"},
                             "changed_by": {"type": "string"}, "changed_at": {"type": "string"}}}}
