"""The plan as a record: its cycle over its period, its reviews, its successor and the objectives it owns."""
import datetime as dt

import pytest

from workflow import cycle, kinds, periods, plans
from workflow.kinds import plan_review, plan_succession

TODAY = dt.date(2026, 12, 5)
OLD = plans.FIRST


def approved(doc_id, kind, title, fields, at="2007-06-20"):
    """A document as the Board sees it once signed off (workflow.reports.seen_by_board)."""
    return {"id": doc_id, "kind": kind, "title": title, "state": "approved", "fields": fields, "approved_at": at}


def review(doc_id="50", due="2005-05-01", plan="cep-2004", state="approved"):
    rows = [{"factor": factor, "rating": "partly_met", "evidence": "Seen in the 2007 report."} for factor in OLD.factors]
    return {**approved(doc_id, "plan_review", "Review", {"plan": plan, "due": due, "assessments": rows}),
            "state": state}


def succession(doc_id="60", plan="cep-2004", carried=(), adopted_on="2007-06-01", at="2007-06-20"):
    return approved(doc_id, "plan_succession", "Generic Equalities Scheme 2007", {
        "plan": plan, "first_year": "2007-08", "last_year": "2009-10", "adopted_by": plans.EODB,
        "adopted_on": adopted_on, "factors": ["Every team reports its equality outcomes"], "carried": list(carried)},
        at)


def objective(doc_id, created="2005-01-10T10:00:00+00:00", disposition=None):
    fields = {"action": "An action"} | ({"disposition": disposition} if disposition else {})
    return {"id": doc_id, "kind": "objective", "state": "approved", "created_at": created, "fields": fields}


def by_key(items):
    return {item.key: item.status for item in items}


def test_the_2004_plan_has_its_period_adopters_and_four_critical_success_factors():
    assert (OLD.title, OLD.period, OLD.adopted_by, OLD.adopted_on) == (
        "Corporate Equality Plan 2004", "2004 – 2007", plans.EODB, dt.date(2004, 5, 1))
    assert len(OLD.factors) == 4 and OLD.factors[3].startswith("There is an effective internal infrastructure")


def test_a_plan_owes_the_reports_of_its_period_then_its_final_review_not_twenty_years_of_quarters():
    items = plans.plan_cycle(OLD, TODAY, set())
    reports = [item for item in items if item.periods]
    assert max(periods_end(item) for item in reports) == dt.date(2007, 3, 31)
    assert [item.key for item in items if item.key.startswith("review:")] == ["review:2005-05-01"]
    assert by_key(items)["succession:cep-2004"] == cycle.OVERDUE
    assert len(cycle.overdue(items)) == 23  # 12 quarterly, 6 six-monthly, 3 annual, the review, the successor


def periods_end(item):
    return max(periods.bounds(code)[1] for code in item.periods)


def test_an_approved_review_counts_its_review_done_and_a_draft_does_not():
    found = plans.all_plans([review()])
    assert by_key(plans.full_cycle(found, TODAY, set(), [review()]))["review:2005-05-01"] == cycle.DONE
    draft = [review(state="assessed")]
    assert by_key(plans.full_cycle(plans.all_plans(draft), TODAY, set(), draft))["review:2005-05-01"] == cycle.OVERDUE


def test_after_its_review_and_its_successor_nothing_of_the_old_plan_is_overdue():
    seen = [review(), succession()]
    found = plans.all_plans(seen)
    items = plans.full_cycle(found, TODAY, {"2004-05 Q1"}, seen)
    old = [item for item in items if item.due < dt.date(2007, 7, 1)]
    assert old and not [item for item in old if item.status in (cycle.DUE, cycle.OVERDUE)]
    assert by_key(items)["quarterly:2004-05 Q1"] == cycle.DONE  # what was done stays done
    assert by_key(items)["annual:2006-07"] == cycle.CLOSED
    assert by_key(items)["succession:cep-2004"] == cycle.DONE
    # The successor's cycle starts with the first period ending after its adoption.
    assert by_key(items)["quarterly:2007-08 Q1"] == cycle.OVERDUE
    assert not cycle.needing_attention([item for item in items if item.due < dt.date(2007, 7, 1)], TODAY)


