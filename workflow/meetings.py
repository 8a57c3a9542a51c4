"""Meetings of the bodies (workflow.bodies): their agendas, and the decisions minuted on them.

A meeting is a plain record (title, date, venue, body, items, decisions); one stored before
bodies existed is the EODB's. Only the Head builds agendas, from approved documents or
from documents a body has already reviewed (the annual report goes to the EODB, then to the
full Authority); once the meeting's date has come, a Board member or the Head records a
decision on each item:

- endorsed / noted: fires `review` (approved → reviewed); on an item already reviewed, the
  body's decision is recorded in its history and it stays reviewed;
- referred_back: fires `revise`, the body's note as the comment, so the team sees why.

The Board may agree a status for an objective's period other than the one the
officers proposed; both are kept, each with its reason (see `agreed_status`).
"""
import copy
import datetime as dt

from workflow import bodies, documents, fields, machine, numbers, policy
from workflow.errors import Forbidden, Invalid, StateConflict, Unmet
from workflow.kinds.objective import STATUS_WORDS, STATUSES, progress_for

DECISIONS = ("endorsed", "noted", "referred_back")
DECISION_WORDS = {"endorsed": "Endorsed", "noted": "Noted", "referred_back": "Referred back"}
DECISION_CHOICE = "Select the Board's decision: " + fields.either([DECISION_WORDS[d].lower() for d in DECISIONS])
ON_AGENDA = "Only approved items, or items a body has reviewed, can be put on an agenda."
HIGHEST_NUMBER = 999


def new_meeting(user, title, date, venue=None, at=None, body=None, names=bodies.DEFAULT):
    """A meeting record of `body` (a key of `names`; the EODB if none), checked;
    only the Head (or an administrator) arranges meetings."""
    if not policy.may_arrange_meetings(user):
        raise Forbidden("Only the Head of Race and Diversity can arrange Board meetings.")
    errors = {}
    errors.update(fields.one_line("title", title, 200))
    errors.update(fields.date("date", date))
    if venue is not None and (not isinstance(venue, str) or venue.strip()):  # a venue may be left blank
        errors.update(fields.one_line("venue", venue, 200))
    try:
        body = bodies.checked_key(names, body)
    except Invalid as exc:
        errors.update(exc.details)
    if errors:
        raise Invalid("Correct the meeting's details shown.", errors)
    return {"title": title.strip(), "date": date, "venue": (venue or "").strip() or None, "body": body, "items": [],
            "decisions": [], "created_by": user.name, "created_at": at or documents.now()}


def _said(value):
    """Text with something in it: spaces and line breaks alone say nothing."""
    return isinstance(value, str) and bool(value.strip())


def held(meeting, today):
    return dt.date.fromisoformat(meeting["date"]) <= today


def grouped(every, today):
    """{"today", "upcoming" (soonest first), "past" (newest first)}: `every` meeting, by its date
    against `today`. A meeting of today is held (its decisions may be recorded) but not yet past."""
    by_date = sorted(every, key=lambda m: (m["date"], int(m["id"])))
    day = today.isoformat()
    return {"today": [m for m in by_date if m["date"] == day],
            "upcoming": [m for m in by_date if m["date"] > day],
            "past": [m for m in reversed(by_date) if m["date"] < day]}


def on_agenda(meeting, doc_id):
    return next((item for item in meeting["items"] if item["document"] == doc_id), None)


def next_number(meeting):
    """The number the next report on `meeting`'s agenda is given unless the Head gives another."""
    return max((item["number"] for item in meeting["items"]), default=0) + 1


def _agenda_number(meeting, given):
    """The report number the Head gave (the next one if none), a whole number not yet on the agenda."""
    if given is None or (isinstance(given, str) and not given.strip()):
        return next_number(meeting)
    number = numbers.whole(given, low=1, high=HIGHEST_NUMBER)  # never a bool, a fraction or other text
    if number is None:
        raise Invalid("Correct the report number.",
                      {"number": f"Enter the report number as a whole number from 1 to {HIGHEST_NUMBER}"})
    if any(item["number"] == number for item in meeting["items"]):
        raise StateConflict(f"Report {number} is already on this meeting's agenda.",
                            {"number": f"Enter a number not already on the agenda, such as {next_number(meeting)}"})
    return number


