"""The JSON API, version 1 (contract: shared/DESIGN.md). Bearer tokens only."""
import datetime as dt

from flask import Blueprint, current_app, g, jsonify, request

from services import audit_service, memo, period_service, token_service

from web.pages import report_pages, standard_pages, training_pages
from web.auth import api_user, client_address
from services.document_service import DOCS
from web.api.openapi import openapi_document
from web.security import csrf
from workflow import machine, numbers, periods, search
from workflow.errors import Invalid, NotFound, WorkflowError
from web.current import current_meetings

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer-token calls carry no cookie, so there is nothing to forge

LIST_KEYS = ("id", "kind", "title", "state", "team", "version", "revision")


class BadRequest(WorkflowError):
    status = 400


@bp.record_once
def _keep_answers(state):
    # The JSON of what each caller reads (lists, documents), kept until a document changes
    # (services.memo): between two such commits by any process the answer cannot change.
    state.app.extensions["api_answers"] = memo.UntilChanged(state.app.extensions["store"], collections=(DOCS,))


def _docs():
    return current_app.extensions["documents"]


def _kept_json(key, answer):
    """The JSON response of answer() (a value to encode), encoded once per state of the store.
    `key` names everything the answer depends on besides the store: the caller among it."""
    body = current_app.extensions["api_answers"].get(key, lambda: jsonify(answer()).get_data())
    return current_app.response_class(body, mimetype=current_app.json.mimetype)


def _body(required=()):
    """The JSON object sent, or a 400/422 that says what is wrong with it."""
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object", {"body": "malformed or not an object"})
    missing = {key: "is required" for key in required if key not in body}
    if missing:
        raise Invalid("required keys are missing", missing)
    return body


@bp.get("/me")
def me():
    user = api_user()
    return jsonify({"name": user.name, "roles": sorted(user.roles), "teams": sorted(user.teams)})


@bp.delete("/tokens/current")
def revoke_current_token():
    """Revoke the token this call was made with: from now on it answers 401."""
    user = api_user()
    token_service.revoke(current_app.extensions["store"], user.name, g.api_token, audit_service.Actor(user.name, client_address()))
    return "", 204


@bp.get("/documents")
def list_documents():
    user = api_user()  # who asks comes first: a stranger learns nothing, not even that a filter is bad
    query, per_page, today = search.parse(request.args), _per_page(), dt.date.today()

    def answer():
        page = search.page_of(_docs().matching(user, query, today), query.page, per_page)
        return {"items": [{key: shown[key] for key in LIST_KEYS} for shown in page.items],
                "total": page.total, "page": page.number, "pages": page.pages}
    return _kept_json(("list", user, query, per_page, today), answer)


def _per_page():
    value = (request.args.get("per_page") or str(search.API_PER_PAGE)).strip()
    per_page = numbers.whole(value, low=1, high=search.MAX_PER_PAGE)
    if per_page is None:
        raise Invalid("Some filters are not valid", {"per_page": f"must be a whole number from 1 to {search.MAX_PER_PAGE}"})
    return per_page


@bp.post("/documents")
def create_document():
    user = api_user()
    body = _body(required=("kind", "title", "team"))
    doc = _docs().create(user, body["kind"], body["title"], body["team"], body.get("fields", {}))
    return jsonify(_docs().answer(doc, user)), 201


@bp.get("/documents/<doc_id>")
def get_document(doc_id):
    user = api_user()
    return _kept_json(("document", doc_id, user), lambda: _docs().answer(_docs().load(doc_id), user))


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


@bp.get("/documents/<doc_id>/progress")
def document_progress(doc_id):
    """An objective's progress entries, oldest period first, as the caller may see them."""
    _, shown = _docs().read(doc_id, api_user())
    return jsonify({"items": _progress_of(shown)})


@bp.put("/documents/<doc_id>/progress/<period>")
def put_progress(doc_id, period):
    """Write one period's progress entry on the working copy (revise an approved objective first)."""
    user = api_user()
    body = _body(required=("version",))
    doc, shown = _docs().read(doc_id, user)
    _objective_only(shown)
    if periods.parse(period) is None:
        raise Invalid("not a reporting period", periods.check("period", period))
    entry = {key: value for key, value in body.items() if key != "version"}
    others = [e for e in doc["fields"].get("progress") or [] if e.get("period") != period]
    updated = _docs().edit(doc_id, user, body["version"], changes={"progress": [*others, {**entry, "period": period}]})
    return jsonify(_docs().answer(updated, user))


def _objective_only(shown):
    if shown["kind"] != "objective":
        raise NotFound("only objectives have progress")


def _progress_of(shown):
    _objective_only(shown)
    return sorted(shown["fields"].get("progress") or [], key=lambda e: periods.sort_key(e["period"]))


@bp.get("/periods")
def list_periods():
    api_user()
    return jsonify({"items": period_service.list_periods(current_app.extensions["store"])})


@bp.post("/periods")
def add_period():
    user = api_user()
    body = _body(required=("code",))
    return jsonify(period_service.add_period(current_app.extensions["store"], user, body["code"])), 201


@bp.get("/meetings")
def list_meetings():
    return jsonify({"items": current_meetings().list(api_user())})


@bp.post("/meetings")
def create_meeting():
    user = api_user()
    body = _body(required=("title", "date"))
    return jsonify(current_meetings().create(user, body["title"], body["date"], body.get("venue"))), 201


@bp.get("/meetings/<meeting_id>")
def get_meeting(meeting_id):
    return jsonify(current_meetings().load(meeting_id, api_user()))


@bp.post("/meetings/<meeting_id>/items")
def add_agenda_item(meeting_id):
    user = api_user()
    body = _body(required=("document",))
    meeting = current_meetings().add_item(meeting_id, user, body["document"])
    return jsonify(meeting["items"][-1]), 201


@bp.post("/meetings/<meeting_id>/decisions")
def record_decision(meeting_id):
    user = api_user()
    body = _body(required=("document", "decision"))
    doc = current_meetings().decide(meeting_id, user, body["document"], body["decision"], body.get("note"),
                                    body.get("agreed"))
    return jsonify(_docs().answer(doc, user))


@bp.get("/workflow")
def workflow():
    api_user()
    return jsonify(machine.describe())


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/reports/progress")
def progress_report():
    """The progress report for ?period=, generated now from approved content only (not stored)."""
    api_user()
    fmt = request.args.get("format") or "md"
    if fmt not in report_pages.FORMATS:
        raise Invalid("unknown format", {"format": "must be one of " + ", ".join(report_pages.FORMATS)})
    period = request.args.get("period") or ""
    title, fields = report_pages.generate(current_app.extensions["store"], period, request.args.get("since"))
    return report_pages.respond(fmt, title, fields, f"progress-report-{period.replace(' ', '-')}")


@bp.get("/standard")
def equality_standard():
    """The Equality Standard self-assessment: cells as the caller may see them, and the levels."""
    return jsonify(standard_pages.overview(current_app.extensions["store"], api_user()))


@bp.get("/training/figures")
def training_figures():
    """How many staff and Board members are trained in EqIA (and in other courses) by ?as_of= (default today)."""
    as_of = request.args.get("as_of") or dt.date.today().isoformat()
    return jsonify(training_pages.figures(current_app.extensions["store"], api_user(), as_of))
