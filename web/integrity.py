"""`run.py verify`: every history chain intact, every approved revision still what was signed off.

Reads only. History is keyed by document id; documents are never deleted, so
a history whose document is gone is itself a sign of tampering, and is named.
"""
from dataclasses import dataclass, field

from web.documents import DOCS, HISTORY, REVISIONS
from workflow import chain, documents


@dataclass
class Report:
    lines: list = field(default_factory=list)  # one summary line per collection
    broken: list = field(default_factory=list)  # one line per broken chain or altered revision

    @property
    def intact(self):
        return not self.broken


def verify_store(store):
    """Check the history chains and the approved revisions of `store`."""
    report = Report()
    docs = store.scan(DOCS)
    logs = {doc["id"]: store.log(HISTORY, doc["id"]) for doc in docs}
    _check_history(docs, logs, report)
    for key in sorted(set(store.log_keys(HISTORY)) - logs.keys()):
        report.broken.append(f"{HISTORY}/{key}: {len(store.log(HISTORY, key))} entries, but there is no such document")
    _check_revisions(store, {doc["id"]: doc for doc in docs}, logs, report)
    return report


def _check_history(docs, logs, report):
    entries = old = broken = 0
    for doc in docs:
        log = logs[doc["id"]]
        entries += len(log)
        old += chain.unchained(log)
        problem = _chain_problem(doc, log)
        if problem:
            broken += 1
            report.broken.append(problem)
    summary = f"{HISTORY}: {entries:,} entries in {len(docs):,} chains, " + (
        "all intact" if not broken else f"{broken:,} broken")
    if old:
        summary += f"; {old:,} entries {chain.UNCHAINED}"
    report.lines.append(summary)


def _chain_problem(doc, log):
    found = chain.verify(log)
    if found:
        index, reason = found
        entry = log[index]
        return (f"{HISTORY}/{doc['id']} entry {index + 1} ({entry.get('action')} by {entry.get('actor')} "
                f"at {entry.get('at')}): {reason}")
    if len(log) != doc["version"]:
        # Every change of a document appends exactly one entry in the same commit, so a
        # chain shorter than the version has lost its last entries (no link after them shows it).
        what = "entries are missing from its end" if len(log) < doc["version"] else "the document lost versions"
        return f"{HISTORY}/{doc['id']}: {len(log)} entries, but the document is at version {doc['version']}: {what}"
    return None


def _signed_off_hashes(log):
    """{revision: content hash} as the (chained) approve and adopt entries recorded it."""
    return {e["revision"]: e["content_hash"] for e in log if e.get("content_hash")}


def _check_revisions(store, docs, logs, report):
    records = store.scan(REVISIONS)
    altered = 0
    for record in records:
        problem = _revision_problem(record, docs.get(record.get("document")), logs.get(record.get("document"), []))
        if problem:
            altered += 1
            report.broken.append(f"{REVISIONS}/{record['id']} (approved by {record.get('approved_by')} "
                                 f"at {record.get('approved_at')}): {problem}")
    report.lines.append(f"{REVISIONS}: {len(records):,} approved revisions, " + (
        "all match what was signed off" if not altered else f"{altered:,} altered"))


def _revision_problem(record, doc, log):
    if doc is None:
        return "its document is missing"
    recorded = record.get("content_hash")
    if documents.content_hash({**record, "kind": doc["kind"], "team": doc["team"]}) != recorded:
        return "its content no longer matches the hash recorded when it was approved"
    witnessed = _signed_off_hashes(log).get(record["revision"])
    if witnessed is not None and witnessed != recorded:
        return "its recorded hash differs from the one in the document's history"
    published = doc.get("published") or {}
    if published.get("revision") == record["revision"] and (
            documents.content_hash({**published, "kind": doc["kind"], "team": doc["team"]}) != recorded):
        return "the copy readers see no longer matches the hash recorded when it was approved"
    return None
