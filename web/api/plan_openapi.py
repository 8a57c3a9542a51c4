"""The OpenAPI description of the plans' routes (web.api.plan_api), merged into web.api.openapi."""
from workflow import cycle

_PLAN = {"type": "object", "required": ["key", "title", "period", "adopted_by", "adopted_on", "factors"], "properties": {
    "key": {"type": "string"}, "title": {"type": "string"},
    "period": {"type": "string", "examples": ["2004 – 2007"]},
    "first_year": {"type": "string", "examples": ["2004-05"]}, "last_year": {"type": "string", "examples": ["2006-07"]},
    "adopted_by": {"type": "string"}, "adopted_on": {"type": "string", "format": "date"},
    "factors": {"type": "array", "items": {"type": "string"}, "description": "its critical success factors"},
    "supersedes": {"type": ["string", "null"]}, "successor": {"type": ["string", "null"]},
    "ended_on": {"type": ["string", "null"], "format": "date", "description": "the day its successor was adopted"}}}
_REVIEW = {"type": "object", "properties": {
    "id": {"type": "string"}, "title": {"type": "string"}, "due": {"type": "string", "format": "date"},
    "approved_at": {"type": "string"}, "summary": {"type": ["string", "null"]},
    "assessments": {"type": "array", "items": {"type": "object", "properties": {
        "factor": {"type": "string"}, "rating": {"type": "string", "enum": ["met", "partly_met", "not_met"]},
        "evidence": {"type": "string"}}}}}}
_DUE = {"type": "object", "properties": {
    "key": {"type": "string"}, "what": {"type": "string"}, "audience": {"type": "string"},
    "due": {"type": "string", "format": "date"},
    "status": {"type": "string", "enum": [cycle.DONE, cycle.DUE, cycle.OVERDUE, cycle.CLOSED]}}}

OPERATIONS = {
    ("/plans", "get"): ("list_plans", "reports", "The equality plans, oldest first: the Corporate Equality Plan 2004 "
                        "and each successor a signed-off plan succession adopted."),
    ("/plans/{key}", "get"): ("get_plan", "reports", "A plan with its critical success factors, signed-off reviews and "
                              "reporting cycle; once superseded, what it left undone is closed, never overdue."),
}


def paths(errors, response):
    key = {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        "/plans": {"get": {"summary": "Equality plans, oldest first",
                           "responses": {"200": response("plans", {"type": "object", "properties": {
                               "items": {"type": "array", "items": {"$ref": "#/components/schemas/Plan"}}}}),
                               **errors(401)}}},
        "/plans/{key}": {"get": {"summary": "One plan, its reviews and its reporting cycle", "parameters": [key],
                                 "responses": {"200": response("the plan", {"allOf": [
                                     {"$ref": "#/components/schemas/Plan"}, {"type": "object", "properties": {
                                         "reviews": {"type": "array", "items": _REVIEW},
                                         "cycle": {"type": "array", "items": _DUE}}}]}),
                                     **errors(401, 404)}}},
    }


SCHEMAS = {"Plan": _PLAN}
