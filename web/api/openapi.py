"""The OpenAPI 3 description of API v1, kept beside the routes it describes."""
from web.api import (bulk_openapi, complaint_openapi, consultation_openapi, meeting_spec, plan_openapi,
                     team_progress_openapi)
from workflow import documents, kinds, machine, periods, search, standard
from workflow.kinds import objective

_ERROR = {"$ref": "#/components/schemas/Error"}
_LINE_CHAR = "[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]"  # no line break or other control character
_ONE_LINE = f"^{_LINE_CHAR}*$"


def _one_line(limit):
    """A title or a name, as workflow.fields.one_line checks it: some text, on one line."""
    return {"type": "string", "maxLength": limit, "pattern": f"^{_LINE_CHAR}*\\S{_LINE_CHAR}*$",
            "description": "one line: no line breaks, tabs or other control characters"}


_PERIOD_CODE = {"type": "string", "examples": ["2007-08", "2007-08 Q3"],
                "description": f"a financial year or one of its quarters, from {periods.RANGE}"}
_REPORT_PERIOD = {"type": "string", "examples": ["2007-08", "2007-08 Q3", "2004-05 to 2006-07"],
                  "description": f"a financial year, one of its quarters, or a plan's span of whole years "
                                 f"(first year to last year), from {periods.RANGE}"}


def _response(description, schema=None):
    answer = {"description": description}
    if schema:
        answer["content"] = {"application/json": {"schema": schema}}
    return answer


def _errors(*codes):
    words = {400: "malformed body", 401: "no valid bearer token", 403: "visible, but not yours to do",
             404: "absent or not visible", 409: "stale version or wrong state",
             422: "invalid fields, each keyed by its path (text holding the NUL character among them), "
                  "or unmet conditions (details.unmet; details.fields by path)"}
    return {str(code): _response(words[code], _ERROR) for code in codes}


def _json_body(schema):
    return {"required": True, "content": {"application/json": {"schema": schema}}}


_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}


def _filter(name):
    """A list filter as workflow.search parses it: a choice where it has choices
    (empty: no filter), otherwise a short text."""
    choices = search.CHOICES.get(name)
    if choices:
        return {"type": "string", "enum": ["", *choices]}
    return {"type": "string", "maxLength": search.TEXT_LIMIT}


# One media type per `format`. The PDF is bytes ("format": "binary"), and comes first: a
# generated client decodes an answer by the first media type it knows, and a PDF decoded
# as text is corrupted. openapi-python-client knows application/pdf once told it is bytes
# (`content_type_overrides: {application/pdf: application/octet-stream}`); every format
# then arrives as bytes (tests/web/api/test_generated_client.py).
_REPORT_CONTENT = {
    "application/pdf": {"schema": {"type": "string", "format": "binary", "contentMediaType": "application/pdf",
                                   "description": "format=pdf: a tagged PDF, for printing and the committee"}},
    **{media: {"schema": {"type": "string", "contentMediaType": media, "description": words}}
       for media, words in (("text/markdown", "format=md (the default): Markdown, UTF-8"),
                            ("text/html", "format=html: one HTML page, UTF-8"),
                            ("text/csv", "format=csv: the status table (each strategic objective, then each objective "
                             "not yet linked to one), UTF-8 with a byte order mark"))}}