def add_item(meeting, doc, user, at=None, number=None):
    """The meeting with `doc` added to its agenda as report `number` (the next one if not given)."""
    if not policy.may_arrange_meetings(user):
        raise Forbidden("Only the Head of Race and Diversity can build the Board's agenda.")
    policy.visible_or_404(doc, user)
    published = doc.get("published")
    if not published or published["state"] not in machine.PUBLISHED_STATES:
        raise StateConflict(ON_AGENDA, {"document": "Choose an approved or reviewed item"})
    if on_agenda(meeting, doc["id"]):
        raise StateConflict("The item is already on this meeting's agenda.",
                            {"document": "Choose an item that is not already on the agenda"})
    number = _agenda_number(meeting, number)
    updated = copy.deepcopy(meeting)
    updated["items"].append({"document": doc["id"], "number": number, "revision": published["revision"],
                             "title": published["title"], "kind": doc["kind"],
                             "added_by": user.name, "added_at": at or documents.now()})
    return updated


def minuted(meeting, stored):
    """The decision minuted on the stored document at `meeting`, with the period of any agreed status."""
    decision = next((d for d in meeting["decisions"] if d["document"] == stored["id"]), None)
    if decision is None or not decision.get("agreed"):
        return decision
    # The minute keeps the two statuses but not the period; the document's agreed statuses name it.
    period = next((code for code, record in (stored.get("board_statuses") or {}).items()
                   if (record.get("meeting"), record.get("at")) == (meeting["id"], decision["at"])), None)
    return {**decision, "period": period}


def check_recorder(user, doc=None):
    """Who records the Board's decisions: a Board member, or the Head minuting the Board
    (Forbidden otherwise), who may see `doc` (NotFound otherwise) and is trained in EqIA
    while the training rule is on (Unmet otherwise). The one check for pages and the API."""
    if not (user.has("eodb") or user.has("head")):
        raise Forbidden("Only a Board member, or the Head minuting the Board, can record its decisions.")
    if doc is not None:
        policy.visible_or_404(doc, user)
    if not user.meets_training_rule():
        raise Unmet(f"Recording the Board's decision needs {machine.TRAINED_RECORDER}.",
                    {"unmet": [machine.TRAINED_RECORDER]})


def decide(meeting, doc, user, decision, note=None, today=None, agreed=None, at=None, names=bodies.DEFAULT):
    """Record the `decision` of the meeting's body on `doc`: (meeting, document, history entry).
    `names`: the bodies' names (workflow.bodies), the history says which body decided.

    `agreed`, for an objective: {"period", "status", "reason"} when the Board agrees a
    status other than the one proposed for that period.
    """
    check_recorder(user, doc)
    errors = {} if decision in DECISIONS else {"decision": DECISION_CHOICE}
    if decision == "referred_back" and not _said(note):
        errors["note"] = "Enter why the Board refers it back: the team will see it"
    if note is not None and not isinstance(note, str):
        errors["note"] = "Enter the note as text"
    if errors:
        raise Invalid("Correct the decision shown.", errors)
    note = note if _said(note) else None  # a note of spaces says nothing, from whichever door it came
    if not held(meeting, today or dt.date.today()):
        raise StateConflict(f"The meeting of {meeting['date']} has not been held yet: record decisions on or after "
                            "that day.", {"date": meeting["date"]})
    item = on_agenda(meeting, doc["id"])
    if item is None:
        raise StateConflict("The item is not on this meeting's agenda.", {"document": "The item is not on the agenda"})
    if any(d["document"] == doc["id"] for d in meeting["decisions"]):
        raise StateConflict("The Board's decision on this item is already recorded.",
                            {"document": "The decision is already recorded"})
    # What the Board decides on is the approved revision put on its agenda, as it reads it:
    # whether a team is revising the document meanwhile is neither asked nor told.
    published = doc.get("published") or doc
    if published["state"] not in machine.PUBLISHED_STATES or published["revision"] != item["revision"]:
        raise StateConflict("The item has changed since it was put on the agenda: put its new revision on a later "
                            "agenda.", {"state": published["state"]})
    at = at or documents.now()
    pending = copy.deepcopy(doc)
    body = bodies.of(meeting)
    pending["board_decision"] = {"meeting": meeting["id"], "decision": decision, "note": note, "held": True,
                                 "body": body}
    if agreed:
        pending["board_statuses"] = _agreed(doc, agreed, meeting, at)
    decided = f"{bodies.decider(names, body)} {DECISION_WORDS[decision].lower()}"
    comment = f"{decided} at the meeting of {meeting['date']}" + (
        f": {note.strip()}" if note and note.strip() else "")
    name = "revise" if decision == "referred_back" else "review"
    if doc["state"] == "approved" or (doc["state"] == "reviewed" and name == "revise"):
        updated, entry = documents.transition(pending, user, name, comment, at)
    elif doc["state"] == "reviewed":
        updated, entry = _decided_again(pending, user, comment, at)
    else:
        updated, entry = _decided_while_revised(pending, user, name, comment, at)
    minuted = copy.deepcopy(meeting)
    minuted["decisions"].append({"document": doc["id"], "decision": decision, "note": note, "by": user.name,
                                 "at": at, **({"agreed": updated["board_statuses"][agreed["period"]]}
                                              if agreed else {})})
    return minuted, updated, entry


