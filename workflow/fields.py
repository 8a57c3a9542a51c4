"""Small validators for kind fields; each returns {path: message} for what is wrong.

Drafts are saved incomplete, so validators check the type and value of what is
given; completeness is a condition of the transitions, not of saving. Each message
is a whole sentence naming the field in words ("Enter a title"), so a page can show
it without the path, which stays the key for clients and for linking to the input.
"""
import datetime as dt
import re
from typing import NamedTuple

from workflow import numbers, strands

MAX_TEXT = 20_000

_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


# The fields whose key alone does not read as words; the others read as their key, spaced.
# Each field's name in words, wherever it sits (a field of every kind, a part of one), as a noun
# phrase: messages say "Enter the {name}", comparisons and the history "{Name}: ...".
NAMES = {
    "title": "title", "subject": "policy, strategy or project assessed", "trigger": "reason for the assessment",
    "lead_organisation": "lead organisation", "review_date": "review date", strands.FIELD: "strand set",
    "screening": "screening", "impact": "impact", "differential": "whether the impact differs between groups",
    "intended": "whether the negative impact is intended", "evidence": "evidence",
    "full_assessment": "full assessment", "consultation": "consultation", "mitigations": "mitigating actions",
    "justification": "justification", "outcome": "outcome", "monitoring": "monitoring arrangements",
    "strand": "strand", "action": "action", "owner": "owner", "deadline": "deadline",
    "done": "whether the action is done", "heading": "heading", "theme": "theme", "outcomes": "expected outcomes",
    "leads": "lead responsibility", "strands": "equality strands",
    "standard_level": "level of the Equality Standard", "progress": "progress",
    "team_progress": "lead teams' progress entries", "period": "period",
    "status": "status", "key_outcomes": "key outcomes", "improvements": "areas for improvement",
    "comment": "overall comment", "reason": "reason for the change",
    "strategic": "number of the strategic objective", "disposition": "disposition",
    "successor_plan": "successor plan", "carried_forward_from": "objective it carries forward", "source": "source",
    "plan": "plan", "ref": "reference", "coordinator": "coordinator", "targets": "targets", "target": "target",
    "objectives": "corporate objectives served", "level": "level", "area": "area", "requirements": "requirements",
    "self_assessed": "self-assessed status", "description": "description", "document": "document", "link": "link",
    "text": "text", "file": "file", "verification": "verification", "verifier": "verifier", "date": "date",
    "summary": "summary", "sections": "sections", "body": "text", "eqia_appendix": "appendix of impact assessments",
    "other_objectives": "objectives not linked to a strategic objective",
    "training": "training figures", "staff": "staff", "members": "Board members", "as_of": "date of the figures",
    "note": "note", "number": "report number", "meeting_date": "meeting date",
    "author_line": "name the report is sent in",
    "recommendations": "recommendations", "race_equality_impact": "race equality impact",
    "financial_implications": "financial implications", "eqias_since": "date from which EqIAs are listed",
    "rolled_up_from": "documents it is rolled up from", "id": "document", "team": "team",
    "approved_at": "date of approval",
    "due": "due date", "remove": "whether to remove it", "q": "search words", "sort": "order to sort by",
    "order": "direction to sort in", "unit": "team the public should contact", "address": "postal address",
    "email": "email address", "phone": "telephone number",
    "notes": "notes from importing the plan", "row": "what the plan's row gives for all its actions",
    "background": "background paragraphs", "ongoing_aims": "aims the Authority will continue to pursue",
    "aims_comment": "comment", "action_required": "action required",
    "standard_steps": "steps to the next level of the Equality Standard",
    "future_objectives": "future corporate equality objectives", "background_papers": "background papers",
    "contact_details": "contact details", "footnotes": "footnotes", "team_entries": "lead teams' entries",
    "board_actions": "actions agreed by the Board", "what": "action", "objective": "objective",
    "agreed": "date agreed", "figures": "monitoring figures cited", "consultations": "consultations cited",
    "rows": "counts", "measure": "measure", "group": "group", "count": "count",
    "name": "name", "role": "role", "where": "where to find them", "site": "site",
    "provides": "what they provide", "contract_start": "start of the contract", "contract_end": "end of the contract",
    "next_due": "date the next check is due", "partner_checks": "equality checks of partners and contractors",
    "compliant": "compliant checks", "actions_agreed": "checks with actions agreed",
    "not_compliant": "non-compliant checks", "overdue": "overdue checks",
}


class Gap(NamedTuple):
    """Something still needed before a step: the field it is about (its path, for a link to
    its input; None when no one field is) and a sentence saying what to do."""
    field: object
    words: str

    def __str__(self):
        return self.words