# Each operation: (its Flask endpoint's name, which is its operationId; its tag; what it does).
_OPERATIONS = {
    ("/me", "get"): ("me", "account", "The name, roles and teams of the person the bearer token was issued to."),
    ("/tokens/current", "delete"): ("revoke_current_token", "account",
                                    "Revoke the token this call is made with; every later call with it answers 401."),
    ("/documents", "get"): ("list_documents", "documents", "The documents the caller may see, filtered and paged as "
                            "the Documents page filters them; a draft is seen only by its team and the unit."),
    ("/documents", "post"): ("create_document", "documents", "Create a draft EqIA, objective or other kind "
                             "for a team the caller belongs to; its fields are checked as the edit page checks them."),
    ("/documents/{id}", "get"): ("get_document", "documents", "One document as the caller may see it (the approved "
                                 "revision, for a reader who may not see the working copy), with the actions "
                                 "open to them."),
    ("/documents/{id}", "patch"): ("edit_document", "documents", "Change the title or fields of a draft or screened "
                                   "document; send the version read, or the answer is 409."),
    ("/documents/{id}/transitions", "post"): ("fire_transition", "documents", "Move a document through the workflow "
                                              "(screen, assess, approve, return, revise...), as DESIGN.md's "
                                              "state machine allows."),
    ("/documents/{id}/history", "get"): ("document_history", "documents", "Every transition of the document, oldest "
                                         "first, chained by SHA-256 so a changed entry shows."),
    ("/documents/{id}/progress", "get"): ("document_progress", "progress", "An objective's progress: "
                                          "status and evidence per reporting period, oldest first."),
    ("/documents/{id}/progress/{period}", "put"): ("put_progress", "progress", "Write one period's progress (status, "
                                                   "evidence, outcomes) on an objective's working copy."),
    **team_progress_openapi.OPERATIONS,
    ("/documents/{id}/carry-forward", "post"): ("carry_forward", "progress", "Start the next plan's draft of an "
                                                "approved objective, linked to it; the approved one is unchanged."),
    ("/periods", "get"): ("list_periods", "progress", "The reporting periods opened so far, oldest first."),
    ("/periods", "post"): ("add_period", "progress", "Open a financial year or quarter for progress reporting."),
    ("/meetings", "get"): ("list_meetings", "meetings", "The meetings of the bodies (body=its key), newest first."),
    ("/meetings", "post"): ("create_meeting", "meetings", "Arrange a meeting of a body (the EODB if none is given)."),
    ("/meetings/{id}", "get"): ("get_meeting", "meetings",
                                "A meeting with its numbered agenda and the decisions made."),
    ("/meetings/{id}/items", "post"): ("add_agenda_item", "meetings", "Put an approved (or reviewed) document "
                                       "on a meeting's agenda, as report `number` (default: the next)."),
    ("/meetings/{id}/decisions", "post"): ("record_decision", "meetings", "Record what the Board decided on an agenda "
                                           "item (noted, reviewed, or a status agreed with its reason), "
                                           "and the actions it agreed."),
    **meeting_spec.OPERATIONS,
    ("/workflow", "get"): ("workflow", "about", "The states, transitions and who may fire each, in words."),
    ("/openapi.json", "get"): ("openapi", "about", "This OpenAPI 3.1 document; no token needed."),
    ("/standard", "get"): ("equality_standard", "reports", "The Equality Standard self-assessment: the level "
                           "achieved and verified, the target and what reaching it costs."),
    ("/reports/progress", "get"): ("progress_report", "reports", "The committee's progress report for a period, "
                                   "built from approved content only, as a file in the format asked for "
                                   "(PDF, Markdown, HTML or the status table as CSV): read the answer as bytes. "
                                   "Only those who may write reports (the Head, a team leader of the Race & "
                                   "Diversity Unit) generate one; everyone else reads the signed-off reports."),
    ("/training/figures", "get"): ("training_figures", "reports", "How many staff and Board members are trained in "
                                   "EqIA, and in each other equality course, on a date."),
    **bulk_openapi.OPERATIONS,
}
_TAGS = [{"name": "account", "description": "the caller and their token"},
         {"name": "documents", "description": "EqIAs, objectives and the other kinds, through the workflow"},
         {"name": "progress", "description": "objectives' progress per reporting period"},
         {"name": "meetings", "description": "the Equality and Diversity Board's meetings and decisions"},
         {"name": "reports", "description": "reports and figures built from approved content"},
         {"name": "about", "description": "the API and the workflow themselves"}]


def _described(paths):
    """`paths` with each operation's operationId, tag and description (_OPERATIONS)."""
    for path, operations in paths.items():
        for method, operation in operations.items():
            name, tag, description = {**_OPERATIONS, **plan_openapi.OPERATIONS,
                                      **complaint_openapi.OPERATIONS,
                                      **consultation_openapi.OPERATIONS}[(path, method)]
            operation.update(operationId=name, tags=[tag], description=description)
    return paths


