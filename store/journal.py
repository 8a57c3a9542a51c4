"""The append-only journal: one JSON line per commit, fdatasync'd before acknowledging.

The caller (TinyDBStore) holds the directory's flock around every method but
``sync`` and ``close``: exclusive for ``trim``/``append``, at least shared for
``read_new`` (but for its whole lines alone: ``settled=False``). ``sync`` runs after
the flock is let go (group commit): one fdatasync then covers the lines several
threads and processes appended meanwhile, and the next writer appends while it runs.
"""
from __future__ import annotations

import json
import os
import threading
from json.scanner import c_make_scanner

import orjson

from .base import Append, Conflict, Op, Put, StoreError, Unconfirmed
from .pg_json import long_digits
from .records import _interned, compact
from .retire import hold
from .snapshot import dumps, fsync_dir, write_all


class Journal:
    """One generation's journal file, tracking how far this process has read it."""

    def __init__(self, path: str, create: bool = True):
        self.path = path
        flags = os.O_RDWR | os.O_APPEND | os.O_CLOEXEC
        try:
            self.fd = os.open(path, flags)
        except FileNotFoundError:
            if not create:
                raise
            self.fd = os.open(path, flags | os.O_CREAT, 0o644)
            # fdatasync of the lines alone would not make the new file's name durable.
            fsync_dir(os.path.dirname(path))
        hold(self.fd)  # a retired journal is not freed while this process may read it
        self.offset = 0  # end of the last complete, valid line applied in memory
        self.lines = 0  # valid lines up to offset, for the compaction threshold
        self._seen_size = 0  # file size at the last read: skip re-reading an unchanged file
        self.broken = False  # a failed write could not be undone, or an fdatasync failed: refuse writes
        self._synced = 0  # every byte before this was covered by an fdatasync that returned
        self._syncing = threading.Lock()  # one fdatasync at a time in this process; the others wait for it
        self._users = threading.Lock()  # guards the two below
        self._unsynced, self._closing = 0, False  # appends not yet through sync; close() deferred to the last

    def read_new(self, settled: bool = True) -> list[dict]:
        """Parse the complete lines appended since ``offset`` and advance past them.

        A torn last line (no newline, or bad JSON with nothing valid after it)
        is what a writer killed mid-write leaves: it is not acknowledged, so it
        is skipped here and cut off by the next ``trim``. Bad JSON followed by
        a valid line is real corruption and raises StoreError. Read without the
        flock (not ``settled``), a line after the last whole one may be a writer's
        at work, or one it cuts off on a failed write, and a line as long written
        next: the next read reads it again, not taking the file for unchanged.
        """
        size = self.size()
        if size == self._seen_size:
            return []
        data = self.pread(self.offset, size - self.offset) if size > self.offset else b""
        self._seen_size = size
        entries = self.parse(data)
        if not settled:
            self._seen_size = self.offset
        return entries

    def parse(self, data: bytes) -> list[dict]:
        """The commits of ``data``, the bytes from ``offset`` on (read_new's rules), advancing past them."""
        entries, pos = [], 0
        while (nl := data.find(b"\n", pos)) >= 0:
            try:
                entry = _decoded(data[pos:nl])
                if not isinstance(entry, dict):
                    raise ValueError("not a commit object")
            except ValueError as exc:
                if data.find(b"\n", nl + 1) >= 0:
                    raise StoreError(
                        f"journal {self.path} is corrupt at byte {self.offset + pos}: {exc}"
                    ) from exc
                break  # torn last line
            entries.append(entry)
            pos = nl + 1
        self.offset += pos
        self.lines += len(entries)
        return entries

    def size(self) -> int:
        """The file's size: where its end lies (every write appends, every read gives its
        offset, so moving the file's own offset changes nothing), without the stat result
        fstat builds: every read of the store looks, and a commit twice."""
        return os.lseek(self.fd, 0, os.SEEK_END)

    def resume(self, offset: int, lines: int) -> None:
        """Read on from ``offset``, the end of the file's first ``lines`` lines, which memory
        holds already (carried over from the generation before: store/successor.py)."""
        self.offset, self.lines, self._seen_size = offset, lines, offset

    def trim(self) -> None:
        """Cut off a torn tail left by a crashed writer, so the next line starts clean."""
        if self.size() != self.offset:
            os.ftruncate(self.fd, self.offset)
            os.fdatasync(self.fd)
            self._seen_size = self.offset

    def append(self, line: bytes) -> int:
        """Write one line, not yet durable: the end offset to hand to ``sync``, which the caller
        must then call (once the flock is let go). On an OSError cut the file back and raise StoreError."""
        if self.broken:
            raise StoreError(f"journal {self.path} is broken (a write or flush failed); reopen the store")
        try:
            write_all(self.fd, line)
        except OSError as exc:
            try:
                os.ftruncate(self.fd, self.offset)
                self._seen_size = self.offset
            except OSError as exc2:
                self.broken = True
                raise StoreError(
                    f"commit failed ({exc}) and the partial journal line could not be removed "
                    f"({exc2}); reopen the store before writing again"
                ) from exc
            raise StoreError(f"commit not written: journal {self.path}: {exc}") from exc
        with self._users:
            self._unsynced += 1
        self.offset += len(line)
        self._seen_size = self.offset
        self.lines += 1
        return self.offset

    def sync(self, end: int) -> None:
        """Return once an fdatasync that began after byte ``end`` was written has returned: the
        thread that gets here first flushes for every line written so far, the others find
        their lines covered. A failed fdatasync acknowledges nothing, then or later: the
        journal is broken for this process (its lines' fate on disk is unknown) and every
        commit waiting here is refused with Unconfirmed, every later one with StoreError."""
        try:
            with self._syncing:
                if self._synced >= end:
                    return
                if self.broken:
                    raise Unconfirmed(f"commit not known to be saved: journal {self.path} is broken (a write "
                                      "or flush failed); reopen the store")
                covered = self.offset  # written before the fdatasync starts, so covered by it
                try:
                    os.fdatasync(self.fd)
                except OSError as exc:
                    self.broken = True
                    raise Unconfirmed(f"commit not known to be saved: journal {self.path}: {exc}; "
                                      "reopen the store") from exc
                self._synced = max(self._synced, covered)
        finally:
            with self._users:
                self._unsynced -= 1
                last = self._closing and not self._unsynced
            if last:
                os.close(self.fd)

    def close(self) -> None:
        """Close the file, or leave that to the last ``sync`` still owed (its descriptor must
        not be closed, and perhaps reused by another file, under it)."""
        with self._users:
            self._closing = True
            if self._unsynced:
                return
        os.close(self.fd)

    def pread(self, offset: int, length: int) -> bytes:
        chunks = []
        while length > 0:
            chunk = os.pread(self.fd, length, offset)
            if not chunk:
                break
            chunks.append(chunk)
            offset += len(chunk)
            length -= len(chunk)
        return b"".join(chunks)


