"""Who reads a monitoring dataset's exact small counts (policy.sees_exact_counts), and that
everything worked out from policy.as_seen — the view, the approved revision, what was sent
back — carries the suppressed counts to everyone else."""
import pytest

from workflow import machine, policy
from workflow.users import User

HR, PP = "Human Resources", "Planning & Performance"
ROWS = [{"measure": "Applicants", "period": "2006-07", "strand": "race", "group": group, "count": count}
        for group, count in (("Asian", 3), ("Black", 4817), ("White", 5903))]
PEOPLE = {
    "hr_staff": User("hr_staff", frozenset({"staff"}), frozenset({HR})),
    "hr_lead": User("hr_lead", frozenset({"team_leader"}), frozenset({HR})),
    "head": User("head", frozenset({"head"}), trained="2006-01-01"),
    "pp_staff": User("pp_staff", frozenset({"staff"}), frozenset({PP})),
    "pp_lead": User("pp_lead", frozenset({"team_leader"}), frozenset({PP})),
    "board": User("board", frozenset({"eodb"}), trained="2006-01-01"),
    "board_in_hr": User("board_in_hr", frozenset({"eodb"}), frozenset({HR})),
    "smt": User("smt", frozenset({"smt"})),
    "admin": User("admin", frozenset({"admin"})),
    "chief": User("chief", frozenset({"chief_executive"}), trained="2006-01-01"),
    "public": None,
}
EXACT = {"hr_staff", "hr_lead", "head"}


def dataset(state="approved", threshold=None, **extra):
    fields = {"description": "Recruitment 2006-07", "strand_set": "ces2004", "rows": ROWS}
    doc = {"id": "7", "kind": "monitoring", "title": "Recruitment", "state": state, "team": HR, "author": "hr_staff",
           "version": 4, "revision": 1, "fields": fields, **extra}
    if state in machine.PUBLISHED_STATES:
        doc["published"] = {"revision": 1, "state": state, "title": "Recruitment", "fields": fields,
                            "approved_at": "2007-05-01T10:00:00+00:00"}
    if threshold is not None:
        doc[policy.SUPPRESSION_THRESHOLD] = threshold
    return doc


def counts(shown):
    return [row["count"] for row in shown["fields"]["rows"]]


@pytest.mark.parametrize("name", PEOPLE)
def test_only_the_owning_team_and_the_head_read_exact_counts_of_an_approved_dataset(name):
    shown = policy.view(dataset(), PEOPLE[name])
    if name in EXACT:
        assert counts(shown) == [3, 4817, 5903] and "totals" not in shown["fields"]
    else:
        assert counts(shown) == [None, None, 5903]
        assert shown["fields"]["totals"] == [{"measure": "Applicants", "period": "2006-07", "strand": "race",
                                              "count": 10723}]


@pytest.mark.parametrize("name", sorted(set(PEOPLE) - EXACT))
def test_nothing_that_travels_with_the_seen_document_carries_the_exact_counts(name):
    doc = dataset(sent_back={"revision": 1, "fields": {"rows": ROWS}})
    seen = policy.as_seen(doc, PEOPLE[name])
    assert "4817" not in repr(seen)


def test_the_threshold_stamped_on_the_dataset_is_the_one_applied():
    assert counts(policy.view(dataset(threshold=5000), PEOPLE["board"])) == [None, None, None]
    assert counts(policy.view(dataset(threshold=3), PEOPLE["board"])) == [3, 4817, 5903]


def test_a_field_named_like_the_threshold_changes_nothing():
    doc = dataset()
    doc["fields"] = {**doc["fields"], policy.SUPPRESSION_THRESHOLD: 1}
    doc["published"]["fields"] = doc["fields"]
    assert counts(policy.view(doc, PEOPLE["board"])) == [None, None, 5903]


def test_whoever_may_sign_off_a_dataset_a_head_wrote_reads_it_exactly_while_it_awaits_sign_off():
    awaiting = dataset("assessed", **{machine.HEAD_WROTE: ["head"]})
    assert counts(policy.view(awaiting, PEOPLE["chief"])) == [3, 4817, 5903]
    signed = dataset("approved", **{machine.HEAD_WROTE: ["head"]})
    assert counts(policy.view(signed, PEOPLE["chief"])) == [None, None, 5903]


def test_a_board_member_still_reviews_an_approved_dataset_it_reads_suppressed():
    doc = dataset()
    assert policy.as_seen(doc, PEOPLE["board"]) is not doc
    assert policy.pending(doc, PEOPLE["board"]).keys() == {"review"}  # offered, once it was on an agenda


def test_no_team_can_write_totals_that_would_pass_for_suppressed_fields():
    from workflow import kinds
    assert "totals" in kinds.get("monitoring").validate({"rows": ROWS, "totals": []})
