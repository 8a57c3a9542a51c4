"""The TinyDB backend's logs and on_disk record collections (named by the application): left in the snapshot file.

What a request reads of them is one document's history or one revision, so memory
holds only where each record lies in the snapshot (an int per key), plus what the
commits since that snapshot wrote, until the next compaction folds it into a new one.
A record a line of JSON, read with one pread; a history of 50,000 documents costs a few
megabytes of memory instead of a gigabyte.

What was written since the snapshot is noted with the number of its journal line, so that
when a compaction folds the journal's first lines into a new snapshot, the process taking
it on keeps only what came after them (``successor``), without reading the journal again.
"""
from __future__ import annotations

import json
import os
import queue
import threading
from bisect import bisect_right
from collections import Counter
from time import sleep

from . import snapshot
from .records import copy, key_order

LOG = snapshot.LOG_PREFIX
ENTRIES = b'{"entries":'  # how a log's row in the snapshot begins, {"entries":[...]}, whoever wrote it


class TextReads:
    """stream_json and stream_log_json for a backend whose on_disk collections and logs lie in
    an OnDisk (``self._disk``, read in ``self._reading()``, a record at a time, as MemoryReads'
    stream reads them): their text handed on as the snapshot holds it, never decoded and encoded again."""

    def stream_json(self, collection: str):
        if collection not in self._on_disk:
            return super().stream_json(collection)
        with self._reading():
            keys = self._disk.keys(collection)
        return filter(None, (self._read_disk(OnDisk.text, collection, key) for key in keys))  # None: deleted meanwhile

    def stream_log_json(self, collection: str):
        return ((key, *self._read_disk(OnDisk.log_text, collection, key)) for key in self.log_keys(collection))

    def _read_disk(self, read, collection: str, key: str):
        with self._reading():
            return read(self._disk, collection, key)


class OnDisk:
    """``places``: {table: {key: place}} in the snapshot open as ``fd`` (a log's table is
    "log:<collection>" and holds {"entries": [...]}); ``records``/``logs``: what was written
    since, {collection: {key: record, or None once deleted}} and {collection: {key: [entries]}}."""

    def __init__(self, fd: int, places: dict, records: dict | None = None, logs: dict | None = None):
        self._fd, self._places = fd, places
        self._records, self._logs = records or {}, logs or {}
        # (journal line, collection, key, whether an entry of its log) of every write since the snapshot, in order
        self._written: list[tuple[int, str, str, bool]] = []

    # -- records -------------------------------------------------------------

    def current(self, collection: str, key: str) -> dict | None:
        """The record (shared with nobody: read from disk, or the store's own)."""
        written = self._records.get(collection, {})
        if key in written:
            return written[key]
        where = self._places.get(collection, {}).get(key)
        return None if where is None else snapshot.read(self._fd, where)

    def get(self, collection: str, key: str) -> dict | None:
        written = self._records.get(collection, {})
        return copy(written[key]) if key in written else self.current(collection, key)

    def text(self, collection: str, key: str) -> str | None:
        """The record as JSON text: as it lies in the snapshot (ASCII, never decoded), or encoded
        from what was written since; None once deleted (or never there)."""
        written = self._records.get(collection, {})
        if key in written:
            return None if written[key] is None else json.dumps(written[key], ensure_ascii=False)
        where = self._places.get(collection, {}).get(key)
        return None if where is None else snapshot.raw(self._fd, where).decode("ascii")

    def keys(self, collection: str) -> list[str]:
        written = self._records.get(collection, {})
        keys = set(self._places.get(collection, ())) | set(written)
        return sorted((key for key in keys if written.get(key, True) is not None), key=key_order)

    def scan(self, collection: str) -> list[dict]:
        return [self.get(collection, key) for key in self.keys(collection)]

    def put(self, collection: str, key: str, record: dict) -> None:
        self._records.setdefault(collection, {})[key] = record

    def delete(self, collection: str, key: str) -> None:
        self._records.setdefault(collection, {})[key] = None

    # -- logs ----------------------------------------------------------------

    def log(self, collection: str, key: str) -> list[dict]:
        where = self._places.get(LOG + collection, {}).get(key)
        stored = [] if where is None else snapshot.read(self._fd, where)["entries"]
        return stored + copy(self._logs.get(collection, {}).get(key, []))

    def log_text(self, collection: str, key: str) -> tuple[int, str]:
        """(how many entries, the entries as a JSON array's text): as the snapshot's row holds
        them, {"entries":[...]}, where nothing was appended since (decoded only to count them)."""
        where = self._places.get(LOG + collection, {}).get(key)
        if where is None or key in self._logs.get(collection, {}):
            entries = self.log(collection, key)
            return len(entries), json.dumps(entries, ensure_ascii=False)
        raw = snapshot.raw(self._fd, where)
        return len(json.loads(raw)["entries"]), raw[len(ENTRIES):-1].decode("ascii")

    def log_last(self, collection: str, key: str) -> dict | None:
        recent = self._logs.get(collection, {}).get(key)
        if recent:
            return copy(recent[-1])
        stored = self.log(collection, key)
        return stored[-1] if stored else None

    def log_keys(self, collection: str) -> list[str]:
        keys = set(self._places.get(LOG + collection, ())) | set(self._logs.get(collection, ()))
        return sorted(keys, key=key_order)

    def append(self, collection: str, key: str, entry: dict) -> None:
        self._logs.setdefault(collection, {}).setdefault(key, []).append(entry)

    def note(self, line: int, collection: str, key: str, log: bool) -> None:
        """The write just applied (a record put or deleted, or a log's entry) came from journal line ``line``."""
        self._written.append((line, collection, key, log))

    # -- generations ---------------------------------------------------------

    def successor(self, fd: int, places: dict, lines: int) -> OnDisk:
        """The records and logs of the snapshot a compaction made from this one and the
        journal's first ``lines`` lines (open as ``fd``, ``places``), with what was written
        after those lines carried over from memory (noted anew: journal line n is n - lines)."""
        nxt = OnDisk(fd, places)
        tail = self._written[bisect_right(self._written, lines, key=_line):]
        nxt._written = [(line - lines, collection, key, log) for line, collection, key, log in tail]
        for collection, key in {(collection, key) for _, collection, key, log in tail if not log}:
            nxt._records.setdefault(collection, {})[key] = self._records[collection][key]  # as it is now (None once deleted)
        appended = Counter((collection, key) for _, collection, key, log in tail if log)
        for (collection, key), count in appended.items():
            nxt._logs.setdefault(collection, {})[key] = self._logs[collection][key][-count:]
        return nxt

    # -- the store as a whole ------------------------------------------------

    def collections(self) -> tuple[list[str], list[str]]:
        """(record collections holding a record, log collections holding an entry)."""
        records = {t for t, keys in self._places.items() if keys and not t.startswith(LOG)}
        records |= {c for c, written in self._records.items() if any(r is not None for r in written.values())}
        logs = {t[len(LOG):] for t, keys in self._places.items() if keys and t.startswith(LOG)}
        logs |= {c for c, by_key in self._logs.items() if by_key}
        return sorted(c for c in records if self.keys(c)), sorted(logs)

    def tables(self):
        """(table, [(key, JSON bytes)]) for a new snapshot: what is unchanged is copied as
        it lies, without parsing it; only what changed since is encoded."""
        names = {t for t in self._places if not t.startswith(LOG)} | set(self._records)
        for name in sorted(names):
            yield name, self._record_rows(name)
        logs = {t[len(LOG):] for t in self._places if t.startswith(LOG)} | set(self._logs)
        for name in sorted(logs):
            yield LOG + name, self._log_rows(name)

    def _record_rows(self, collection):
        written, placed = self._records.get(collection, {}), self._places.get(collection, {})
        for key in self.keys(collection):
            yield key, snapshot.dumps(written[key]) if key in written else snapshot.raw(self._fd, placed[key])

    def _log_rows(self, collection):
        recent, placed = self._logs.get(collection, {}), self._places.get(LOG + collection, {})
        for key in self.log_keys(collection):
            if key in recent:
                yield key, snapshot.dumps({"entries": self.log(collection, key)})
            else:
                yield key, snapshot.raw(self._fd, placed[key])

    def close(self) -> None:
        os.close(self._fd)

    def _free(self) -> None:
        for held in (self._places, self._records, self._logs):
            for table in held.values():
                if type(table) is dict:
                    _empty(table)
            held.clear()
        while self._written:
            del self._written[-_PIECE:]
            sleep(_PAUSE)


