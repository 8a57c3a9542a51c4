"""The records of a store held in memory, for the backends that serve reads
from memory and catch up with other processes' commits before each read.

``data`` is {collection: {key: record}}; each collection's key order is worked
out once and kept until a key is added or removed.
"""
from __future__ import annotations

from tinydb import Query


def copy(value):
    """Deep copy of a JSON value; several times faster than copy.deepcopy."""
    if type(value) is dict:
        return {k: copy(v) for k, v in value.items()}
    if type(value) is list:
        return [copy(v) for v in value]
    return value


def key_order(key: str):
    """Numeric keys first in numeric order, then the others lexically."""
    return (0, int(key), "") if key.isascii() and key.isdigit() else (1, 0, key)


class Records:
    def __init__(self, data: dict | None = None):
        self.data = data if data is not None else {}
        self._order: dict = {}

    def current(self, collection: str, key: str) -> dict | None:
        """The stored record itself (not a copy): never mutate it."""
        return self.data.get(collection, {}).get(key)

    def get(self, collection: str, key: str) -> dict | None:
        return copy(self.current(collection, key))

    def scan(self, collection: str, match: dict | None) -> list[dict]:
        # TinyDB's fragment query: every top-level item of `match` equal in the record.
        docs = self.data.get(collection, {})
        order = self._order.get(collection)
        if order is None:
            order = self._order[collection] = sorted(docs, key=key_order)
        if not match:
            return [docs[k] for k in order]
        test = Query().fragment(match)
        return [doc for doc in (docs[k] for k in order) if test(doc)]

    def put(self, collection: str, key: str, record: dict) -> None:
        docs = self.data.setdefault(collection, {})
        if key not in docs:
            self._order.pop(collection, None)
        docs[key] = record

    def delete(self, collection: str, key: str) -> None:
        if self.data.get(collection, {}).pop(key, None) is not None:
            self._order.pop(collection, None)

    def collections(self) -> list[str]:
        return sorted(c for c, docs in self.data.items() if docs)

    def empty(self) -> bool:
        return not any(self.data.values())


class MemoryReads:
    """get and scan for a backend that keeps its records in ``self._records`` and
    catches up with other processes in ``self._reading()``."""

    def get(self, collection: str, key: str) -> dict | None:
        with self._reading():
            return self._records.get(collection, key)

    def scan(self, collection: str, match: dict | None = None) -> list[dict]:
        with self._reading():
            return self._records.scan(collection, match)
