"""Which Heads wrote a document stored before that was kept, from its history and from when
each person held the Head's role (workflow.authorship)."""
from workflow import authorship, machine

DOC = {"author": "kim", "created_at": "2007-01-05T10:00:00+00:00", "revision": 2}
HISTORY = [
    {"actor": "kim", "at": "2007-01-05T10:00:00+00:00", "action": "create", "revision": 1},
    {"actor": "lou", "at": "2007-02-01T10:00:00+00:00", "action": "edit", "revision": 1, "comment": "changed title"},
    {"actor": "max", "at": "2007-03-01T10:00:00+00:00", "action": "revise", "revision": 2},
    {"actor": "ned", "at": "2007-03-02T10:00:00+00:00", "action": "edit", "revision": 2,
     "comment": "saved without changes"},
    {"actor": "oli", "at": "2007-03-03T10:00:00+00:00", "action": "assess", "revision": 2},
]


def test_the_author_and_the_writers_of_the_current_revision_who_were_heads_then():
    everyone_a_head = authorship.head_writers(DOC, HISTORY, lambda name, at: True)
    # lou changed an earlier revision, ned saved nothing, oli only submitted it.
    assert everyone_a_head == ["kim", "max"]


def test_a_writer_who_became_head_only_later_did_not_write_as_head():
    grant = "2007-06-01T00:00:00+00:00"
    events = {"kim": [(grant, True, False)], "max": [("2006-01-01T00:00:00+00:00", True, None)]}
    held = lambda name, at: authorship.held_head(events.get(name, []), at, True)  # noqa: E731
    assert authorship.head_writers(DOC, HISTORY, held) == ["max"]


def test_when_the_role_was_held_by_the_role_events():
    events = [("2007-01-01", True, None), ("2007-06-01", False, True)]
    assert authorship.held_head(events, "2007-03-01", holds_now=False) is True
    assert authorship.held_head(events, "2007-07-01", holds_now=True) is False
    assert authorship.held_head(events, "2006-01-01", holds_now=False) is True  # created with it: untold before
    assert authorship.held_head([("2007-01-01", True, False)], "2006-01-01", holds_now=True) is False
    assert authorship.held_head([], "2006-01-01", holds_now=True) is True


def test_a_document_that_records_its_head_writers_is_left_as_it_is():
    doc = {**DOC, machine.HEAD_WROTE: []}
    assert authorship.with_head_writers(doc, HISTORY, lambda name, at: True) is doc
