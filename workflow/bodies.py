"""The bodies meetings belong to: the EODB, the full Authority, the Senior Management Team,
the staff forums, and any other an administrator adds. Pure.

Each body has a stable key (what meetings, decisions and actions store) and a name an
administrator may change. The four the Corporate Equality Plan reports to are always there:
the reporting cycle (workflow.cycle) names them. A meeting stored before bodies existed has
none: it is the EODB's.
"""
import re

from workflow import fields
from workflow.errors import Invalid

EODB, AUTHORITY, SMT, STAFF_FORUMS = "eodb", "authority", "smt", "staff_forums"
DEFAULT = {EODB: "Equal Opportunities and Diversity Board", AUTHORITY: "Full Authority",
           SMT: "Senior Management Team", STAFF_FORUMS: "Staff forums"}
LIMIT = 100


def of(meeting):
    """The key of the body `meeting` belongs to (the EODB's when it says none)."""
    return meeting.get("body") or EODB


def name(names, key):
    """The name of body `key` in `names` ({key: name}); an unknown key is shown as it is."""
    return names.get(key, key)


def decider(names, key):
    """Who decided, at the head of a history comment: the EODB is "Board" (as it always was), others by name."""
    return "Board" if key == EODB else name(names, key)


def checked_key(names, key):
    """`key` if it names a body of `names`, the EODB's if none is given; Invalid otherwise."""
    if key in (None, ""):
        return EODB
    if not isinstance(key, str) or key not in names:
        raise Invalid("Choose the body the meeting belongs to.",
                      {"body": "Select a body: " + fields.either(list(names.values()))})
    return key


def renamed(names, given, added=None):
    """The bodies with each name in `given` ({key: new name}) and a new body named `added`
    (if any): {key: name}, in order. Every body keeps its key: none is removed, as meetings name it."""
    result, errors = dict(names), {}
    if not isinstance(given, dict):
        given = {}
    for key, value in given.items():
        if key not in names:
            continue
        problem = _name_problem(f"name.{key}", value)
        if problem:
            errors.update(problem)
        else:
            result[key] = value.strip()
    if isinstance(added, str) and added.strip():
        problem = _name_problem("added", added)
        errors.update(problem)
        if not problem:
            result[_new_key(result, added)] = added.strip()
    elif added is not None and not isinstance(added, str):
        errors["added"] = "Enter the new body's name as text"
    if not errors:
        errors.update(_repeated(result, names, {key for key in given if result.get(key) != names.get(key)}))
    if errors:
        raise Invalid("Correct the bodies shown.", errors)
    return result


def _repeated(result, names, changed):
    """An error on the input that gave a body another body's name (`changed`: the keys given a
    new name): each body needs its own name."""
    for key, value in result.items():
        twins = [other for other, name in result.items() if name.casefold() == value.casefold()]
        if len(twins) > 1:
            blamed = next((k for k in twins if k not in names or k in changed), twins[-1])
            return {f"name.{blamed}" if blamed in names else "added": "Give each body a name of its own"}
    return {}


def _name_problem(path, value):
    if not isinstance(value, str) or not value.strip():
        return {path: "Enter the body's name"}
    return fields.one_line(path, value, LIMIT)


def _new_key(names, title):
    base = re.sub(r"[^a-z0-9]+", "_", title.strip().casefold()).strip("_") or "body"
    key, n = base, 2
    while key in names:
        key, n = f"{base}_{n}", n + 1
    return key


def audience(names, *keys, then=False):
    """The bodies `keys` named in a sentence: "A and B", or "A first, then B" when `then`."""
    words = [name(names, key) for key in keys]
    if then and len(words) == 2:
        return f"{words[0]} first, then {words[1]}"
    return " and ".join(words)
