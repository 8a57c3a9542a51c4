"""Files uploaded as evidence for a Standard cell: taken from the cell's edit
form, and served back only to those who may read a revision that gives them.

What is accepted is decided by workflow.evidence_files; the file is stored in
the same commit as the evidence row that names it (Documents.edit's `extra`).
"""
import io

from flask import Blueprint, request, send_file
from flask_login import login_required

from store import Put
from web.auth import page_user
from services.document_service import FILES, approved_revisions
from web.form_state import compact, line
from workflow import evidence_files, policy
from workflow.documents import now
from workflow.errors import Invalid, NotFound
from web.current import current_documents

bp = Blueprint("evidence", __name__)
DESCRIPTION = "evidence_upload.description"


def with_upload(doc, user, changes):
    """(changes, store operations): the edit form's changes with the uploaded file,
    if one was chosen, added as a piece of evidence, and the Put that stores it."""
    upload = request.files.get(evidence_files.FIELD)
    description = line(request.form, DESCRIPTION)
    if upload is None or not upload.filename:
        if description:
            raise Invalid("Choose the file to upload, or empty its description.",
                          {evidence_files.FIELD: "choose a file to upload with this description"})
        return changes, []
    # One byte over the limit is enough to know it is too large; the rest is never read.
    data = upload.stream.read(evidence_files.MAX_BYTES + 1)
    stored = evidence_files.record(upload.filename, data, doc["id"], user.name, now())
    key = evidence_files.new_key()
    row = compact({"file": key, "description": description})
    return {**changes, "evidence": [*(changes.get("evidence") or []), row]}, [Put(FILES, key, stored)]


@bp.app_context_processor
def upload_words():
    return {"UPLOADS": {"allowed": evidence_files.ALLOWED_WORDS,
                        "limit": evidence_files.size_words(evidence_files.MAX_BYTES)}}


def _stored(doc_id, key):
    """The stored file `key` if it is document `doc_id`'s own, else None."""
    stored = current_documents().store.get(FILES, key) if isinstance(key, str) and key else None
    return stored if stored and stored["document"] == str(doc_id) else None


@bp.app_template_global()
def evidence_file(doc_id, key):
    """A file given as evidence in document `doc_id`: its name and size, or None.
    Pages only show links; the download route checks, again, who may read it."""
    stored = _stored(doc_id, key)
    return stored and {"key": key, "name": stored["name"], "size": stored["size"],
                       "size_words": evidence_files.size_words(stored["size"])}


def _readable_keys(store, doc, shown, user):
    """The files named by a revision `user` may read: the one shown, and any approved one."""
    keys = set(evidence_files.referenced(shown["fields"]))
    approved = approved_revisions(store, doc)
    for number in policy.readable_revisions(doc, user, approved):
        if number in approved:
            keys.update(evidence_files.referenced(approved[number]["fields"]))
    return keys


@bp.route("/documents/<doc_id>/evidence/<file_key>")
@login_required
def download(doc_id, file_key):
    """The file, always as an attachment: a reader who may not see a revision
    naming it gets 404, as for a document they may not see."""
    user, documents = page_user(), current_documents()
    doc, shown = documents.read(doc_id, user)
    stored = _stored(doc["id"], file_key)
    if stored is None or file_key not in _readable_keys(documents.store, doc, shown, user):
        raise NotFound("no such file")
    response = send_file(io.BytesIO(evidence_files.content(stored)), mimetype=stored["content_type"],
                         # Cleaned again: the name goes into a header, whatever the store holds.
                         as_attachment=True, download_name=evidence_files.safe_name(stored["name"]), etag=False)
    # Never rendered as a page of this site, whatever a browser makes of the bytes.
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
