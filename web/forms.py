"""The document form: HTML inputs <-> a kind's fields, and the words pages show for codes.

Every input is named by the path the domain uses in its error details
("fields.screening.age.impact"), so a refusal maps back to the input it is
about. Empty inputs mean "not given": the key is left out. Rows (mitigations,
targets) that are wholly empty are skipped; a row's place in the saved list
then differs from its place on the form, which `input_errors` accounts for.
"""
import re

from workflow.fields import STRANDS
from workflow.kinds import objective

ROWS = 3  # blank rows offered for mitigations and targets (at least one spare)

STATE_WORDS = {"draft": "Draft", "screened": "Screened", "assessed": "Assessed (awaiting sign-off)",
               "approved": "Approved", "reviewed": "Reviewed by the Board"}
STRAND_WORDS = {"race": "Race", "gender": "Gender", "disability": "Disability", "age": "Age",
                "sexual_orientation": "Sexual orientation", "religion_belief": "Religion or belief"}
IMPACT_WORDS = {"positive": "Positive", "negative": "Negative", "neutral": "Neutral", "unknown": "Unknown"}
TRIGGER_WORDS = {"new": "A new policy, strategy or project",
                 "review": "A review of an existing policy",
                 "requested": "Required by a committee or the SMT"}
OUTCOME_WORDS = {"no_change": "No major change", "adjust": "Adjust the policy",
                 "justify_continue": "Justify and continue", "stop": "Stop and remove the policy"}
WORDS = {"state": STATE_WORDS, "strand": STRAND_WORDS, "impact": IMPACT_WORDS,
         "trigger": TRIGGER_WORDS, "outcome": OUTCOME_WORDS, "status": objective.STATUS_WORDS}

# The top-level keys each kind's form edits; others (objective progress) are left alone.
FORM_KEYS = {
    "eqia": ("subject", "trigger", "lead_organisation", "review_date", "screening", "full_assessment"),
    "objective": ("heading", "theme", "action", "deadline", "outcomes", "leads", "strands",
                  "standard_level"),
    "team_plan": ("period", "coordinator", "targets"),
}
MITIGATIONS = "fields.full_assessment.mitigations"
TARGETS = "fields.targets"
ROW_GROUPS = {MITIGATIONS: ("strand", "action", "owner", "deadline"),
              TARGETS: ("target", "objectives", "deadline", "strands")}


def _text(form, name):
    """A textarea: kept as written (Markdown), None when blank."""
    value = (form.get(name) or "").replace("\r\n", "\n")
    return value if value.strip() else None


def _line(form, name):
    return (form.get(name) or "").strip() or None


def _checked(form, name):
    return bool(form.get(name))


def _compact(mapping):
    mapped = {key: value for key, value in mapping.items() if value is not None}
    return mapped or None


def _filled_rows(form, prefix):
    """The form's row numbers under `prefix` that hold anything, in order."""
    pattern = re.compile(re.escape(prefix) + r"\.(\d+)\.")
    filled = set()
    for key in form.keys():
        match = pattern.match(key)
        if match and any(v.strip() for v in form.getlist(key)):
            filled.add(int(match.group(1)))
    return sorted(filled)


def _eqia(form):
    screening = {}
    for strand in STRANDS:
        p = f"fields.screening.{strand}."
        answer = {"impact": _line(form, p + "impact"), "evidence": _text(form, p + "evidence")}
        flags = {"differential": _checked(form, p + "differential"),
                 "intended": _checked(form, p + "intended")}
        if any(answer.values()) or any(flags.values()):
            screening[strand] = {**(_compact(answer) or {}), **flags}
    full = {key: _text(form, f"fields.full_assessment.{key}")
            for key in ("evidence", "consultation", "justification", "monitoring")}
    full["outcome"] = _line(form, "fields.full_assessment.outcome")
    mitigations = []
    for i in _filled_rows(form, MITIGATIONS):
        p = f"{MITIGATIONS}.{i}."
        mitigations.append(_compact({"strand": _line(form, p + "strand"), "action": _text(form, p + "action"),
                                     "owner": _line(form, p + "owner"), "deadline": _line(form, p + "deadline")}))
    full["mitigations"] = mitigations or None
    return {"subject": _text(form, "fields.subject"), "trigger": _line(form, "fields.trigger"),
            "lead_organisation": _line(form, "fields.lead_organisation"),
            "review_date": _line(form, "fields.review_date"),
            "screening": screening or None, "full_assessment": _compact(full)}


def _objective(form):
    leads = [line.strip() for line in (form.get("fields.leads") or "").splitlines() if line.strip()]
    level = _line(form, "fields.standard_level")
    return {"heading": _line(form, "fields.heading"), "theme": _line(form, "fields.theme"),
            "action": _text(form, "fields.action"), "deadline": _line(form, "fields.deadline"),
            "outcomes": _text(form, "fields.outcomes"), "leads": leads or None,
            "strands": [s for s in form.getlist("fields.strands") if s] or None,
            "standard_level": int(level) if level and level.isdigit() else level}