def test_a_successor_is_a_plan_of_its_own_and_ends_the_one_it_replaces():
    old, new = plans.all_plans([succession()])
    assert (old.ended_on, old.successor) == (dt.date(2007, 6, 1), "plan-60")
    assert (new.title, new.period, new.supersedes, plans.current([old, new])) == (
        "Generic Equalities Scheme 2007", "2007 – 2010", "cep-2004", new)


def test_only_the_first_signed_off_succession_of_a_plan_counts():
    later = {**succession("61", at="2008-01-01"), "title": "Another scheme"}
    assert [plan.title for plan in plans.all_plans([later, succession()])] == [
        OLD.title, "Generic Equalities Scheme 2007"]


def test_open_objectives_are_carried_into_the_successor_and_achieved_ones_stay():
    objectives = [objective("1"), objective("2", disposition="achieved"), objective("3", created="2008-01-01")]
    found = plans.all_plans([])
    assert plans.to_carry(OLD, found, objectives, []) == ["1", "3"]  # before any successor, all are the old plan's
    seen = [succession(carried=["1"])]
    found = plans.all_plans(seen)
    assert [doc["id"] for doc in plans.objectives_of(found[0], found, objectives, seen)] == ["2"]
    # Written after the successor was adopted, an objective is the successor's.
    assert [doc["id"] for doc in plans.objectives_of(found[1], found, objectives, seen)] == ["1", "3"]


def test_a_superseded_plan_cannot_be_superseded_again_nor_by_an_earlier_plan():
    found = plans.all_plans([succession()])
    assert plans.succession_errors(found[0], {"adopted_on": "2008-01-01"}) == {
        "plan": "The Corporate Equality Plan 2004 has already been superseded"}
    errors = plans.succession_errors(OLD, {"adopted_on": "2004-01-01", "first_year": "2003-04"})
    assert set(errors) == {"adopted_on", "first_year"}
    assert plans.succession_errors(None, {}) == {"plan": "Select a plan that exists"}


def test_only_a_review_the_plan_owes_and_has_not_recorded_can_be_recorded():
    assert plans.review_errors(OLD, "2005-05-01", TODAY, []) == {}
    assert "due" in plans.review_errors(OLD, "2005-05-01", TODAY, [review()])
    assert "due" in plans.review_errors(OLD, "2008-05-01", TODAY, [])  # after the plan's period


@pytest.mark.parametrize("kind, fields, field", [
    (plan_review, {"assessments": [{"factor": "a", "rating": "mostly"}]}, "assessments.0.rating"),
    (plan_review, {"due": "2005-02-30"}, "due"),
    (plan_succession, {"first_year": "2007-08 Q1"}, "first_year"),
    (plan_succession, {"first_year": "2009-10", "last_year": "2007-08"}, "last_year"),
    (plan_succession, {"carried": ["x"]}, "carried.0"),
])
def test_the_kinds_refuse_what_is_no_answer(kind, fields, field):
    assert field in kind.validate(fields)


def test_a_review_is_submitted_only_with_every_factor_rated_and_evidenced():
    fields = review()["fields"]
    assert plan_review.submission_gaps(fields) == []
    fields["assessments"][2] = {"factor": "c"}
    assert [gap.field for gap in plan_review.submission_gaps(fields)] == ["assessments.2.rating",
                                                                            "assessments.2.evidence"]


def test_the_document_kinds_are_registered_and_made_by_the_head():
    assert kinds.get("plan_review") is plan_review and kinds.get("plan_succession") is plan_succession
    assert plan_review.CREATORS == plan_succession.CREATORS == ("head",)
