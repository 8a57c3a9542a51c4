"""A backup file read as a stream (ijson's C parser): its header checked, then its records and
logs handed on a record, or a document's history, at a time, each checked for the backup's
shape as it comes: a backup of any size, in any valid JSON layout, read in bounded memory."""
import ijson

FORMAT, VERSION = "equality-governance-backup", 1
OPEN = ("start_map", "start_array")
CLOSE = ("end_map", "end_array")


class NotABackup(ValueError):
    """Not a backup of this application (its reason in words)."""


class Misshapen(ValueError):
    """A backup whose records or logs are not in the backup's shape."""


def sections(f):
    """(is_log, collection, items) for each record collection and log of the backup open as `f`
    (binary), as store.stage takes them; NotABackup, Misshapen or ijson.JSONError as it goes."""
    events = ijson.basic_parse(f, use_float=True)
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
    _expect(events, "start_map")
    for event, collection in events:
        if event == "end_map":
            return
        items = _entries(events) if is_log else _records(events)
        yield is_log, collection, items
        for _ in items:  # whatever the reader left
            pass


def _records(events):
    _expect(events, "start_array")
    for first in events:
        if first[0] == "end_array":
            return
        record = _value(events, first)
        if not (isinstance(record, dict) and isinstance(record.get("id"), str) and record["id"]
                and type(record.get("version")) is int):
            raise Misshapen()
        yield record


def _entries(events):
    _expect(events, "start_map")
    for event, key in events:
        if event == "end_map":
            return
        entries = _value(events, next(events))
        if not (isinstance(entries, list) and all(isinstance(e, dict) for e in entries)):
            raise Misshapen()
        yield key, entries


def _expect(events, wanted):
    if next(events, (None, None))[0] != wanted:
        raise Misshapen()


def _value(events, first):
    """The whole JSON value that begins with the event `first`."""
    event, value = first
    if event not in OPEN:
        return value
    builder, depth = ijson.ObjectBuilder(), 1
    builder.event(event, value)
    for event, value in events:
        builder.event(event, value)
        depth += (event in OPEN) - (event in CLOSE)
        if depth == 0:
            return builder.value
    raise ijson.IncompleteJSONError("the file ends inside a value")
