"""The EqIA training register's domain: reading a CSV (with each bad row named by its
line), and the figures the Board is given, split staff and members as in the 2007
report ("71 MPA members of staff ... eight members in total")."""
import datetime as dt

import pytest

from workflow import reports, training
from workflow.errors import Invalid
from workflow.users import User

GOOD = """\ufeffName , Group, Course , Date, Team
Jane Smith,staff,EqIA,2006-05-01,Human Resources

  Bob Jones ,Board Member,Equality Impact Assessment,2007-01-15,
Amy Lee,STAFF,Recruitment and selection,2007-09-20,
"""


def test_a_good_file_gives_one_entry_per_row_tolerating_bom_spaces_case_and_blank_lines():
    entries, bad = training.parse(GOOD)
    assert bad == []
    assert entries == [
        {"name": "Jane Smith", "group": "staff", "course": "eqia", "date": "2006-05-01", "team": "Human Resources"},
        {"name": "Bob Jones", "group": "member", "course": "eqia", "date": "2007-01-15"},
        {"name": "Amy Lee", "group": "staff", "course": "Recruitment and selection", "date": "2007-09-20"},
    ]


def test_each_bad_row_is_reported_with_its_line_number_and_the_reason_in_words():
    text = ("name,group,course,date\n"
            "Jane Smith,staff,eqia,2006-05-01\n"
            ",staff,eqia,2006-05-01\n"
            "Bob Jones,visitor,eqia,2006-05-01\n"
            "\n"
            "Amy Lee,staff,eqia,May 2006\n"
            "Kim Wu,staff,,2006-02-30\n"
            "Lu Po,staff,eqia,2006-01-01,extra,cells\n")
    entries, bad = training.parse(text)
    assert [e["name"] for e in entries] == ["Jane Smith"]
    assert bad == ["Line 3: Enter the person's name",
                   "Line 4: Select staff or Board member",
                   "Line 6: Enter the date trained as a real date, for example 2007-03-31",
                   "Line 7: Enter the course: EqIA, or the name of the equality course. "
                   "Enter the date trained as a real date, for example 2007-03-31",
                   "Line 8: It has 6 values, but the first line names 4 columns"]


@pytest.mark.parametrize("text, reason", [
    ("", "The file is empty: the first line must name the columns name, group, course and date"),
    ("\n\n", "The file is empty: the first line must name the columns"),
    ("name,course,date\nJane,eqia,2006-01-01\n", "Line 1: The first line must name the columns name, group, course "
                                                 "and date (and may name team and post); it does not name group"),
])
def test_a_file_without_its_header_is_refused_as_a_whole(text, reason):
    entries, bad = training.parse(text)
    assert entries == [] and len(bad) == 1 and bad[0].startswith(reason)


def test_check_names_each_bad_field_for_the_form():
    with pytest.raises(Invalid) as refused:
        training.check({"name": " ", "group": "board", "course": "eqia", "date": "2007"})
    assert set(refused.value.details) == {"name", "date"}


def test_the_key_is_the_same_for_the_same_person_course_and_day_however_typed():
    a = training.check({"name": "Jane  Smith", "group": "staff", "course": "EqIA", "date": "2006-05-01"})
    b = training.check({"name": "jane smith", "group": "member", "course": "eqia", "date": "2006-05-01",
                        "team": "HR"})
    c = {**a, "date": "2006-05-02"}
    assert training.key(a) == training.key(b) != training.key(c)


def entry(name, group="staff", course="eqia", date="2006-05-01"):
    return {"name": name, "group": group, "course": course, "date": date}


def test_figures_count_distinct_people_split_staff_and_members_by_the_date():
    entries = [entry("Jane Smith"), entry("jane  SMITH", date="2007-02-01"),  # one person trained twice
               entry("Bob Jones", "member", date="2007-01-15"),
               entry("Late Comer", date="2008-01-10"),  # after the date
               entry("Amy Lee", course="Recruitment and selection"),
               entry("Kim Wu", course="Recruitment and selection"),
               entry("Kim Wu", course="Disability awareness", date="2009-01-01")]
    assert training.figures(entries, dt.date(2007, 12, 6)) == {
        "as_of": "2007-12-06", "staff": 1, "members": 1, "courses": {"Recruitment and selection": 2}}
    assert training.figures(entries, "2009-01-01")["staff"] == 2


def test_the_2007_report_figures_71_staff_and_eight_members():
    entries = ([entry(f"Staff {n}") for n in range(71)] + [entry(f"Member {n}", "member") for n in range(8)]
               + [entry("Staff 0", date="2007-06-01")])  # a refresher does not count twice
    counted = training.figures(entries, dt.date(2007, 12, 6))
    assert (counted["staff"], counted["members"]) == (71, 8)


def test_the_report_counts_the_register_and_accounts_not_yet_in_it_once_each():
    register = [entry("jo"), entry("Bob Jones", "member", date="2007-01-15")]
    users = [{"name": "jo", "roles": ["staff"], "trained": "2006-05-01"},  # in the register too
             {"name": "board", "roles": ["eodb"], "trained": "2007-01-15"},  # only on the account
             {"name": "gone", "roles": ["staff"], "trained": "2006-01-01", "disabled": True}]
    assert reports.training_figures(users, dt.date(2007, 12, 6), register) == {
        "staff": 1, "members": 2, "as_of": "2007-12-06"}


def test_the_earliest_eqia_date_per_person_ignores_other_courses():
    entries = [entry("Jo", date="2007-01-01"), entry("jo", date="2006-01-01"),
               entry("jo", course="Recruitment", date="2005-01-01")]
    assert {who: first["date"] for who, first in training.earliest_eqia(entries).items()} == {"jo": "2006-01-01"}


def test_the_training_rule_counts_only_entries_someone_else_recorded():
    self_made = entry("hd", date="2006-01-01") | {"entered_by": "HD"}
    by_other = entry("hd", date="2007-01-01") | {"entered_by": "root"}
    assert training.earliest_eqia([self_made]) == {}
    assert training.earliest_eqia([self_made, by_other])["hd"]["date"] == "2007-01-01"


def test_an_account_date_its_holder_recorded_does_not_count_for_the_rule():
    record = {"name": "hd", "roles": ["head"], "trained": "2006-01-01"}
    assert User.from_record({**record, "trained_by": "hd"}).meets_training_rule() is False
    assert User.from_record({**record, "trained_by": "root"}).meets_training_rule() is True


def test_an_entry_in_ones_own_name_or_dated_after_today_is_refused():
    values = {"name": " Jo  SMITH ", "group": "staff", "course": "eqia", "date": "2006-01-01"}
    with pytest.raises(Invalid) as refused:
        training.check(values, entered_by="jo smith")
    assert refused.value.details["name"] == "Someone else must record your training: you cannot record your own"
    today = dt.date(2007, 3, 1)
    with pytest.raises(Invalid) as refused:
        training.check({**values, "date": "2007-03-02"}, entered_by="root", today=today)
    assert refused.value.details["date"].startswith("The date trained must be today or earlier")
    assert training.check({**values, "date": "2007-03-01"}, entered_by="root", today=today)["entered_by"] == "root"
    assert training.date_errors("2007-W01-1") == {"date": "Enter the date trained as a real date, "
                                                          "for example 2007-03-31"}
