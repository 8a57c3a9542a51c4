"""The API's documents: list, read, create, edit, transitions, history; who is calling; the workflow."""
import datetime as dt

from flask import g, jsonify, request

from services import audit_service, token_service
from web.api import bp, json_body, kept_json
from web.api.openapi import openapi_document
from web.auth import api_user, client_address
from web.current import current_documents, current_store
from workflow import machine, numbers, search
from workflow.errors import Invalid

LIST_KEYS = ("id", "kind", "title", "state", "team", "version", "revision")


@bp.get("/me")
def me():
    user = api_user()
    return jsonify({"name": user.name, "roles": sorted(user.roles), "teams": sorted(user.teams)})


@bp.delete("/tokens/current")
def revoke_current_token():
    """Revoke the token this call was made with: from now on it answers 401."""
    user = api_user()
    token_service.revoke(current_store(), user.name, g.api_token, audit_service.Actor(user.name, client_address()))
    return "", 204


@bp.get("/documents")
def list_documents():
    user = api_user()  # who asks comes first: a stranger learns nothing, not even that a filter is bad
    asked, today = request._get_current_object(), dt.date.today()

    def answer():
        # Read from the query string only when the answer is worked out: it is all the answer
        # depends on besides the caller, the day and the store, so the kept one is found by the
        # string as sent. Filters that are not valid are refused here, each time (nothing is kept).
        query, per_page = search.parse(asked.args), _per_page(asked.args)
        page = current_documents().page(user, query, per_page, today)
        return {"items": [{key: shown[key] for key in LIST_KEYS} for shown in page.items],
                "total": page.total, "page": page.number, "pages": page.pages}
    return kept_json(("list", user, asked.query_string, today), answer)


def _per_page(args):
    value = (args.get("per_page") or str(search.API_PER_PAGE)).strip()
    per_page = numbers.whole(value, low=1, high=search.MAX_PER_PAGE)
    if per_page is None:
        raise Invalid("Some filters are not valid",
                      {"per_page": f"Enter the number per page as a whole number from 1 to {search.MAX_PER_PAGE}"})
    return per_page


@bp.post("/documents")
def create_document():
    user = api_user()
    body = json_body(required=("kind", "title", "team"))
    _not_a_plan_document(body["kind"])
    doc = current_documents().create(user, body["kind"], body["title"], body["team"], body.get("fields", {}))
    return jsonify(current_documents().answer(doc, user)), 201


def _not_a_plan_document(kind, doc_id=None):
    """A plan's review and its succession are written on their plan's pages only (services.plan_service
    checks each against the plans: a review the plan owes, the plan in force, the objectives it carries)."""
    if kind in ("plan_review", "plan_succession"):
        if doc_id is not None:
            current_documents().read(doc_id, api_user())  # nothing said of a document the caller may not see
        raise Invalid("A plan's review or successor is written on the plan's page, not through the API.",
                      {"kind": "Record a plan's review or its successor on its page under /plans"})


@bp.get("/documents/<doc_id>")
def get_document(doc_id):
    user = api_user()
    return kept_json(("document", doc_id, user), lambda: current_documents().answer(current_documents().load(doc_id), user))


@bp.patch("/documents/<doc_id>")
def edit_document(doc_id):
    user = api_user()
    body = json_body(required=("version",))
    unknown = {key: "This cannot be changed here: send only the version, the title and the fields"
               for key in body if key not in ("version", "title", "fields")}
    if unknown:
        raise Invalid("Send only the version, the title and the fields.", unknown)
    _not_a_plan_document(current_documents().load(doc_id)["kind"], doc_id)
    doc = current_documents().edit(doc_id, user, body["version"], body.get("title"), body.get("fields"))
    return jsonify(current_documents().answer(doc, user))


@bp.post("/documents/<doc_id>/transitions")
def fire_transition(doc_id):
    user = api_user()
    body = json_body(required=("name", "version"))
    comment = body.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise Invalid("Enter the comment as text.", {"comment": "Enter the comment as text"})
    if not isinstance(body["name"], str):
        raise Invalid("Name the step to take as text.", {"name": "Name the step as text; for clients, the steps are "
                                                          + ", ".join(machine.BY_NAME)})
    documents = current_documents()
    doc = documents.fire(doc_id, user, body["name"], body["version"], comment)
    return jsonify(documents.answer(doc, user))


@bp.get("/documents/<doc_id>/history")
def document_history(doc_id):
    return jsonify({"items": current_documents().history(doc_id, api_user())})


@bp.get("/workflow")
def workflow():
    api_user()
    return jsonify(machine.describe())


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
