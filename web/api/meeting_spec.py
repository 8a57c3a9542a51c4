"""The OpenAPI description of the meetings, the bodies and the actions they agree (web.api.meeting_api,
web.api.action_api), merged into web.api.openapi's document."""
from workflow import meetings
from workflow.kinds import objective

OPERATIONS = {
    ("/bodies", "get"): ("list_bodies", "meetings", "The bodies meetings belong to (the EODB, the full Authority, "
                         "the Senior Management Team, the staff forums and any an administrator adds)."),
    ("/meetings/{id}/matters-arising", "get"): ("matters_arising", "meetings", "The open actions agreed at "
                                                "earlier meetings of the meeting's body: its matters arising."),
    ("/actions", "get"): ("list_actions", "meetings", "The actions bodies agreed with their decisions, soonest due "
                          "first; state=open or done, team=an owner team."),
    ("/actions/{id}", "get"): ("get_action", "meetings", "One action agreed by a body, with its history."),
    ("/actions/{id}/done", "post"): ("complete_action", "meetings", "Mark an action done with a note saying what "
                                     "was done (a team leader of its owner team, or the Head)."),
}


def paths(response, errors, json_body, id_parameter):
    """The paths, built with web.api.openapi's helpers (given, as it imports this module)."""
    action = {"$ref": "#/components/schemas/Action"}
    query = [{"name": "state", "in": "query", "required": False, "schema": {"type": "string",
                                                                            "enum": ["", "open", "done"]}},
             {"name": "team", "in": "query", "required": False, "schema": {"type": "string"}}]
    return {
        "/bodies": {"get": {"summary": "The bodies meetings belong to",
                            "responses": {"200": response("the bodies", {"type": "object", "properties": {
                                "items": {"type": "array", "items": {"type": "object", "properties": {
                                    "key": {"type": "string"}, "name": {"type": "string"}}}}}}),
                                **errors(401)}}},
        "/meetings/{id}/matters-arising": {"get": {
            "summary": "A meeting's matters arising", "parameters": [id_parameter],
            "responses": {"200": response("the actions", {"type": "object", "properties": {
                "items": {"type": "array", "items": action}}}), **errors(401, 404)}}},
        "/actions": {"get": {"summary": "Actions agreed by the bodies", "parameters": query,
                             "responses": {"200": response("the actions", {"type": "object", "properties": {
                                 "items": {"type": "array", "items": action}}}), **errors(401, 422)}}},
        "/actions/{id}": {"get": {"summary": "One action", "parameters": [id_parameter],
                                  "responses": {"200": response("the action", action), **errors(401, 404)}}},
        "/actions/{id}/done": {"post": {
            "summary": "Mark an action done", "parameters": [id_parameter],
            "requestBody": json_body({"type": "object", "required": ["note"], "properties": {
                "note": {"type": "string"}, "version": {"type": "integer", "description": "the action's version as "
                                                        "read: a change since is refused (409)"}}}),
            "responses": {"200": response("the action, done", action), **errors(400, 401, 403, 404, 409, 422)}}},
    }


def schemas(one_line_200, one_line_pattern):
    """The meetings' schemas; the arguments are openapi.py's one-line text schema (200 characters) and pattern."""
    return {
        "NewMeeting": {"type": "object", "required": ["title", "date"], "properties": {
            "title": one_line_200, "date": {"type": "string", "format": "date"},
            "venue": {"type": "string", "maxLength": 200, "pattern": one_line_pattern}, "body": {"type": "string"}}},
        "Meeting": {"type": "object", "required": ["id", "title", "date", "items", "decisions"], "properties": {
            "body": {"type": "string"},
            "id": {"type": "string"}, "title": {"type": "string"}, "date": {"type": "string"},
            "venue": {"type": ["string", "null"]}, "items": {"type": "array", "items": {"type": "object"}},
            "decisions": {"type": "array", "items": {"type": "object"}}}},
        "Decision": {"type": "object", "required": ["document", "decision"], "properties": {
            "document": {"type": "string"}, "decision": {"type": "string", "enum": list(meetings.DECISIONS)},
            "note": {"type": "string"}, "actions": {"type": "array", "items": {"$ref": "#/components/schemas/NewAction"}},
            "agreed": {"type": "object", "required": ["period", "status", "reason"], "properties": {
                "period": {"type": "string"}, "status": {"type": "string", "enum": list(objective.STATUSES)},
                "reason": {"type": "string"}}}}},
        "NewAction": {"type": "object", "required": ["what", "team", "due"], "properties": {
            "what": {"type": "string"}, "team": {"type": "string", "description": "the owner team"},
            "due": {"type": "string", "format": "date"}}},
        "Action": {"type": "object", "required": ["id", "what", "team", "due", "body", "meeting", "done"],
                   "properties": {
                       "id": {"type": "string"}, "version": {"type": "integer"}, "what": {"type": "string"},
                       "team": {"type": "string"}, "due": {"type": "string", "format": "date"},
                       "body": {"type": "string", "description": "the key of the body that agreed it"},
                       "meeting": {"type": "string"}, "meeting_date": {"type": "string", "format": "date"},
                       "document": {"type": "string"}, "report": {"type": "integer"}, "title": {"type": "string"},
                       "agreed_by": {"type": "string"}, "agreed_at": {"type": "string"},
                       "done": {"type": ["object", "null"], "properties": {
                           "note": {"type": "string"}, "by": {"type": "string"}, "at": {"type": "string"}}},
                       "history": {"type": "array", "items": {"type": "object"}}}},
    }
