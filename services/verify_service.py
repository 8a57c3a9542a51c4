"""`run.py verify`: every history chain intact, every approved revision still what was signed off,
and the audit log of account, role, team, training and setting changes intact.

Reads only. History is keyed by document id; documents are never deleted, so
a history whose document is gone is itself a sign of tampering, and is named.
"""
import contextlib
import os
import pickle
from collections import namedtuple
from dataclasses import dataclass, field

from services import audit_service
from services.document_service import DOCS, HISTORY, REVISIONS
from store import key_order
from workflow import chain, documents


@dataclass
class Report:
    lines: list = field(default_factory=list)  # one summary line per collection
    broken: list = field(default_factory=list)  # one line per broken chain or altered revision

    @property
    def intact(self):
        return not self.broken


# What the checks need of a document: kept for every document in place of the document
# itself, so a store of any size is checked in bounded memory. published_hash: the hash of
# the approved copy readers see (published_revision), worked out once.
_Doc = namedtuple("_Doc", "id version kind team published_revision published_hash")


def _slim(doc):
    published = doc.get("published") or {}
    revision = published.get("revision")
    hashed = None if revision is None else documents.content_hash({**published, "kind": doc["kind"],
                                                                      "team": doc["team"]})
    return _Doc(doc["id"], doc["version"], doc["kind"], doc["team"], revision, hashed)


class Notes:
    """What the checks need of the documents and the approved revisions, noted as a backup is
    staged (store.stage's `noting`), so that they need not read them again: each document's
    _Doc, and each revision's hash checks where its document came before it (as a backup's
    documents do): {key: (its document's _Doc, revision, the hash recorded, whether its content
    still has that hash)}.
    A record it cannot note (not in the shape this application writes) is read by the checks,
    which name it as ever: `unnoted`, the keys of the revisions not noted (so that the checks
    need not list the store's revisions to find them)."""

    def __init__(self):
        self.docs, self.revisions, self.every_doc, self.unnoted = {}, {}, True, []

    def note(self, collection, record):
        try:
            if collection == DOCS:
                self.docs[record["id"]] = _slim(record)
            elif collection == REVISIONS and record.get("document") in self.docs:
                doc, recorded = self.docs[record["document"]], record.get("content_hash")
                self.revisions[record["id"]] = (doc, record["revision"], recorded, _hash(record, doc) == recorded)
        except (KeyError, TypeError, AttributeError, ValueError):
            self.every_doc = self.every_doc and collection != DOCS
        if collection == REVISIONS and record["id"] not in self.revisions:
            self.unnoted.append(record["id"])


def verify_store(store, split=False, notes=None, histories=None):
    """Check the history chains and the approved revisions of `store`, a document, a history
    and a revision at a time (one state of the store throughout). `split`: a store that a
    forked process may read too (a staged backup, store/staged.py: a file read with pread)
    has its histories and revisions checked half in a second process, on a second core.
    `notes`: Notes taken as that store was staged. `histories`: (key, history_summary) of every
    history, worked out where they were read (a load), so that they are not read again."""
    report = Report()
    with store.one_state():  # a change committed meanwhile would look like a break
        if notes is not None and notes.every_doc:
            docs = notes.docs
        else:
            docs, notes = {doc["id"]: _slim(doc) for doc in store.stream(DOCS)}, None
        signed = _check_history(store, docs, report, split, histories)
        _check_revisions(store, docs, signed, report, split, notes)
        _check_audit(store, report)
    return report