def _team_plan(form):
    targets = []
    for i in _filled_rows(form, TARGETS):
        p = f"{TARGETS}.{i}."
        ids = [item.strip() for item in (form.get(p + "objectives") or "").split(",") if item.strip()]
        targets.append(_compact({"target": _text(form, p + "target"), "objectives": ids or None,
                                 "deadline": _line(form, p + "deadline"),
                                 "strands": [s for s in form.getlist(p + "strands") if s] or None}))
    return {"period": _line(form, "fields.period"), "coordinator": _line(form, "fields.coordinator"),
            "targets": targets or None}


_BUILD = {"eqia": _eqia, "objective": _objective, "team_plan": _team_plan}


def fields_from_form(kind, form):
    """A new document's fields from the posted form: only what was given."""
    return _compact(_BUILD[kind](form)) or {}


def changes_from_form(kind, form, locked=()):
    """An edit's changes: every key the form shows, None clearing what was emptied;
    locked keys (screening once screened) are not sent at all."""
    built = _BUILD[kind](form)
    return {key: built.get(key) for key in FORM_KEYS[kind] if key not in locked}


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
        if fields:
            values[prefix] = ["on"]
    elif fields is not None:
        values[prefix] = [str(fields)]
    return values


def input_name(path, rows):
    """The input an error path is about: saved row numbers become form row numbers,
    and an item of a list (fields.leads.0) points at the list's input."""
    for prefix, filled in rows.items():
        if path.startswith(prefix + "."):
            index, _, tail = path[len(prefix) + 1:].partition(".")
            if index.isdigit() and int(index) < len(filled):
                path = f"{prefix}.{filled[int(index)]}" + (f".{tail}" if tail else "")
    parts = path.split(".")
    if len(parts) > 2 and parts[-1].isdigit() and not parts[-2].isdigit():
        path = ".".join(parts[:-1])
    return path


def input_errors(form, details):
    """{input name: message} for the domain's {field path: message}."""
    rows = {prefix: _filled_rows(form, prefix) for prefix in ROW_GROUPS}
    errors = {}
    for path, message in (details or {}).items():
        if isinstance(message, str):
            name = input_name(path, rows)
            errors[name] = f"{errors[name]}; {message}" if name in errors else message
    return errors


def path_words(path):
    """'fields.screening.age.impact' -> 'Screening: Age: Impact', for the error summary."""
    words = []
    for part in path.removeprefix("fields.").split("."):
        if part.isdigit():
            words.append(f"row {int(part) + 1}")
        else:
            words.append(STRAND_WORDS.get(part, part.replace("_", " ").capitalize()))
    return ": ".join(words)


class FormState:
    """What a document form shows: values per input, errors per input, and the summary."""

    def __init__(self, values=None, errors=None, summary=(), locked=()):
        self.values = values or {}
        self.errors = errors or {}
        self.summary = list(summary)
        self.locked = tuple(f"fields.{key}" for key in locked)

    @classmethod
    def posted(cls, form, exc, kept=None, locked=()):
        """Re-show a refused form: what was typed, plus `kept` values for locked inputs."""
        values = {key: form.getlist(key) for key in form.keys() if key not in ("csrf_token", "version")}
        for name, value in (kept or {}).items():
            if any(name == key or name.startswith(key + ".") for key in (f"fields.{k}" for k in locked)):
                values[name] = value
        errors = input_errors(form, exc.details)
        rows = {prefix: _filled_rows(form, prefix) for prefix in ROW_GROUPS}
        summary = []
        for path, message in exc.details.items():
            items = message if isinstance(message, list) else [message]
            for item in items:
                label = path_words(path) if isinstance(message, str) else None
                summary.append((label, str(item), input_name(path, rows)))
        return cls(values, errors, summary, locked)

    def value(self, name):
        return (self.values.get(name) or [""])[0]

    def all(self, name):
        return self.values.get(name) or []

    def error(self, name):
        return self.errors.get(name)

    def is_locked(self, name):
        return any(name == key or name.startswith(key + ".") for key in self.locked)

    def rows(self, prefix):
        """How many rows to offer: at least ROWS, and one spare after the last filled."""
        pattern = re.compile(re.escape(prefix) + r"\.(\d+)\.")
        filled = [int(m.group(1)) for key, vals in self.values.items()
                  if (m := pattern.match(key)) and any(v.strip() for v in vals)]
        return max(ROWS, max(filled) + 2 if filled else 0)


def posted_version(form):
    """The version the form was rendered with; anything else is refused by Documents."""
    value = (form.get("version") or "").strip()
    return int(value) if value.isdigit() else None
