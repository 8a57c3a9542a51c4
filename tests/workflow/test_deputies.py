"""A deputy approver named by a Head signs off, within the dates named, what a Head may sign
off, under the same rules, and each such sign-off says so (workflow.deputies, machine)."""
import datetime as dt

import pytest

from tests.conftest import HR, RDU, complete_eqia
from workflow import deputies, documents, machine, policy
from workflow.errors import Forbidden, Invalid, NotFound, Unmet
from workflow.users import User

HEAD = User("head", frozenset({"head", "staff"}), frozenset({RDU}), trained="2006-01-01")
HR_STAFF = User("hr_staff", frozenset({"staff"}), frozenset({HR}))
HR_LEAD = User("hr_lead", frozenset({"team_leader"}), frozenset({HR}), trained="2006-05-10")
RDU_STAFF = User("rdu_staff", frozenset({"staff"}), frozenset({RDU}))


def day(offset):
    return (deputies.today() + dt.timedelta(days=offset)).isoformat()  # now, not at import: a run may cross midnight


def deputy(start=-1, end=1, name="dee", trained="2006-02-01", named_by="head"):
    """`name`, staff of Planning, named deputy by `named_by` from today+`start` to today+`end`."""
    return User(name, frozenset({"staff"}), frozenset({"Planning & Performance"}), trained=trained,
                deputy=deputies.Deputy("1", named_by, day(start), day(end)))


def submitted(writer=HR_STAFF, team=HR, **changes):
    doc, _ = documents.create(writer, "eqia", "Recruitment EqIA", team, complete_eqia())
    doc.update({"id": "1", "version": 1, "state": "assessed", "submitter": HR_LEAD.name, **changes})
    return doc


def test_a_deputy_within_the_dates_signs_off_and_the_sign_off_says_as_whose_deputy():
    doc = submitted()
    assert policy.view(doc, deputy()) is not None  # they see what awaits their sign-off
    approved, entry = documents.transition(doc, deputy(), "approve")
    recorded = {"for": deputies.ACTING_FOR, "named_by": "head", "from": day(-1), "to": day(1)}
    assert approved["published"]["approved_by"] == "dee" and approved["published"]["as_deputy"] == recorded
    assert entry["as_deputy"] == recorded


def test_the_words_of_a_deputys_sign_off_name_who_named_them_and_when():
    recorded = {"for": deputies.ACTING_FOR, "named_by": "kim", "from": "2026-12-01", "to": "2026-12-14"}
    assert deputies.signed_as(recorded) == \
        "as deputy for the Head of Race and Diversity (named by kim, 1–14 December 2026)"
    assert deputies.span("2026-11-30", "2027-01-02") == "30 November 2026 – 2 January 2027"


@pytest.mark.parametrize("start, end", [(1, 3), (-5, -1)])
def test_a_deputy_outside_the_dates_named_signs_off_nothing_nor_sees_it(start, end):
    outside = deputy(start, end)
    doc = submitted()
    assert policy.view(doc, outside) is None
    with pytest.raises(NotFound):  # not theirs to see, so absent
        documents.transition(doc, outside, "approve")
    assert "approve" not in policy.actions(doc, outside)


def test_the_first_and_last_days_are_included():
    assert "approve" in policy.actions(submitted(), deputy(0, 0))


@pytest.mark.parametrize("changes", [{"author": "dee"}, {"submitter": "dee"}, {machine.CONTRIBUTORS: ["dee"]}])
def test_a_deputy_is_held_to_the_approvers_rules(changes):
    with pytest.raises(Unmet):
        documents.transition(submitted(**changes), deputy(), "approve")


def test_an_untrained_deputy_signs_off_nothing_while_the_rule_holds():
    with pytest.raises(Unmet):
        documents.transition(submitted(), deputy(trained=None), "approve")


def test_a_deputy_does_not_sign_off_the_work_of_the_head_who_named_them():
    heads_work = submitted(writer=HEAD, team=RDU)
    assert "approve" not in policy.actions(heads_work, deputy())
    assert "approve" in policy.actions(heads_work, deputy(named_by="another_head"))


def test_a_deputy_sees_no_draft_of_another_team():
    doc = {**submitted(), "state": "draft"}
    assert policy.view(doc, deputy()) is None


def test_a_head_signing_off_records_no_deputy_even_if_also_named():
    both = User("head2", frozenset({"head"}), trained="2006-01-01",
                deputy=deputies.Deputy("1", "head", day(-1), day(1)))
    approved, entry = documents.transition(submitted(), both, "approve")
    assert "as_deputy" not in approved["published"] and "as_deputy" not in entry


PERSON = User("pat", frozenset({"staff"}), frozenset({HR}), trained="2006-02-01")


@pytest.mark.parametrize("person, start, end, field", [
    (None, day(0), day(3), "person"),
    (HEAD, day(0), day(3), "person"),  # themself
    (User("pat", frozenset({"staff"})), day(0), day(3), "person"),  # untrained
    (User("pat", frozenset({"eodb"}), trained="2006-01-01"), day(0), day(3), "person"),
    (User("kim", frozenset({"head"}), trained="2006-01-01"), day(0), day(3), "person"),
    (PERSON, "1 December", day(3), "from"),
    (PERSON, day(0), "2026-02-30", "to"),
    (PERSON, day(3), day(1), "to"),
    (PERSON, day(-9), day(-1), "to"),
])
def test_a_head_names_only_a_trained_other_person_for_real_dates(person, start, end, field):
    with pytest.raises(Invalid) as refused:
        deputies.check_naming(HEAD, person, start, end, deputies.today())
    assert field in refused.value.details


def test_only_a_head_names_a_deputy_or_ends_a_naming():
    with pytest.raises(Forbidden):
        deputies.check_naming(HR_LEAD, PERSON, day(0), day(3), deputies.today())
    with pytest.raises(Forbidden):
        deputies.check_ending(HR_LEAD, {"ended_at": None})
    deputies.check_naming(HEAD, PERSON, day(0), day(3), deputies.today())  # a Head may


def test_a_board_member_given_the_role_after_being_named_sees_and_signs_off_nothing():
    board = User("dee", frozenset({"eodb"}), trained="2006-02-01", deputy=deputies.Deputy("1", "head", day(-1), day(1)))
    doc = submitted()
    assert policy.view(doc, board) is None and "approve" not in policy.actions(doc, board)
