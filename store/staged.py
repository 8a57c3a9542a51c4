"""A backup staged on disk: its contents written as a snapshot file (store/snapshot.py's layout,
every table left on disk) in a scratch directory, then read back a record at a time.

A backup too large for memory is checked there (run.py verify's checks read it as a store)
before anything is loaded, and loaded from there (``Store.load_staged``), so the process
holds one record, or one document's history, at a time however large the backup: a
TinyDB store copies the staged tables into its new snapshot as they lie, PostgreSQL
COPYs them in one transaction.
"""
from __future__ import annotations

import contextlib
import json
import os
import struct
import tempfile
import zlib
from typing import NamedTuple

from . import snapshot
from .base import Store, StoreError
from .on_disk import ENTRIES, LOG, OnDisk
from .records import matching


class AsWritten(NamedTuple):
    """A record, or a log's entries, with the JSON text it was read from (ASCII bytes, finite
    numbers only): staged as it lies, not encoded again."""

    value: object
    text: bytes


def _value_and_text(item):
    return (item.value, item.text) if isinstance(item, AsWritten) else (item, None)


def stage(directory: str, sections, noting=None, copying=None) -> Staged:
    """Write ``sections`` into a snapshot file in ``directory``; the Staged store reading it.

    ``sections``: (is_log, collection, items) triples, taken in turn, each ``items`` read as
    it is written: a record collection's records (dicts with ``id`` and ``version``), or a log
    collection's (key, [entry, ...]) pairs; a record or a list of entries may come as AsWritten,
    its text then written as it is. ValueError names a collection or key met twice, or a name no
    store takes, or a number JSON has not (NaN, Infinity). ``noting``: an object whose
    ``note(collection, record)`` is called with each record as it is staged (what is read next
    need not read the records again for what it notes), kept as Staged.notes. ``copying``: a
    store/streamed.py Copying each row is handed to as it is staged (its counts and versions are
    the Staged's); the caller ends it (finish, or close). Without ``copying``, each log's rows
    are tallied as they are written (Staged.tallies), for a copy of them to be checked against."""
    counts, next_keys, rows = {"records": {}, "logs": {}}, {}, {}  # rows: {table: rows written}
    tallies = {} if copying is None else None  # a load as it is staged checks its own (PostgreSQL counts them)
    versions = {}  # {collection: {key: version}}, so that a load need not read a record for it
    if copying is not None:
        counts, versions = copying.counts, copying.versions

    def record_rows(collection, records):
        kept = versions[collection] = {}
        for item in records:
            record, text = _value_and_text(item)
            key = record["id"]
            counts["records"][collection] += 1
            rows[collection] += 1
            kept[key] = record["version"]
            if noting is not None:
                noting.note(collection, record)
            if key.isascii() and key.isdigit():  # as a commit would: never hand the key out again
                next_keys[collection] = max(next_keys.get(collection, 1), int(key) + 1)
            text = text or snapshot.dumps(record)
            if copying is not None:
                copying.row(collection, key, text, record["version"])
            yield key, text

    def log_rows(collection, by_key):
        tally = tallies.setdefault(LOG + collection, _Tally()) if tallies is not None else None
        for key, item in by_key:
            entries, text = _value_and_text(item)
            if entries:  # a key without entries is no log at all
                counts["logs"][collection] += len(entries)
                rows[LOG + collection] += 1
                text = ENTRIES + text + b"}" if text else snapshot.dumps({"entries": entries})
                if copying is not None:
                    copying.row(LOG + collection, key, text)
                if tally is not None:
                    tally.add(key, text, len(entries))
                yield key, text

    def tables():
        for is_log, collection, items in sections:
            _name(collection)
            table = LOG + collection if is_log else collection
            if table in rows:
                raise ValueError(f"the {'log' if is_log else 'collection'} {collection!r} is there twice")
            rows[table] = 0
            counts["logs" if is_log else "records"][collection] = 0
            yield table, (log_rows if is_log else record_rows)(collection, items)

    # Not synced: a scratch file, read back through the page cache and gone after the import
    # (what a load makes of it is synced there, or committed by PostgreSQL).
    _sig, places, fd = snapshot.write(directory, 1, {}, tables(), placed=lambda table: True, durable=False)
    staged = Staged(OnDisk(fd, places), counts, next_keys, versions, fd)
    staged.notes, staged.tallies = noting, tallies or {}
    twice = [table for table, written in rows.items() if len(places.get(table, ())) != written]
    if twice:  # a JSON object's key given twice: which one the backup meant is anyone's guess
        staged.close()
        raise ValueError(f"a key of {twice[0]!r} is there twice")
    return staged


@contextlib.contextmanager
def staging(records: dict, logs: dict):
    """``records`` and ``logs``, as Store.load takes them, staged in a scratch directory."""
    sections = [*((False, c, rows) for c, rows in records.items()),
                *((True, c, by_key.items()) for c, by_key in logs.items())]
    with tempfile.TemporaryDirectory(prefix="staged-") as scratch:
        staged = stage(scratch, sections)
        try:
            yield staged
        finally:
            staged.close()


def _name(collection) -> None:
    # As store/base.py's validate: "_..." and ":" are the backends' own.
    if not isinstance(collection, str) or not collection or collection.startswith("_") or ":" in collection:
        raise ValueError(f"{collection!r} is not a collection name a store takes")


_SIZES = struct.Struct(">QQ")


