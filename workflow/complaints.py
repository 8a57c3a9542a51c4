"""The complaints and compliments log (CEP 2004: complaints monitoring, "no complaints of
unequal access"). Pure: what an entry holds, who sees the person's details, and the counts
that become a monitoring dataset.

An entry: kind, date received, channel, the team concerned (which owns it), the strands it
concerns, a summary, outcome and date closed, and the person's details (name, contact, their
reference). Those details are personal data: only the team concerned and the Head see them
(workflow.policy.sees_complainant); everyone else gets `as_seen`, which leaves them out.
"""
import datetime as dt

from workflow import fields, periods
from workflow.errors import Invalid

KINDS = {"complaint": "Complaint", "compliment": "Compliment"}
CHANNELS = {"letter": "Letter", "email": "E-mail", "telephone": "Telephone", "in_person": "In person",
            "online_form": "Online form", "other": "Other"}
OUTCOMES = {"upheld": "Upheld", "partly_upheld": "Partly upheld", "not_upheld": "Not upheld",
            "resolved_informally": "Resolved informally", "withdrawn": "Withdrawn", "passed_on": "Passed on"}
# A compliment is closed by passing it on to those it praises; a complaint by a decision.
OUTCOMES_OF = {"complaint": ("upheld", "partly_upheld", "not_upheld", "resolved_informally", "withdrawn"),
               "compliment": ("passed_on",)}
OPEN = "Not yet closed"  # the group, in a dataset, of entries without an outcome
MEASURES = {"complaint": "Complaints received", "compliment": "Compliments received"}
PERSON = ("name", "contact", "reference")
ENTRY_KEYS = ("kind", "received", "channel", "team", "strands", "summary", "outcome", "closed")
SUMMARY_LIMIT = 5000
LINE_LIMIT = 200
FIX = "Correct the answers shown."


def _line(value, limit, words, required=False):
    """None if `value` is a fit one-line answer (or blank and not `required`), else what is wrong."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return f"Enter the {words}" if required else None
    if not isinstance(value, str):
        return f"Enter the {words} as text"
    if len(value) > limit:
        return f"{fields.sentence(words)} must be {limit:,} characters or fewer"
    if fields.one_line("line", value, limit):  # what is left: a line break, a tab or another control character
        return f"{fields.sentence(words)} {fields.ONE_LINE}"
    return None


def _date(value, words, required=False):
    if value in (None, "") and not required:
        return None
    return None if fields.is_date(value) else f"Enter the {words} as a real date, for example 2007-03-31"


def _choice(value, options, words):
    return None if isinstance(value, str) and value in options else f"Select {words}: " + fields.either(
        [options[key] if isinstance(options, dict) else key for key in options])


def _stripped(value):
    return value.strip() or None if isinstance(value, str) else value


def checked(given, teams, strand_set, today):
    """The entry `given` ({kind, received, channel, team, strands, summary, outcome, closed,
    name, contact, reference}) as it is stored: its answers and {"person": {...}}; Invalid naming
    each bad answer. `teams`: the known teams; `strand_set`: the authority's (workflow.strands)."""
    unknown = {key: "This is not an answer an entry in the log holds" for key in given
               if key not in (*ENTRY_KEYS, *PERSON)}
    if unknown:
        raise Invalid(FIX, unknown)
    given = {key: _stripped(given.get(key)) for key in (*ENTRY_KEYS, *PERSON)}
    given["strands"] = given["strands"] or []
    errors = {
        "kind": _choice(given["kind"], KINDS, "whether it is a complaint or a compliment"),
        "received": _date(given["received"], "date received", required=True),
        "channel": _choice(given["channel"], CHANNELS, "how it came in"),
        "team": None if given["team"] in teams else "Select the service or team it concerns",
        "strands": _strands(given["strands"], strand_set),
        "summary": _summary(given["summary"]),
        "outcome": _outcome(given["kind"], given["outcome"]),
        "closed": _date(given["closed"], "date closed"),
        "name": _line(given["name"], LINE_LIMIT, "person's name"),
        "contact": _line(given["contact"], LINE_LIMIT, "person's contact details"),
        "reference": _line(given["reference"], LINE_LIMIT, "person's reference"),
    }
    errors.update(_dates_in_order(given, today) if not (errors["received"] or errors["closed"]) else {})
    errors = {key: words for key, words in errors.items() if words}
    if errors:
        raise Invalid(FIX, errors)
    given["strands"] = [strand for strand in strand_set.strands if strand in given["strands"]]
    return {**{key: given[key] for key in ENTRY_KEYS},
            "person": {key: given[key] for key in PERSON if given[key]}}


