"""Deputy approvers: a Head names a trained person who may sign off, from one date to
another (both inclusive), what a Head may sign off, under the same rules.

A naming is stored as {person, named_by, from, to, named_at, ended_by, ended_at}; the
machine (workflow.machine) decides with it, as `Deputy` on the person (workflow.users.User).
"""
import datetime as dt
from dataclasses import dataclass

from workflow import fields
from workflow.errors import Forbidden, Invalid

DEPUTIES = "deputies"
ACTING_FOR = "the Head of Race and Diversity"


@dataclass(frozen=True)
class Deputy:
    """A naming in effect, as the rules see it on the person it names."""
    key: str
    named_by: str
    start: str  # ISO dates, both inclusive
    end: str

    @classmethod
    def from_record(cls, record):
        return cls(record["id"], record["named_by"], record["from"], record["to"])

    def covers(self, day):
        return self.start <= day.isoformat() <= self.end

    def as_recorded(self):
        """What each sign-off made as deputy keeps of the naming (history and the approved revision)."""
        return {"for": ACTING_FOR, "named_by": self.named_by, "from": self.start, "to": self.end}


def today():
    return dt.datetime.now(dt.timezone.utc).date()


def in_effect(record, day):
    """Whether the stored naming lets its person act as deputy on `day` (a date)."""
    return not record.get("ended_at") and record["from"] <= day.isoformat() <= record["to"]


def acting(user, day=None):
    """Whether `user` is a deputy approver on `day` (default today, UTC)."""
    deputy = getattr(user, "deputy", None)
    # A Board member sees only what is signed off, even one given the role after being named.
    return deputy is not None and deputy.covers(day or today()) and not user.has("eodb")


def check_naming(head, person, start, end, day):
    """Raise unless Head `head` may name `person` (a User, or None for no such account)
    deputy approver from `start` to `end` (ISO dates), on `day`."""
    if not head.has("head"):
        raise Forbidden("Only the Head of Race and Diversity can name a deputy approver.")
    errors = {}
    if person is None:
        errors["person"] = "Enter the name of an existing account"
    elif person.name == head.name:
        errors["person"] = "Choose someone else: you cannot name yourself as your deputy"
    elif person.has("head"):
        errors["person"] = f"Choose someone else: {person.name} is a Head and signs off as one already"
    elif person.has("eodb"):
        errors["person"] = (f"Choose someone else: {person.name} is a Board member, and the Board sees only "
                            "what has been signed off")
    elif not person.trained:
        errors["person"] = f"Choose someone trained in EqIA: {person.name} has no EqIA training recorded"
    for key, words in (("from", "first day"), ("to", "last day")):
        if not fields.is_date((start, end)[key == "to"]):
            errors[key] = f"Enter the {words} as a real date, for example 2026-12-01"
    if "from" not in errors and "to" not in errors:
        if end < start:
            errors["to"] = "Enter a last day on or after the first day"
        elif end < day.isoformat():
            errors["to"] = "Enter a last day that is today or later"
    if errors:
        raise Invalid("The deputy could not be named", errors)


def naming(head, person, start, end, at):
    """The record of Head `head` naming `person` deputy approver from `start` to `end`."""
    return {"person": person.name, "named_by": head.name, "from": start, "to": end, "named_at": at,
            "ended_by": None, "ended_at": None}


def check_ending(user, record):
    """Raise unless `user` may end the naming `record` (any Head may, while it has not ended)."""
    if not user.has("head"):
        raise Forbidden("Only the Head of Race and Diversity can end a deputy's naming.")
    if record.get("ended_at"):
        raise Invalid("This naming has already ended.", {"naming": "already ended"})


def span(start, end):
    """The dates of a naming as people write them: "1–14 December 2026", "30 November – 14 December 2026"."""
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if first == last:
        return f"{last.day} {last:%B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%B %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
    return f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}"


def signed_as(recorded):
    """How a sign-off made as deputy is said: "as deputy for the Head of Race and Diversity
    (named by kim, 1–14 December 2026)"."""
    return (f"as deputy for {recorded['for']} (named by {recorded['named_by']}, "
            f"{span(recorded['from'], recorded['to'])})")
