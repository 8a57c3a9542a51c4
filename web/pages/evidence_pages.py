"""Files uploaded as evidence for a Standard cell: taken from the cell's edit
form, and served back only to those who may read a revision that gives them.

Thin: what is accepted and who may read it is services.evidence_service's (and
workflow.evidence_files'); the file is stored in the same commit as the evidence
row that names it (Documents.edit's `extra`).
"""
import io

from flask import Blueprint, request, send_file
from flask_login import login_required

from services import evidence_service
from web.auth import page_user
from web.current import current_documents, current_store
from web.form_state import line
from workflow import evidence_files

bp = Blueprint("evidence", __name__)
DESCRIPTION = "evidence_upload.description"


def with_upload(doc, user, changes):
    """(changes, store operations): the edit form's changes with the uploaded file,
    if one was chosen, added as a piece of evidence, and what stores it."""
    upload = request.files.get(evidence_files.FIELD)
    chosen = upload is not None and bool(upload.filename)
    # One byte over the limit is enough to know it is too large; the rest is never read.
    data = upload.stream.read(evidence_files.MAX_BYTES + 1) if chosen else None
    return evidence_service.with_upload(doc, user, changes, upload.filename if chosen else None, data,
                                        line(request.form, DESCRIPTION))


def upload_words():
    return {"UPLOADS": {"allowed": evidence_files.ALLOWED_WORDS,
                        "limit": evidence_files.size_words(evidence_files.MAX_BYTES)}}


def evidence_file(doc_id, key):
    """A file given as evidence in document `doc_id`: its name and size, or None.
    Pages only show links; the download route checks, again, who may read it."""
    return evidence_service.file_summary(current_store(), doc_id, key)


@bp.route("/documents/<doc_id>/evidence/<file_key>")
@login_required
def download(doc_id, file_key):
    """The file, always as an attachment: a reader who may not see a revision
    naming it gets 404, as for a document they may not see."""
    stored = evidence_service.download(current_documents(), doc_id, file_key, page_user())
    response = send_file(io.BytesIO(evidence_files.content(stored)), mimetype=stored["content_type"],
                         # Cleaned again: the name goes into a header, whatever the store holds.
                         as_attachment=True, download_name=evidence_files.safe_name(stored["name"]), etag=False)
    # Never rendered as a page of this site, whatever a browser makes of the bytes.
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
