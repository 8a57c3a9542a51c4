"""The reporting cycle the Corporate Equality Plan 2004 commits to. Pure.

"Reporting Processes": a) a Corporate Annual Report to the EODB first, then to
the Authority meeting; b) quarterly reports by the Head of Race Equality and
Diversity to the Senior Management Team and the EODB; c) a six-monthly review
and progress report by the Head to staff. Framework d): "Review of this plan
after the first year and then every three years thereafter."

Periods are the app's financial years and quarters (workflow.periods). A report
falls due a set time after its period ends (the plan names no deadline; these
are the product's): a month for quarterly and six-monthly reports, three months
for the annual report, which goes to the Board and then to the Authority.
"""
import calendar
import datetime as dt
from dataclasses import dataclass

from workflow import bodies, machine, periods

ADOPTED = dt.date(2004, 5, 1)  # the EODB agreed the plan's objectives in May 2004
SOON = dt.timedelta(days=90)  # "Reports due" on the Head's My work looks this far ahead

DONE, DUE, OVERDUE = "done", "due", "overdue"
CLOSED = "closed"  # left undone when the plan was superseded: its successor's cycle took over


@dataclass(frozen=True)
class Due:
    key: str  # stable: "quarterly:2004-05 Q1", "review:2005-05-01"
    what: str
    audience: str
    due: dt.date
    periods: tuple  # the report periods whose approved report fulfils it; () for the plan's review
    status: str = DUE


def _month_end(year, month):
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _after(end, months):
    """The last day of the month `months` after the one `end` falls in."""
    return _month_end(end.year, end.month + months)


def _year(first):
    return f"{first}-{(first + 1) % 100:02d}"


def _commitments(year, names=bodies.DEFAULT):
    """Everything financial year `year` (April `year` to March) owes, as (Due, period end);
    `names`: the bodies' names ({key: name}, workflow.bodies), which each audience names."""
    code = _year(year)
    for quarter in range(1, 5):
        period = f"{code} Q{quarter}"
        end = periods.bounds(period)[1]
        yield Due(f"quarterly:{period}", f"Quarterly report, {periods.label(period)}",
                  bodies.audience(names, bodies.SMT, bodies.EODB),
                  _after(end, 1), (period,)), end
    for half, closing in ((1, 2), (2, 4)):
        period = f"{code} Q{closing}"
        end = periods.bounds(period)[1]
        # A half-year's progress report is the approved report on its closing quarter
        # (or, for the second half, on the whole year) made available to staff.
        done_by = (period,) if half == 1 else (period, code)
        yield Due(f"six_monthly:{code} H{half}", f"Six-monthly progress report, {periods.label(code)} "
                  f"{'April to September' if half == 1 else 'October to March'}",
                  f"all staff and {bodies.name(names, bodies.STAFF_FORUMS)}", _after(end, 1), done_by), end
    end = periods.bounds(code)[1]
    yield Due(f"annual:{code}", f"Corporate annual report, {periods.label(code)}",
              bodies.audience(names, bodies.EODB, bodies.AUTHORITY, then=True),
              _after(end, 3), (code,)), end


def _reviews(adopted, until, title="Corporate Equality Plan", names=bodies.DEFAULT):
    first = adopted.replace(year=adopted.year + 1)
    year = first.year
    while (day := first.replace(year=year)) <= until:
        label = "after its first year" if year == first.year else "three-yearly"
        yield Due(f"review:{day.isoformat()}", f"Review of the {title} ({label})",
                  f"{bodies.name(names, bodies.EODB)}, by the Race & Diversity Unit", day, ())
        year += 3


def succession(key, title, last_day, superseded, today, names=bodies.DEFAULT):
    """The plan's final review with its successor adopted, due three months after its period ends
    (as the annual report is); done once a successor is adopted (workflow.plans)."""
    due = _after(last_day, 3)
    status = DONE if superseded else OVERDUE if due < today else DUE
    return Due(f"succession:{key}", f"Final review of the {title}, and its successor adopted",
               bodies.name(names, bodies.EODB), due, (), status)


def reported_periods(seen):
    """The periods with an approved report, from documents as seen (any kind; only reports count)."""
    return {shown["fields"].get("period") for shown in seen
            if shown.get("kind") == "report" and shown.get("state") in machine.PUBLISHED_STATES
            and isinstance(shown.get("fields"), dict)}


def cycle(today, reported=(), adopted=ADOPTED, reviews_done=(), ahead=dt.timedelta(days=366),
          last_day=None, ended=None, title="Corporate Equality Plan", names=bodies.DEFAULT):
    """Every commitment from the plan's adoption until `today` + `ahead`, by due date,
    each marked done, due or overdue. `reported`: periods with an approved report;
    `reviews_done`: ISO dates of plan reviews recorded as done. `last_day`: the last day of
    the plan's period (nothing for a period ending later); `ended`: the day its successor was
    adopted (nothing for a period ending then or later, and what is left undone is closed);
    `title`: the plan's, as its reviews are named; `names`: the bodies' names."""
    until = min(today + ahead, last_day or dt.date.max)
    if ended is not None:
        until = min(until, ended - dt.timedelta(days=1))
    first_year = adopted.year if adopted.month >= 4 else adopted.year - 1
    items = []
    for year in range(first_year, until.year + 1):
        items += [item for item, end in _commitments(year, names) if adopted <= end <= until and item.due <= today + ahead]
    items += list(_reviews(adopted, until, title, names))
    marked = [_mark(item, today, set(reported), set(reviews_done), ended) for item in items]
    return sorted(marked, key=lambda item: (item.due, item.key))


def _mark(item, today, reported, reviews_done, ended=None):
    done = bool(set(item.periods) & reported) if item.periods else item.due.isoformat() in reviews_done
    status = DONE if done else CLOSED if ended is not None and ended <= today else OVERDUE if item.due < today else DUE
    return Due(item.key, item.what, item.audience, item.due, item.periods, status)


def overdue(items):
    return [item for item in items if item.status == OVERDUE]


def upcoming(items, today, ahead=dt.timedelta(days=366)):
    """Commitments falling due from today until `ahead`, done early or not."""
    return [item for item in items if today <= item.due <= today + ahead]


def needing_attention(items, today, ahead=SOON):
    """What the Head still owes: overdue, or due within `ahead`."""
    return [item for item in items if item.status in (DUE, OVERDUE) and item.due <= today + ahead]
