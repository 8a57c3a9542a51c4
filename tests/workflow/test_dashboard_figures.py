"""The dashboard's figures: statuses per period by heading, theme and team, and the strategic roll-up."""
import datetime as dt

from workflow.dashboard import (
    distribution,
    overdue_counts,
    period_choices,
    totals,
    trend,
)
from workflow.deadlines import overdue
from workflow.kinds.objective import HEADINGS

HR, PP = "Human Resources", "Planning & Performance"


def objective(id, progress=(), team=HR, heading=HEADINGS[0], theme="Accountability", **fields):
    return {"id": str(id), "kind": "objective", "title": f"Objective {id}", "team": team, "state": "approved",
            "fields": {"heading": heading, "theme": theme,
                       "progress": [{"period": p, "status": s} for p, s in progress], **fields}}


def counts(groups):
    return {g.label: {k: v for k, v in g.counts.items() if v} for g in groups}


def test_each_objective_counts_with_its_status_for_exactly_that_period():
    docs = [objective(1, [("2007-08 Q2", "red"), ("2007-08 Q3", "amber")]),
            objective(2, [("2007-08 Q3", "green")], team=PP, heading=HEADINGS[3]),
            objective(3, [("2007-08 Q2", "green")], theme="Corporate Commitment")]
    assert counts(distribution(docs, "2007-08 Q3", "team")) == {HR: {"amber": 1, "none": 1}, PP: {"green": 1}}
    assert counts(distribution(docs, "2007-08 Q2", "heading")) == {HEADINGS[0]: {"red": 1, "green": 1},
                                                                    HEADINGS[3]: {"none": 1}}
    assert counts(distribution(docs, "2007-08 Q3", "theme")) == {"Accountability": {"amber": 1, "green": 1},
                                                                  "Corporate Commitment": {"none": 1}}


def test_headings_keep_the_plans_order_and_totals_add_up():
    docs = [objective(1, [("2007-08", "red")], heading=HEADINGS[5]), objective(2, [("2007-08", "red")])]
    groups = distribution(docs, "2007-08", "heading")
    assert [g.label for g in groups] == [HEADINGS[0], HEADINGS[5]]
    assert totals(groups).counts["red"] == 2 and totals(groups).total == 2


def test_closed_objectives_count_only_where_they_reported():
    docs = [objective(1, [("2007-08 Q2", "green")], disposition="achieved"), objective(2, disposition="superseded"),
            objective(3)]
    assert counts(distribution(docs, "2007-08 Q2", "team")) == {HR: {"green": 1, "none": 1}}
    assert counts(distribution(docs, "2007-08 Q3", "team")) == {HR: {"none": 1}}


def test_periods_come_from_progress_and_the_reporting_periods_in_order():
    docs = [objective(1, [("2007-08", "red"), ("2007-08 Q3", "amber")]), objective(2, [("2006-07", "red")])]
    assert period_choices(docs, ["2008-09 Q1", "2007-08 Q3"]) == ["2006-07", "2007-08 Q3", "2007-08", "2008-09 Q1"]


def test_a_strategic_objective_takes_its_weakest_objectives_status_in_each_period():
    docs = [objective(1, [("2007-08 Q2", "green"), ("2007-08 Q3", "amber")], strategic=1),
            objective(2, [("2007-08 Q2", "red"), ("2007-08 Q3", "green")], strategic=1),
            objective(3, [("2007-08 Q2", "amber_green")], strategic=4)]
    rows = trend(docs, ["2007-08 Q2", "2007-08 Q3"], [{"number": 1, "title": "Race Equality Scheme"},
                                                       {"number": 2, "title": "Best Value"}])
    assert [(r.number, r.title, r.statuses) for r in rows] == [
        (1, "Race Equality Scheme", ("red", "amber")),
        (2, "Best Value", (None, None)),
        (4, "Strategic objective 4", ("amber_green", None))]
    assert rows[0].counts[0] == {"red": 1, "amber": 0, "amber_green": 0, "green": 1}


def test_overdue_counts_per_team():
    docs = [objective(1, [("2007-08 Q3", "red")], deadline="2007-12"),
            objective(2, [("2007-08 Q3", "red")], deadline="2007-12", team=PP),
            {"id": "3", "kind": "eqia", "title": "EqIA", "team": PP, "state": "approved", "fields": {
                "full_assessment": {"mitigations": [{"deadline": "2007-12-01", "done": False}]}}}]
    found = overdue_counts(overdue(docs, dt.date(2008, 3, 10)))
    assert [(g.label, g.counts) for g in found] == [(HR, {"objectives": 1, "mitigations": 0}),
                                                    (PP, {"objectives": 1, "mitigations": 1})]
