"""What is overdue: passed deadlines of open, unachieved objectives and of mitigation actions not done."""
import datetime as dt

from workflow.deadlines import by_team, deadline_passed, overdue
from workflow.users import User
from workflow.worklist import OVERDUE, count, work

HR, PP = "Human Resources", "Planning & Performance"
TODAY = dt.date(2008, 3, 10)


def objective(id, deadline, status=None, team=HR, **fields):
    progress = [{"period": "2007-08 Q3", "status": status}] if status else []
    return {"id": str(id), "kind": "objective", "title": f"Objective {id}", "team": team, "state": "approved",
            "fields": {"deadline": deadline, "progress": progress, **fields}}


def eqia(id, *mitigations, team=HR):
    return {"id": str(id), "kind": "eqia", "title": f"EqIA {id}", "team": team, "state": "approved",
            "fields": {"full_assessment": {"mitigations": [
                {"strand": "age", "action": f"action {i}", "owner": "HR", "deadline": deadline, "done": done}
                for i, (deadline, done) in enumerate(mitigations)]}}}


def test_a_date_deadline_passes_the_day_after():
    assert not deadline_passed("2008-03-10", TODAY)
    assert deadline_passed("2008-03-09", TODAY)


def test_a_month_deadline_passes_only_after_its_last_day():
    assert not deadline_passed("2008-03", TODAY)
    assert not deadline_passed("2008-02", dt.date(2008, 2, 29))  # a leap year's February
    assert deadline_passed("2008-02", dt.date(2008, 3, 1))


def test_ongoing_and_missing_or_malformed_deadlines_never_pass():
    for deadline in ("Ongoing", None, "", "2008-13", "soon"):
        assert not deadline_passed(deadline, TODAY)


def test_an_objective_is_overdue_past_its_deadline_unless_green():
    docs = [objective(1, "2007-12", "amber"), objective(2, "2007-12", "green"), objective(3, "2007-12"),
            objective(4, "2008-03", "red"), objective(5, "Ongoing", "red")]
    found = overdue(docs, TODAY)
    assert [(i.doc_id, i.status) for i in found] == [("1", "amber"), ("3", "none")]
    assert (found[0].team, found[0].title, found[0].deadline) == (HR, "Objective 1", "2007-12")


def test_the_latest_report_decides_whether_an_objective_is_achieved():
    doc = objective(1, "2007-06")
    doc["fields"]["progress"] = [{"period": "2007-08", "status": "green"}, {"period": "2007-08 Q2", "status": "red"}]
    assert overdue([doc], TODAY) == []  # the whole year's report comes after its quarters': green
    doc["fields"]["progress"] = [{"period": "2007-08 Q2", "status": "green"}, {"period": "2007-08 Q3", "status": "amber"}]
    assert [i.status for i in overdue([doc], TODAY)] == ["amber"]


def test_closed_objectives_are_not_overdue():
    docs = [objective(n, "2007-01", "red", disposition=d)
            for n, d in enumerate(("achieved", "superseded", "carried_forward", "open"))]
    assert [i.doc_id for i in overdue(docs, TODAY)] == ["3"]


def test_mitigation_actions_past_their_deadline_and_not_done_are_overdue():
    found = overdue([eqia(1, ("2008-01", False), ("2008-01", True), ("2008-03", False), ("Ongoing", False))], TODAY)
    assert [(i.kind, i.action, i.status, i.deadline) for i in found] == [("mitigation", "action 0", "not_done", "2008-01")]


def test_overdue_items_are_grouped_per_team():
    docs = [objective(1, "2007-01", "red", team=PP), objective(2, "2007-02", "amber"),
            eqia(3, ("2007-05-01", False), ("2007-06-01", False))]
    teams = by_team(overdue(docs, TODAY))
    assert [(t.team, len(t.objectives), len(t.mitigations), t.total) for t in teams] == [(HR, 1, 2, 3), (PP, 1, 0, 1)]


def test_my_work_lists_overdue_items_for_the_head_and_a_leaders_own_teams_without_counting_them():
    head = User("head", frozenset({"head"}), frozenset({"Race & Diversity Unit"}))
    hr_lead = User("hr_lead", frozenset({"team_leader"}), frozenset({HR}))
    docs = [{**doc, "author": "someone", "version": 1, "revision": 1, "published": None}
            for doc in (objective(1, "2007-01", "red"), objective(2, "2007-01", "red", team=PP))]
    for user, expected in ((head, ["1", "2"]), (hr_lead, ["1"])):
        sections = work(docs, user, today=TODAY).sections
        [listed] = [s for s in sections if s.key == OVERDUE]
        assert [item.doc_id for item in listed.items] == expected
        assert count(sections) == 0
