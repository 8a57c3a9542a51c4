"""Load, decide, persist: the glue every route uses for documents.

The domain (workflow/) decides; the store persists the document and its
history entry in one commit, guarded by the version the caller last saw.
"""
import dataclasses
import datetime as dt
import functools
import threading

from services import audit_service, citation_service, commits, consultation_service, lookup, memo, settings_service
from services.account_service import USERS, active_people, as_users, find_user
from store import Append, Put
from workflow import approvers, authorship, chain, documents, machine, plans, policy, register, search
from workflow.errors import (
    NO_SUCH_DOCUMENT,
    Invalid,
    NotFound,
    StateConflict,
    WorkflowError,
)
from workflow.kinds import standard_cell

# A stale write, from a form or a client that read an older version.
CHANGED_MEANWHILE = "Someone else changed this document since you opened it, so nothing was saved; reload it and try again"

DOCS, HISTORY, REVISIONS, FILES = "documents", "history", "revisions", "files"


class Documents:
    """`notify(before, after, entry)` returns store operations (notifications, mail)
    to commit together with each change, so none is lost and none is sent for a
    change that did not happen."""

    def __init__(self, store, notify=None):
        self.store = store
        self.notify = notify or (lambda before, after, entry: [])
        # Lists and My work are worked out from the documents alone (and who asks, and
        # when): a sign-in or a notice does not make them be worked out again.
        self.memo = memo.UntilChanged(store, collections=(DOCS,))
        self.until_any_change = memo.UntilChanged(store)
        self.last_entries = LastEntries()

    def load(self, doc_id):
        """The stored document, or NotFound; ids are the store's numeric keys."""
        doc = lookup.by_id_or_404(self.store, DOCS, doc_id, NO_SUCH_DOCUMENT)
        return with_head_wrote(self.store, with_contributors(self.store, doc))

    def read(self, doc_id, user):
        """(the document as `user` may know it (policy.as_seen), what `user` sees of it) —
        NotFound if not visible. A reader of the approved revision gets it as it stood,
        so every page worked out from it reads the same while a revision is under way."""
        doc = self.load(doc_id)
        shown = policy.visible_or_404(doc, user)
        return policy.as_seen(doc, user), shown

    def stored(self, doc_id):
        """The stored document as it is (no policy applied), or None: for readers that apply
        one of their own (workflow.register for the public)."""
        return lookup.by_id(self.store, DOCS, doc_id)

    def all_stored(self):
        """Every stored document as it is (no policy applied): see `stored`."""
        return self.store.scan(DOCS)

    def seen_by(self, user):
        """What `user` sees of every document (policy.view), the ones they may not see left out."""
        return [shown for doc in self.store.scan(DOCS) if (shown := policy.view(doc, user)) is not None]

    def assignment(self, doc, user):
        """What the document page says about the approver: who it waits for, and, for those
        who may assign one, the approvers `policy.check_assign` accepts for it (or its reason not)."""
        if doc["state"] != "assessed" or not policy.sees_working_copy(doc, user):
            return None
        shown = {"current": doc.get("assignee"), "approvers": [], "refused": {}, "may_assign": True}
        try:
            policy.check_assign(doc, user, None)
        except Invalid:
            pass  # only the missing assignee stood in the way: this person may assign
        except WorkflowError:
            shown["may_assign"] = False
            return shown
        # Whoever signs off anything (Heads, the Chief Executive, deputies in effect), each checked for this one.
        for head in approvers.possible(as_users(self.store, active_people(self.store))):
            try:
                policy.check_assign(doc, user, head)
            except Invalid as exc:
                shown["refused"][head.name] = exc.details.get("assignee", exc.reason)
            else:
                shown["approvers"].append(head.name)
        return shown

    def answer(self, doc, user):
        """The API's document answer: the visible view plus the caller's actions."""
        shown = policy.visible_or_404(doc, user)
        return {**shown, "actions": policy.actions(doc, user)}

    def search(self, user, **filters):
        """Every document `user` may see, as seen, filtered (workflow.search); never
        counts hidden ones. Invalid names each bad filter."""
        return self.matching(user, search.parse({key: value for key, value in filters.items() if value}))

    def page(self, user, query, per_page, today=None):
        """search.Page `query.page` of `query`'s results as `user` sees them (views of whole
        documents, read for this page alone). The results' order is kept until a document
        changes, worked out from the fields the store keeps of every document (workflow.listed)
        when the query filters on those alone; a document changed since that no longer shows
        to `user` is left off the page, never shown."""
        today = today or dt.date.today()
        found = search.page_of(self._ranked(user, query, today).shown, query.page, per_page)
        docs = self.store.get_many(DOCS, [item["id"] for item in found.items])
        return dataclasses.replace(found, items=[shown for doc in docs if doc and (
            shown := policy.view(awaiting_with_head_wrote(self.store, doc), user)) is not None])

    def public_teams(self):
        """The teams owning an item of the public register: the choices of its team filter."""
        return self.memo.get(("public teams",), lambda: register.teams_kept(self.store.scan_slim(DOCS)))

    def public_newest(self):
        """register.newest(register.published(every document)), reading those alone whole: the feed's."""
        ids = self.memo.get(("public newest",), lambda: register.newest_ids(self.store.scan_slim(DOCS)))
        return register.newest(register.published(doc for doc in self.store.get_many(DOCS, ids) if doc))

    def _ranked(self, user, query, today):
        """search.Ranked of `query`'s results, each as its id: see `page`."""
        if not search.decided_on_kept(query):
            return self.kept(("ranked", user, dataclasses.replace(query, page=1), today),
                             lambda docs: search.ids_of(search.ranked(docs, user, query, today)),
                             lambda before, changed: search.ids_of(search.reranked(before, changed, user, query,
                                                                                   today)),
                             weight=lambda found: len(found.shown))
        return self.kept(("ranked", user, dataclasses.replace(query, page=1)),
                         lambda docs: search.ranked_ids(docs, user, query),
                         lambda before, changed: search.reranked_ids(before, changed, user, query),
                         weight=lambda found: len(found.shown), kept_fields=True)

    def matching(self, user, query, today=None):
        """Every result of `query` (its page aside) as `user` sees them: READ-ONLY, shared
        until a document changes, then brought up to date with the documents that did."""
        today = today or dt.date.today()
        return self.kept(("matching", user, dataclasses.replace(query, page=1), today),
                         lambda docs: search.ranked(docs, user, query, today),
                         lambda before, changed: search.reranked(before, changed, user, query, today),
                         weight=lambda found: len(found.shown)).shown

    def kept(self, key, compute, update, weight, kept_fields=False):
        """compute(every stored document — `kept_fields`: the fields the store keeps of each
        (workflow.listed.FIELDS), for a `compute` reading no other — with who of the Heads wrote
        it if it awaits sign-off), kept until a document changes; then update(the value kept
        before, {id: the stored document, or None} of those that changed)."""
        # A pass over the documents as they come (a backend holding them as slim records reads
        # them in batches), each kept only as far as `compute` keeps it; or over the fields kept.
        stored = (lambda: self.store.stream_slim(DOCS)) if kept_fields else (lambda: self.store.stream(DOCS))
        return self.memo.get(key, lambda: compute(awaiting_with_head_wrote(self.store, doc) for doc in stored()),
                             weight=weight,
                             update=lambda before, keys: update(before, {k: self._awaiting(k) for k in keys}))

    def _awaiting(self, key):
        doc = self.store.get(DOCS, key)
        return doc and awaiting_with_head_wrote(self.store, doc)

    def create(self, user, kind, title, team, fields):
        doc, entry = documents.create(user, kind, title, team, fields, strand_set=settings_service.strand_set(self.store))
        doc = self.stamped(doc)
        check_files(self.store, None, doc)
        consultation_service.check_cited(self.store, doc)
        citation_service.check_added(self.stored, user, None, doc)
        appended = history_append(self.store, None, entry)
        stored, *_ = self.store.commit([Put(DOCS, None, doc), appended, *self.notify(None, doc, entry)])
        self.last_entries.wrote(stored, appended.entry)
        return stored

    def edit(self, doc_id, user, version, title=None, changes=None, extra=()):
        """`extra`: store operations to commit with the edit (an uploaded file), so
        both are saved or, on a stale version, neither."""
        doc = self.load(doc_id)
        _check_version(doc, user, version)
        updated, entry = documents.edit(doc, user, title, changes)
        check_files(self.store, doc["id"], updated, extra)
        consultation_service.check_cited(self.store, updated)
        citation_service.check_added(self.stored, user, doc, updated)
        return self.save(doc, updated, entry, extra)

    def fire(self, doc_id, user, name, version, comment=None):
        doc = self.load(doc_id)
        _check_version(doc, user, version)
        updated, entry = documents.transition(doc, user, name, comment)
        extra = []
        if name == "approve":
            # Each approved revision is kept whole, so what was signed off stays answerable.
            extra.append(Put(REVISIONS, f"{doc['id']}.{updated['revision']}",
                             {"document": doc["id"], **updated["published"]}))
            extra += self._carried_forward(updated, entry)
        return self.save(doc, updated, entry, extra)

    def _carried_forward(self, succession, approval):
        """A signed-off plan succession carries its plan's open objectives into the successor
        (workflow.plans): each one's history says so, committed with the sign-off. Each is put
        back unchanged but for its version, which guards the line appended to its history."""
        ops = []
        for doc_id in plans.carried_ids(succession):
            objective = self.store.get(DOCS, doc_id)
            if objective is None or objective.get("kind") != "objective":
                continue
            ops += [Put(DOCS, objective["id"], objective, expected_version=objective["version"]),
                    history_append(self.store, objective["id"], plans.carried_entry(objective, succession, approval))]
        return ops

    def assign(self, doc_id, user, version, assignee_name, due=None):
        doc = self.load(doc_id)
        _check_version(doc, user, version)
        updated, entry = documents.assign(doc, user, find_user(self.store, assignee_name), due)
        return self.save(doc, updated, entry)

    def history(self, doc_id, user):
        doc = self.load(doc_id)
        policy.visible_or_404(doc, user)
        items = self.store.log(HISTORY, doc["id"])
        if not policy.sees_working_copy(doc, user):
            shown = doc["published"]["revision"]
            items = [item for item in items if item["revision"] <= shown]
        return items

    def stamped(self, doc):
        """A monitoring dataset carries the authority's suppression threshold (policy.SUPPRESSION_THRESHOLD),
        so the pure policy suppresses with it; a field could be written by the team, this cannot."""
        if doc["kind"] != "monitoring":
            return doc
        return {**doc, policy.SUPPRESSION_THRESHOLD: settings_service.monitoring_publication(self.store)["threshold"]}

    def save(self, doc, updated, entry, extra=(), audited=()):
        """`audited`: audit log entries (services.audit_service) committed with the change."""
        appended = history_append(self.store, doc["id"], entry, self.last_entries.at(doc))
        ops = [Put(DOCS, doc["id"], self.stamped(updated), expected_version=doc["version"]),
               *extra, appended, *self.notify(doc, updated, entry)]
        with commits.refused_if_changed(CHANGED_MEANWHILE, {"version": "stale"}):
            stored, *_ = audit_service.commit(self.store, ops, audited) if audited else self.store.commit(ops)
        self.last_entries.wrote(stored, appended.entry)
        return stored


