"""Partners and contractors (workflow.partners): what they and their checks must hold, when the
next check falls due, who sees it on My work, and the progress report's counts. Pure."""
import datetime as dt

import pytest

from workflow import partners, reports
from workflow.errors import Invalid
from workflow.users import User

HR, PP = "Human Resources", "Planning & Performance"
TEAMS = (HR, PP)
HEAD = User("head", frozenset({"head"}))
HR_STAFF = User("hr_staff", frozenset({"staff"}), frozenset({HR}))
PP_LEAD = User("pp_lead", frozenset({"team_leader"}), frozenset({PP}))
BOARD = User("board", frozenset({"eodb"}), frozenset({HR}))
TODAY = dt.date(2008, 3, 1)


def partner(id_, team=HR, start=None, end=None, checks=(), added="2007-01-10"):
    made = {"id": id_, "name": f"Partner {id_}", "provides": "Cleaning", "team": team, "contract_start": start,
            "contract_end": end, "checks": [], "added_by": "hr_staff", "added_at": f"{added}T09:00:00+00:00"}
    for date, outcome, next_due in checks:
        made = partners.with_check(made, {"date": date, "outcome": outcome, "note": None, "next_due": next_due},
                                   "hr_staff", f"{date}T12:00:00+00:00")
    return made


def test_the_next_check_is_due_when_the_latest_check_says_or_from_the_contracts_start_and_never_after_its_end():
    assert partners.next_due(partner("1", start="2007-04-01")) == "2007-04-01"
    assert partners.next_due(partner("2")) == "2007-01-10"  # no start given: from the day it was added
    checked = partner("3", checks=[("2007-06-01", "actions_agreed", "2007-09-01"),
                                   ("2007-02-01", "compliant", "2008-02-01")])  # recorded out of order
    assert partners.next_due(checked) == "2007-09-01"
    assert partners.next_due(checked, on="2007-05-01") == "2008-02-01"  # as known before the June check
    assert partners.next_due(partner("4", checks=[("2007-06-01", "compliant", None)])) is None
    assert partners.next_due(partner("5", end="2007-12-31", checks=[("2007-06-01", "compliant", "2008-06-01")])) is None


def test_my_work_lists_checks_due_within_30_days_or_overdue_for_the_owner_team_and_the_head_only():
    overdue = partner("1", checks=[("2007-06-01", "not_compliant", "2008-02-01")])
    soon = partner("2", checks=[("2007-06-01", "compliant", "2008-03-31")])  # 30 days from 1 March
    later = partner("3", checks=[("2007-06-01", "compliant", "2008-04-01")])
    other_team = partner("4", team=PP, checks=[("2007-06-01", "compliant", "2008-02-15")])
    every = [later, soon, overdue, other_team]
    assert [(i["partner"]["id"], i["overdue"]) for i in partners.due_for(every, HR_STAFF, TODAY)] == [
        ("1", True), ("2", False)]
    assert [i["partner"]["id"] for i in partners.due_for(every, HEAD, TODAY)] == ["1", "4", "2"]
    assert [i["partner"]["id"] for i in partners.due_for(every, PP_LEAD, TODAY)] == ["4"]
    assert partners.due_for(every, BOARD, TODAY) == []  # listed in HR, but no one who keeps contracts


def test_the_report_counts_the_periods_checks_by_outcome_and_the_checks_overdue_at_its_date():
    every = [partner("1", checks=[("2007-04-01", "compliant", "2007-10-01"), ("2007-11-01", "actions_agreed",
                                                                           "2008-02-01")]),
             partner("2", checks=[("2007-03-31", "not_compliant", "2007-06-30")]),  # done before 2007-08
             partner("3", checks=[("2008-03-31", "not_compliant", "2008-09-30")]),
             partner("4", added="2008-04-02"),  # added after the report's date, no contract start: not counted
             partner("5", start="2008-01-01", added="2026-12-01")]  # added since, its contract running: overdue
    counts = partners.for_report(every, "2007-08", "2008-03-31")
    # Overdue on 31 March 2008: 1 (due 1 Feb), 2 (due 30 June 2007) and 5 (never checked); 3 was checked that day.
    assert counts == {"compliant": 1, "actions_agreed": 1, "not_compliant": 1, "overdue": 3, "as_of": "2008-03-31"}
    assert partners.for_report([], "2007-08", "2008-03-31") is None


def test_the_progress_report_shows_the_counts_in_a_section_of_its_own_only_when_partners_are_kept():
    fields = {"period": "2007-08", "partner_checks": {"compliant": 3, "actions_agreed": 1, "not_compliant": 2,
                                                      "overdue": 4, "as_of": "2008-03-31"}}
    text = reports.to_markdown("Report", fields)
    assert f"### {partners.REPORT_HEADING}" in text
    assert "| Compliant | 3 |" in text and "| Not compliant | 2 |" in text and "| All checks | 6 |" in text
    assert "Checks overdue on 31 March 2008: 4." in text
    assert partners.REPORT_HEADING not in reports.to_markdown("Report", {"period": "2007-08"})


@pytest.mark.parametrize("given, field", [
    ({"name": ""}, "name"), ({"name": "a\nb"}, "name"), ({"provides": " "}, "provides"), ({"team": "Nobody"}, "team"),
    ({"contract_start": "1 April 2007"}, "contract_start"), ({"contract_end": "2007-02-30"}, "contract_end"),
    ({"contract_start": "2007-04-01", "contract_end": "2007-03-31"}, "contract_end")])
def test_a_partner_with_a_bad_input_is_refused_naming_it(given, field):
    good = {"name": "Acme Cleaning", "provides": "Office cleaning", "team": HR}
    assert partners.checked(good, TEAMS)["contract_start"] is None
    with pytest.raises(Invalid) as refused:
        partners.checked({**good, **given}, TEAMS)
    assert field in refused.value.details


@pytest.mark.parametrize("given, field", [
    ({"date": ""}, "date"), ({"date": "2008-03-02"}, "date"), ({"outcome": "fine"}, "outcome"),
    ({"next_due": "2008-02-01"}, "next_due"), ({"next_due": "soon"}, "next_due"), ({"note": "x" * 2001}, "note")])
def test_a_check_with_a_bad_input_is_refused_naming_it(given, field):
    good = {"date": "2008-02-01", "outcome": "compliant", "next_due": "2009-02-01"}
    assert partners.checked_check(good, TODAY)["note"] is None
    with pytest.raises(Invalid) as refused:
        partners.checked_check({**good, **given}, TODAY)
    assert field in refused.value.details
