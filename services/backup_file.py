"""A backup file read as a stream: its header checked, then its records and logs handed on a
record, or a document's history, at a time, each checked for the backup's shape as it comes: a
backup of any size, in any valid JSON layout, read in bounded memory.

Two readers give the same events (ijson.basic_parse's): the export's own layout, a record or
a history a line, is read a line at a time, each value that lies within its line decoded whole
(fast: C; by orjson, faster still, where it ends its line and orjson gives what the json module
would); any other layout (one line, pretty-printed) by ijson's C parser, its values built event
by event (several times slower). A record or a history read whole from
its line comes with its text (store.AsWritten), which staging copies as it lies instead of
encoding the value again, when the text is ASCII (as a snapshot holds it) and holds no NaN or
Infinity (which staging refuses, as JSON has no such number)."""
import json
import math

import ijson
import orjson

from store import AsWritten, long_digits

FORMAT, VERSION = "equality-governance-backup", 1
OPEN = ("start_map", "start_array")
CLOSE = ("end_map", "end_array")
WHOLE = "whole"  # the event of a value decoded whole (see _by_lines): (WHOLE, (value, its text or None))
_HEADER_SPAN = 1 << 16  # the export's first line (the header) is far shorter
_SPACE = " \t\r\n"  # JSON's whitespace


class _Reader:
    """The json module's reader (C), noting what it met that is no JSON number (NaN, Infinity,
    1e999) since it was last asked (seen_not_finite), so that such a value's text is not copied."""

    def __init__(self):
        self._not_finite = False
        self.decode = json.JSONDecoder(parse_constant=self._constant, parse_float=self._number).raw_decode

    def _constant(self, name):
        self._not_finite = True
        return float(name)

    def _number(self, text):
        number = float(text)
        self._not_finite = self._not_finite or not math.isfinite(number)
        return number

    def seen_not_finite(self):
        seen, self._not_finite = self._not_finite, False
        return seen


class NotABackup(ValueError):
    """Not a backup of this application (its reason in words)."""


class Misshapen(ValueError):
    """A backup whose records or logs are not in the backup's shape."""


def sections(f):
    """(is_log, collection, items) for each record collection and log of the backup open as `f`
    (binary), as store.stage takes them; NotABackup, Misshapen or ijson.JSONError as it goes."""
    events = _events(f)
    if next(events, None) != ("start_map", None):
        raise NotABackup("is not a backup of this application")
    header, found = {}, set()
    for event, name in events:
        if event == "end_map":
            _check(header)
            if found != {"records", "logs"}:
                raise Misshapen()
            return
        if name in ("records", "logs") and name not in found:
            _check(header)  # the export writes them after the header: a file that does not is no backup
            found.add(name)
            yield from _section(events, name == "logs")
        else:
            header[name] = _value(events, next(events))
    raise ijson.IncompleteJSONError("the file ends before the backup does")


def _check(header):
    if header.get("format") != FORMAT:
        raise NotABackup("is not a backup of this application")
    if header.get("version") != VERSION:
        raise NotABackup(f"is a backup of format version {header.get('version')}; this version reads version {VERSION}")


def _section(events, is_log):
    for collection, first in _members(events, next(events, (None, None)), "map"):
        items = _entries(events, first) if is_log else _records(events, first)
        yield is_log, collection, items
        for _ in items:  # whatever the reader left
            pass


def _records(events, first):
    for _, item in _members(events, first, "array"):
        record = _value(events, item)
        if not (isinstance(record, dict) and isinstance(record.get("id"), str) and record["id"]
                and type(record.get("version")) is int):
            raise Misshapen()
        yield _as_read(record, item)


def _entries(events, first):
    for key, item in _members(events, first, "map"):
        entries = _value(events, item)
        if not (isinstance(entries, list) and all(isinstance(e, dict) for e in entries)):
            raise Misshapen()
        yield key, _as_read(entries, item)


def _as_read(value, first):
    """`value`, with its text when it came whole with it (first: its first event)."""
    event, whole = first
    return AsWritten(value, whole[1]) if event == WHOLE and whole[1] is not None else value