class LastEntries:
    """The hash of the last history entry of the documents this process wrote last, by the version
    each reached: a change chains its entry to it without reading it back (store.log_last, a
    round trip on PostgreSQL unless the request's catch-up brought it). Every history entry
    commits with its document's next version (see history_append), so a document at the version
    kept has that entry last, whoever reads it; at any other version (another process changed
    it) the entry is read. Bounded: the documents written longest ago are forgotten first."""

    MOST = 2048

    def __init__(self):
        self._lock = threading.Lock()  # several request threads may save at once
        self._entries = {}  # id -> (version, the hash of the entry appended with it)

    def at(self, doc):
        """The hash of `doc`'s last entry as stored at its version, if this process wrote it; else None."""
        kept = self._entries.get(doc["id"])
        return kept[1] if kept is not None and kept[0] == doc["version"] else None

    def wrote(self, stored, entry):
        """`entry` was appended to the history of `stored` (the document as committed) with it."""
        with self._lock:
            self._entries.pop(stored["id"], None)  # to the end: the most recently written
            self._entries[stored["id"]] = (stored["version"], entry["hash"])
            while len(self._entries) > self.MOST:
                del self._entries[next(iter(self._entries))]


def history_append(store, doc_id, entry, last_hash=None):
    """The one way a history entry is written: `entry` chained to the document's last
    one (workflow.chain), read unless its hash is given as `last_hash` (LastEntries). doc_id
    None: a create's first entry, which has none before it.

    Reading the last entry outside the commit is race-free only because every caller
    commits this Append with a Put of the same document guarded by the version it
    loaded (or a create): a concurrent change bumps that version, so a commit linking
    to a stale last entry is refused with Conflict.
    """
    linked = (chain.link_to(entry, last_hash) if last_hash is not None
              else chain.link(entry, None if doc_id is None else store.log_last(HISTORY, doc_id)))
    return Append(HISTORY, doc_id, linked)