def _strands(chosen, strand_set):
    if not isinstance(chosen, list) or any(strand not in strand_set for strand in chosen):
        return "Select the strands it concerns from those given"
    return None


def _summary(summary):
    if not isinstance(summary, str) or not summary:
        return "Enter a summary of what was said"
    if "\x00" in summary:
        return "Enter the summary as plain text"
    return f"The summary must be {SUMMARY_LIMIT:,} characters or fewer" if len(summary) > SUMMARY_LIMIT else None


def _outcome(kind, outcome):
    if outcome is None or not isinstance(kind, str) or kind not in OUTCOMES_OF:  # a bad kind is said by itself
        return None
    allowed = OUTCOMES_OF[kind]
    return None if outcome in allowed else f"Select the outcome of a {kind}: " + fields.either(
        [OUTCOMES[key] for key in allowed])


def _dates_in_order(given, today):
    """A date received not after today, and a date closed (with an outcome) between it and today."""
    errors = {}
    if given["received"] > today.isoformat():
        errors["received"] = "The date received must be today or in the past"
    if given["closed"] and given["closed"] < given["received"]:
        errors["closed"] = "The date closed must be the same as or after the date received"
    elif given["closed"] and given["closed"] > today.isoformat():
        errors["closed"] = "The date closed must be today or in the past"
    if given["closed"] and not given["outcome"]:
        errors["outcome"] = "Select the outcome: an entry is closed with its outcome"
    return errors


def answers(entry):
    """A stored entry's answers as `checked` takes them (the person's details among them)."""
    return {**{key: entry.get(key) for key in ENTRY_KEYS}, **{key: None for key in PERSON},
            **(entry.get("person") or {})}


def as_seen(entry, sees_person):
    """`entry` as a reader sees it: without the person's details unless `sees_person`."""
    if sees_person:
        return entry
    return {key: value for key, value in entry.items() if key != "person"}


def in_period(entry, period):
    """Whether `entry` was received within `period` (a workflow.periods code)."""
    first, last = periods.bounds(period)
    return first.isoformat() <= entry["received"] <= last.isoformat()


def group_of(entry):
    """The group an entry is counted in: its outcome in words, or OPEN."""
    return OUTCOMES[entry["outcome"]] if entry.get("outcome") else OPEN


def dataset_rows(entries, period):
    """The monitoring rows ({measure, period, strand, group, count}) of the `entries` received
    within `period`: per kind, strand concerned and outcome, how many. An entry concerning two
    strands counts once under each; one concerning none is in no row. Only counts above zero."""
    counted = {}
    for entry in entries:
        if in_period(entry, period):
            for strand in entry.get("strands") or ():
                key = (MEASURES[entry["kind"]], strand, group_of(entry))
                counted[key] = counted.get(key, 0) + 1
    return [{"measure": measure, "period": period, "strand": strand, "group": group, "count": count}
            for (measure, strand, group), count in sorted(counted.items())]


def complaints_by_strand(entries):
    """{period (financial year): {strand: complaints received}} for the log page: "no
    complaints of unequal access" is read from it, year by year, latest first."""
    table = {}
    for entry in entries:
        if entry["kind"] == "complaint":
            year = periods.containing(dt.date.fromisoformat(entry["received"]))[:7]
            for strand in entry.get("strands") or ():
                table.setdefault(year, {}).setdefault(strand, 0)
                table[year][strand] += 1
    return dict(sorted(table.items(), reverse=True))


def dataset_title(team, period):
    return f"Complaints and compliments, {team}, {periods.label(period)}"
