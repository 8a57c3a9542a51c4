"""The audit log's page: for Heads and administrators only (workflow.policy), newest
first, filtered by person acted on, actor, kind of change and date range, paginated."""
from flask import Blueprint, render_template, request
from flask_login import login_required

from services import audit_service
from web.auth import page_user
from web.current import current_store
from web.form_state import FormState
from workflow.errors import Invalid
from workflow.search import page_of

bp = Blueprint("audit", __name__)


def _query(args):
    """The filters as given; a page that is not a plain positive number is the first."""
    number = (args.get("page") or "").strip()
    page = int(number) if number.isascii() and number.isdigit() and 0 < len(number) < 7 else 1
    return audit_service.Query(*((args.get(name) or "").strip()[:100]
                                 for name in ("person", "actor", "kind", "since", "until")), page=max(page, 1))


@bp.route("/audit")
@login_required
def index():
    query = _query(request.args)
    found, errors = audit_service.read_log(current_store(), page_user(), query)
    if errors:
        error, status = Invalid("Some filters are not valid", errors), 422
        f = FormState.posted(request.args, error)
    else:
        error, status, f = None, 200, FormState({name: [value] for name, value in query.args().items()})
    return render_template("audit/index.html", page=page_of(found, query.page, audit_service.PER_PAGE), query=query,
                           kinds=audit_service.KINDS, f=f, error=error), status
