"""The TinyDB backend's logs and on_disk record collections (named by the application): left in the snapshot file.

What a request reads of them is one document's history or one revision, so memory
holds only where each record lies in the snapshot (an int per key), plus what the
commits since that snapshot wrote, until the next compaction folds it into a new one.
A record a line of JSON, read with one pread; a history of 50,000 documents costs a few
megabytes of memory instead of a gigabyte.
"""
from __future__ import annotations

import os

from . import snapshot
from .records import copy, key_order

LOG = snapshot.LOG_PREFIX


class OnDisk:
    """``places``: {table: {key: place}} in the snapshot open as ``fd`` (a log's table is
    "log:<collection>" and holds {"entries": [...]}); ``records``/``logs``: what was written
    since, {collection: {key: record, or None once deleted}} and {collection: {key: [entries]}}."""

    def __init__(self, fd: int, places: dict, records: dict | None = None, logs: dict | None = None):
        self._fd, self._places = fd, places
        self._records, self._logs = records or {}, logs or {}

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
