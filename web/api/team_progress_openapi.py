"""The OpenAPI description of the routes writing a lead team's entry on a shared objective and a
team plan's targets' progress (web/api/progress_api.py), merged into web/api/openapi.py's document."""
from workflow.kinds import objective

_DOC = {"$ref": "#/components/schemas/Document"}
_STATUS = {"type": "string", "enum": list(objective.STATUSES)}
_TEAM_TEXTS = {key: {"type": "string"} for key in objective.TEAM_ENTRY_TEXTS}

OPERATIONS = {
    ("/documents/{id}/team-progress/{period}", "put"): ("put_team_progress", "progress", "Write a lead team's own "
                                                        "entry for a period on an objective several teams lead."),
    ("/documents/{id}/target-progress/{period}", "put"): ("put_target_progress", "progress", "Write each team plan "
                                                          "target's status and progress for a period."),
}


def paths(response, errors, json_body, id_param, period_code):
    period = {"name": "period", "in": "path", "required": True, "schema": period_code}
    return {
        "/documents/{id}/team-progress/{period}": {"put": {
            "summary": "Write your team's entry for a period on a shared objective's working copy (a team leader of a "
                       "team it names as lead; every team for All Teams); other teams' entries stay as they are",
            "parameters": [id_param, period], "requestBody": json_body({
                "type": "object", "required": ["version", "team"],
                "properties": {"version": {"type": "integer"}, "team": {"type": "string"}, **_TEAM_TEXTS}}),
            "responses": {"200": response("saved", _DOC), **errors(400, 401, 403, 404, 409, 422)}}},
        "/documents/{id}/target-progress/{period}": {"put": {
            "summary": "Write each target's status and progress for a period on a team plan's working copy",
            "parameters": [id_param, period], "requestBody": json_body({"type": "object", "required": [
                "version", "targets"], "properties": {"version": {"type": "integer"}, "targets": {"type": "array",
                    "items": {"type": "object", "properties": {"status": _STATUS, "progress": {"type": "string"}}}}}}),
            "responses": {"200": response("saved", _DOC), **errors(400, 401, 403, 404, 409, 422)}}},
    }
