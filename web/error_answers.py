"""Every refusal answers with a reason: JSON on the API, a page elsewhere. Never a trace."""
import logging

from flask import current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from services.storage import Conflict, StoreError, Unconfirmed
from web.security import COOKIE_DROPPED, secure_cookie_dropped
from workflow.errors import WorkflowError
from workflow.evidence_files import MAX_BYTES, size_words

log = logging.getLogger(__name__)
RETRY_AFTER = "5"  # seconds: a restarting database is usually back by then


def _wants_json():
    return request.path.startswith("/api/")


def answer(status, reason, details=None, page="error.html"):
    if _wants_json():
        return jsonify({"error": reason, "details": details or {}}), status
    return render_template(page, status=status, reason=reason, messages=page_messages(status, details)), status


def page_messages(status, details):
    """What a page shows of a refusal's details: the sentences about what was sent (400, 422), each once.
    The others' details are for clients (a state, a version) and the reason already says them to people."""
    if status not in (400, 422) or not details:
        return []
    if isinstance(details.get("unmet"), list):
        return list(details["unmet"])
    return list(dict.fromkeys(value for value in details.values() if isinstance(value, str)))


def init_app(app):
    @app.errorhandler(WorkflowError)
    def workflow_error(exc):
        return answer(exc.status, exc.reason, exc.details)

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        if secure_cookie_dropped():  # the reason, where the browser dropped the cookie the form needs
            return answer(400, COOKIE_DROPPED)
        return answer(400, "The form has expired or was not sent from this site; reload and try again.")

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc):
        limit = size_words(current_app.config["MAX_CONTENT_LENGTH"])
        return answer(413, f"What was sent is larger than the {limit} this site accepts, so nothing was saved. "
                           f"Files given as evidence may be up to {size_words(MAX_BYTES)} each.")

    @app.errorhandler(Conflict)
    def conflict(exc):
        # A stale write no route turned into a StateConflict: still someone else's change, not a fault.
        return answer(409, "Someone else changed this meanwhile, so nothing was saved; reload and try again.",
                      {"version": "stale"})

    @app.errorhandler(StoreError)
    def store_error(exc):
        log.error("store refused: %s", exc)
        cause = exc.cause or "the store is unavailable"
        # A page that reads nothing more of the store: the layout's counts would ask it again (and
        # wait on it again), and a second refusal there would answer 500.
        if request.method in ("GET", "HEAD"):
            body, status = answer(503, f"The store could not be read: {cause}. Try again shortly.", {"store": cause},
                                  "unavailable.html")
        elif isinstance(exc, Unconfirmed):  # written, but not known to be on disk: it may be kept or lost
            body, status = answer(503, f"The store could not confirm that this was saved: {cause}. Reload to see "
                                       "whether it was, and tell the administrator.", {"store": cause},
                                  "unavailable.html")
        else:
            # 503, not 507: clients and proxies know it as "try again later", which is what to do once
            # an operator has freed space or fixed permissions. The journal kept the last good state.
            body, status = answer(503, f"The store could not save: {cause}. Nothing was changed; "
                                       "the last saved state is kept. Try again shortly.", {"store": cause},
                                  "unavailable.html")
        return body, status, {"Retry-After": RETRY_AFTER}

    @app.errorhandler(HTTPException)
    def http_error(exc):
        body, status = answer(exc.code, exc.description if exc.code != 404 else "Not found.")
        # Keep the exception's own headers but its body's type: a 405 must list the
        # methods the address allows (Allow, RFC 9110 section 15.5.6).
        return body, status, [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]

    @app.errorhandler(Exception)
    def unexpected(exc):
        log.exception("unexpected error")
        return answer(500, "Something went wrong on our side; nothing was changed.")