# History entries by which someone wrote or changed a revision's content.
_WRITING = ("create", "edit", "revise")


def with_contributors(store, doc):
    """`doc` carrying who wrote or changed its current revision (workflow.documents.contributed).
    A document stored before that list was kept gets it from its history: whoever created
    or edited this revision, or started it (unless the Board's decision did). A published
    revision needs none: the next revision starts a fresh list."""
    if documents.CONTRIBUTORS in doc or doc["state"] in machine.PUBLISHED_STATES:
        return doc
    entries = store.log(HISTORY, doc["id"])
    names = [e["actor"] for e in entries if e["revision"] == doc["revision"] and e["action"] in _WRITING
             and not e.get("board")]
    return {**doc, documents.CONTRIBUTORS: list(dict.fromkeys(names))}


def with_head_wrote(store, doc):
    """`doc` carrying which Heads wrote it (machine.HEAD_WROTE: the Chief Executive signs that off).
    A document stored before that was kept gets it from its history: its author and whoever
    wrote or changed its current revision, each if they held the Head's role then (by the audit
    log's role changes; by the role they hold now where the log tells nothing)."""
    if machine.HEAD_WROTE in doc:
        return doc
    events = functools.cache(lambda: audit_service.role_events(store, "head"))  # read only if someone wrote

    def held(name, at):
        record = store.get(USERS, name)
        return authorship.held_head(events().get(name, []), at, bool(record) and "head" in record.get("roles", ()))
    return authorship.with_head_writers(doc, store.log(HISTORY, doc["id"]), held)


