"""Write a parsed Corporate Equality Plan into the store as adopted objectives.

All or nothing: every document is built and validated first, then all of them
go in one commit. An objective already imported (same source ref) is skipped,
so importing the same plan twice creates nothing twice.
"""
from dataclasses import dataclass, field

from services import commits
from services.document_service import DOCS, REVISIONS, history_append
from store import Put
from workflow import documents, numbers, plan_import, policy
from workflow.errors import Forbidden
from workflow.kinds import objective

# One record per import: when, from which file, as adopted by whom, and its notes (the import page).
PLAN_IMPORTS = "plan_imports"


@dataclass
class ImportReport:
    per_heading: dict  # heading -> actions in the plan, in the plan's order
    created: int = 0
    present: int = 0
    notes: list = field(default_factory=list)  # what could not be placed, in words
    record: dict = field(default_factory=dict)  # what is stored of this import (PLAN_IMPORTS)

    def lines(self):
        """The report as the command line prints it."""
        out = [f"{count:4}  {heading}" for heading, count in self.per_heading.items()]
        out.append(f"{sum(self.per_heading.values()):4}  actions in all: {self.created} created, "
                   f"{self.present} already present")
        if self.notes:
            out.append(f"Could not place one to one ({len(self.notes)}): kept on the row and shown on each of "
                       "its actions, or kept as the plan says it (also on each objective and the import page)")
            out += [f"  - {note}" for note in self.notes]
        return out


def _present(store):
    """Source refs of the objectives this plan has already put in the store."""
    refs = set()
    for doc in store.scan(DOCS, {"kind": objective.NAME}):
        source = doc["fields"].get("source") or {}
        if source.get("plan") == plan_import.PLAN:
            refs.add(source.get("ref"))
    return refs


def _next_key(store):
    # Explicit keys let a document, its approved revision and its history share one
    # commit; documents are never deleted, so one past the highest key is free.
    return 1 + max((int(doc["id"]) for doc in store.scan(DOCS) if numbers.is_id(doc["id"])), default=0)


def prepare(text, source_name, at=None, adoption=None):
    """Every document of the plan, built and validated, and its report so far; `adoption`
    (plan_import.Adoption): who adopted the plan and when, as its objectives are approved.
    Raises Invalid if the plan cannot be read; touches no store."""
    plan = plan_import.parse(text)
    at = at or documents.now()
    built = [plan_import.adopted(action, source_name, at, adoption) for action in plan.actions]
    per_heading = {}
    for action in plan.actions:
        per_heading[action.heading] = per_heading.get(action.heading, 0) + 1
    report = ImportReport(per_heading, notes=plan.notes)
    report.record = {"at": at, "source": source_name, "plan": plan_import.PLAN,
                     "adopted_by": adoption.body if adoption else None, "adopted_on": adoption.on if adoption else None,
                     "per_heading": per_heading, "notes": plan.notes}
    return built, report


def write(store, prepared):
    """Commit the documents `prepare` built that are not in the store yet, all in one commit."""
    built, report = prepared

    def attempt():
        # Read afresh each time: a document created meanwhile takes the keys this one counted on.
        present = _present(store)
        new = [(doc, entry) for doc, entry in built if doc["fields"]["source"]["ref"] not in present]
        ops = []
        for number, (doc, entry) in enumerate(new, _next_key(store)):
            key = str(number)
            ops += [Put(DOCS, key, doc), Put(REVISIONS, f"{key}.1", {"document": key, **doc["published"]}),
                    history_append(store, key, entry)]
        ops.append(Put(PLAN_IMPORTS, None, {**report.record, "created": len(new), "present": len(built) - len(new)}))
        store.commit(ops)
        return len(new)

    created = commits.retried(attempt, "the documents")
    report.created, report.present = created, len(built) - created
    return report


def import_plan(store, text, source_name, at=None, adoption=None):
    """Import the plan in `text`; raises Invalid (and writes nothing) if it cannot be read."""
    return write(store, prepare(text, source_name, at, adoption))


def imports(store, user):
    """(every import of a plan, newest first, with its notes; the objectives carrying import notes)
    for the Head and administrators."""
    if not policy.may_manage_reporting(user):
        raise Forbidden("Only the Head of Race and Diversity and administrators can see the plan's imports")
    runs = sorted(store.scan(PLAN_IMPORTS), key=lambda run: run["at"], reverse=True)
    noted = [doc for doc in store.scan(DOCS, {"kind": objective.NAME})
             if (doc["fields"].get("source") or {}).get("notes")]
    return runs, noted
