"""What changed between two versions of a document, field by field, and in words."""
from workflow import numbers, strands
from workflow.fields import NAMES

_MISSING = object()

# A row of a list of records, by the list's name: "mitigating action 2".
ROW_WORDS = {"mitigations": "mitigating action", "progress": "progress entry", "targets": "target",
             "evidence": "piece of evidence", "sections": "section", "eqia_appendix": "impact assessment",
             "other_objectives": "objective not linked"}


def _flatten(value, path, out):
    """Leaves of a JSON value by dotted path; lists by position (mitigations.0.owner)."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else key, out)
    elif isinstance(value, list) and value and any(isinstance(item, (dict, list)) for item in value):
        for i, item in enumerate(value):
            _flatten(item, f"{path}.{i}", out)
    else:
        out[path] = value
    return out


def differences(before, after):
    """[{field, before, after}] for every leaf that differs; None stands for absent.

    `before` and `after` are {"title": ..., "fields": {...}} as readers see them.
    """
    old = _flatten(before["fields"], "", {"title": before["title"]})
    new = _flatten(after["fields"], "", {"title": after["title"]})
    changes = []
    for path in list(old) + [p for p in new if p not in old]:
        was, now = old.get(path, _MISSING), new.get(path, _MISSING)
        if was != now:
            changes.append({"field": path, "before": None if was is _MISSING else was,
                            "after": None if now is _MISSING else now})
    return changes


def field_words(path):
    """A field's dotted path in words: 'full_assessment.mitigations.0.owner' ->
    'Full assessment: mitigating action 1: owner'; 'screening.age.impact' -> 'Screening: Age: impact'."""
    sentence = _words(path)
    return sentence[:1].upper() + sentence[1:]


def _words(path):
    parts, words = path.split("."), []
    for index, part in enumerate(parts):
        following = parts[index + 1] if index + 1 < len(parts) else ""
        if numbers.is_id(part):
            continue  # said with the list before it
        if numbers.is_id(following):
            words.append(f"{ROW_WORDS.get(part, NAMES.get(part, part))} {int(following) + 1}")
        else:
            words.append(strands.LABELS.get(part) or NAMES.get(part) or part.replace("_", " "))
    return ": ".join(words)


def changed_parts(before, after, keys):
    """The paths changed among `keys` of two mappings, a record's changed keys named
    one level down (full_assessment.evidence), anything else by its own key."""
    parts = []
    for key in keys:
        was, now = before.get(key), after.get(key)
        if isinstance(was, dict) and isinstance(now, dict):
            inner = [name for name in list(was) + [n for n in now if n not in was] if was.get(name) != now.get(name)]
            parts.extend(f"{key}.{name}" for name in inner)
        else:
            parts.append(key)
    return parts


def edit_words(entry):
    """What an edit in the history changed, in words: "Changed the title; the full assessment:
    evidence, mitigating actions". Entries written before the parts were recorded name
    only the fields, in their comment ("changed title, full_assessment"): history is
    never rewritten, so those are translated as they stand."""
    paths = entry.get("changed")
    if paths is None:
        comment = entry.get("comment") or ""
        if not comment.startswith("changed "):
            return "Saved without changes" if comment == "saved without changes" else None
        paths = comment.removeprefix("changed ").split(", ")
    grouped = {}
    for path in paths:
        field, _, part = path.partition(".")
        grouped.setdefault(field, [])
        if part:
            grouped[field].append(_words(part))
    said = [f"the {_words(field)}" + (": " + ", ".join(inner) if inner else "")
            for field, inner in grouped.items()]
    return "Changed " + "; ".join(said)