_PIECE = 256
# s between two pieces. A thread waiting for the interpreter's lock (a worker's, its accept or read
# returned) takes it only while this one sleeps: sleep(0) let it go and took it back before the
# waiting thread ran, which then got it at the switch interval (5 ms) only, at each of its system
# calls: with both workers freeing at once after a swap, the next request waited 70 ms to be read.
_PAUSE = 0.001


_replaced = queue.SimpleQueue()  # (OnDisk, Journal, then) of replaced generations, for the thread letting them go
_letting_go: threading.Thread | None = None


def let_go(disk: OnDisk | None, journal, then=None) -> None:
    """Close a replaced generation's snapshot and journal (if given) and free what it held,
    then call ``then`` (store/retire.py's free of the files this process no longer reads), in
    a thread of the process's own. One thread, started once and handed each generation: a start
    waits for the new thread to take the interpreter's lock (up to tens of milliseconds on
    a busy machine, seen in a request). It frees a few hundred items at a time: at once, the
    places of a whole store and the records written since would hold the interpreter's lock
    for tens of milliseconds, which a request of this process would wait out."""
    global _letting_go
    _replaced.put((disk, journal, then))
    if _letting_go is None or not _letting_go.is_alive():  # the first, or forked: threads stay behind
        _letting_go = threading.Thread(target=_close_and_free, daemon=True, name="store-let-go")
        _letting_go.start()


def _close_and_free() -> None:
    while True:
        disk, journal, then = _replaced.get()
        if disk is not None:
            journal.close()
            disk.close()
            disk._free()
        del disk, journal  # what is left (the emptied containers) goes now, not at the next one
        if then is not None:
            then()
        then = None  # nor the store it belongs to held until the next


def _line(written: tuple) -> int:
    return written[0]


def _empty(table: dict) -> None:
    while table:
        for _ in range(min(_PIECE, len(table))):
            _, held = table.popitem()
            # A log's entries written since (a list, this generation's own: successor copied what it
            # kept) a piece at a time too: one document's 6,000 entries held the lock for 1.2-3.9 ms.
            while type(held) is list and len(held) > _PIECE:
                del held[-_PIECE:]
                sleep(_PAUSE)
        sleep(_PAUSE)
