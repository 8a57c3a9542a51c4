"""Rows for PostgreSQL's COPY ... FROM STDIN (FORMAT binary), written in blocks: a restore sends
each record's, and each history entry's, JSON text byte for byte as it lies in the staged backup
(the server parses it into jsonb), with nothing escaped (psycopg's write_row, or COPY's text
format with every backslash doubled, cost more than the COPY itself).

The format (PostgreSQL's "COPY", binary format): a signature and two zero words, then each row
as its number of fields and each field as its length in bytes (-1: NULL) and its bytes (text:
UTF-8; bigint and integer: big-endian; jsonb: a version byte, 1, then the JSON text), then -1."""
from __future__ import annotations

import json
import re
import struct

import orjson

from . import snapshot

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
END = struct.pack(">h", -1)
NULL = struct.pack(">i", -1)
_BLOCK = 1 << 20  # bytes sent to the server at a time
_COUNT = struct.Struct(">h")
_LENGTH = struct.Struct(">i")
_BIGINT = struct.Struct(">iq")  # its length (8), then the number
_INTEGER = struct.Struct(">ii")  # its length (4), then the number
_JSONB = struct.Struct(">ib")  # its length (the text's + 1), then jsonb's version byte (1)
_DECODE = json.JSONDecoder().raw_decode
_BETWEEN = re.compile(r"[ \t\n\r,]*")  # what lies between the entries of a (valid) JSON array
_OPEN, _CLOSE = b'{"entries":[', b"]}"


def write(copy, rows) -> int:
    """Send the signature, `rows` (each one's bytes, see record and entry) and the end through
    psycopg's `copy` in blocks; how many rows were sent."""
    block, size, count = [SIGNATURE], 0, 0
    for row in rows:
        block.append(row)
        size += len(row)
        count += 1
        if size >= _BLOCK:
            copy.write(b"".join(block))
            block, size = [], 0
    block.append(END)
    copy.write(b"".join(block))
    return count


def text(value: str) -> bytes:
    data = value.encode()
    return _LENGTH.pack(len(data)) + data


def bigint(value: int | None) -> bytes:
    return NULL if value is None else _BIGINT.pack(8, value)


def record(collection: bytes, key: str, num: int | None, version: int, data: bytes, seq: bytes) -> bytes:
    """A store_records row (collection, key, num, version, data, seq): `collection` and `seq`
    as text() and bigint() give them (the same for every row of a load), `data` the JSON text."""
    return b"".join((_COUNT.pack(6), collection, text(key), bigint(num), _INTEGER.pack(4, version),
                     _JSONB.pack(len(data) + 1, 1), data, seq))


def entry_head(collection: str, key: str) -> bytes:
    """What every store_logs row of one log begins with: its count of fields, collection and key."""
    return _COUNT.pack(3) + text(collection) + text(key)


def entry(head: bytes, data: bytes) -> bytes:
    """A store_logs row (collection, key, entry): `head` as entry_head gives it, `data` the
    entry's JSON text."""
    return head + _JSONB.pack(len(data) + 1, 1) + data


def staged_records(staged, seq: int, number):
    """The store_records rows of a staged backup's records, as they lie; `number(key)`: num."""
    stamp = bigint(seq)
    for table, rows in staged.record_tables():
        collection, versions = text(table), staged.versions[table]
        for key, raw in rows:
            yield record(collection, key, number(key), versions[key], raw, stamp)


def staged_entries(staged):
    """The store_logs rows of a staged backup's logs, each entry's text as it lies, in order;
    each log's entries, as read to find their texts, handed to ``staged.log_seen(collection, key,
    entries)`` where it has one (not None), once its rows are sent."""
    for table, rows in staged.log_tables():
        collection = table[len(snapshot.LOG_PREFIX):]
        for key, raw in rows:
            head = entry_head(collection, key)
            texts, entries = entries_read(raw)
            yield from (entry(head, data) for data in texts)
            if staged.log_seen is not None:
                staged.log_seen(collection, key, entries)


def entries_read(raw: bytes) -> tuple[list[bytes], list]:
    """The JSON text of each entry of a staged log row ({"entries": [...]}, ASCII, as
    store/staged.py writes it), byte for byte as it lies there; and the entries read.

    The row is read whole by orjson (faster than json reading entry by entry), each entry's text
    its orjson encoding, where those texts make up the row byte for byte (as the export writes a
    history); then json reads the same: what orjson reads otherwise it refuses (NaN, a lone
    surrogate) or writes back otherwise (an integer beyond 64 bits, read as a float; a key given
    twice). Any other row (spaces, non-ASCII text, which orjson writes as UTF-8) is read entry
    by entry by json, each entry's text found by reading it."""
    try:
        entries = orjson.loads(raw)["entries"]
        texts = [orjson.dumps(entry) for entry in entries]
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):  # e.g. nested deeper than orjson goes
        pass
    else:
        if b"".join((_OPEN, b",".join(texts), _CLOSE)) == raw:
            return texts, entries
    line = raw.decode("ascii")
    i, texts, entries = line.index("[") + 1, [], []
    while True:
        i = _BETWEEN.match(line, i).end()
        if line[i] == "]":
            return texts, entries
        value, end = _DECODE(line, i)
        texts.append(line[i:end].encode("ascii"))
        entries.append(value)
        i = end