def name(path):
    """The field a path is about, in words: 'full_assessment.mitigations.0.owner' -> 'owner'."""
    keys = [key for key in str(path).split(".") if key and not key.isdigit()]
    key = keys[-1] if keys else "fields"
    return NAMES.get(key, key.replace("_", " "))


def sentence(words):
    return words[:1].upper() + words[1:]


def _a(words):
    return ("an " if words[:1].lower() in "aeiou" else "a ") + words


def text(path, value, limit=MAX_TEXT):
    if not isinstance(value, str):
        return {path: f"Enter the {name(path)} as text"}
    if len(value) > limit:
        return {path: too_long(path, limit)}
    return {}


def too_long(path, limit):
    return f"{sentence(name(path))} must be {limit:,} characters or fewer"


# Line breaks (CR, LF, and Unicode's), tabs and every other control character: none has a
# place in a title or a name, and in an e-mail subject or a CSV cell they change its meaning.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
ONE_LINE = "must be on one line, without line breaks, tabs or other control characters"


def one_line(path, value, limit):
    """A title or a name: text of 1 to `limit` characters on one line."""
    if not isinstance(value, str) or not value.strip():
        return {path: f"Enter {_a(name(path))}"}
    if len(value) > limit:
        return {path: too_long(path, limit)}
    if _CONTROL.search(value):
        return {path: f"{sentence(name(path))} {ONE_LINE}"}
    return {}


def flattened(value):
    """`value` on one line: each run of control characters and spaces made one space (for
    a stored title written before titles were checked, as it goes into a mail subject)."""
    return " ".join(_CONTROL.sub(" ", str(value)).split())


def either(words, conjunction="or"):
    """A list as a sentence says it: "Red, Amber or Green" (with "and": "name, group and date")."""
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}" if len(words) > 1 else "".join(words)


def choice(path, value, options, words=None):
    """One of `options`; the refusal names them when `words` says each in words."""
    if value not in options:
        if words:
            return {path: f"Select the {name(path)}: one of " + ", ".join(words.get(o, o) for o in options)}
        return {path: f"Select the {name(path)} from the choices given"}
    return {}


def boolean(path, value):
    """A yes or no answer; its name is the question ("whether the action is done")."""
    return {} if isinstance(value, bool) else {path: f"Select {name(path)}: yes or no"}


def is_date(value):
    """A day written YYYY-MM-DD, exactly as stored: dates compare as text, and
    fromisoformat alone also reads "2007-W01-1" (a week date) and "20070101"."""
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        return dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def date(path, value):
    return {} if is_date(value) else {path: f"Enter the {name(path)} as a real date, for example 2008-03-31"}


def deadline(path, value):
    """A deadline as the plan writes them: a date, a month, or Ongoing."""
    if value == "Ongoing" or is_date(value) or (isinstance(value, str) and _MONTH.fullmatch(value)):
        return {}
    return {path: f"Enter the {name(path)} as a date, a month or Ongoing, for example 2008-03-31, 2008-03 or Ongoing"}


def text_list(path, value, options=None, words=None):
    if not isinstance(value, list):
        return {path: f"Give the {name(path)} as a list"}
    errors = {}
    for i, item in enumerate(value):
        item_path = f"{path}.{i}"
        errors.update(choice(item_path, item, options, words) if options else text(item_path, item, 500))
    return errors


def record_ids(path, value, limit):
    """A list of at most `limit` record numbers (the store's numeric keys, written as text)."""
    if not isinstance(value, list) or len(value) > limit or not all(numbers.is_id(item) for item in value):
        return {path: f"Give the {name(path)} as a list of at most {limit} record numbers, each written as text"}
    return {}


def record(path, value, spec, required=()):
    """Check a mapping against {key: validator(path, value)}; unknown keys are errors."""
    if not isinstance(value, dict):
        return {path: f"Give the {name(path)} as named answers"}
    errors = {}
    for key, item in value.items():
        check = spec.get(key)
        item_path = f"{path}.{key}" if path else key
        if check is None:
            errors[item_path] = UNKNOWN
        elif item is None and key not in required:
            continue  # an explicit null clears an optional field
        else:
            errors.update(check(item_path, item))
    return errors


UNKNOWN = "This is not a field of this kind of document"


def records(path, value, spec):
    if not isinstance(value, list):
        return {path: f"Give the {name(path)} as a list"}
    errors = {}
    for i, item in enumerate(value):
        errors.update(record(f"{path}.{i}", item, spec))
    return errors


def blank(value):
    return value is None or (isinstance(value, (str, list, dict)) and not value)
