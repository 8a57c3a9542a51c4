"""The storage interface every backend implements (TinyDB now, PostgreSQL later).

A store holds two kinds of collections:

* record collections: one JSON object per key,
  written with ``Put``/``Delete`` and guarded by a per-record ``version``;
* log collections: append-only lists of entries per key,
  written with ``Append``. They live in their own namespace, so a log
  collection may share its name with a record collection.

All writes go through ``commit``, which is atomic and durable. The store names
no collection of its own: the application opening it says which record
collections are read a record at a time (``on_disk``), which the backends
that serve reads from memory leave where they are stored, as they do every log.
"""
from __future__ import annotations

import errno
import json
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass

# The operating system's refusals a person can act on, in words (no paths: answers may reach users).
_OS_REASONS = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "the data directory is not writable (permission denied)",
    errno.EPERM: "the data directory is not writable (operation not permitted)",
    errno.EROFS: "the data directory is on a read-only file system",
    errno.EIO: "a disk input/output error",
}


class StoreError(Exception):
    """The store could not do it (I/O error, full disk...); nothing was written."""

    @property
    def cause(self) -> str | None:
        """The operating-system error behind this one, in words; None if there is none."""
        exc = self.__cause__
        while exc is not None and not isinstance(exc, OSError):
            exc = exc.__cause__
        if exc is None:
            return None
        return _OS_REASONS.get(exc.errno) or (exc.strerror or str(exc)).lower()


class Conflict(StoreError):
    """A Put's expected_version did not match (stale write), or a create found the key taken."""

    def __init__(self, collection: str, key: str, expected: int | None, actual: int | None):
        self.collection, self.key = collection, key
        self.expected, self.actual = expected, actual
        want = "no record (create)" if expected is None else f"version {expected}"
        got = "no record" if actual is None else f"version {actual}"
        super().__init__(f"conflict on {collection}/{key}: expected {want}, found {got}")


class Unconfirmed(StoreError):
    """A commit was written but its flush to disk failed: it may or may not be kept, so it
    was not acknowledged, and this process's store takes no further commit until reopened."""


@dataclass(frozen=True)
class Put:
    """Create (expected_version None) or replace (expected_version = stored version) a record."""

    collection: str
    key: str | None  # None: the store assigns the next free integer key, as a str
    record: dict
    expected_version: int | None = None


@dataclass(frozen=True)
class Delete:
    """Remove a record; unconditional when expected_version is None (a missing key is a no-op)."""

    collection: str
    key: str
    expected_version: int | None = None


@dataclass(frozen=True)
class Append:
    """Append an entry to the log ``collection``/``key``.

    key None means "the key assigned to the first Put with key=None in this
    same commit", so a create and its first history entry commit together.
    """

    collection: str
    key: str | None
    entry: dict


Op = Put | Delete | Append


def validate(op: Op) -> None:
    """Reject programming errors before anything is locked or written."""
    if not isinstance(op, (Put, Delete, Append)):
        raise TypeError(f"not a store op: {op!r}")
    c = op.collection
    # "_..." and ":" are reserved for backends (e.g. TinyDB's "_meta" and "log:<name>" tables).
    if not isinstance(c, str) or not c or c.startswith("_") or ":" in c:
        raise ValueError(f"bad collection name {c!r}")
    if op.key is not None and (not isinstance(op.key, str) or not op.key):
        raise ValueError(f"key must be a non-empty str or None, not {op.key!r}")
    if isinstance(op, Delete) and op.key is None:
        raise ValueError("Delete needs a key")
    if isinstance(op, Put):
        if not isinstance(op.record, dict):
            raise TypeError("Put.record must be a dict")
        if op.key is None and op.expected_version is not None:
            raise ValueError("Put with key=None is a create: expected_version must be None")
    if isinstance(op, Append) and not isinstance(op.entry, dict):
        raise TypeError("Append.entry must be a dict")
    v = op.expected_version if not isinstance(op, Append) else None
    if v is not None and (type(v) is not int or v < 1):
        raise ValueError(f"expected_version must be a positive int or None, not {v!r}")


