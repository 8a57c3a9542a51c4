"""A strategic objective's status is that of its weakest objective."""
from workflow.strategy import STRATEGIC_2004, roll_up


def test_roll_up_takes_the_weakest_status_and_counts_each():
    assert roll_up(["green", "amber_green", None, "green"]) == (
        "amber_green", {"red": 0, "amber": 0, "amber_green": 1, "green": 2})
    assert roll_up(["green", "red"])[0] == "red"
    assert roll_up([None]) == (None, {"red": 0, "amber": 0, "amber_green": 0, "green": 0})


def test_the_2007_report_numbers_nine_strategic_objectives():
    assert [number for number, _ in STRATEGIC_2004] == list(range(1, 10))


def test_a_year_without_its_own_entry_reports_by_its_latest_quarter():
    from workflow.kinds.objective import progress_for
    fields = {"progress": [{"period": "2007-08 Q1", "status": "red"}, {"period": "2007-08 Q3", "status": "amber"},
                           {"period": "2008-09 Q1", "status": "green"}]}
    assert progress_for(fields, "2007-08")["status"] == "amber"
    assert progress_for(fields, "2007-08 Q2") is None
    fields["progress"].append({"period": "2007-08", "status": "amber_green"})
    assert progress_for(fields, "2007-08")["status"] == "amber_green"
    assert progress_for(fields, "2007-08 Q1")["status"] == "red"
