"""Text sent to be saved is refused whole if it holds the NUL character (U+0000).

No field means anything by it, and PostgreSQL cannot keep it in JSON (jsonb): the
same request would be saved on TinyDB and refused by the store on PostgreSQL (a 503,
as if the server were down). One check as each POST, PUT or PATCH arrives: its query,
form fields and file names, and every key and string of a JSON body. Reads are left to
their routes (a search for it finds nothing), and uploaded files' contents are bytes,
not text, with checks of their own.
"""
from flask import request

from workflow.errors import Invalid

NUL = "\x00"
MESSAGE = "Remove the NUL character (U+0000): text cannot hold it"
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse_nul():
    where = _first_nul()
    if where is not None:
        raise Invalid("Text cannot hold the NUL character (U+0000), so nothing was changed", {where: MESSAGE})


def _first_nul():
    """Where the first NUL is ("query.kind", "title", "fields.subject"...), or None.
    Form fields and JSON keys go by the same names, as the API and the pages name fields alike."""
    asked = request._get_current_object()  # once: each use of Flask's `request` looks it up anew
    if asked.method not in ("POST", "PUT", "PATCH"):
        return None
    found = asked.query_string and _in_pairs("query.", asked.args)  # most writes have no query to parse
    if found:
        return found
    if asked.mimetype in _FORMS:
        return _in_pairs("", asked.form) or next(
            (f"files.{_shown(name)}" for name, upload in asked.files.items(multi=True)
             if NUL in name or NUL in (upload.filename or "")), None)
    # JSON writes a NUL only as the escape \u0000 (a raw control character is not JSON), so a UTF-8 body
    # without one needs no walk. UTF-16 and UTF-32 bodies, which json.loads reads too, hold zero bytes.
    body = asked.get_data(cache=True)
    if b"\\u0000" not in body and b"\x00" not in body:
        return None
    # As the API reads its bodies (web.api.json_body); cached, so the body is parsed once.
    return _in_json(asked.get_json(force=True, silent=True), ())


def _in_pairs(prefix, pairs):
    return next((prefix + _shown(name) for name, value in pairs.items(multi=True)
                 if NUL in name or NUL in value), None)


def _in_json(body, path):
    # Iterative: a body may nest as deep as the JSON parser allows, deeper than recursion here would.
    waiting = [(body, path)]
    while waiting:
        value, path = waiting.pop()
        if isinstance(value, str):
            if NUL in value:
                return ".".join(path) or "body"
            continue
        if isinstance(value, dict):
            for key in value:
                if NUL in key:
                    return ".".join((*path, _shown(key)))
            items = value.items()
        elif isinstance(value, list):
            items = ((str(i), item) for i, item in enumerate(value))
        else:
            continue
        waiting.extend(reversed([(item, (*path, key)) for key, item in items]))
    return None


def _shown(name):
    """A name as the answer can show it: the NUL itself written out."""
    return name.replace(NUL, "\\u0000")
