"""GET /healthz for load balancers and process supervisors: 200 while the store answers, else 503."""
import logging

from flask import Blueprint, jsonify

from services.storage import StoreError, answers
from web.current import current_store
from web.error_answers import RETRY_AFTER

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.route("/healthz")
def healthz():
    try:
        answers(current_store())
    except StoreError as exc:
        log.error("health check: the store does not answer: %s", exc)
        return jsonify({"status": "unavailable", "store": "not answering"}), 503, {"Retry-After": RETRY_AFTER}
    return jsonify({"status": "ok", "store": "answering"})
