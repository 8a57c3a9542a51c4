"""The actions bodies agree (workflow.actions) and the bodies themselves (workflow.bodies): pure rules."""
import datetime as dt

import pytest

from workflow import actions, bodies, reports
from workflow.errors import Forbidden, Invalid, StateConflict
from workflow.users import User

HR, PP = "Human Resources", "Planning & Performance"
TEAMS = (HR, PP)
HEAD = User("head", frozenset({"head"}))
HR_LEAD = User("hr_lead", frozenset({"team_leader"}), frozenset({HR}))
PP_LEAD = User("pp_lead", frozenset({"team_leader"}), frozenset({PP}))


def meeting(id_, date, body=None):
    return {"id": id_, "date": date, "items": [], "decisions": [], **({"body": body} if body else {})}


def action(id_, at_meeting, due, team=HR, done_at=None):
    made = actions.agreed([{"what": f"Action {id_}", "team": team, "due": due}], at_meeting,
                          {"document": "7", "number": 13, "title": "Progress report"}, HEAD, "2007-12-06T10:00:00Z")[0]
    return {**made, "id": id_, "version": 1,
            "done": {"note": "Done.", "by": "hr_lead", "at": f"{done_at}T09:00:00Z"} if done_at else None}


def test_an_action_comes_back_at_every_later_meeting_of_its_body_until_done_and_at_no_other_body():
    december, march, june = meeting("1", "2007-12-06"), meeting("3", "2008-03-06"), meeting("5", "2008-06-05")
    smt = meeting("4", "2008-04-01", bodies.SMT)
    every = [december, march, june, smt]
    training = action("10", december, "2008-02-01", done_at="2008-05-01")
    assert actions.matters_arising(december, every, [training]) == []
    assert actions.matters_arising(march, every, [training]) == [training]
    assert actions.matters_arising(smt, every, [training]) == []
    assert actions.matters_arising(june, every, [training]) == []  # done on 1 May: not brought back in June
    same_day = meeting("2", "2007-12-06")  # a later meeting the same day comes after the one that agreed it
    assert actions.matters_arising(same_day, [*every, same_day], [training]) == [training]


def test_on_my_work_the_owner_teams_leaders_and_the_head_see_open_actions_due_within_two_weeks_or_overdue():
    at = meeting("1", "2007-12-06")
    today = dt.date(2008, 1, 10)
    overdue, soon, later = action("1", at, "2008-01-02"), action("2", at, "2008-01-24"), action("3", at, "2008-01-25")
    finished, theirs = action("4", at, "2008-01-05", done_at="2008-01-04"), action("5", at, "2008-01-11", team=PP)
    every = [later, theirs, soon, finished, overdue]
    assert [a["id"] for a in actions.due_for(every, HR_LEAD, today)] == ["1", "2"]
    assert [a["id"] for a in actions.due_for(every, PP_LEAD, today)] == ["5"]
    assert [a["id"] for a in actions.due_for(every, HEAD, today)] == ["1", "5", "2"]
    assert actions.due_for(every, User("board", frozenset({"eodb"})), today) == []


def test_the_progress_report_lists_the_actions_open_during_its_period_and_what_was_done_by_its_end():
    at = meeting("1", "2007-12-06")
    done_before = action("1", at, "2008-01-01", done_at="2007-12-20")
    done_within = action("2", at, "2008-03-01", done_at="2008-05-10")
    done_after = action("3", at, "2008-06-01", done_at="2008-08-01")
    still_open = action("4", at, "2008-09-01")
    agreed_after = action("5", meeting("9", "2008-07-01"), "2008-09-01")
    quarter = actions.for_report([done_before, done_within, done_after, still_open, agreed_after], "2007-08 Q4")
    # January to March 2008: the one done in December is left out; none was done by the end of March.
    assert [(r["what"], r["done"]) for r in quarter] == [("Action 2", None), ("Action 3", None), ("Action 4", None)]
    year = actions.for_report([done_before, done_within, done_after, still_open, agreed_after], "2008-09")
    assert [(r["what"], r["done"], r["note"]) for r in year] == [
        ("Action 2", "2008-05-10", "Done."), ("Action 3", "2008-08-01", "Done."), ("Action 4", None, None),
        ("Action 5", None, None)]
    fields = {"period": "2008-09", "board_actions": year}
    headings = [b["text"] for b in reports.blocks("Report", fields) if b["type"] == "heading"]
    assert actions.REPORT_HEADING in headings
    assert headings.index(actions.REPORT_HEADING) < headings.index("C. Race and equality impact")
    table = next(b for b in reports.blocks("Report", fields) if b.get("caption", "").startswith("Actions agreed"))
    assert table["rows"][0] == ["Action 2", HR, "6 December 2007", "1 March 2008", "10 May 2008: Done."]
    assert actions.REPORT_HEADING not in [b.get("text") for b in reports.blocks("Report", {"period": "2008-09"})]


def test_marking_done_needs_the_owner_teams_leader_or_the_head_a_note_and_an_open_action():
    training = action("1", meeting("1", "2007-12-06"), "2008-02-01")
    with pytest.raises(Forbidden):
        actions.complete(training, PP_LEAD, "Done")
    with pytest.raises(Invalid) as refused:
        actions.complete(training, HR_LEAD, " \n")
    assert set(refused.value.details) == {"note"}
    done = actions.complete(training, HR_LEAD, " All trained. ", at="2008-01-20T10:00:00Z")
    assert done["done"] == {"note": "All trained.", "by": "hr_lead", "at": "2008-01-20T10:00:00Z"}
    assert [step["what"] for step in done["history"]] == ["agreed", "done"]
    assert training["done"] is None  # the action given is left as it was
    with pytest.raises(StateConflict):
        actions.complete(done, HEAD, "Again")


def test_bodies_are_renamed_and_added_never_removed_each_with_a_name_of_its_own():
    names = bodies.renamed(bodies.DEFAULT, {bodies.SMT: " Management Board ", "nobody": "ignored"},
                           "Race Equality Staff Forum")
    assert names == {**bodies.DEFAULT, bodies.SMT: "Management Board",
                     "race_equality_staff_forum": "Race Equality Staff Forum"}
    again = bodies.renamed(names, {}, "Race equality staff forum!")
    assert list(again)[-1] == "race_equality_staff_forum_2"
    for given, added, path in (({bodies.EODB: " "}, None, f"name.{bodies.EODB}"),
                               ({bodies.SMT: "Full Authority"}, None, f"name.{bodies.SMT}"),
                               ({}, "full authority", "added"),
                               ({bodies.EODB: "EODB\nBoard"}, None, f"name.{bodies.EODB}")):
        with pytest.raises(Invalid) as refused:
            bodies.renamed(bodies.DEFAULT, given, added)
        assert set(refused.value.details) == {path}, (given, added)
    assert bodies.of({"date": "2007-12-06"}) == bodies.EODB
