"""The last entry of the logs appended to lately, as the PostgreSQL catch-up saw them.

A transition chains its history entry to the last one (services/document_service.py
history_append), which costs a round trip to read when another process wrote the
document last. The catch-up that brings what other processes committed brings their
log entries too (every store_logs row numbered past `seen`), and a commit of this
process notes its own: for a log appended to since `seen`, the last entry is then
known without asking. A log not appended to since is not known here (its last entry
is older than what was noted): the caller reads it.

store_logs.seq numbers rows as they are inserted, and every transaction that inserts
them first takes the commit clock's row lock (PostgresStore._apply, _fill): a
transaction committed later numbers its rows higher, so the rows past `seen` are
exactly those of the commits after the clock `seen` was read with.
"""
from __future__ import annotations

from collections import OrderedDict

from . import pg_json
from .records import copy


class Tails:
    """At most `most` logs' last entries, the least recently appended forgotten first;
    `seen`: the store_logs seq every append up to which is noted (None: nothing is
    known, until a catch-up gives it). The caller serialises every call (the store's mutex)."""

    def __init__(self, most: int = 4096):
        self._most = most
        # (collection, key) -> the last entry (read-only), or its JSON text (bytes) as a catch-up
        # brought it: most logs another process appends to are not read here before it appends again
        self._entries = OrderedDict()
        self.seen = None

    def last(self, collection: str, key: str):
        """(True, the last entry, the caller's own copy) if it is known, else (False, None)."""
        entry = self._entries.get((collection, key))
        if entry is None:
            return False, None
        return True, pg_json.loads(entry) if type(entry) is bytes else copy(entry)

    def noted(self, appended, seen) -> None:
        """`appended` ((collection, key, entry or its JSON text), in the order appended) are every
        row past `self.seen` up to `seen`, the store_logs seq they reach."""
        for collection, key, entry in appended:
            self._entries.pop((collection, key), None)  # to the end: the most recently appended
            self._entries[(collection, key)] = entry
        while len(self._entries) > self._most:
            self._entries.popitem(last=False)
        self.seen = seen

    def lost(self) -> None:
        """What was appended since `seen` was not all seen (a catch-up too large to bring it)."""
        self._entries.clear()
        self.seen = None
