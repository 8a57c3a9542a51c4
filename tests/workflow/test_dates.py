"""A date comes in written YYYY-MM-DD and nothing else: dates are stored and compared as
text, so a week date ("2007-W01-1") or a compact one, which Python's fromisoformat also
reads, would sort and compare wrongly once stored."""
import pytest

from workflow import fields, training
from workflow.kinds import eqia

NOT_WRITTEN_AS_STORED = ["2007-W01-1", "2007-W011", "20070101", "2007-001", "2007-02-30", "2007-1-01",
                         "２００７-01-01", "2007-01-0١", " 2007-01-1", "2007-01-01T00:00", "", None, 20070101]


@pytest.mark.parametrize("value", NOT_WRITTEN_AS_STORED)
def test_a_date_not_written_yyyy_mm_dd_is_refused_wherever_dates_enter(value):
    assert not fields.is_date(value)
    assert fields.date("when", value) == {"when": "Enter the when as a real date, for example 2008-03-31"}
    if value:  # a draft may leave its review date blank
        assert "review_date" in eqia.validate({"review_date": value})
    assert fields.deadline("deadline", value) != {}
    assert list(training.date_errors(value, "trained")) == ["trained"]


@pytest.mark.parametrize("value", ["2007-01-01", "2008-02-29", "1999-12-31"])
def test_a_day_written_yyyy_mm_dd_is_a_date(value):
    assert fields.is_date(value) and fields.date("when", value) == {}
    assert "review_date" not in eqia.validate({"review_date": value})
