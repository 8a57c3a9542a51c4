"""Corporate Equality Objective: an action of the CEP table, with progress per
reporting period and a traffic-light status (2007 report to the EODB)."""
from functools import partial

from workflow import fields as f
from workflow import citations, numbers, periods, strands

NAME = "objective"
LABEL = "Corporate Equality Objective"
CREATORS = ("team_leader",)
LOCKED_WHEN_SCREENED = ("strands",)

HEADINGS = (
    "The MPA as a Public Authority",
    "The MPA as a Service Provider",
    "The MPA as a Policy Maker",
    "The MPA as an Exemplary Employer",
    "The MPA as a Communicator",
    "The MPA as a Purchaser of Goods and Services",
)
STATUSES = ("red", "amber", "amber_green", "green")
# The 2007 report's traffic light: its words, and its own definitions where it gives one.
# Every page, chart and report names a status from here.
STATUS_WORDS = {"red": "Red", "amber": "Amber", "amber_green": "Amber/Green", "green": "Green"}
STATUS_MEANINGS = {"red": "little or no progress", "amber": "partial achievement", "green": "achievement"}
LEVELS = (1, 2, 3, 4, 5)

DISPOSITIONS = ("open", "achieved", "superseded", "carried_forward")
DISPOSITION_WORDS = {"open": "Open", "achieved": "Achieved", "superseded": "Superseded",
                     "carried_forward": "Carried forward to a successor plan"}

PROGRESS_SPEC = {
    "period": periods.check,
    "status": partial(f.choice, options=STATUSES, words=STATUS_WORDS),
    "evidence": f.text,
    "key_outcomes": f.text,
    "improvements": f.text,
    "comment": f.text,
    "reason": f.text,  # why the status differs from the previous period's
    "figures": citations.check,  # monitoring figures cited as evidence (workflow.citations)
}
# Each lead team's own entry for a period on an objective several teams lead (workflow/shared.py).
TEAM_PROGRESS = "team_progress"
TEAM_ENTRY_TEXTS = ("evidence", "key_outcomes", "improvements", "comment")
TEAM_ENTRY_SPEC = {"period": periods.check, "team": partial(f.one_line, limit=200),
                   **{key: f.text for key in TEAM_ENTRY_TEXTS}}


def _texts(path, value):
    """A list of texts of any length (the import's notes on an objective)."""
    if not isinstance(value, list):
        return {path: "Give the notes as a list"}
    return {key: message for i, item in enumerate(value) for key, message in f.text(f"{path}.{i}", item).items()}


# What the plan's row says for all of its actions, where its entries pair with no one action.
ROW_SPEC = {"deadline": f.text_list, "outcomes": f.text_list, "leads": f.text_list}
SOURCE_SPEC = {"plan": partial(f.text, limit=200), "ref": partial(f.text, limit=100),
               "row": partial(f.record, spec=ROW_SPEC), "notes": _texts}


def _progress(path, value):
    """Entries are checked one by one, then as a series: one entry per period, and
    a status that differs from the previous period's says why it changed."""
    errors = f.records(path, value, PROGRESS_SPEC)
    errors.update({f"{path}.{i}.period": "Enter the reporting period of this progress entry"
                   for i, entry in enumerate(value if not errors else []) if "period" not in entry})
    if errors:
        return errors
    previous, seen = None, set()
    for i in sorted(range(len(value)), key=lambda i: periods.sort_key(value[i]["period"])):
        entry = value[i]
        if entry["period"] in seen:
            errors[f"{path}.{i}.period"] = f"{entry['period']} already has a progress entry: change that one instead"
        seen.add(entry["period"])
        status = entry.get("status")
        if previous and status and status != previous["status"] and f.blank(entry.get("reason")):
            errors[f"{path}.{i}.reason"] = (f"Enter why the status changed from {STATUS_WORDS[previous['status']]} "
                                            f"in {previous['period']} to {STATUS_WORDS[status]}")
        previous = entry if status else previous
    return errors


def _team_progress(path, value):
    """The lead teams' entries: each names its period and team, one entry per both."""
    errors = f.records(path, value, TEAM_ENTRY_SPEC)
    seen = set()
    for i, entry in enumerate(value if not errors else []):
        key = (entry.get("period"), entry.get("team"))
        if None in key:
            errors[f"{path}.{i}"] = "Enter the period and the team of each team's entry"
        elif key in seen:
            errors[f"{path}.{i}.period"] = f"{key[1]} already has an entry for {key[0]}: change that one instead"
        seen.add(key)
    return errors


def _strategic(path, value):
    """The number of the key strategic objective (2007 report: Objective 1..9) it serves."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 99:
        return {path: "Enter the number of a strategic objective, from 1 to 99"}
    return {}


def _document_id(path, value):
    if not numbers.is_id(value):
        return {path: "Enter the number of an existing objective"}
    return {}


def _level(path, value):
    if isinstance(value, bool) or value not in LEVELS:
        return {path: "Select a level of the Equality Standard, from 1 to 5"}
    return {}


SPEC = {
    "heading": partial(f.choice, options=HEADINGS),
    "theme": partial(f.text, limit=200),
    "action": f.text,
    "deadline": f.deadline,
    "outcomes": f.text,
    "leads": f.text_list,
    "strands": partial(f.text_list, options=strands.ALL, words=strands.LABELS),
    "standard_level": _level,
    "progress": _progress,
    TEAM_PROGRESS: _team_progress,
    "strategic": _strategic,
    "disposition": partial(f.choice, options=DISPOSITIONS),
    "successor_plan": partial(f.text, limit=200),
    "carried_forward_from": _document_id,
    "source": partial(f.record, spec=SOURCE_SPEC),
}


def validate(fields, current=None):  # `current`: see the kinds package
    return f.record("", fields, SPEC)


def progress_for(fields, period):
    """The progress reported for `period`: its own entry, else the latest entry of
    a period within it (a year without its own entry reports by its latest quarter, a span of
    years by its latest year or quarter); None for
    what is no period (any value a client sends)."""
    if not periods.reportable(period):
        return None
    first, last = periods.bounds(period)
    inside = [e for e in fields.get("progress") or [] if periods.parse(e.get("period"))
              and first <= periods.bounds(e["period"])[0] and periods.bounds(e["period"])[1] <= last]
    return max(inside, key=lambda e: periods.sort_key(e["period"]), default=None)


def latest_progress(fields):
    """The progress entry of the latest period, or None."""
    entries = [e for e in fields.get("progress") or [] if periods.parse(e.get("period"))]
    return max(entries, key=lambda e: periods.sort_key(e["period"]), default=None)


def screening_gaps(fields):
    """An objective is screened once it says what it does, under which heading,
    and which equality strands it serves."""
    return [f.Gap(key, words) for key, words in
            (("action", "Enter the action"), ("heading", "Select the heading"),
             ("strands", "Select the equality strands it serves")) if f.blank(fields.get(key))]


def submission_gaps(fields):
    return [f.Gap(key, words) for key, words in
            (("deadline", "Enter a deadline, for example 2008-03-31, 2008-03 or Ongoing"),
             ("outcomes", "Enter the expected outcomes or evidence"),
             ("leads", "Enter who leads it")) if f.blank(fields.get(key))]
