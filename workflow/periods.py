"""Reporting periods: UK financial years ("2007-08", April to March) and their
quarters ("2007-08 Q3", October to December). A report may also cover a span of
whole years, a plan's period: "2004-05 to 2006-07" (April 2004 to March 2007),
which the 2007 report calls "2004 – 2007"."""
import datetime as dt
import functools
import re

_PERIOD = re.compile(r"([0-9]{4})-([0-9]{2})(?: Q([1-4]))?")  # ASCII digits, the whole code (fullmatch)
# A sane range: far enough back for any record, and no year whose dates Python cannot
# hold (9999-00 would end in the year 10000). Outside it a code is no period at all.
FIRST_YEAR, LAST_YEAR = 1900, 2199
RANGE = f"{FIRST_YEAR}-{(FIRST_YEAR + 1) % 100:02d} to {LAST_YEAR}-{(LAST_YEAR + 1) % 100:02d}"


def parse(code):
    """(first year, quarter or None) for a valid period code in range, else None."""
    return _parse(code) if isinstance(code, str) else None


@functools.lru_cache(maxsize=1024)  # a handful of periods, parsed for every progress entry of each list
def _parse(code):
    match = _PERIOD.fullmatch(code)
    if not match:
        return None
    year, short, quarter = int(match[1]), int(match[2]), match[3]
    if (year + 1) % 100 != short or not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return year, int(quarter) if quarter else None


SPAN = " to "  # "2004-05 to 2006-07": the first and last financial years of a span


def span(code):
    """(first year, last year) of a span of two or more whole financial years, else None."""
    first, _, last = code.partition(SPAN) if isinstance(code, str) else ("", "", "")
    first, last = parse(first), parse(last)
    if not first or not last or first[1] or last[1] or first[0] >= last[0]:
        return None
    return first[0], last[0]


def span_code(first_year, last_year):
    """The code of the span from financial year `first_year` to `last_year` (first years)."""
    return f"{first_year}-{(first_year + 1) % 100:02d}{SPAN}{last_year}-{(last_year + 1) % 100:02d}"


def reportable(code):
    """Whether a report may cover `code`: a year, a quarter or a span of years."""
    return parse(code) is not None or span(code) is not None


def check_reportable(path, value):
    """Field validator for what a report covers: a period, or a span of whole years."""
    if not reportable(value):
        return {path: f"Enter a financial year like 2007-08, a quarter like 2007-08 Q3 or a span of years like "
                      f"2004-05{SPAN}2006-07, from {RANGE}"}
    return {}


def check(path, value):
    """Field validator: a financial year or one of its quarters, in range."""
    if parse(value) is None:
        return {path: f"Enter a financial year like 2007-08 or a quarter like 2007-08 Q3, from {RANGE}"}
    return {}


def bounds(code):
    """(first day, last day) of the period (or span)."""
    if span(code):
        first, last = span(code)
        return dt.date(first, 4, 1), dt.date(last + 1, 3, 31)
    year, quarter = parse(code)
    if quarter is None:
        return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    start_month = 4 + 3 * (quarter - 1)
    start = dt.date(year + (start_month > 12), (start_month - 1) % 12 + 1, 1)
    end_month = start.month + 3
    end = dt.date(start.year + (end_month > 12), (end_month - 1) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def sort_key(code):
    """Chronological order; a whole year sorts after its last quarter (it reports on all of it).
    Anything else a store may hold sorts before every period, so reading it never fails.
    A span sorts after its last year."""
    if span(code):
        return span(code)[1], 6
    year, quarter = parse(code) or (0, 0)
    return year, quarter or 5


def label(code):
    """As the 2007 report writes them: 2007/08, 2007/08 Q3, and a span 2004 – 2007."""
    if span(code):
        first, last = span(code)
        return f"{first} – {last + 1}"
    return str(code).replace("-", "/", 1)


def containing(day):
    """The quarter that contains `day`."""
    year = day.year if day.month >= 4 else day.year - 1
    quarter = (day.month - 4) % 12 // 3 + 1
    return f"{year}-{(year + 1) % 100:02d} Q{quarter}"
