"""The monitoring dashboard's figures, as the Board reads progress (2007 report):
statuses per period by heading, theme and team, each strategic objective's
rolled-up status over the periods, and overdue items per team. Pure.

Like `deadlines`, it takes only what the reader sees of documents (`policy.view`).
"""
from dataclasses import dataclass
from typing import NamedTuple

from workflow import deadlines, periods, strategy
from workflow.kinds import objective

NO_REPORT = deadlines.NO_REPORT
KEYS = (*objective.STATUSES, NO_REPORT)
WORDS = {**objective.STATUS_WORDS, NO_REPORT: "No report"}
GROUPINGS = {"heading": "Heading", "theme": "Theme", "team": "Team"}  # in the order the page shows them
_UNSET = {"heading": "No heading given", "theme": "No theme given"}


class Group(NamedTuple):
    """A bar of a chart, a row of its table: (label, {key: count}), as `charts.stacked_bars` takes them."""
    label: str
    counts: dict

    @property
    def total(self):
        return sum(self.counts.values())


@dataclass(frozen=True)
class Trend:
    number: int
    title: str
    statuses: tuple  # per period: the rolled-up status, or None when nothing was reported
    counts: tuple  # per period: {status: count} of the objectives reporting


def objectives(seen):
    return [shown for shown in seen if shown["kind"] == "objective"]


def period_choices(seen, stored_codes):
    """Periods that have progress on an objective the reader sees, or are reporting periods; oldest first."""
    codes = {entry.get("period") for shown in objectives(seen) for entry in shown["fields"].get("progress") or []
             if periods.parse(entry.get("period"))}  # what a store holds may be anything: read only periods
    codes.update(code for code in stored_codes if periods.parse(code))
    return sorted(codes, key=periods.sort_key)


def status_in(shown, period):
    """The objective's status reported for `period` (see objective.progress_for), else None."""
    entry = objective.progress_for(shown["fields"], period)
    return entry.get("status") if entry else None


def _counted(shown, period):
    # A closed objective (achieved, superseded, carried forward) with nothing for this period is
    # not missing a report: it no longer reports. An open one without a report is.
    return status_in(shown, period) is not None or shown["fields"].get("disposition", "open") == "open"


def _group_of(shown, grouping):
    if grouping == "team":
        return shown["team"]
    value = shown["fields"].get(grouping)
    return value.strip() if isinstance(value, str) and value.strip() else _UNSET[grouping]


def _order(grouping, label):
    if grouping == "heading" and label in objective.HEADINGS:
        return 0, objective.HEADINGS.index(label), ""
    return 1, 0, label.casefold()


def distribution(seen, period, grouping):
    """Objectives counted by their status in `period`, grouped by heading, theme or team."""
    groups = {}
    for shown in objectives(seen):
        if not _counted(shown, period):
            continue
        counts = groups.setdefault(_group_of(shown, grouping), dict.fromkeys(KEYS, 0))
        counts[status_in(shown, period) or NO_REPORT] += 1
    return [Group(label, groups[label]) for label in sorted(groups, key=lambda g: _order(grouping, g))]


def totals(groups, label="All objectives"):
    """The column totals of a list of Groups."""
    keys = groups[0].counts if groups else KEYS
    return Group(label, {key: sum(g.counts[key] for g in groups) for key in keys})


def trend(seen, codes, strategic):
    """Each strategic objective's status per period in `codes`: its weakest objective's status then.

    `strategic`: [{number, title}]; numbers that objectives name but the list lacks get a row too.
    """
    titles = {record["number"]: record["title"] for record in strategic}
    grouped = {}
    for shown in objectives(seen):
        number = shown["fields"].get("strategic")
        if isinstance(number, int):
            grouped.setdefault(number, []).append(shown)
            titles.setdefault(number, f"Strategic objective {number}")
    rows = []
    for number in sorted(titles):
        rolled = [strategy.roll_up(status_in(shown, code) for shown in grouped.get(number, ())) for code in codes]
        rows.append(Trend(number, titles[number], tuple(s for s, _ in rolled), tuple(c for _, c in rolled)))
    return rows


def overdue_counts(items):
    """A Group per team with its numbers of overdue objectives and mitigation actions (`deadlines.overdue`)."""
    return [Group(team.team, {"objectives": len(team.objectives), "mitigations": len(team.mitigations)})
            for team in deadlines.by_team(items)]
