"""Comparing two revisions of a document, field by field."""
from flask import Blueprint, render_template, request
from flask_login import login_required

from services.document_service import approved_revisions
from web.auth import page_user
from web.current import current_documents, current_store
from workflow import numbers, policy
from workflow.compare import differences
from workflow.errors import Invalid

bp = Blueprint("revisions", __name__)


def _pick(name, readable, default):
    value = request.args.get(name, "")
    if not value:
        return default
    number = numbers.whole(value)
    if number not in readable:
        raise Invalid("no such revision", {name: "must be one of " + ", ".join(map(str, readable))})
    return number


@bp.route("/documents/<doc_id>/compare")
@login_required
def compare(doc_id):
    user = page_user()
    documents = current_documents()
    doc, shown = documents.read(doc_id, user)
    approved = approved_revisions(current_store(), doc)
    readable = policy.readable_revisions(doc, user, approved)
    versions = {number: approved.get(number) or doc for number in readable}
    older = _pick("from", readable, readable[max(len(readable) - 2, 0)])
    newer = _pick("to", readable, readable[-1])
    changes = differences(versions[older], versions[newer]) if len(readable) > 1 else None
    return render_template("documents/compare.html", doc=shown, readable=readable, approved=approved,
                           older=older, newer=newer, changes=changes)
