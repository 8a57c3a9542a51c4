"""Bulk changes: the same links (strands, strategic objective, owning team) set on many
objectives at once, each as a new revision submitted for sign-off, all signed off together
by one approval. Pure: the documents in, the changed documents and their history entries out.

Each objective still goes through the one state machine: the bulk change is one step that
starts its revision, writes the change and submits it (history: "bulk_submit"), and the
sign-off is the machine's own `approve`, fired for each under the same rules as a single
sign-off (trained, not the author, not a writer of the revision, not the submitter; the
Chief Executive for what a Head wrote). A batch is all or nothing: one refusal refuses all.
"""
import hashlib
from dataclasses import dataclass

from workflow import documents, machine, policy, strands
from workflow.errors import Forbidden, Invalid, WorkflowError
from workflow.kinds import objective

# The field each change sets, as people are told it.
CHANGE_WORDS = {"strands": "equality strands", "strategic": "strategic objective", "team": "owning team"}
# Where the bulk change sits on each document while its revision awaits sign-off.
BATCH = "bulk"
LIMIT = 500  # objectives in one batch: the plan has 66


@dataclass(frozen=True)
class Change:
    strands: tuple = None  # strand keys, or None: left as they are
    strategic: int = None
    team: str = None

    def words(self):
        """The change in plain words, for history and the check-answers page."""
        said = []
        if self.strands is not None:
            said.append("equality strands set to " + ", ".join(strands.LABELS.get(s, s) for s in self.strands))
        if self.strategic is not None:
            said.append(f"strategic objective set to {self.strategic}")
        if self.team is not None:
            said.append(f"owning team set to {self.team}")
        return "; ".join(said)


def change_of(values, teams, user):
    """The Change `values` ({"strands": [...], "strategic": n, "team": name}, each optional) asks for;
    Invalid naming each bad value. `teams`: the authority's known teams; a team leader may hand
    objectives only to a team they lead (the Head to any team)."""
    if not isinstance(values, dict):
        raise Invalid("Choose what to change", {"change": "Give the change as named values"})
    errors, given = {}, {key: values.get(key) for key in CHANGE_WORDS if values.get(key) not in (None, "", [])}
    if not given:
        errors["change"] = "Choose at least one thing to change: equality strands, strategic objective or owning team"
    for key in ("strands", "strategic"):
        if key in given:
            errors.update(objective.SPEC[key](key, given[key]))
    team = given.get("team")
    if team is not None and (not isinstance(team, str) or team not in teams):
        errors["team"] = "Select one of the authority's teams"
    elif team is not None and not (user.has("head") or user.leads(team)):
        errors["team"] = f"Select a team you lead: you do not lead {team}"
    if errors:
        raise Invalid("Correct the change shown; nothing was changed", errors)
    return Change(tuple(given["strands"]) if "strands" in given else None, given.get("strategic"), team)


def check_selection(docs, user):
    """Refuse (naming each) any selected document `user` may not change in bulk, or that is not
    an approved objective without a revision under way; an empty or oversized selection too."""
    if not docs:
        raise Invalid("Select at least one objective", {"ids": "Select the objectives to change"})
    if len(docs) > LIMIT:
        raise Invalid(f"Select at most {LIMIT} objectives at once", {"ids": f"at most {LIMIT}"})
    errors, forbidden = {}, []
    for doc in docs:
        if doc["kind"] != objective.NAME:
            errors[f"ids.{doc['id']}"] = f"{doc['title']} is not an objective"
        elif not policy.may_change_in_bulk(doc, user):
            forbidden.append(doc["title"])
        elif doc["state"] not in machine.PUBLISHED_STATES:
            errors[f"ids.{doc['id']}"] = (f"{doc['title']} already has a revision under way "
                                          f"({machine.STATE_WORDS[doc['state']]}): finish that one first")
    if forbidden:
        raise Forbidden("You can change in bulk only the objectives of teams you lead (the Head: any objective)",
                        {"ids": "; ".join(forbidden)})
    if errors:
        raise Invalid("Some of the objectives selected cannot be changed in bulk now; nothing was changed", errors)


def _gaps(doc, before):
    """What stops the revised `doc` being submitted: screening in full (strands chosen), and
    any submission gap the change itself opened (an adopted objective that never had a
    deadline is not refused a link for it; its content is not what is being changed)."""
    old = {gap.words for gap in objective.submission_gaps(before["fields"])}
    return [gap.words for gap in objective.screening_gaps(doc["fields"])] + [
        gap.words for gap in objective.submission_gaps(doc["fields"]) if gap.words not in old]


