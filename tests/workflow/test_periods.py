"""Reporting periods are financial years and their quarters."""
import datetime as dt

import pytest

from workflow import periods


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


@pytest.mark.parametrize("bad", ["2007-09", "2007/08", "2007-08 Q5", "2007", "", None, 2007, "2007-08Q1"])
def test_invalid_period_codes_are_refused(bad):
    assert periods.parse(bad) is None
    assert periods.check("period", bad) == {
        "period": "must be a financial year like 2007-08 or a quarter like 2007-08 Q3"}


def test_periods_sort_chronologically_with_the_year_after_its_quarters():
    codes = ["2007-08", "2008-09 Q1", "2007-08 Q4", "2006-07", "2007-08 Q1"]
    assert sorted(codes, key=periods.sort_key) == ["2006-07", "2007-08 Q1", "2007-08 Q4", "2007-08", "2008-09 Q1"]
    assert periods.label("2007-08 Q3") == "2007/08 Q3"
