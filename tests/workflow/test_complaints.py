"""The complaints and compliments log's rules (workflow.complaints): what an entry may hold,
who sees the person's details, and the counts a monitoring dataset is made of, by hand."""
import datetime as dt

import pytest

from workflow import complaints, policy, strands
from workflow.errors import Invalid
from workflow.users import User

TODAY = dt.date(2008, 5, 1)
TEAMS = ("Human Resources", "Planning & Performance")
SET = strands.SETS["ces2004"]
GOOD = {"kind": "complaint", "received": "2007-06-04", "channel": "letter", "team": "Human Resources",
        "strands": ["disability", "race"], "summary": "The lift to the public gallery was out of order.",
        "outcome": "upheld", "closed": "2007-06-20", "name": "A. Person", "contact": "01234 567890",
        "reference": "C/123"}


def test_a_good_entry_is_kept_with_the_persons_details_apart_and_its_strands_in_the_sets_order():
    entry = complaints.checked(GOOD, TEAMS, SET, TODAY)
    assert entry["person"] == {"name": "A. Person", "contact": "01234 567890", "reference": "C/123"}
    assert entry["strands"] == ["race", "disability"]
    assert "name" not in entry and entry["outcome"] == "upheld"


@pytest.mark.parametrize("change, field, words", [
    ({"closed": "2007-06-03"}, "closed", "The date closed must be the same as or after the date received"),
    ({"received": "2008-05-02", "closed": None, "outcome": None}, "received", "today or in the past"),
    ({"closed": "2008-05-02"}, "closed", "The date closed must be today or in the past"),
    ({"received": "4 June 2007"}, "received", "Enter the date received as a real date"),
    ({"outcome": "passed_on"}, "outcome", "Select the outcome of a complaint"),
    ({"kind": "compliment"}, "outcome", "Select the outcome of a compliment: Passed on"),
    ({"outcome": None}, "outcome", "an entry is closed with its outcome"),
    ({"strands": ["marriage_civil_partnership"]}, "strands", "Select the strands it concerns"),
    ({"team": "Nowhere"}, "team", "Select the service or team it concerns"),
    ({"channel": "pigeon"}, "channel", "Select how it came in: Letter, E-mail"),
    ({"kind": "grumble"}, "kind", "Select whether it is a complaint or a compliment"),
    ({"summary": "  "}, "summary", "Enter a summary of what was said"),
    ({"name": "A.\nPerson"}, "name", "must be on one line"),
    ({"contact": "x" * 201}, "contact", "must be 200 characters or fewer"),
])
def test_a_bad_answer_is_refused_by_name(change, field, words):
    with pytest.raises(Invalid) as refused:
        complaints.checked({**GOOD, **change}, TEAMS, SET, TODAY)
    assert words in refused.value.details[field]


def test_the_persons_details_are_seen_by_the_team_concerned_and_the_head_only():
    entry = {**complaints.checked(GOOD, TEAMS, SET, TODAY), "id": "1"}
    readers = {"hr staff": User("s", frozenset({"staff"}), frozenset({"Human Resources"})),
               "hr leader": User("l", frozenset({"team_leader"}), frozenset({"Human Resources"})),
               "head": User("h", frozenset({"head"})),
               "other staff": User("o", frozenset({"staff"}), frozenset({"Planning & Performance"})),
               "board member in the team": User("b", frozenset({"eodb"}), frozenset({"Human Resources"})),
               "smt": User("m", frozenset({"smt"})), "admin": User("a", frozenset({"admin"})), "public": None}
    sees = {who: "person" in complaints.as_seen(entry, policy.sees_complainant(user, entry)) if user else False
            for who, user in readers.items()}
    assert sees == {"hr staff": True, "hr leader": True, "head": True, "other staff": False,
                    "board member in the team": False, "smt": False, "admin": False, "public": False}
    assert not policy.may_read_complaints(readers["board member in the team"]) and not policy.may_read_complaints(None)


def _entry(kind, received, strands_, outcome=None):
    return {"kind": kind, "received": received, "strands": strands_, "outcome": outcome}


LOG = [
    _entry("complaint", "2007-04-02", ["race"], "upheld"),
    _entry("complaint", "2007-05-10", ["race", "disability"], "not_upheld"),
    _entry("complaint", "2007-09-30", ["race"], "upheld"),
    _entry("complaint", "2007-12-01", ["disability"]),                  # still open
    _entry("complaint", "2008-03-31", [], "withdrawn"),                  # no strand: in no row
    _entry("compliment", "2007-07-07", ["age"], "passed_on"),
    _entry("complaint", "2008-04-01", ["race"], "upheld"),               # the next year
    _entry("complaint", "2007-03-31", ["race"], "upheld"),               # the year before
]


def test_a_year_of_the_log_counts_by_kind_strand_and_outcome_as_counted_by_hand():
    assert complaints.dataset_rows(LOG, "2007-08") == [
        {"measure": "Complaints received", "period": "2007-08", "strand": "disability", "group": "Not upheld", "count": 1},
        {"measure": "Complaints received", "period": "2007-08", "strand": "disability", "group": "Not yet closed", "count": 1},
        {"measure": "Complaints received", "period": "2007-08", "strand": "race", "group": "Not upheld", "count": 1},
        {"measure": "Complaints received", "period": "2007-08", "strand": "race", "group": "Upheld", "count": 2},
        {"measure": "Compliments received", "period": "2007-08", "strand": "age", "group": "Passed on", "count": 1},
    ]


def test_a_quarter_counts_only_what_was_received_within_it():
    assert complaints.dataset_rows(LOG, "2007-08 Q2") == [
        {"measure": "Complaints received", "period": "2007-08 Q2", "strand": "race", "group": "Upheld", "count": 1},
        {"measure": "Compliments received", "period": "2007-08 Q2", "strand": "age", "group": "Passed on", "count": 1},
    ]


def test_complaints_by_strand_per_year_leave_compliments_out():
    assert complaints.complaints_by_strand(LOG) == {
        "2008-09": {"race": 1}, "2007-08": {"race": 3, "disability": 2}, "2006-07": {"race": 1}}
