"""The rules of writing one period's progress and of carrying an objective forward
(workflow/progress.py), which the progress page and the API both apply."""
import pytest

from workflow import policy, progress
from workflow.errors import Forbidden, Invalid, NotFound, StateConflict
from workflow.kinds import objective
from workflow.users import User

LEAD = User("lee", frozenset({"team_leader"}), frozenset({"Human Resources"}))
STAFF = User("sam", frozenset({"staff"}), frozenset({"Human Resources"}))
WRITTEN = [{"period": "2006-07", "status": "amber"}, {"period": "2005-06", "status": "red"}]


def test_a_period_may_be_written_if_opened_or_already_written():
    # a year after its quarters, as it ends with the last of them
    assert progress.writable_periods(["2007-08", "2007-08 Q1"], WRITTEN) == ["2005-06", "2006-07", "2007-08 Q1",
                                                                            "2007-08"]


@pytest.mark.parametrize("entry, refused", [
    ({"period": "2031-32 Q1"}, {"period": "Select a reporting period the Head has opened",
                                "status": "Select the status: Red, Amber, Amber/Green or Green"}),
    ({"period": "2007-08", "status": ""}, {"status": "Select the status: Red, Amber, Amber/Green or Green"}),
    ({"status": "green"}, {"period": "Enter a financial year like 2007-08 or a quarter like 2007-08 Q3, "
                                     "from 1900-01 to 2199-00"}),
])
def test_an_entry_needs_a_writable_period_and_a_status(entry, refused):
    with pytest.raises(Invalid) as caught:
        progress.check_entry(entry, progress.writable_periods(["2007-08"], WRITTEN))
    assert caught.value.details == {f"fields.progress.new.{key}": words for key, words in refused.items()}


def test_the_status_words_asked_for_are_the_objectives_own():
    with pytest.raises(Invalid) as caught:
        progress.check_entry({"period": "2007-08"}, ["2007-08"])
    assert all(word in caught.value.details["fields.progress.new.status"] for word in objective.STATUS_WORDS.values())


def test_a_rewritten_entry_keeps_its_place_and_a_new_one_goes_last():
    rewritten, index = progress.with_entry(WRITTEN, {"period": "2006-07", "status": "green"})
    assert (rewritten, index) == ([{"period": "2006-07", "status": "green"}, WRITTEN[1]], 0)
    added, index = progress.with_entry(WRITTEN, {"period": "2007-08", "status": "green"})
    assert (added[:2], added[2], index) == (WRITTEN, {"period": "2007-08", "status": "green"}, 2)


def approved(**extra):
    fields = {"heading": objective.HEADINGS[0], "action": "Train", "strands": ["race"], "progress": WRITTEN,
              "deadline": "2008-03"}
    return {"id": "7", "kind": "objective", "team": "Human Resources", "state": "approved",
            "published": {"title": "Training", "fields": fields}, **extra}


def test_carrying_forward_keeps_what_it_is_and_not_how_far_it_got():
    assert progress.carried_forward(approved(), LEAD, []) == (
        "Training", "Human Resources", {"heading": objective.HEADINGS[0], "action": "Train", "strands": ["race"],
                                        "disposition": "open", "carried_forward_from": "7"})


@pytest.mark.parametrize("doc, user, successors, refusal", [
    (approved(), STAFF, [], Forbidden),
    (approved(state="draft"), LEAD, [], StateConflict),
    (approved(), LEAD, [{"id": "8", "title": "Training"}], StateConflict),
    (approved(kind="eqia"), LEAD, [], NotFound),
])
def test_carrying_forward_is_refused(doc, user, successors, refusal):
    with pytest.raises(refusal):
        progress.carried_forward(doc, user, successors)


@pytest.mark.parametrize("kind, may", [("eqia", True), ("objective", False), ("team_plan", False),
                                       ("report", False), ("standard_cell", False)])
def test_may_create_is_the_kinds_creators(kind, may):
    assert policy.may_create(STAFF, kind) is may
    assert policy.may_create(None, kind) is False
