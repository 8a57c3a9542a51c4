"""What is overdue: objectives past their deadline and not achieved, and EqIA
mitigation actions past their deadline and not done. Pure.

Every function takes what a person sees of documents (`policy.view`), never
stored documents, so nothing here can count what the reader may not see.
"""
import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from workflow.kinds import objective

ONGOING = "Ongoing"
NOT_DONE = "not_done"  # the status of an overdue mitigation action
NO_REPORT = "none"  # the status of an objective with no progress report yet
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


@dataclass(frozen=True)
class Overdue:
    kind: str  # "objective" or "mitigation"
    doc_id: str
    team: str
    title: str  # the document's title
    deadline: str
    status: str  # objective: its latest RAG status or NO_REPORT; mitigation: NOT_DONE
    action: str | None = None  # a mitigation's action, owner and strand
    owner: str | None = None
    strand: str | None = None


@dataclass(frozen=True)
class TeamOverdue:
    team: str
    objectives: tuple
    mitigations: tuple

    @property
    def total(self):
        return len(self.objectives) + len(self.mitigations)


def last_day(deadline):
    """The last day a deadline allows: the date itself, or a month's last day; None for Ongoing or nonsense."""
    return _last_day(deadline) if isinstance(deadline, str) else None


@functools.lru_cache(maxsize=4096)  # a few hundred distinct deadlines, read for every document of each list
def _last_day(deadline):
    month = _MONTH.fullmatch(deadline)
    try:
        if month:
            year, number = int(month[1]), int(month[2])
            return dt.date(year, number, calendar.monthrange(year, number)[1])
        return dt.date.fromisoformat(deadline) if len(deadline) == 10 else None
    except ValueError:
        return None


def deadline_passed(deadline, today):
    """True once `today` is after the deadline's last day (a month is due by its end); Ongoing never passes."""
    last = last_day(deadline)
    return last is not None and last < today


def _objective(shown, today):
    fields = shown["fields"] or {}
    # Achieved, superseded or carried-forward objectives are closed: their deadline no longer binds.
    if fields.get("disposition", "open") != "open" or not deadline_passed(fields.get("deadline"), today):
        return []
    latest = objective.latest_progress(fields)
    status = (latest or {}).get("status") or NO_REPORT
    if status == "green":
        return []
    return [Overdue("objective", shown["id"], shown["team"], shown["title"], fields["deadline"], status)]


def _mitigations(shown, today):
    mitigations = ((shown["fields"] or {}).get("full_assessment") or {}).get("mitigations") or []
    return [Overdue("mitigation", shown["id"], shown["team"], shown["title"], m["deadline"], NOT_DONE,
                    m.get("action"), m.get("owner"), m.get("strand"))
            for m in mitigations
            if isinstance(m, dict) and not m.get("done") and deadline_passed(m.get("deadline"), today)]


_FINDERS = {"objective": _objective, "eqia": _mitigations}


def overdue(seen, today):
    """Every overdue item among the documents as seen, longest overdue first."""
    return in_order(item for shown in seen if shown["kind"] in _FINDERS for item in _FINDERS[shown["kind"]](shown, today))


def in_order(items):
    """Overdue items longest overdue first (as `overdue` lists them)."""
    return sorted(items, key=lambda item: (last_day(item.deadline), item.title.casefold(), item.doc_id))


def by_team(items):
    """The overdue items grouped per team, teams in alphabetical order."""
    teams = sorted({item.team for item in items}, key=str.casefold)
    return [TeamOverdue(team,
                        tuple(i for i in items if i.team == team and i.kind == "objective"),
                        tuple(i for i in items if i.team == team and i.kind == "mitigation"))
            for team in teams]
