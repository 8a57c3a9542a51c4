"""Rows for PostgreSQL's COPY ... FROM STDIN in its text format, written in blocks: a restore
sends each record's JSON text as it lies (the server parses it into jsonb), not a Python value
encoded again row by row (psycopg's write_row costs more than the COPY itself)."""
from __future__ import annotations

import json

from . import snapshot

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_BLOCK = 1 << 20  # characters sent to the server at a time


def field(value) -> str:
    """One column's value in COPY's text format (\\N for NULL)."""
    return "\\N" if value is None else str(value).translate(_ESCAPES)


def line(*values) -> str:
    return "\t".join(field(v) for v in values) + "\n"


def write(copy, lines) -> int:
    """Send `lines` through psycopg's `copy` in blocks; how many were sent."""
    block, size, count = [], 0, 0
    for text in lines:
        block.append(text)
        size += len(text)
        count += 1
        if size >= _BLOCK:
            copy.write("".join(block))
            block, size = [], 0
    if block:
        copy.write("".join(block))
    return count


def staged_records(staged):
    """(collection, key, version, the record's JSON text) of a staged backup, as they lie."""
    for table, rows in staged.tables():
        if not table.startswith(snapshot.LOG_PREFIX):
            for key, raw in rows:
                yield table, key, json.loads(raw)["version"], raw.decode()


def staged_entries(staged):
    """(collection, key, an entry's JSON text) of a staged backup's logs, in order."""
    for table, rows in staged.tables():
        if table.startswith(snapshot.LOG_PREFIX):
            for key, raw in rows:
                for entry in json.loads(raw)["entries"]:
                    yield table[len(snapshot.LOG_PREFIX):], key, snapshot.dumps(entry).decode()
