"""The OpenAPI description of the bulk-change routes (web/api/bulk_api.py), merged into
web/api/openapi.py's document."""
from workflow import strands

OPERATIONS = {
    ("/bulk-changes", "get"): ("list_bulk_changes", "documents", "The bulk changes of objectives awaiting "
                               "sign-off that the caller may see, each with its objectives."),
    ("/bulk-changes", "post"): ("create_bulk_change", "documents", "Set equality strands, a strategic objective "
                                "or the owning team on many approved objectives at once (the Head: any; a team "
                                "leader: their team's): each becomes a new revision, submitted for sign-off. All "
                                "or nothing: one objective refused refuses all, each named in details."),
    ("/bulk-changes/{id}", "get"): ("get_bulk_change", "documents", "One bulk change awaiting sign-off."),
    ("/bulk-changes/{id}/approve", "post"): ("approve_bulk_change", "documents", "Sign off every objective of a "
                                             "bulk change in one approval, under the rules of a single sign-off; "
                                             "refused whole if any one is refused."),
}


def paths(response, errors, json_body, id_param):
    batch = {"$ref": "#/components/schemas/BulkChange"}
    return {
        "/bulk-changes": {
            "get": {"summary": "Bulk changes awaiting sign-off",
                    "responses": {"200": response("the bulk changes", {"type": "object", "required": ["items"],
                                                  "properties": {"items": {"type": "array", "items": batch}}}),
                                  **errors(401)}},
            "post": {"summary": "Change many objectives' links at once and submit them",
                     "requestBody": json_body({"$ref": "#/components/schemas/NewBulkChange"}),
                     "responses": {"201": response("submitted", batch), **errors(400, 401, 403, 409, 422)}},
        },
        "/bulk-changes/{id}": {
            "get": {"summary": "One bulk change awaiting sign-off", "parameters": [id_param],
                    "responses": {"200": response("the bulk change", batch), **errors(401, 404)}},
        },
        "/bulk-changes/{id}/approve": {
            "post": {"summary": "Sign off all of a bulk change's objectives", "parameters": [id_param],
                     "requestBody": json_body({"type": "object", "properties": {"comment": {"type": "string"}}}),
                     "responses": {"200": response("signed off", {"type": "object", "properties": {
                         "id": {"type": "string"}, "approved": {"type": "integer"}}}),
                         **errors(400, 401, 403, 404, 409, 422)}},
        },
    }


def schemas():
    return {
        "NewBulkChange": {"type": "object", "required": ["ids", "change"], "properties": {
            "ids": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "change": {"type": "object", "description": "at least one of these", "properties": {
                "strands": {"type": "array", "items": {"type": "string", "enum": list(strands.ALL)}},
                "strategic": {"type": "integer", "minimum": 1, "maximum": 99},
                "team": {"type": "string"}}}}},
        "BulkChange": {"type": "object", "required": ["id", "by", "at", "change", "documents"], "properties": {
            "id": {"type": "string"}, "by": {"type": "string"}, "at": {"type": "string"},
            "change": {"type": "string", "description": "the change in words"},
            "documents": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string"}, "title": {"type": "string"}, "team": {"type": "string"}}}}}},
    }