def _paths():
    doc_ref = {"$ref": "#/components/schemas/Document"}
    return {
        "/me": {"get": {"summary": "Who the token belongs to",
                        "responses": {"200": _response("the caller", {"$ref": "#/components/schemas/Me"}),
                                      **_errors(401)}}},
        "/tokens/current": {"delete": {
            "summary": "Revoke the token this call is made with; it answers 401 from then on",
            "responses": {"204": _response("revoked"), **_errors(401)}}},
        "/documents": {
            "get": {"summary": "Documents the caller may see",
                    "parameters": [*({"name": key, "in": "query", "required": False, "schema": _filter(key)}
                                     for key in search.FILTERS),
                                   {"name": "page", "in": "query", "required": False,
                                    "schema": {"type": "integer", "minimum": 1, "default": 1}},
                                   {"name": "per_page", "in": "query", "required": False,
                                    "schema": {"type": "integer", "minimum": 1, "maximum": search.MAX_PER_PAGE,
                                               "default": search.API_PER_PAGE}}],
                    "responses": {"200": _response("the list", {"$ref": "#/components/schemas/DocumentList"}),
                                  **_errors(401, 422)}},
            "post": {"summary": "Create a draft",
                     "requestBody": _json_body({"$ref": "#/components/schemas/NewDocument"}),
                     "responses": {"201": _response("created", doc_ref), **_errors(400, 401, 403, 422)}},
        },
        "/documents/{id}": {
            "get": {"summary": "One document, as the caller may see it", "parameters": [_ID],
                    "responses": {"200": _response("the document", doc_ref), **_errors(401, 404)}},
            "patch": {"summary": "Edit a draft or screened document (given top-level fields replace)",
                      "parameters": [_ID],
                      "requestBody": _json_body({"$ref": "#/components/schemas/Edit"}),
                      "responses": {"200": _response("saved", doc_ref),
                                    **_errors(400, 401, 403, 404, 409, 422)}},
        },
        "/documents/{id}/transitions": {
            "post": {"summary": "Fire a workflow transition", "parameters": [_ID],
                     "requestBody": _json_body({"$ref": "#/components/schemas/Fire"}),
                     "responses": {"200": _response("fired", doc_ref),
                                   **_errors(400, 401, 403, 404, 409, 422)}},
        },
        "/documents/{id}/history": {
            "get": {"summary": "The document's history, oldest first", "parameters": [_ID],
                    "responses": {"200": _response("history", {"$ref": "#/components/schemas/History"}),
                                  **_errors(401, 404)}},
        },
        "/documents/{id}/progress": {
            "get": {"summary": "An objective's progress per reporting period, oldest first", "parameters": [_ID],
                    "responses": {"200": _response("progress", {"$ref": "#/components/schemas/Progress"}),
                                  **_errors(401, 404)}},
        },
        "/documents/{id}/progress/{period}": {
            "put": {"summary": "Write one period's progress on the working copy (revise an approved one first); "
                               "the period must be one the Head opened (or already written), and the status is required",
                    "parameters": [_ID, {"name": "period", "in": "path", "required": True,
                                         "schema": _PERIOD_CODE}],
                    "requestBody": _json_body({"$ref": "#/components/schemas/ProgressWrite"}),
                    "responses": {"200": _response("saved", doc_ref), **_errors(400, 401, 403, 404, 409, 422)}},
        },
        **team_progress_openapi.paths(_response, _errors, _json_body, _ID, _PERIOD_CODE),
        "/documents/{id}/carry-forward": {
            "post": {"summary": "Carry an approved objective forward to a successor plan: a new draft objective "
                                "keeping its heading, theme, action, leads, strands and strategic objective, linked by "
                                "carried_forward_from; the approved one is unchanged (a team leader of its team, once)",
                     "parameters": [_ID],
                     "responses": {"201": _response("the new draft objective", doc_ref),
                                   **_errors(401, 403, 404, 409)}},
        },
        "/periods": {
            "get": {"summary": "Reporting periods, oldest first",
                    "responses": {"200": _response("periods", {"$ref": "#/components/schemas/Periods"}),
                                  **_errors(401)}},
            "post": {"summary": "Open a reporting period (Head or administrator)",
                     "requestBody": _json_body({"type": "object", "required": ["code"],
                                                "properties": {"code": _PERIOD_CODE}}),
                     "responses": {"201": _response("opened", {"$ref": "#/components/schemas/Period"}),
                                   **_errors(400, 401, 403, 409, 422)}},
        },
        "/meetings": {
            "get": {"summary": "Meetings, newest first", "parameters": [
                {"name": "body", "in": "query", "required": False, "schema": {"type": "string"}}],
                    "responses": {"200": _response("meetings", {"type": "object"}), **_errors(401, 422)}},
            "post": {"summary": "Arrange a Board meeting (the Head)",
                     "requestBody": _json_body({"$ref": "#/components/schemas/NewMeeting"}),
                     "responses": {"201": _response("arranged", {"$ref": "#/components/schemas/Meeting"}),
                                   **_errors(400, 401, 403, 422)}},
        },
        "/meetings/{id}": {
            "get": {"summary": "A meeting with its agenda and decisions", "parameters": [_ID],
                    "responses": {"200": _response("the meeting", {"$ref": "#/components/schemas/Meeting"}),
                                  **_errors(401, 404)}},
        },
        "/meetings/{id}/items": {
            "post": {"summary": "Put an approved document on the agenda (the Head)", "parameters": [_ID],
                     "requestBody": _json_body({"type": "object", "required": ["document"],
                                                "properties": {"document": {"type": "string"},
                                                               "number": {"type": "integer", "minimum": 1}}}),
                     "responses": {"201": _response("the numbered agenda item", {"type": "object"}),
                                   **_errors(400, 401, 403, 404, 409, 422)}},
        },
        "/meetings/{id}/decisions": {
            "post": {"summary": "Record the Board's decision on an agenda item of a held meeting",
                     "parameters": [_ID],
                     "requestBody": _json_body({"$ref": "#/components/schemas/Decision"}),
                     "responses": {"200": _response("the document after the decision", doc_ref),
                                   **_errors(400, 401, 403, 404, 409, 422)}},
        },
        "/workflow": {"get": {"summary": "The state machine in words",
                              "responses": {"200": _response("the machine", {"type": "object"}),
                                            **_errors(401)}}},
        "/openapi.json": {"get": {"summary": "This document", "security": [],
                                  "responses": {"200": _response("OpenAPI 3", {"type": "object"})}}},
        "/standard": {"get": {
            "summary": "The Equality Standard self-assessment: cells as the caller may see them, the level "
                       "achieved and verified (approved content only), the target and the cost of external assessment",
            "responses": {"200": _response("the self-assessment", {"$ref": "#/components/schemas/Standard"}),
                          **_errors(401)}}},
        "/reports/progress": {"get": {
            "summary": "The committee progress report for a period, generated from approved content only",
            "parameters": [
                {"name": "period", "in": "query", "required": True, "schema": _REPORT_PERIOD,
                 "description": "a period opened for reporting, one approved progress reports on, or a plan "
                                "period of three years from the plan's adoption that includes one (422 otherwise); "
                                "the figures are as at its end"},
                {"name": "format", "in": "query", "required": False,
                 "schema": {"$ref": "#/components/schemas/ReportFormat"}},
                {"name": "since", "in": "query", "required": False,
                 "description": "Appendix 1 lists the EqIAs approved since this date (default: all)",
                 "schema": {"type": "string", "format": "date"}}],
            "responses": {"200": {"description": "the report in the format asked for: a file, read as bytes",
                                  "content": _REPORT_CONTENT}, **_errors(401, 403, 422)}}},
        "/training/figures": {"get": {
            "summary": "People trained in EqIA (staff and Board members) and in other equality courses; "
                       "for the Head, the Board, the SMT and administrators",
            "parameters": [{"name": "as_of", "in": "query", "required": False, "description": "default: today",
                            "schema": {"type": "string", "format": "date"}}],
            "responses": {"200": _response("the figures", {"type": "object", "properties": {
                "as_of": {"type": "string", "format": "date"}, "staff": {"type": "integer"},
                "members": {"type": "integer"},
                "courses": {"type": "object", "additionalProperties": {"type": "integer"}}}}),
                **_errors(401, 403, 422)}}},
        **bulk_openapi.paths(_response, _errors, _json_body, _ID),
        **meeting_spec.paths(_response, _errors, _json_body, _ID),
    }


