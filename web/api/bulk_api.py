"""The API's bulk changes: the same links set on many objectives, one revision each, and
the one sign-off of them all (services.bulk_service, as the bulk pages use it)."""
from flask import jsonify

from services import bulk_service
from web.api import bp, json_body
from web.auth import api_user
from web.current import current_documents


def _batch(batch_id, record):
    """A batch as the API gives it: who changed what, and the objectives awaiting its sign-off."""
    return {"id": batch_id, "by": record["by"], "at": record["at"], "change": record["change"],
            "documents": [{"id": doc["id"], "title": doc["title"], "team": doc["team"]}
                          for doc in record["documents"]]}


@bp.get("/bulk-changes")
def list_bulk_changes():
    """Every bulk change awaiting sign-off that the caller may see."""
    pending = bulk_service.pending(current_documents(), api_user())
    return jsonify({"items": [_batch(batch_id, record) for batch_id, record in pending.items()]})


@bp.post("/bulk-changes")
def create_bulk_change():
    user = api_user()
    body = json_body(required=("ids", "change"))
    batch_id = bulk_service.submit(current_documents(), user, body["ids"], body["change"])
    return jsonify(_batch(batch_id, bulk_service.batch(current_documents(), user, batch_id))), 201


@bp.get("/bulk-changes/<batch_id>")
def get_bulk_change(batch_id):
    return jsonify(_batch(batch_id, bulk_service.batch(current_documents(), api_user(), batch_id)))


@bp.post("/bulk-changes/<batch_id>/approve")
def approve_bulk_change(batch_id):
    body = json_body()
    comment = body.get("comment")
    approved = bulk_service.approve(current_documents(), api_user(), batch_id,
                                    comment if isinstance(comment, str) else None)
    return jsonify({"id": batch_id, "approved": approved})
