"""Reporting periods are financial years and their quarters."""
import datetime as dt

import pytest

from workflow import periods
from workflow.kinds.objective import progress_for


@pytest.mark.parametrize("code, first, last", [
    ("2007-08", dt.date(2007, 4, 1), dt.date(2008, 3, 31)),
    ("2007-08 Q1", dt.date(2007, 4, 1), dt.date(2007, 6, 30)),
    ("2007-08 Q3", dt.date(2007, 10, 1), dt.date(2007, 12, 31)),
    ("2007-08 Q4", dt.date(2008, 1, 1), dt.date(2008, 3, 31)),
    ("1999-00 Q2", dt.date(1999, 7, 1), dt.date(1999, 9, 30)),
])
def test_bounds_of_years_and_quarters(code, first, last):
    assert periods.bounds(code) == (first, last)
    assert periods.containing(last) == (code if " " in code else code + " Q4")


@pytest.mark.parametrize("bad", ["2007-09", "2007/08", "2007-08 Q5", "2007", "", None, 2007, "2007-08Q1",
                                 "9999-00", "9999-00 Q4", "1899-00", "2200-01", "0000-01", "2007-08\n", "٢٠٠٧-٠٨",
                                 "2007-08 Q٣", ["2007-08"]])
def test_invalid_period_codes_are_refused(bad):
    assert periods.parse(bad) is None
    assert periods.check("period", bad) == {
        "period": "Enter a financial year like 2007-08 or a quarter like 2007-08 Q3, from 1900-01 to 2199-00"}


@pytest.mark.parametrize("code", ["1900-01", "1900-01 Q1", "2199-00", "2199-00 Q4"])
def test_the_first_and_last_periods_in_range_are_accepted(code):
    first, last = periods.bounds(code)
    assert first < last


@pytest.mark.parametrize("stored", ["9999-00", "0000-01", None, 42, ["x"], "", "2007-08\n"])
def test_a_stored_code_out_of_range_sorts_and_labels_without_failing(stored):
    """Readers sort and label whatever a store holds: an unreadable code sorts first."""
    assert sorted(["2007-08", stored, "2006-07"], key=periods.sort_key, reverse=True)[-1] == stored
    assert isinstance(periods.label(stored), str)


def test_periods_sort_chronologically_with_the_year_after_its_quarters():
    codes = ["2007-08", "2008-09 Q1", "2007-08 Q4", "2006-07", "2007-08 Q1"]
    assert sorted(codes, key=periods.sort_key) == ["2006-07", "2007-08 Q1", "2007-08 Q4", "2007-08", "2008-09 Q1"]
    assert periods.label("2007-08 Q3") == "2007/08 Q3"


def test_a_plan_period_spans_whole_years_and_reads_as_the_2007_report_writes_it():
    code = periods.span_code(2004, 2006)
    assert code == "2004-05 to 2006-07" and periods.span(code) == (2004, 2006)
    assert periods.bounds(code) == (dt.date(2004, 4, 1), dt.date(2007, 3, 31))
    assert periods.label(code) == "2004 – 2007"
    assert periods.check_reportable("period", code) == {} and periods.reportable(code)
    assert periods.parse(code) is None  # progress is still entered per year or quarter, never per span
    assert sorted([code, "2006-07", "2007-08"], key=periods.sort_key) == ["2006-07", code, "2007-08"]


@pytest.mark.parametrize("bad", ["2006-07 to 2004-05", "2004-05 to 2004-05", "2004-05 Q1 to 2006-07",
                                 "2004-05 to 2006-07 Q4", "2004-05 to", "2004-05 to 2006-08", "2004-05  to 2006-07",
                                 "1899-00 to 1901-02", None, 2004])
def test_a_span_that_is_not_whole_years_in_order_is_refused(bad):
    assert periods.span(bad) is None and not periods.reportable(bad)
    assert "span of years like 2004-05 to 2006-07" in periods.check_reportable("period", bad)["period"]


def test_a_span_reports_each_objective_by_its_latest_progress_within_it():
    fields = {"progress": [{"period": "2005-06", "status": "red"}, {"period": "2006-07 Q2", "status": "amber"},
                           {"period": "2007-08", "status": "green"}]}
    assert progress_for(fields, "2004-05 to 2006-07")["status"] == "amber"
    assert progress_for(fields, "2004-05 to 2007-08")["status"] == "green"