def _members(events, first, kind):
    """(key, its value's first event) of the map (`kind` "map"), or (None, an item's first event)
    of the array ("array"), that begins with the event `first`, whether it came whole (WHOLE:
    it lay within a line) or comes in parts. Each value is to be read (_value) before the next."""
    event, value = first
    if event == WHOLE and isinstance(value[0], dict if kind == "map" else list):
        parts = value[0].items() if kind == "map" else ((None, v) for v in value[0])
        yield from ((k, (WHOLE, (v, None))) for k, v in parts)  # a part's text is not kept
        return
    if event != "start_" + kind:
        raise Misshapen()
    for event, value in events:
        if event == "end_" + kind:
            return
        yield (value, next(events)) if kind == "map" else (None, (event, value))
    raise ijson.IncompleteJSONError("the file ends before the backup does")


def _value(events, first):
    """The whole JSON value that begins with the event `first`."""
    event, value = first
    if event == WHOLE:
        return value[0]
    if event not in OPEN:
        return value
    builder, depth = ijson.ObjectBuilder(), 1
    builder.event(event, value)
    for event, value in events:
        builder.event(event, value[0] if event == WHOLE else value)  # ObjectBuilder takes it as a scalar
        depth += (event in OPEN) - (event in CLOSE)
        if depth == 0:
            return builder.value
    raise ijson.IncompleteJSONError("the file ends inside a value")


def _events(f):
    first = f.readline(_HEADER_SPAN)
    f.seek(0)
    if first.endswith(b"\n"):
        return _by_lines(f)
    return ijson.basic_parse(f, use_float=True)


def _by_lines(f):
    """basic_parse's events, read a line at a time: a value that lies within its line comes as
    one (WHOLE, (value, its text)) event; one that goes on past it as its start, then its parts."""
    stack, want_key = [], False  # the open containers ("map"/"array"); whether a map's key comes next
    reader = _Reader()
    for line in f:
        text = line.decode("utf-8")
        i, end = 0, len(text)
        while i < end:
            c = text[i]
            if c in " \t\r\n:":
                i += 1
            elif c == ",":
                want_key, i = stack[-1:] == ["map"], i + 1
            elif c in "}]":
                if not stack or stack.pop() != ("map" if c == "}" else "array"):
                    raise ijson.JSONError(f"a stray {c!r}")
                yield ("end_map" if c == "}" else "end_array"), None
                i += 1
            elif want_key:
                key, i = reader.decode(text, i)
                if not isinstance(key, str):
                    raise ijson.JSONError("a map's key is not a string")
                want_key = False
                yield "map_key", key
            else:
                value = _decoded(reader, line, text, i, whole=bool(stack))  # the backup itself is never read whole
                if value is None:
                    stack.append("map" if c == "{" else "array")
                    want_key, i = c == "{", i + 1
                    yield ("start_map" if c == "{" else "start_array"), None
                else:
                    yield WHOLE, (value[0], None if reader.seen_not_finite() else _text(text, i, value[1]))
                    i = value[1]
    if stack:
        raise ijson.IncompleteJSONError("the file ends before the backup does")


def _text(text, start, end):
    """The ASCII bytes of the container read from text[start:end], if staging may copy them as they lie."""
    value = text[start:end]
    return value.encode("ascii") if value.isascii() and value[0] in "{[" else None


def _decoded(reader, line, text, i, whole):
    """(the value at `i`, where it ends) if it lies within `text` (its line, `line` its bytes);
    None for a container that goes on past it (or, unless `whole`, any container)."""
    container = text[i] in "{["
    if container and not whole:
        return None
    if container:
        found = _ending(line, text, i)
        if found is not None:
            return found
    try:
        return reader.decode(text, i)
    except ValueError as exc:
        if container:
            return None
        raise ijson.JSONError(str(exc)) from exc


def _ending(line, text, i):
    """(the container at `i`, where it ends) read by orjson where it ends its line (a comma aside),
    else None. Where orjson reads the text from `i` to there whole, it is that one value, as the json
    module reads it: orjson refuses NaN, Infinity and numbers beyond a double (which _Reader notes),
    and a line where it would read an integer as a float is not given to it."""
    end = len(text.rstrip(_SPACE))
    if text[end - 1] == ",":
        end = len(text[:end - 1].rstrip(_SPACE))
    if long_digits(line):  # orjson would read an integer beyond 64 bits as a float: left to json
        return None
    try:
        return orjson.loads(text[i:end]), end
    except orjson.JSONDecodeError:
        return None
