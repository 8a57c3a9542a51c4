"""The plan's reporting cycle: annual, quarterly, six-monthly reports and the plan's reviews."""
import datetime as dt

from workflow import bodies, cycle

TODAY = dt.date(2005, 8, 15)


def dues(items, kind):
    return [(item.key, item.due.isoformat()) for item in items if item.key.startswith(kind + ":")]


def test_the_plan_is_reviewed_after_its_first_year_then_every_three_years():
    items = cycle.cycle(dt.date(2011, 1, 1))
    assert [due for _, due in dues(items, "review")] == ["2005-05-01", "2008-05-01", "2011-05-01"]


def test_quarterly_reports_fall_due_a_month_after_each_quarter_from_adoption():
    assert dues(cycle.cycle(TODAY), "quarterly")[:5] == [
        ("quarterly:2004-05 Q1", "2004-07-31"), ("quarterly:2004-05 Q2", "2004-10-31"),
        ("quarterly:2004-05 Q3", "2005-01-31"), ("quarterly:2004-05 Q4", "2005-04-30"),
        ("quarterly:2005-06 Q1", "2005-07-31")]


def test_six_monthly_progress_to_staff_and_the_annual_report_to_the_board():
    items = cycle.cycle(TODAY)
    assert dues(items, "six_monthly")[:2] == [("six_monthly:2004-05 H1", "2004-10-31"),
                                              ("six_monthly:2004-05 H2", "2005-04-30")]
    [first_annual, *_] = [item for item in items if item.key.startswith("annual:")]
    assert (first_annual.key, first_annual.due) == ("annual:2004-05", dt.date(2005, 6, 30))
    assert first_annual.audience == "Equal Opportunities and Diversity Board first, then Full Authority"


def test_each_report_goes_to_the_bodies_the_plan_names_by_their_names_as_set():
    names = {**bodies.DEFAULT, bodies.SMT: "Management Board", bodies.STAFF_FORUMS: "the staff networks",
             bodies.AUTHORITY: "Authority meeting"}
    audiences = {item.key.split(":")[0]: item.audience for item in cycle.cycle(TODAY, names=names)}
    assert audiences["quarterly"] == "Management Board and Equal Opportunities and Diversity Board"
    assert audiences["six_monthly"] == "all staff and the staff networks"
    assert audiences["annual"] == "Equal Opportunities and Diversity Board first, then Authority meeting"


def test_nothing_falls_due_before_the_plan_was_adopted():
    items = cycle.cycle(dt.date(2004, 6, 1), adopted=dt.date(2004, 5, 1))
    assert all(item.due >= dt.date(2004, 5, 1) for item in items)
    later = cycle.cycle(TODAY, adopted=dt.date(2005, 2, 1))
    assert dues(later, "quarterly")[0] == ("quarterly:2004-05 Q4", "2005-04-30")


def test_an_approved_report_for_the_period_marks_it_done_and_the_rest_are_overdue_or_due():
    reports = [{"kind": "report", "state": "approved", "fields": {"period": "2004-05 Q1"}},
               {"kind": "report", "state": "reviewed", "fields": {"period": "2004-05"}},
               {"kind": "report", "state": "draft", "fields": {"period": "2004-05 Q2"}},
               {"kind": "objective", "state": "approved", "fields": {"period": "2004-05 Q3"}}]
    items = {item.key: item.status for item in cycle.cycle(TODAY, cycle.reported_periods(reports))}
    assert items["quarterly:2004-05 Q1"] == cycle.DONE
    assert items["quarterly:2004-05 Q2"] == cycle.OVERDUE  # only a draft
    assert items["quarterly:2004-05 Q3"] == cycle.OVERDUE  # not a report
    assert items["annual:2004-05"] == cycle.DONE
    assert items["six_monthly:2004-05 H2"] == cycle.DONE  # the annual report covers the second half
    assert items["quarterly:2005-06 Q2"] == cycle.DUE
    assert items["review:2005-05-01"] == cycle.OVERDUE


def test_a_recorded_plan_review_is_done():
    items = cycle.cycle(TODAY, reviews_done=("2005-05-01",))
    assert [item.status for item in items if item.key == "review:2005-05-01"] == [cycle.DONE]


def test_the_next_twelve_months_and_what_needs_attention():
    items = cycle.cycle(TODAY)
    ahead = cycle.upcoming(items, TODAY)
    assert ahead and all(TODAY <= item.due <= TODAY + dt.timedelta(days=366) for item in ahead)
    soon = cycle.needing_attention(items, TODAY)
    assert {item.status for item in soon} == {cycle.DUE, cycle.OVERDUE}
    assert all(item.due <= TODAY + cycle.SOON for item in soon)
