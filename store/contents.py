"""A backup's contents read as a store: for checking them (run.py verify's checks) before
they are loaded anywhere, so that a backup that fails them is refused whole."""
from __future__ import annotations

import contextlib

from .base import Store, StoreError
from .records import copy, key_order, matching


class Contents(Store):
    """Read only. ``records``: {collection: [record, ...]}, ``logs``: {collection: {key: [entry, ...]}},
    as ``Store.load`` takes them (held, not copied)."""

    def __init__(self, records: dict, logs: dict):
        self._records = {c: {r["id"]: r for r in rows} for c, rows in records.items()}
        self._logs = logs

    def get(self, collection: str, key: str) -> dict | None:
        record = self._records.get(collection, {}).get(key)
        return None if record is None else copy(record)

    def scan(self, collection: str, match: dict | None = None) -> list[dict]:
        held = self._records.get(collection, {})
        return matching([held[key] for key in sorted(held, key=key_order)], match)

    def log(self, collection: str, key: str) -> list[dict]:
        return copy(self._logs.get(collection, {}).get(key, []))

    def log_last(self, collection: str, key: str) -> dict | None:
        entries = self._logs.get(collection, {}).get(key)
        return copy(entries[-1]) if entries else None

    def log_keys(self, collection: str) -> list[str]:
        return sorted((key for key, entries in self._logs.get(collection, {}).items() if entries), key=key_order)

    def collections(self) -> dict:
        return {"records": sorted(c for c, held in self._records.items() if held),
                "logs": sorted(c for c, by_key in self._logs.items() if any(by_key.values()))}

    def generation(self, collections: tuple | None = None) -> object:
        return 0  # it never changes

    def one_state(self):
        return contextlib.nullcontext()  # it never changes

    def commit(self, ops) -> list[dict]:
        raise StoreError("a backup's contents are read only")

    def load(self, records: dict, logs: dict) -> None:
        raise StoreError("a backup's contents are read only")

    def close(self) -> None:
        pass
