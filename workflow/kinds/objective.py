"""Corporate Equality Objective: an action of the CEP table, with progress per
reporting period and a traffic-light status (2007 report to the EODB)."""
from functools import partial

from workflow import fields as f

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
STATUS_WORDS = {"red": "Red", "amber": "Amber", "amber_green": "Amber/Green", "green": "Green"}
LEVELS = (1, 2, 3, 4, 5)

PROGRESS_SPEC = {
    "period": partial(f.text, limit=100),
    "status": partial(f.choice, options=STATUSES),
    "evidence": f.text,
    "key_outcomes": f.text,
    "improvements": f.text,
    "comment": f.text,
}


def _level(path, value):
    if isinstance(value, bool) or value not in LEVELS:
        return {path: "must be one of 1, 2, 3, 4, 5"}
    return {}


SPEC = {
    "heading": partial(f.choice, options=HEADINGS),
    "theme": partial(f.text, limit=200),
    "action": f.text,
    "deadline": f.deadline,
    "outcomes": f.text,
    "leads": f.text_list,
    "strands": partial(f.text_list, options=f.STRANDS),
    "standard_level": _level,
    "progress": partial(f.records, spec=PROGRESS_SPEC),
    "carried_forward_from": partial(f.text, limit=50),
}


def validate(fields):
    return f.record("", fields, SPEC)


def screening_gaps(fields):
    """An objective is screened once it says what it does, under which heading,
    and which equality strands it serves."""
    gaps = []
    for key, words in (("action", "the action"), ("heading", "its heading"),
                       ("strands", "the equality strands it serves")):
        if f.blank(fields.get(key)):
            gaps.append(f"{key}: {words} given")
    return gaps


def submission_gaps(fields):
    gaps = []
    for key, words in (("deadline", "a deadline (a date, a month or Ongoing)"),
                       ("outcomes", "the expected outcomes or evidence"),
                       ("leads", "the lead responsibility")):
        if f.blank(fields.get(key)):
            gaps.append(f"{key}: {words} given")
    return gaps
