"""What changed between two revisions of a document, field by field."""

_MISSING = object()


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