def _schemas():
    state = {"type": "string", "enum": list(machine.STATES)}
    kind = {"type": "string", "enum": list(kinds.KINDS)}
    summary = {"id": {"type": "string"}, "kind": kind, "title": {"type": "string"}, "state": state,
               "team": {"type": "string"}, "revision": {"type": "integer"},
               "version": {"type": "integer", "description": "the version to send with a change; for a caller who "
                           "reads only the approved revision, that revision's, unmoved by a revision in progress"}}
    nullable_text = {"type": ["string", "null"]}
    # As workflow.fields.one_line checks them: some text, at most TITLE_LIMIT characters, on one line.
    title = _one_line(documents.TITLE_LIMIT)
    fields = {"type": "object", "description": "the kind's fields (DESIGN.md); each bad one is named in a 422"}
    return {
        "Error": {"type": "object", "required": ["error", "details"],
                  "properties": {"error": {"type": "string"}, "details": {"type": "object"}}},
        "Me": {"type": "object", "required": ["name", "roles", "teams"],
               "properties": {"name": {"type": "string"},
                              "roles": {"type": "array", "items": {"type": "string"}},
                              "teams": {"type": "array", "items": {"type": "string"}}}},
        "DocumentList": {"type": "object", "required": ["items", "total", "page", "pages"],
                         "properties": {"items": {"type": "array", "items": {
                             "type": "object", "required": list(summary), "properties": summary}},
                             "total": {"type": "integer", "description": "results on every page"},
                             "page": {"type": "integer"}, "pages": {"type": "integer"}}},
        "Document": {"type": "object",
                     "required": [*summary, "author", "fields", "actions"],
                     "properties": {**summary, "author": {"type": "string"}, "fields": {"type": "object"},
                                    "actions": {"type": "array", "items": {
                                        "type": "string", "enum": list(machine.BY_NAME)}},
                                    "approved_revision": {"type": "integer"}}},
        "NewDocument": {"type": "object", "required": ["kind", "title", "team"],
                        "properties": {"kind": kind, "title": title, "team": {"type": "string", "minLength": 1},
                                       "fields": fields}},
        "Edit": {"type": "object", "required": ["version"], "additionalProperties": False,
                 "properties": {"version": {"type": "integer"}, "title": title, "fields": fields}},
        "Fire": {"type": "object", "required": ["name", "version"],
                 "properties": {"name": {"type": "string", "enum": list(machine.BY_NAME)},
                                "version": {"type": "integer"}, "comment": {"type": "string"}}},
        "ProgressEntry": {"type": "object", "required": ["period"], "properties": {
            "period": {"type": "string"}, "status": {"type": "string", "enum": list(objective.STATUSES)},
            **{key: {"type": "string"} for key in ("evidence", "key_outcomes", "improvements", "comment", "reason")}}},
        "Progress": {"type": "object", "required": ["items"], "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/ProgressEntry"}}}},
        "ProgressWrite": {"type": "object", "required": ["version"], "properties": {
            "version": {"type": "integer"}, "status": {"type": "string", "enum": list(objective.STATUSES)},
            **{key: {"type": "string"} for key in ("evidence", "key_outcomes", "improvements", "comment", "reason")}}},
        "Period": {"type": "object", "required": ["code", "label", "starts", "ends"], "properties": {
            key: {"type": "string"} for key in ("code", "label", "starts", "ends")}},
        "Periods": {"type": "object", "required": ["items"], "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Period"}}}},
        "History": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {
            "type": "object", "required": ["at", "actor", "action", "from", "to", "comment", "revision"],
            "properties": {"at": {"type": "string"}, "actor": {"type": "string"}, "action": {"type": "string"},
                           "from": nullable_text, "to": {"type": "string"}, "comment": nullable_text,
                           "revision": {"type": "integer"},
                           "changed": {"type": "array", "items": {"type": "string"}, "description":
                                       "on an edit: the fields it changed, a record's fields one level down "
                                       "(full_assessment.evidence); absent on edits recorded before these were kept"},
                           "as_deputy": {"type": "object", "description": "on a sign-off made by a deputy approver: "
                                         "the naming it was made under (for: whose deputy, named_by, from, to: "
                                         "ISO dates, inclusive); absent on every other entry",
                                         "properties": {"for": {"type": "string"}, "named_by": {"type": "string"},
                                                        "from": {"type": "string"}, "to": {"type": "string"}}},
                           "prev": {"type": ["string", "null"], "description": "SHA-256 of the entry before (null: "
                                    "the first); absent on entries written before history was chained"},
                           "hash": {"type": "string", "description": "SHA-256 of this entry's canonical JSON "
                                    "(sorted keys, no spaces, UTF-8), without its hash"}}}}}},
        "StandardCell": {"type": "object", "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "state": state, "revision": {"type": "integer"},
            "level": {"type": ["integer", "null"], "enum": [*standard.LEVELS, None]},
            "area": {"type": ["string", "null"], "enum": [*standard.AREAS, None]},
            "self_assessed": {"type": ["string", "null"], "enum": [*standard.SELF_ASSESSED, None]},
            "evidence": {"type": "integer", "description": "how many pieces of evidence"},
            "files": {"type": "array", "description": "files uploaded as evidence; a signed-in page session "
                      "downloads one from /documents/{id}/evidence/{key}", "items": {"type": "object", "properties": {
                          "key": {"type": "string"}, "name": {"type": "string"},
                          "size": {"type": "integer", "description": "bytes"}, "size_words": {"type": "string"}}}},
            "verification": {"type": "string", "enum": list(standard.VERIFICATION)},
            "approved_revision": {"type": ["integer", "null"]},
            "counts": {"type": "boolean", "description": "its approved revision is met, with evidence"},
            "verified": {"type": "boolean", "description": "its approved revision is also verified externally"}}},
        "Standard": {"type": "object", "required": ["levels", "areas", "cells", "level_achieved", "verified_level",
                                                    "target", "cost_per_level", "cost_to_target"], "properties": {
            "levels": {"type": "array", "items": {"type": "object", "properties": {
                "level": {"type": "integer"}, "name": {"type": "string"}}}},
            "areas": {"type": "array", "items": {"type": "object", "properties": {
                "key": {"type": "string"}, "name": {"type": "string"}}}},
            "cells": {"type": "array", "items": {"$ref": "#/components/schemas/StandardCell"}},
            "level_achieved": {"type": "integer", "minimum": 0, "maximum": 5},
            "verified_level": {"type": "integer", "minimum": 0, "maximum": 5},
            "target": {"type": "object", "properties": {"level": {"type": "integer"},
                                                        "date": {"type": "string", "format": "date"}}},
            "cost_per_level": {"type": "integer", "description": "pounds"},
            "cost_to_target": {"type": "integer", "description": "pounds: (target - verified level) x cost per level"}}},
        "ReportFormat": {"type": "string", "enum": ["md", "html", "pdf", "csv"], "default": "md"},
        **bulk_openapi.schemas(),
        **meeting_spec.schemas(_one_line(200), _ONE_LINE),
    }


def openapi_document():
    return {
        "openapi": "3.1.0",
        "info": {"title": "Equality governance workflow API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "tags": [*_TAGS, complaint_openapi.TAG],
        "paths": _described({**_paths(), **plan_openapi.paths(_errors, _response),
                             **complaint_openapi.paths(_response, _errors, _json_body, _ID, _one_line(200)),
                             **consultation_openapi.paths(_errors, _response)}),
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": {**_schemas(), **plan_openapi.SCHEMAS, **complaint_openapi.SCHEMAS,
                                   **consultation_openapi.SCHEMAS}},
    }