def in_background(work):
    """Start work() in a forked process; a function that waits for it and returns what it
    returned, or raises what it raised (pickled back through a pipe), at every call."""
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never back into the caller's code, nothing of the parent's flushed or closed
        try:
            os.close(readable)
            try:
                outcome = (True, work())
            except Exception as exc:  # noqa: BLE001 -- handed to the parent, raised there as it was
                outcome = (False, exc)
            with os.fdopen(writable, "wb") as out:
                pickle.dump(outcome, out, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(0)
    os.close(writable)
    answered = []

    def outcome():
        if not answered:
            try:
                with os.fdopen(readable, "rb") as answer:
                    data = answer.read()
            finally:
                os.waitpid(pid, 0)
            answered.append(pickle.loads(data) if data else (
                False, RuntimeError("a process checking the backup ended without an answer")))
        ok, value = answered[0]
        if not ok:
            raise value
        return value
    return outcome


def _in_two(work, keys):
    """[work(keys)], or with `keys` given, [work(every other key), work(the others) in a forked
    process (in_background)]."""
    if keys is None:
        return [work(None)]
    theirs = in_background(lambda: work(keys[1::2]))
    try:
        mine = work(keys[0::2])
    except BaseException:
        with contextlib.suppress(Exception):
            theirs()  # waited for, so that no process is left behind
        raise
    return [mine, theirs()]


def _check_audit(store, report):
    entries = store.log(audit_service.AUDIT, audit_service.LOG)
    found = audit_service.problem(store)
    report.lines.append(f"{audit_service.AUDIT}: {len(entries):,} entries, " + ("intact" if not found else "broken"))
    if found:
        number, reason = found
        if number is None:
            report.broken.append(f"{audit_service.AUDIT}: {reason}")
        else:
            entry = entries[number - 1]
            report.broken.append(f"{audit_service.AUDIT} entry {number} ({entry.get('action')} of {entry.get('subject')} by "
                                 f"{entry.get('actor')} at {entry.get('at')}): {reason}")


def _check_history(store, docs, report, split, histories=None):
    """Check every history (or its summary, `histories`) against its document; {document id: its
    signed-off hashes}."""
    entries = old = 0
    signed, broken, orphans = {}, {}, []
    keys = store.log_keys(HISTORY) if split and histories is None else None
    parts = [_judged_histories(docs, histories)] if histories is not None else _in_two(
        lambda some: _histories(store, docs, some), keys)
    for part in parts:
        entries, old = entries + part[0], old + part[1]
        signed.update(part[2])
        broken.update(part[3])
        orphans += part[4]
    for key in docs.keys() - signed.keys():  # a document without a history has lost all of it
        broken[key] = _chain_problem(docs[key], 0, None)
    broken = [broken[key] for key in sorted((key for key in broken if broken[key]), key=key_order)]
    summary = f"{HISTORY}: {entries:,} entries in {len(docs):,} chains, " + (
        "all intact" if not broken else f"{len(broken):,} broken")
    if old:
        summary += f"; {old:,} entries {chain.UNCHAINED}"
    report.lines.append(summary)
    report.broken += broken + [line for _, line in sorted(orphans, key=lambda orphan: key_order(orphan[0]))]
    return signed


def _histories(store, docs, keys):
    """(entries, unchained entries, {key: signed-off hashes}, {key: problem}, [(key, orphan)]) of
    the histories under `keys` (None: every one)."""
    logs = store.stream_log(HISTORY) if keys is None else ((key, store.log(HISTORY, key)) for key in keys)
    return _judged_histories(docs, ((key, history_summary(log)) for key, log in logs))


def history_summary(log):
    """What the checks need of a history (a list of entries): (its entries, its unchained
    entries, its signed-off hashes, where its chain first breaks: (index, reason, and that
    entry's action, actor and time) or None). What a history not in this application's shape
    raises is kept in place of its unchained entries, raised where it is judged (unless it is
    an orphan's, named as such)."""
    try:
        found = chain.verify(log)
        if found:
            entry = log[found[0]]
            found = (*found, entry.get("action"), entry.get("actor"), entry.get("at"))
        return len(log), chain.unchained(log), _signed_off_hashes(log), found
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        return len(log), exc, None, None


def _judged_histories(docs, summaries):
    """_histories' answer from (key, history_summary) pairs."""
    entries = old = 0
    signed, broken, orphans = {}, {}, []
    for key, (length, unchained, hashes, found) in summaries:
        if key not in docs:
            orphans.append((key, f"{HISTORY}/{key}: {length} entries, but there is no such document"))
            continue
        if isinstance(unchained, Exception):
            raise unchained
        entries += length
        old += unchained
        signed[key] = hashes
        broken[key] = _chain_problem(docs[key], length, found)
    return entries, old, signed, broken, orphans


def _chain_problem(doc, length, found):
    """What is wrong with the history of `doc`, `length` entries long, its chain first broken
    where `found` says (history_summary), if anything."""
    if found:
        index, reason, action, actor, at = found
        return f"{HISTORY}/{doc.id} entry {index + 1} ({action} by {actor} at {at}): {reason}"
    if length != doc.version:
        # Every change of a document appends exactly one entry in the same commit, so a
        # chain shorter than the version has lost its last entries (no link after them shows it).
        what = "entries are missing from its end" if length < doc.version else "the document lost versions"
        return f"{HISTORY}/{doc.id}: {length} entries, but the document is at version {doc.version}: {what}"
    return None


def _signed_off_hashes(log):
    """{revision: content hash} as the (chained) approve and adopt entries recorded it."""
    return {e["revision"]: e["content_hash"] for e in log if e.get("content_hash")}


def _check_revisions(store, docs, signed, report, split, notes):
    """The revisions `notes` noted (Notes.revisions) checked against the history here, the others read."""
    noted = notes.revisions if notes else {}
    keys = notes.unnoted if notes else store.keys(REVISIONS) if split else None
    parts = _in_two(lambda some: _revisions(store, docs, signed, some), keys) if keys or keys is None else []
    parts.append((len(noted), [(key, _altered(store.get(REVISIONS, key), problem))
                               for key, problem in _noted_problems(noted, signed)]))
    altered = sorted((line for _, found in parts for line in found), key=lambda line: key_order(line[0]))
    report.broken += [line for _, line in altered]
    report.lines.append(f"{REVISIONS}: {sum(count for count, _ in parts):,} approved revisions, " + (
        "all match what was signed off" if not altered else f"{len(altered):,} altered"))


def _revisions(store, docs, signed, keys):
    """(how many revisions, [(key, what is wrong with it)]) of the revisions under `keys` (None: every one)."""
    records = store.stream(REVISIONS) if keys is None else (store.get(REVISIONS, key) for key in keys)
    count, altered = 0, []
    for record in records:
        count += 1
        document = record.get("document")
        problem = _revision_problem(record, docs.get(document), signed.get(document, {}))
        if problem:
            altered.append((record["id"], _altered(record, problem)))
    return count, altered


def _noted_problems(noted, signed):
    """(key, what is wrong) of each revision noted (Notes.revisions) that is not as signed off."""
    for key, (doc, revision, recorded, matches) in noted.items():
        problem = _problem(doc, revision, recorded, matches, signed.get(doc.id, {}))
        if problem:
            yield key, problem


def _altered(record, problem):
    by, at = record.get("approved_by"), record.get("approved_at")
    return f"{REVISIONS}/{record['id']} (approved by {by} at {at}): {problem}"


def _revision_problem(record, doc, signed):
    if doc is None:
        return "its document is missing"
    recorded = record.get("content_hash")
    return _problem(doc, record["revision"], recorded, _hash(record, doc) == recorded, signed)


def _hash(record, doc):
    return documents.content_hash({**record, "kind": doc.kind, "team": doc.team})


def _problem(doc, revision, recorded, matches, signed):
    """What is wrong with a revision of `doc` whose content does (`matches`) or does not still
    have the hash `recorded`; `signed`: its document's signed-off hashes."""
    if not matches:
        return "its content no longer matches the hash recorded when it was approved"
    witnessed = signed.get(revision)
    if witnessed is not None and witnessed != recorded:
        return "its recorded hash differs from the one in the document's history"
    if doc.published_revision == revision and doc.published_hash != recorded:
        return "the copy readers see no longer matches the hash recorded when it was approved"
    return None
