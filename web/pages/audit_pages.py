"""The audit log's page: for Heads and administrators only (workflow.policy), newest
first, filtered by person acted on, actor, kind of change and date range, paginated."""
from flask import Blueprint, current_app, render_template, request
from flask_login import login_required

from services import audit_service
from web.auth import page_user
from web.form_state import FormState
from workflow import policy
from workflow.errors import Forbidden, Invalid
from workflow.search import page_of

bp = Blueprint("audit", __name__)


def _query(args):
    """The filters as given; a page that is not a plain positive number is the first."""
    number = (args.get("page") or "").strip()
    page = int(number) if number.isascii() and number.isdigit() and 0 < len(number) < 7 else 1
    return audit_service.Query(*((args.get(name) or "").strip()[:100] for name in ("person", "actor", "kind", "since", "until")),
                       page=max(page, 1))


@bp.route("/audit")
@login_required
def index():
    if not policy.may_read_audit_log(page_user()):
        raise Forbidden("The audit log is for the Head of Race and Diversity and administrators.")
    query = _query(request.args)
    errors, status = audit_service.query_errors(query), 200
    if errors:
        error, status = Invalid("Some filters are not valid", errors), 422
        found, f = audit_service.entries(current_app.extensions["store"]), FormState.posted(request.args, error)
    else:
        error, f = None, FormState({name: [value] for name, value in query.args().items()})
        found = audit_service.select(audit_service.entries(current_app.extensions["store"]), query)
    return render_template("audit/index.html", page=page_of(found, query.page, audit_service.PER_PAGE), query=query,
                           kinds=audit_service.KINDS, f=f, error=error), status