# The C scanner json.loads goes through, called on a line as the journal writes them.
_SCAN = None if c_make_scanner is None else c_make_scanner(json.JSONDecoder())


def encoded(planned: list, checked: bool) -> bytes:
    """The journal line of a commit's ``planned`` ops (journal_ops). ``checked``: ``kept_ops``
    with ``strict`` took them, so they hold JSON's own types and finite numbers alone, and
    orjson writes what decoding gives back as they are (in a twelfth of the json module's
    time for a 3.5 KB line; its floats may read otherwise, ``1e16``, the same number). What
    orjson refuses (an integer beyond 64 bits, a lone surrogate, a subclass of str) and what was
    not checked go through the json module's encoder, which refuses NaN, infinities and
    what JSON has no type for, as the store always did. Nothing in memory is NaN or infinite
    (no writer of the store writes one: this, the snapshot's encoder and staging refuse them),
    so a part of a record ``compact`` shares with memory's, unchecked, holds none either."""
    if checked:
        try:
            return orjson.dumps({"ops": planned}, option=orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_APPEND_NEWLINE)
        except TypeError:
            pass
    return dumps({"ops": planned}) + b"\n"


def _decoded(line: bytes):
    """``json.loads(line)``: by orjson, in half the time, where it reads what json does (a run of 19
    digits may be an integer beyond 64 bits, which orjson reads as a float: store/pg_json.py), else
    without json.loads' steps for other text than a line as the journal writes them (UTF-8, one JSON
    value, nothing around it): a catch-up decodes every line of another process so. Any other text
    (a torn line, NaN) goes through json.loads, which tells what it is."""
    if not long_digits(line):
        try:
            return orjson.loads(line)
        except orjson.JSONDecodeError:
            pass
    if _SCAN is not None:
        try:
            text = line.decode("utf-8", "surrogatepass")
            value, end = _SCAN(text, 0)
            if end == len(text):
                return value
        except (StopIteration, ValueError):
            pass
    return json.loads(line)


def journal_ops(ops: list[Op], current, next_keys: dict) -> list[list]:
    """The journal line of a commit of ``ops``: keys resolved (``next_keys``: the store's next
    free key of each collection) and versions checked against ``current(collection, key)``
    (the stored record or None); Conflict if one does not match."""
    keys, first_new, taken = [], None, {}
    for op in ops:
        key = op.key
        if isinstance(op, Put) and key is None:
            n = taken.get(op.collection) or next_keys.get(op.collection, 1)
            taken[op.collection] = n + 1
            key = str(n)
            first_new = first_new or key
        keys.append(key)
    overlay, planned = {}, []
    for op, key in zip(ops, keys):
        c = op.collection
        if isinstance(op, Append):
            if key is None:
                if first_new is None:
                    raise ValueError("Append with key=None needs a Put with key=None in the same commit")
                key = first_new
            planned.append(["app", c, key, op.entry])
            continue
        cur = overlay[(c, key)] if (c, key) in overlay else current(c, key)
        actual = None if cur is None else cur.get("version")
        if isinstance(op, Put):
            if op.expected_version != actual:
                raise Conflict(c, key, op.expected_version, actual)
            record = {**op.record, "id": key, "version": (actual or 0) + 1}
            overlay[(c, key)] = record
            planned.append(["put", c, key, record])
        else:
            if op.expected_version is not None and op.expected_version != actual:
                raise Conflict(c, key, op.expected_version, actual)
            if cur is not None:
                overlay[(c, key)] = None
                planned.append(["del", c, key])
    return planned


def kept_ops(ops: list, on_disk, strict=False, current=None) -> list:
    """A journal line's ``ops`` with their records and entries as memory keeps them: a record of
    a collection held in memory (not in ``on_disk``) as ``compact`` makes it, the others as they
    are, or with ``strict`` (the caller's, not decoded from the line) copied; and then TypeError
    for anything but JSON's own types and finite numbers, so that what is kept is what decoding
    the line gives, and orjson may write it (``encoded``).
    ``current(collection, key)``: the record memory holds, which a put's record shares what it
    has alike with (``compact``'s ``held``)."""
    kept = []
    for op in ops:
        if op[0] == "put" and op[1] not in on_disk:
            held = current(op[1], op[2]) if current is not None else None
            op = [*op[:3], compact(op[3], strict, held)]
        elif strict and len(op) > 3:
            if type(op[3]) is not dict:
                raise TypeError(f"not one of JSON's own types: {type(op[3]).__name__}")
            op = [*op[:3], _interned(op[3], strict)]
        kept.append(op)
    return kept