class _Every(frozenset):
    """See EVERY."""

    def __contains__(self, collection) -> bool:
        return True


# on_disk naming every record collection, whatever its name: for a process that goes
# through the whole store once (a backup), which a backend serving reads from memory
# then never reads into it.
EVERY = _Every()


class Store(ABC):
    """A transactional JSON document store. Implementations are thread-safe."""

    @property
    def _pins(self):
        # One pin state per thread (requests run one per thread).
        try:
            return self.__pins
        except AttributeError:
            self.__pins = threading.local()
            return self.__pins

    def _catch_up_due(self) -> bool:
        """Whether this read must first catch up with other processes (see pinned)."""
        state = getattr(self._pins, "state", None)
        if state == "held":
            return False
        if state == "due":
            self._pins.state = "held"
        return True

    def _refresh_pin(self) -> None:
        """This thread's pinned view is behind what the store now holds (a commit was
        refused with Conflict, or committed after another process's): its next read
        catches up again, so a retry reads the state it lost to, not the stale one."""
        if getattr(self._pins, "state", None) == "held":
            self._pins.state = "due"

    @abstractmethod
    def get(self, collection: str, key: str) -> dict | None:
        """The record, as a deep copy the caller may mutate; None if absent."""

    @abstractmethod
    def scan(self, collection: str, match: dict | None = None) -> list[dict]:
        """Records whose top-level fields equal every item of ``match``.

        Ordered by key: numeric keys first in numeric order, then the others
        lexically. The returned records are READ-ONLY objects shared with the
        store (no copy, so scanning is cheap): never mutate them; ``get`` a
        copy before changing one.
        """

    def scan_slim(self, collection: str, match: dict | None = None) -> list[dict]:
        """scan's records, of which only the fields the application declared slim for
        ``collection`` as it opened the store (``open_store(..., slim=)``) may be read, and
        ``match`` must name only those: a backend that does not hold the collection whole
        keeps these in memory. Others may give whole records (they hold those fields)."""
        return self.scan(collection, match)

    def stream_slim(self, collection: str) -> Iterator[dict]:
        """scan_slim's records (every one, as they stood when it was called), each made as the
        iterator reaches it: a pass over a large collection holds one at a time."""
        return iter(self.scan_slim(collection))

    def get_many(self, collection: str, keys) -> list[dict | None]:
        """``get`` of each of ``keys``, in their order (None for an absent one): for a page of
        a list, which a backend reading whole records from a server asks for at once."""
        return [self.get(collection, key) for key in keys]

    def stream(self, collection: str) -> Iterator[dict]:
        """Every record of ``collection``, in scan's order, each read as the iterator
        reaches it: for going through a whole collection (a backup, a check) without
        holding it all in memory. READ-ONLY records, like scan's."""
        return iter(self.scan(collection))

    def stream_log(self, collection: str) -> Iterator[tuple[str, list[dict]]]:
        """(key, entries) for every key of the log ``collection``, in key order, a key at a time."""
        for key in self.log_keys(collection):
            yield key, self.log(collection, key)

    def stream_json(self, collection: str) -> Iterator[str]:
        """stream's records as JSON text, for a backup to write as they come; a backend holding
        them as text hands that on without decoding it (UTF-8 left as it is, or escaped as it lies)."""
        return (json.dumps(record, ensure_ascii=False) for record in self.stream(collection))

    def stream_log_json(self, collection: str) -> Iterator[tuple[str, int, str]]:
        """stream_log's (key, how many entries, the entries as a JSON array's text), as stream_json."""
        return ((key, len(entries), json.dumps(entries, ensure_ascii=False))
                for key, entries in self.stream_log(collection))

    @abstractmethod
    def log(self, collection: str, key: str) -> list[dict]:
        """The entries appended under ``key``, oldest first (copies)."""

    @abstractmethod
    def log_last(self, collection: str, key: str) -> dict | None:
        """The last entry appended under ``key`` (a copy), or None: without reading the whole log."""

    @abstractmethod
    def commit(self, ops: list[Op]) -> list[dict]:
        """Apply ``ops`` all-or-nothing and durably before returning.

        Every expected_version is checked first (ops apply in list order, so a
        later op sees an earlier one's effect); a mismatch raises Conflict and
        writes nothing. Each Put's stored record gets ``id`` = key and
        ``version`` = expected_version + 1 (1 on create). Returns copies of the
        stored Put records in op order.
        """

    @abstractmethod
    def generation(self, collections: tuple | None = None) -> object:
        """A value that changes whenever anything in the store changes, by any
        process: equal values mean nothing changed since (for caches). Given record
        ``collections``, one that changes at least whenever a record of one of them
        does (it may change more often): what a cache of those alone goes by."""

    def changed(self, collection: str, since) -> set | None:
        """The keys of the record ``collection`` written or deleted since ``since`` (what
        ``generation((collection,))`` answered then), by any process: what a cache of that
        collection updates, rather than working it all out anew. None when this process
        cannot tell (too many changes since, or it read the whole store again): then
        anything may have changed."""
        return None

    @abstractmethod
    def collections(self) -> dict:
        """{"records": [names of record collections], "logs": [names of log collections]} holding data."""

    @abstractmethod
    def log_keys(self, collection: str) -> list[str]:
        """The keys with entries in the log ``collection``, in key order."""

    @abstractmethod
    def load(self, records: dict, logs: dict) -> None:
        """Fill an EMPTY store from a backup, atomically and durably.

        ``records``: {collection: [record, ...]}, each record keeping its ``id``
        and ``version``; ``logs``: {collection: {key: [entry, ...]}}. Raises
        StoreError if the store already holds anything.
        """

    @abstractmethod
    def load_staged(self, staged, ready=None) -> None:
        """What ``load`` does, from a backup staged on disk (store/staged.py), a record at a
        time: for a backup however large. The same refusal if the store holds anything, and
        StoreError unless the store then holds exactly ``staged.counts`` (PostgreSQL counts
        in the loading transaction, so a shortfall leaves nothing loaded). ``ready()``, if
        given, is called before anything is committed (PostgreSQL: once the rows are in, so
        that what it waits for runs beside the load; TinyDB: before anything is written), and
        whatever it raises leaves nothing loaded."""

    def pinned(self):
        """A context (per thread) in which reads catch up with other processes'
        commits once, at the first read, rather than at every read: one request
        then sees one consistent state, and pays for one catch-up. Its own commits
        stay visible to it, and a commit refused with Conflict catches the view up
        again at the next read: a retry inside the request sees what it lost to."""
        return _Pin(self)

    @abstractmethod
    def one_state(self):
        """A context in which this thread reads one state of the whole store: records,
        logs and on_disk records alike, as they stood when it began, whatever other
        threads and processes commit meanwhile. For going through everything (a backup, a
        check of every chain), never for a request: on TinyDB it holds the store's lock,
        so commits wait until it ends, and this thread must not commit inside it."""

    def read_ahead(self) -> None:
        """A request has arrived and will read: a backend may start its catch-up's first
        step now, for the request's first read to finish (a round trip under way while
        the request is parsed). read_done() ends it. Nothing for a backend that asks no server."""

    def read_done(self) -> None:
        """The request that called read_ahead() is over."""

    def is_empty(self) -> bool:
        names = self.collections()
        return not names["records"] and not names["logs"]

    @abstractmethod
    def close(self) -> None:
        """Release files and locks; the store is unusable afterwards."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Pin:
    """See Store.pinned. Backends read ``store._pins.state``: None (catch up at every
    read), "due" (catch up at the next read, then hold) or "held" (skip)."""

    def __init__(self, store):
        self._local = store._pins

    def __enter__(self):
        self._local.state = "due"
        return self

    def __exit__(self, *exc):
        self._local.state = None