def submitted(doc, user, change, batch, count, at):
    """(the document as a new revision with `change`, submitted for sign-off; its history entry).
    Raises Invalid naming what is missing if it cannot be submitted."""
    updated = documents.copy_of(doc)
    # As a revision started by hand (documents._after_revise): readers keep the approved one.
    updated["published"].update(version=doc["version"], updated_at=doc["updated_at"])
    updated["revision"] += 1
    updated[machine.CONTRIBUTORS] = []
    updated[machine.HEAD_WROTE] = [name for name in doc.get(machine.HEAD_WROTE, ()) if name == doc["author"]]
    updated.pop("board_decision", None)
    for key in ("strands", "strategic"):
        if getattr(change, key) is not None:
            updated["fields"][key] = list(change.strands) if key == "strands" else change.strategic
    if change.team is not None:
        updated["team"] = change.team
    gaps = _gaps(updated, doc)
    if gaps:
        raise Invalid(f"{doc['title']} cannot be submitted: " + "; ".join(gaps), {f"ids.{doc['id']}": "; ".join(gaps)})
    documents.contributed(updated, user)
    updated.update(state="assessed", submitter=user.name, assignee=None, returned=None, updated_at=at)
    updated[BATCH] = {"id": batch, "by": user.name, "at": at, "count": count, "change": change.words(),
                      "revision": updated["revision"]}
    comment = f"Bulk change of {count} objectives: {change.words()}"
    return updated, documents.entry(at, user, "bulk_submit", doc["state"], "assessed", updated["revision"], comment,
                                    bulk=batch)


def submit_all(docs, user, change, batch, at):
    """[(document, revised and submitted, entry)] for every one of `docs`, or Invalid naming every one
    that cannot be (nothing is changed then)."""
    check_selection(docs, user)
    done, errors = [], {}
    for doc in docs:
        try:
            done.append((doc, *submitted(doc, user, change, batch, len(docs), at)))
        except Invalid as exc:
            errors.update(exc.details)
    if errors:
        raise Invalid("Some of the objectives cannot be submitted as changed; nothing was changed", errors)
    return done


def in_batch(docs, batch):
    """The documents of `batch` still awaiting its sign-off (one sent back since is not)."""
    return [doc for doc in docs if doc["state"] == "assessed" and (doc.get(BATCH) or {}).get("id") == batch
            and doc[BATCH].get("revision") == doc["revision"]]


def batches(docs):
    """{batch id: its record, with "documents": those awaiting sign-off} of every batch awaiting one."""
    found = {}
    for doc in docs:
        record = doc.get(BATCH)
        if record and in_batch([doc], record["id"]):
            found.setdefault(record["id"], {**record, "documents": []})["documents"].append(doc)
    return found


def fingerprint(docs):
    """What a batch awaiting sign-off is, as the approver read it: each document and its version."""
    return hashlib.sha256(",".join(f"{d['id']}:{d['version']}" for d in docs).encode()).hexdigest()[:32]


def approve_all(docs, approver, comment, at):
    """[(document, signed off, entry)] of every one of `docs` (one batch), each by the machine's
    `approve` under its usual rules; refused whole (Forbidden/Invalid naming each) if any is refused."""
    if not docs:
        raise Invalid("Nothing in this bulk change awaits sign-off", {"batch": "nothing awaits sign-off"})
    note = f"Signed off in one bulk sign-off of {len(docs)} objectives ({docs[0][BATCH]['change']})"
    done, refusals = [], {}
    for doc in docs:
        try:
            updated, entry = documents.transition(doc, approver, "approve", comment, at)
        except WorkflowError as exc:
            unmet = exc.details.get("unmet") if isinstance(exc.details.get("unmet"), list) else []
            refusals[f"ids.{doc['id']}"] = f"{doc['title']}: {exc.reason}" + "".join(f"; {u}" for u in unmet)
            continue
        entry["comment"] = note + (f". {entry['comment']}" if entry["comment"] else "")
        entry["bulk"] = updated.pop(BATCH)["id"]  # signed off: it no longer awaits the batch's sign-off
        done.append((doc, updated, entry))
    if refusals:
        raise Forbidden("You cannot sign off every objective of this bulk change, so none was signed off",
                        refusals)
    return done
