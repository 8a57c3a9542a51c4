"""A JSON body nested deeper than any real one is refused before anything parses it.

Python's JSON parser recurses once for each `[` or `{`: a body of 100,000 of them raises
RecursionError (not a ValueError, so `get_json(silent=True)` does not catch it), for
anyone, signed in or not. The body is measured without parsing: strings are cut out
(a bracket inside one is text), then the brackets left are counted.
"""
import re

from flask import request

from workflow.errors import WorkflowError

MAX_DEPTH = 32  # the deepest real body (an EqIA's mitigations) nests 5 levels
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(rb"[^\[\]{}]")
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class TooDeep(WorkflowError):
    status = 400


def refuse_deep_json():
    # The API reads every body as JSON whatever its type says (web.api.json_body, force=True); elsewhere
    # form bodies are read as forms (an uploaded file's bytes may hold any brackets) and the rest as JSON.
    asked = request._get_current_object()  # once: each use of Flask's `request` looks it up anew
    if asked.method in ("GET", "HEAD", "OPTIONS"):
        return
    if asked.mimetype in _FORMS and not asked.path.startswith("/api/"):
        return
    data = asked.get_data(cache=True)
    # Fewer brackets than the limit cannot nest past it: most bodies are not measured at all.
    if data.count(b"[") + data.count(b"{") > MAX_DEPTH and depth(data) > MAX_DEPTH:
        raise TooDeep(f"the JSON body is nested too deeply (more than {MAX_DEPTH} levels); nothing was changed",
                      {"body": "nested too deeply"})


def depth(data):
    """How deep the arrays and objects of a JSON text nest (malformed text: as far as it goes)."""
    deepest = level = 0
    for bracket in _NOT_BRACKETS.sub(b"", _STRINGS.sub(b"", data)):
        level += 1 if bracket in b"[{" else -1
        if level > deepest:
            deepest = level
            if deepest > MAX_DEPTH:  # no need to read further
                break
    return deepest