def _decided_again(doc, user, comment, at):
    """A further body's review of an item another body has reviewed: it stays reviewed, and its
    history records this body's decision as it recorded the first."""
    doc["updated_at"] = at
    decision = documents.record_board_decision(doc, user, at)
    return doc, documents.entry(at, user, "review", "reviewed", "reviewed", doc["revision"], comment, **decision)


def _decided_while_revised(doc, user, name, comment, at):
    """The Board's decision on the approved revision of `doc` while its team works on the
    next one: recorded on the approved revision as `name` would have recorded it, the
    working copy left as it is (a referral back finds the team already revising)."""
    published = doc["published"]
    before = published["state"]
    if name == "review":
        published["state"] = "reviewed"
    # Readers see this change: their version moves to the one this commit gives the
    # document (the store adds one at each change), and their time of change with it.
    published.update(version=doc["version"] + 1, updated_at=at)
    doc["updated_at"] = at
    decision = documents.record_board_decision(doc, user, at)
    # A referral is the team's business from here: its entry belongs to the revision under way.
    revision = published["revision"] if name == "review" else doc["revision"]
    after = "reviewed" if name == "review" else doc["state"]
    return doc, documents.entry(at, user, name, before, after, revision, comment, **decision)


def _agreed(doc, agreed, meeting, at):
    """The document's agreed statuses with this period's added; both statuses kept, each with its reason."""
    if doc["kind"] != "objective" or not isinstance(agreed, dict):
        raise Invalid("Only an objective's status can be agreed.", {"agreed": "Agree a status only for an objective"})
    period, status, reason = agreed.get("period"), agreed.get("status"), agreed.get("reason")
    proposed = progress_for(doc["published"]["fields"], period) if isinstance(period, str) else None
    errors = {}
    if proposed is None or proposed.get("period") != period:
        errors["agreed.period"] = "Select a period the objective reports on"
    if status not in STATUSES:
        errors["agreed.status"] = ("Select the status the Board agrees: "
                                   + fields.either([STATUS_WORDS[status] for status in STATUSES]))
    if not _said(reason):
        errors["agreed.reason"] = "Enter why the Board agrees a different status"
    if errors:
        raise Invalid("Correct the agreed status shown.", errors)
    statuses = copy.deepcopy(doc.get("board_statuses") or {})
    statuses[period] = {"proposed": proposed.get("status"), "proposed_reason": proposed.get("reason"),
                        "agreed": status, "agreed_reason": reason.strip(), "meeting": meeting["id"], "at": at}
    return statuses
