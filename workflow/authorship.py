"""Who of the Heads wrote a document stored before that was recorded (machine.HEAD_WROTE),
worked out from its history and from when each person held the Head's role.

Pure: the service gives the document's history entries and each person's role events.
"""
from workflow import machine

# History entries by which someone wrote or changed a revision's content (as documents.contributed counts them).
WRITING = ("create", "edit", "revise")
UNCHANGED = "saved without changes"


def held_head(events, at, holds_now):
    """Whether a person held the Head's role at `at` (ISO time), from `events`, their
    [(ISO time, held it after, held it before or None if the event does not tell)] oldest
    first: the last event by then decides; before the first, what that event found, where it
    tells (a grant found them without it), else what it left. With no event at all, the
    role they hold now is all there is."""
    if not events:
        return holds_now
    by_then = [after for when, after, _ in events if when <= at]
    if by_then:
        return by_then[-1]
    _, after, before = events[0]
    return after if before is None else before


def head_writers(doc, history, held):
    """The Heads who authored `doc` or wrote or changed its current revision, by its `history`
    (entries oldest first); `held(name, at)` says whether `name` held the Head's role at `at`."""
    writers = [(doc["author"], doc.get("created_at") or "")]
    writers += [(entry["actor"], entry["at"]) for entry in history
                if entry["revision"] == doc["revision"] and entry["action"] in WRITING
                and not entry.get("board") and entry.get("comment") != UNCHANGED]
    return list(dict.fromkeys(name for name, at in writers if held(name, at)))


def with_head_writers(doc, history, held):
    """`doc` carrying machine.HEAD_WROTE, worked out from its history if it was stored without it."""
    if machine.HEAD_WROTE in doc:
        return doc
    return {**doc, machine.HEAD_WROTE: head_writers(doc, history, held)}