def _crc(crc: int, key: str, text: bytes) -> int:
    """The CRC-32 `crc` carried on over a row: its key's and text's lengths, then both."""
    name = key.encode("utf-8", "surrogatepass")
    return zlib.crc32(text, zlib.crc32(name, zlib.crc32(_SIZES.pack(len(name), len(text)), crc)))


class _Tally:
    """A log table's rows as staging wrote them: the CRC-32 of their keys and texts, in order
    (what a copy that lost or changed any byte of them fails), and the entries they hold
    (counted from the entries staged, not from the texts)."""

    def __init__(self):
        self.crc, self.entries = 0, 0

    def add(self, key: str, text: bytes, entries: int) -> None:
        self.crc = _crc(self.crc, key, text)
        self.entries += entries

    def holds(self, rows) -> bool:
        """Whether `rows` ((key, text) pairs, read through) are, byte for byte, those tallied."""
        crc = 0
        for key, text in rows:
            crc = _crc(crc, key, text)
        return crc == self.crc


class Staged(Store):
    """Read only; see stage. ``counts``: {"records": {collection: records}, "logs": {collection:
    entries}}; ``next_keys``: {collection: the next free integer key}, as a store that loads it keeps;
    ``versions``: {collection: {key: its record's version}}; ``notes``: stage's ``noting``;
    ``tallies``: {log table: its rows' _Tally}, where stage took them."""

    log_seen = None  # a load's hook for each log's entries as it reads them (store/copy_binary.py): none here

    def __init__(self, disk: OnDisk, counts: dict, next_keys: dict, versions: dict, fd: int):
        self._disk, self.counts, self.next_keys, self.versions = disk, counts, next_keys, versions
        self.notes, self.tallies = None, {}
        self._fd = fd  # the staged file (``disk`` reads it, and closes it)

    def get(self, collection: str, key: str) -> dict | None:
        return self._disk.get(collection, key)

    def scan(self, collection: str, match: dict | None = None) -> list[dict]:
        return matching(self._disk.scan(collection), match)

    def keys(self, collection: str) -> list[str]:
        """The keys of ``collection``'s records, in key order, none of them read."""
        return self._disk.keys(collection)

    def stream(self, collection: str):
        return (self._disk.get(collection, key) for key in self.keys(collection))

    def log(self, collection: str, key: str) -> list[dict]:
        return self._disk.log(collection, key)

    def log_last(self, collection: str, key: str) -> dict | None:
        return self._disk.log_last(collection, key)

    def log_keys(self, collection: str) -> list[str]:
        return self._disk.log_keys(collection)

    def collections(self) -> dict:
        records, logs = self._disk.collections()
        return {"records": records, "logs": logs}

    def tables(self):
        """(table, (key, JSON bytes) pairs) as the staged file holds them (store/snapshot.py), in the
        order they lie there, read through once (not a read for each row), to be copied as they lie."""
        return snapshot.rows(self._fd)

    def record_tables(self):
        """tables(), the record collections' only (as store/streamed.py's Copying gives them)."""
        return ((table, rows) for table, rows in self.tables() if not table.startswith(LOG))

    def log_tables(self):
        """tables(), the logs' only."""
        return ((table, rows) for table, rows in self.tables() if table.startswith(LOG))

    def generation(self, collections: tuple | None = None) -> object:
        return 0  # it never changes

    def one_state(self):
        return contextlib.nullcontext()  # it never changes

    def commit(self, ops) -> list[dict]:
        raise StoreError("a staged backup is read only")

    def load(self, records: dict, logs: dict) -> None:
        raise StoreError("a staged backup is read only")

    def load_staged(self, staged, ready=None) -> None:
        raise StoreError("a staged backup is read only")

    def close(self) -> None:
        if self._disk is not None:
            self._disk.close()
            self._disk = None


def copy_snapshot(staged: Staged, directory: str, generation: int, next_keys: dict) -> dict:
    """Replace the snapshot in ``directory`` (atomically) by one of ``staged``'s tables copied as
    they lie, its next keys the greater of ``next_keys`` (the store's) and the staged backup's;
    what it then holds, read back from the file, as Staged.counts (records counted, not parsed:
    the copy is byte for byte; a log's entries those staging counted where its rows read back are
    byte for byte those staging wrote (Staged.tallies), else counted by reading them)."""
    keys = {c: max(next_keys.get(c, 1), staged.next_keys.get(c, 1)) for c in {*next_keys, *staged.next_keys}}
    fd = snapshot.write(directory, generation, keys, staged.tables())[2]
    try:
        found = {part: dict.fromkeys(counted, 0) for part, counted in staged.counts.items()}
        unsure = set()  # the log tables whose rows are not as tallied (or were not tallied): counted
        for table, rows in snapshot.rows(fd):
            if not table.startswith(LOG):
                found["records"][table] = sum(1 for _ in rows)
            elif table in staged.tallies and staged.tallies[table].holds(rows):
                found["logs"][table[len(LOG):]] = staged.tallies[table].entries
            else:
                unsure.add(table)
        for table, rows in snapshot.rows(fd) if unsure else ():
            if table in unsure:
                found["logs"][table[len(LOG):]] = sum(len(json.loads(raw)["entries"]) for _, raw in rows)
        return found
    finally:
        os.close(fd)


def check_counts(expected: dict, found: dict) -> None:
    """StoreError unless a loaded store holds exactly what was staged (both as Staged.counts)."""
    if found != expected:
        raise StoreError(f"the restored store does not match: expected {expected}, found {found}")
