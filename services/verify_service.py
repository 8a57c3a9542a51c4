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


def verify_store(store, split=False):
    """Check the history chains and the approved revisions of `store`, a document, a history
    and a revision at a time (one state of the store throughout). `split`: a store that a
    forked process may read too (a staged backup, store/staged.py: a file read with pread)
    has its histories and revisions checked half in a second process, on a second core."""
    report = Report()
    with store.one_state():  # a change committed meanwhile would look like a break
        docs = {doc["id"]: _slim(doc) for doc in store.stream(DOCS)}
        signed = _check_history(store, docs, report, split)
        _check_revisions(store, docs, signed, report, split)
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


def _check_history(store, docs, report, split):
    """Check every history against its document; {document id: its signed-off hashes}."""
    entries = old = 0
    signed, broken, orphans = {}, {}, []
    keys = store.log_keys(HISTORY) if split else None
    for part in _in_two(lambda some: _histories(store, docs, some), keys):
        entries, old = entries + part[0], old + part[1]
        signed.update(part[2])
        broken.update(part[3])
        orphans += part[4]
    for key in docs.keys() - signed.keys():  # a document without a history has lost all of it
        broken[key] = _chain_problem(docs[key], [])
    broken = [broken[key] for key in sorted(broken, key=key_order) if broken[key]]
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
    entries = old = 0
    signed, broken, orphans = {}, {}, []
    for key, log in logs:
        if key not in docs:
            orphans.append((key, f"{HISTORY}/{key}: {len(log)} entries, but there is no such document"))
            continue
        entries += len(log)
        old += chain.unchained(log)
        signed[key] = _signed_off_hashes(log)
        broken[key] = _chain_problem(docs[key], log)
    return entries, old, signed, broken, orphans


def _chain_problem(doc, log):
    found = chain.verify(log)
    if found:
        index, reason = found
        entry = log[index]
        return (f"{HISTORY}/{doc.id} entry {index + 1} ({entry.get('action')} by {entry.get('actor')} "
                f"at {entry.get('at')}): {reason}")
    if len(log) != doc.version:
        # Every change of a document appends exactly one entry in the same commit, so a
        # chain shorter than the version has lost its last entries (no link after them shows it).
        what = "entries are missing from its end" if len(log) < doc.version else "the document lost versions"
        return f"{HISTORY}/{doc.id}: {len(log)} entries, but the document is at version {doc.version}: {what}"
    return None


def _signed_off_hashes(log):
    """{revision: content hash} as the (chained) approve and adopt entries recorded it."""
    return {e["revision"]: e["content_hash"] for e in log if e.get("content_hash")}


def _check_revisions(store, docs, signed, report, split):
    keys = store.keys(REVISIONS) if split else None
    parts = _in_two(lambda some: _revisions(store, docs, signed, some), keys)
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
            altered.append((record["id"], f"{REVISIONS}/{record['id']} (approved by {record.get('approved_by')} "
                                          f"at {record.get('approved_at')}): {problem}"))
    return count, altered


def _revision_problem(record, doc, signed):
    if doc is None:
        return "its document is missing"
    recorded = record.get("content_hash")
    if documents.content_hash({**record, "kind": doc.kind, "team": doc.team}) != recorded:
        return "its content no longer matches the hash recorded when it was approved"
    witnessed = signed.get(record["revision"])
    if witnessed is not None and witnessed != recorded:
        return "its recorded hash differs from the one in the document's history"
    if doc.published_revision == record["revision"] and doc.published_hash != recorded:
        return "the copy readers see no longer matches the hash recorded when it was approved"
    return None
