"""Small validators for kind fields; each returns {path: message} for what is wrong.

Drafts are saved incomplete, so validators check the type and value of what is
given; completeness is a condition of the transitions, not of saving.
"""
import datetime as dt
import re

MAX_TEXT = 20_000

_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


def text(path, value, limit=MAX_TEXT):
    if not isinstance(value, str):
        return {path: "must be text"}
    if len(value) > limit:
        return {path: f"must be at most {limit} characters"}
    return {}


# Line breaks (CR, LF, and Unicode's), tabs and every other control character: none has a
# place in a title or a name, and in an e-mail subject or a CSV cell they change its meaning.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
ONE_LINE = "must be one line, without line breaks, tabs or other control characters"


def one_line(path, value, limit):
    """A title or a name: text of 1 to `limit` characters on one line."""
    if not isinstance(value, str) or not value.strip():
        return {path: f"must be a text of 1 to {limit} characters"}
    if len(value) > limit:
        return {path: f"must be at most {limit} characters"}
    if _CONTROL.search(value):
        return {path: ONE_LINE}
    return {}


def flattened(value):
    """`value` on one line: each run of control characters and spaces made one space (for
    a stored title written before titles were checked, as it goes into a mail subject)."""
    return " ".join(_CONTROL.sub(" ", str(value)).split())


def choice(path, value, options):
    if value not in options:
        return {path: "must be one of " + ", ".join(options)}
    return {}


def boolean(path, value):
    return {} if isinstance(value, bool) else {path: "must be true or false"}


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
    return {} if is_date(value) else {path: "must be a date YYYY-MM-DD"}


def deadline(path, value):
    """A deadline as the plan writes them: a date, a month, or Ongoing."""
    if value == "Ongoing" or is_date(value) or (isinstance(value, str) and _MONTH.fullmatch(value)):
        return {}
    return {path: "must be a date YYYY-MM-DD, a month YYYY-MM, or Ongoing"}


def text_list(path, value, options=None):
    if not isinstance(value, list):
        return {path: "must be a list"}
    errors = {}
    for i, item in enumerate(value):
        item_path = f"{path}.{i}"
        errors.update(choice(item_path, item, options) if options else text(item_path, item, 500))
    return errors


def record(path, value, spec, required=()):
    """Check a mapping against {key: validator(path, value)}; unknown keys are errors."""
    if not isinstance(value, dict):
        return {path: "must be an object"}
    errors = {}
    for key, item in value.items():
        check = spec.get(key)
        item_path = f"{path}.{key}" if path else key
        if check is None:
            errors[item_path] = "is not a field of this kind"
        elif item is None and key not in required:
            continue  # an explicit null clears an optional field
        else:
            errors.update(check(item_path, item))
    return errors


def records(path, value, spec):
    if not isinstance(value, list):
        return {path: "must be a list"}
    errors = {}
    for i, item in enumerate(value):
        errors.update(record(f"{path}.{i}", item, spec))
    return errors


def blank(value):
    return value is None or (isinstance(value, (str, list, dict)) and not value)
