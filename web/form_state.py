"""The state of a form on a page: what it shows (values, errors, words for codes) and how inputs are read.

Every input is named by the path the domain uses in its error details
("fields.screening.age.impact"), so a refusal maps back to the input it is
about. Empty inputs mean "not given": the key is left out. Rows (mitigations,
targets, progress) that are wholly empty are skipped; a row's place in the
saved list then differs from its place on the form, which `input_name`
accounts for. Which inputs make which fields, per kind: web/kind_forms.py.
"""
import re

from workflow import machine, numbers, strands
from workflow.kinds import objective

STATE_WORDS = machine.STATE_WORDS
STRAND_WORDS = strands.LABELS  # every set's strands: old records and new are both shown in words
IMPACT_WORDS = {"positive": "Positive", "negative": "Negative", "neutral": "Neutral", "unknown": "Unknown"}
TRIGGER_WORDS = {"new": "A new policy, strategy or project",
                 "review": "A review of an existing policy",
                 "requested": "Required by a committee or the SMT"}
OUTCOME_WORDS = {"no_change": "No major change: the policy stands",
                 "adjust": "Adjust the policy",
                 "justify_continue": "Continue the policy, with the justification given",
                 "stop": "Stop and remove the policy"}
WORDS = {"state": STATE_WORDS, "strand": STRAND_WORDS, "impact": IMPACT_WORDS,
         "trigger": TRIGGER_WORDS, "outcome": OUTCOME_WORDS, "status": objective.STATUS_WORDS,
         "yes_no": {"yes": "Yes", "no": "No"},
         "level": {str(level): f"Level {level}" for level in objective.LEVELS}}

MITIGATIONS = "fields.full_assessment.mitigations"
TARGETS = "fields.targets"
PROGRESS = "fields.progress"
EVIDENCE = "fields.evidence"
ROW_GROUPS = (MITIGATIONS, TARGETS, PROGRESS, EVIDENCE)


def text(form, name):
    """A textarea: kept as written (Markdown), None when blank."""
    value = (form.get(name) or "").replace("\r\n", "\n")
    return value if value.strip() else None


def line(form, name):
    return (form.get(name) or "").strip() or None


def yes(form, name):
    """A Yes/No radio pair; not answered counts as No."""
    return form.get(name) == "yes"


def choices(form, name):
    return [value for value in form.getlist(name) if value] or None


def compact(mapping):
    mapped = {key: value for key, value in mapping.items() if value is not None}
    return mapped or None


def _row_numbers(keys, prefix, filled=lambda key: True):
    pattern = re.compile(re.escape(prefix) + r"\.([0-9]+)\.")
    return sorted({int(m.group(1)) for key in keys if (m := pattern.match(key)) and filled(key)})


def filled_rows(form, prefix):
    """The form's row numbers under `prefix` that hold anything, in order; a row
    whose "remove" box is ticked is left out (one that cannot be emptied: an uploaded file)."""
    removed = _row_numbers(form.keys(), prefix, lambda key: key.endswith(".remove") and yes(form, key))
    filled = _row_numbers(form.keys(), prefix, lambda key: any(v.strip() for v in form.getlist(key)))
    return [number for number in filled if number not in removed]


def rows(form, prefix, build):
    """The filled rows under `prefix`, each made by build(form, "prefix.N.")."""
    return [build(form, f"{prefix}.{i}.") for i in filled_rows(form, prefix)] or None


def form_values(fields, prefix="fields"):
    """Stored fields as {input name: [values]}, the shape of a posted form."""
    values = {}
    if isinstance(fields, dict):
        for key, value in fields.items():
            values.update(form_values(value, f"{prefix}.{key}"))
    elif isinstance(fields, list) and fields and all(isinstance(item, dict) for item in fields):
        for i, item in enumerate(fields):
            values.update(form_values(item, f"{prefix}.{i}"))
    elif isinstance(fields, list):
        values[prefix] = [str(item) for item in fields]
    elif isinstance(fields, bool):
        values[prefix] = ["yes" if fields else "no"]
    elif fields is not None:
        values[prefix] = [str(fields)]
    return values


def input_name(path, rows_filled):
    """The input an error path is about: saved row numbers become form row numbers,
    and an item of a list (fields.leads.0) points at the list's input."""
    for prefix, filled in rows_filled.items():
        if path.startswith(prefix + "."):
            index, _, tail = path[len(prefix) + 1:].partition(".")
            row = numbers.whole(index, high=len(filled) - 1)
            if row is not None:
                path = f"{prefix}.{filled[row]}" + (f".{tail}" if tail else "")
    parts = path.split(".")
    if len(parts) > 2 and numbers.is_id(parts[-1]) and not numbers.is_id(parts[-2]):
        path = ".".join(parts[:-1])
    return path


def _covered(name, keys):
    return any(name == key or name.startswith(key + ".") for key in keys)


class FormState:
    """What a document form shows: values per input, errors per input, and the summary.

    `adding` names the row group whose "Add another" button was pressed: it
    gets one more empty row."""

    def __init__(self, values=None, errors=None, summary=(), locked=(), adding=None):
        self.values = values or {}
        self.errors = errors or {}
        self.summary = list(summary)
        self.locked = tuple(f"fields.{key}" for key in locked)
        self.adding = adding

    @classmethod
    def posted(cls, form, exc=None, kept=None, locked=(), adding=None):
        """Re-show a posted form: what was typed, plus `kept` values for locked
        (disabled, so never posted) inputs, and the refusal `exc` if any."""
        values = {key: form.getlist(key) for key in form.keys() if key not in ("csrf_token", "version", "add")}
        locked_names = [f"fields.{key}" for key in locked]
        values.update({name: value for name, value in (kept or {}).items() if _covered(name, locked_names)})
        rows_filled = {prefix: filled_rows(form, prefix) for prefix in ROW_GROUPS}
        errors, summary = {}, []
        for path, message in _messages(exc.details if exc else {}):
            if path == "version":
                continue  # the summary offers a reload instead
            name = input_name(path, rows_filled) if path else None
            if not isinstance(message, str):  # a list, such as the bad lines of a file: each in the summary
                summary.extend((None, str(item), name) for item in message)
            elif name is None or name not in errors:  # one message per field: the first said
                if name is not None:
                    errors[name] = message
                summary.append((None, message, name))
        return cls(values, errors, summary, locked, adding)

    def value(self, name):
        return (self.values.get(name) or [""])[0]

    def all(self, name):
        return self.values.get(name) or []

    def error(self, name):
        return self.errors.get(name)

    def is_locked(self, name):
        return _covered(name, self.locked)

    def rows(self, prefix):
        """How many rows to show: every row the form or the document has (at least
        one), and one more when "Add another" was pressed."""
        shown = max(_row_numbers(self.values, prefix), default=-1) + 1
        return max(shown, 1) + (1 if self.adding == prefix else 0)


def _messages(details):
    """(input path or None, sentence) for each thing a refusal says: its field errors, or
    a step's unmet conditions (workflow.policy: those about a field are keyed by it)."""
    if not isinstance(details.get("unmet"), list):
        return list(details.items())
    placed = details.get("fields") or {}
    return list(placed.items()) + [(None, words) for words in details["unmet"] if words not in placed.values()]


def adding(form):
    """The row group whose "Add another" button was pressed, if one was."""
    name = form.get("add")
    return name if name in ROW_GROUPS else None


def posted_version(form):
    """The version the form was rendered with; anything else is refused by Documents."""
    value = (form.get("version") or "").strip()
    return numbers.whole(value)
