"""`run.py verify`: every history chain intact, every approved revision still what was signed off,
and the audit log of account, role, team, training and setting changes intact.

Reads only. History is keyed by document id; documents are never deleted, so
a history whose document is gone is itself a sign of tampering, and is named.
"""
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


def verify_store(store):
    """Check the history chains and the approved revisions of `store`, a document, a history
    and a revision at a time (one state of the store throughout)."""
    report = Report()
    with store.one_state():  # a change committed meanwhile would look like a break
        docs = {doc["id"]: _slim(doc) for doc in store.stream(DOCS)}
        signed = _check_history(store, docs, report)
        _check_revisions(store, docs, signed, report)
        _check_audit(store, report)
    return report


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


def _check_history(store, docs, report):
    """Check every history against its document; {document id: its signed-off hashes}."""
    entries = old = 0
    signed, broken, orphans = {}, {}, []
    for key, log in store.stream_log(HISTORY):
        if key not in docs:
            orphans.append(f"{HISTORY}/{key}: {len(log)} entries, but there is no such document")
            continue
        entries += len(log)
        old += chain.unchained(log)
        signed[key] = _signed_off_hashes(log)
        broken[key] = _chain_problem(docs[key], log)
    for key in docs.keys() - signed.keys():  # a document without a history has lost all of it
        broken[key] = _chain_problem(docs[key], [])
    broken = [broken[key] for key in sorted(broken, key=key_order) if broken[key]]
    summary = f"{HISTORY}: {entries:,} entries in {len(docs):,} chains, " + (
        "all intact" if not broken else f"{len(broken):,} broken")
    if old:
        summary += f"; {old:,} entries {chain.UNCHAINED}"
    report.lines.append(summary)
    report.broken += broken + orphans
    return signed


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


def _check_revisions(store, docs, signed, report):
    count = altered = 0
    for record in store.stream(REVISIONS):
        count += 1
        document = record.get("document")
        problem = _revision_problem(record, docs.get(document), signed.get(document, {}))
        if problem:
            altered += 1
            report.broken.append(f"{REVISIONS}/{record['id']} (approved by {record.get('approved_by')} "
                                 f"at {record.get('approved_at')}): {problem}")
    report.lines.append(f"{REVISIONS}: {count:,} approved revisions, " + (
        "all match what was signed off" if not altered else f"{altered:,} altered"))


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