def awaiting_with_head_wrote(store, doc):
    """`doc`, and if it awaits sign-off, with_head_wrote: so lists of the stored documents (My work)
    offer the Chief Executive what a Head wrote before that was kept, as its page does."""
    return with_head_wrote(store, doc) if doc["state"] == "assessed" else doc


def approved_revisions(store, doc):
    """{revision number: the approved snapshot} kept at each sign-off (keyed "<id>.<revision>")."""
    found = ((number, store.get(REVISIONS, f"{doc['id']}.{number}")) for number in range(1, doc["revision"] + 1))
    return {number: record for number, record in found if record}


def check_files(store, doc_id, doc, extra=()):
    """Refuse evidence naming a file that is not stored as this document's own
    (`extra` may hold files being stored with the change). Checked here, after the
    domain has checked the fields' shape and the caller's rights, as only the store
    knows which files exist; otherwise a cell could show another document's file."""
    if doc["kind"] != standard_cell.NAME:
        return
    arriving = {op.key: op.record for op in extra if op.collection == FILES}
    errors = {}
    for i, item in enumerate(doc["fields"].get("evidence") or []):
        key = item.get("file")
        stored = arriving.get(key) or (store.get(FILES, key) if key else None)
        if key and (doc_id is None or stored is None or stored["document"] != doc_id):
            errors[f"fields.evidence.{i}.file"] = "Choose a file uploaded to this cell, on its edit page"
    if errors:
        raise Invalid("The evidence names a file this cell does not hold", errors)


def _check_version(doc, user, version):
    """NotFound unless `user` may see `doc`; then `version` against the one they see (policy.as_seen:
    a reader of the approved revision knows its version), without working out the whole view."""
    doc = policy.as_seen(doc, user)
    if doc is None:
        raise NotFound(NO_SUCH_DOCUMENT)
    if isinstance(version, bool) or not isinstance(version, int):
        raise Invalid("The form did not say which version of the document it changes; reload the page and try again",
                      {"version": "Give the version of the document as a whole number"})
    if version != doc["version"]:
        raise StateConflict(CHANGED_MEANWHILE,
                            {"version": f"stale: the current version is {doc['version']}"})
