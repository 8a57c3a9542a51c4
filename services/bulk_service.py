"""Bulk changes of objectives' links, and their one sign-off (workflow.bulk): each batch
is read, decided and written in one store commit, every document guarded by the version
read, so a batch is saved whole or, if anything changed meanwhile, not at all."""
import secrets

from services import commits, team_service
from services.document_service import CHANGED_MEANWHILE, DOCS, REVISIONS, history_append, with_contributors
from store import Put
from workflow import bulk, documents, numbers, policy
from workflow.errors import Invalid, NotFound, StateConflict, WorkflowError
from workflow.kinds import objective

NO_SUCH_BATCH = "There is no such bulk change awaiting sign-off, or you cannot see it"
CHANGED_BATCH = ("One of the objectives of this bulk change changed since you opened it, so nothing was signed off; "
                 "reload it and check it again")


def changeable(docs, user):
    """The objectives `user` may change in bulk now (approved, no revision under way), as stored."""
    return [doc for doc in docs.store.scan(DOCS, {"kind": objective.NAME})
            if doc["state"] in ("approved", "reviewed") and policy.may_change_in_bulk(doc, user)
            and policy.view(doc, user) is not None]


def _selected(docs, ids):
    """The stored documents named by `ids` (each with who wrote its revision), or Invalid."""
    if not isinstance(ids, list) or not all(isinstance(i, (str, int)) and not isinstance(i, bool) for i in ids):
        raise Invalid("Select the objectives to change", {"ids": "Give the objectives' ids as a list"})
    found, missing = [], []
    for doc_id in dict.fromkeys(str(i) for i in ids):
        doc = docs.store.get(DOCS, doc_id) if numbers.is_id(doc_id) else None
        (found if doc is not None else missing).append(with_contributors(docs.store, doc) if doc else doc_id)
    if missing:
        raise Invalid("Some of the objectives selected do not exist; nothing was changed",
                      {f"ids.{i}": f"There is no objective numbered {i[:20]}" for i in missing})
    return found


def change_of(store, user, values):
    """The Change asked for, checked against the authority's teams."""
    return bulk.change_of(values, team_service.known_teams(store), user)


def preview(docs, user, ids, values, batch=None):
    """(the Change, [(document, as it would be submitted, its entry)]) of a bulk change, checked
    whole but not saved: the check-answers page shows it; Invalid/Forbidden as `submit` would refuse."""
    change = change_of(docs.store, user, values)
    selected = _selected(docs, ids)
    for doc in selected:
        policy.visible_or_404(doc, user)
    return change, bulk.submit_all(selected, user, change, batch, documents.now())


def submit(docs, user, ids, values):
    """Revise and submit every objective of `ids` with the change `values`; returns the batch id."""
    batch = secrets.token_hex(6)

    def attempt():
        _, done = preview(docs, user, ids, values, batch)
        _commit(docs, done)  # a document changed meanwhile: read afresh and decide again
        return batch

    return commits.retried(attempt, "the objectives")


def pending(docs, user):
    """{batch id: record with its documents} of every bulk change awaiting sign-off that `user` may see."""
    # Picked by the fields the store keeps of every document (workflow.listed.FIELDS), read whole.
    picked = [doc["id"] for doc in docs.store.scan_slim(DOCS, {"state": "assessed"}) if bulk.batches([doc])]
    awaiting = bulk.batches(doc for doc in docs.store.get_many(DOCS, picked) if doc is not None)
    return {batch: record for batch, record in awaiting.items()
            if all(policy.view(doc, user) is not None and policy.sees_working_copy(doc, user)
                   for doc in record["documents"])}


def batch(docs, user, batch_id):
    """One batch awaiting sign-off, as `pending` gives it, or NotFound."""
    found = pending(docs, user).get(batch_id)
    if found is None:
        raise NotFound(NO_SUCH_BATCH)
    return found


def refusal(docs, user, batch_id):
    """Why `user` may not sign off the batch (a WorkflowError), or None if they may."""
    selected = [with_contributors(docs.store, doc) for doc in batch(docs, user, batch_id)["documents"]]
    try:
        bulk.approve_all(selected, user, None, documents.now())
    except WorkflowError as exc:
        return exc
    return None


def approve(docs, user, batch_id, comment=None, read=None):
    """Sign off every objective of the batch in one approval; returns how many were signed off.
    `read`: the batch's fingerprint as the approver read it (refused if it changed since)."""
    selected = [with_contributors(docs.store, doc) for doc in batch(docs, user, batch_id)["documents"]]
    if read is not None and read != bulk.fingerprint(selected):
        raise StateConflict(CHANGED_BATCH, {"fingerprint": "stale"})
    done = bulk.approve_all(selected, user, comment, documents.now())
    # The approver decided on what they read: a change meanwhile refuses the sign-off.
    with commits.refused_if_changed(CHANGED_MEANWHILE, {"version": "stale"}):
        _commit(docs, done, revisions=True)
    return len(done)


def _commit(docs, done, revisions=False):
    """Every changed document, its history entry (and approved revision) and notices: one commit."""
    ops = []
    for before, after, entry in done:
        ops.append(Put(DOCS, before["id"], after, expected_version=before["version"]))
        if revisions:
            ops.append(Put(REVISIONS, f"{before['id']}.{after['revision']}", {"document": before["id"],
                                                                              **after["published"]}))
        ops += [history_append(docs.store, before["id"], entry), *docs.notify(before, after, entry)]
    docs.store.commit(ops)
