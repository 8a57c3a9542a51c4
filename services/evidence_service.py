"""Files uploaded as evidence for a Standard cell: stored in the same commit as the
evidence row that names it (Documents.edit's `extra`), and given back only to those
who may read a revision that names them. What is accepted is workflow.evidence_files'."""
from services.document_service import FILES, approved_revisions
from store import Put
from workflow import evidence_files, policy
from workflow.documents import now
from workflow.errors import Invalid, NotFound


def with_upload(doc, user, changes, filename, data, description=None):
    """(changes, store operations): `changes` with the file `filename` (its bytes `data`,
    None if no file was chosen) added as a piece of evidence, and the Put that stores it."""
    if not filename:
        if description:
            raise Invalid("Choose the file to upload, or empty its description.",
                          {evidence_files.FIELD: "Choose a file to upload with this description"})
        return changes, []
    stored = evidence_files.record(filename, data, doc["id"], user.name, now())
    key = evidence_files.new_key()
    row = {"file": key, **({"description": description} if description is not None else {})}
    return {**changes, "evidence": [*(changes.get("evidence") or []), row]}, [Put(FILES, key, stored)]


def _stored(store, doc_id, key):
    """The stored file `key` if it is document `doc_id`'s own, else None."""
    stored = store.get(FILES, key) if isinstance(key, str) and key else None
    return stored if stored and stored["document"] == str(doc_id) else None


def file_summary(store, doc_id, key):
    """A file given as evidence in document `doc_id`: its name and size, or None.
    Pages only show links; `download` checks, again, who may read it."""
    stored = _stored(store, doc_id, key)
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


def download(documents, doc_id, key, user):
    """The stored file `key` of document `doc_id`: NotFound for a reader who may not see
    a revision naming it, as for a document they may not see."""
    doc, shown = documents.read(doc_id, user)
    stored = _stored(documents.store, doc["id"], key)
    if stored is None or key not in _readable_keys(documents.store, doc, shown, user):
        raise NotFound("There is no such file.")
    return stored
