"""The TinyDB backend: a TinyDB-layout snapshot plus an fsync'd append-only journal.

Why not TinyDB's own write path: ``Table.update``/``insert`` read the whole table, change it and
hand it back to the storage, which re-serialises and rewrites the whole file in place (O(store size)
per write, ~180 ms at 10,000 documents, and a kill -9 mid-rewrite can leave the file unreadable). So
the whole store lives in memory, each commit is one JSON line appended to the journal and
fdatasync'd (O(change)), and every so often a compaction folds the journal into a new snapshot
written atomically, off the lock: a child process (background=True, as open_store opens it) or the
committing thread once it has released the lock (store/compactor.py). TinyDB's layout is kept: the
snapshot is a TinyDB database file (any TinyDB can read it), and ``scan`` matches as TinyDB's
fragment query would, by an index of the field where one is kept (store/records.py). Logs (history)
and the record collections the application names ``on_disk`` are not held in memory: they are read
from the snapshot, a record at a time (store/on_disk.py).

Directory layout::

    snapshot.json           TinyDB layout, a record a line; holds generation g (see snapshot.py)
    journal-<g>.jsonl       commits since that snapshot, one JSON line each
    places-<g>.bin          where snapshot g's records of the tables kept on disk lie
    retired-*               a replaced snapshot or journal, freed gradually once no process reads it (retire.py)
    lock                    fcntl.flock: exclusive to write, shared to read
    compact.lock            fcntl.flock held by the one compactor at work

Concurrency: a threading.Lock serialises threads; flock serialises processes. Before every read and
write the process catches up with lines other processes appended (the whole ones before it takes the
flock) and, if a compaction replaced the snapshot, takes the new generation on from what memory
holds, or reloads: version checks run on the latest state under the exclusive lock.

Group commit: a commit appends its line under the exclusive flock but fdatasyncs it after letting
the flock go, and returns once an fdatasync that began after its line was written has returned
(store/journal.py's ``sync``): the next writer appends meanwhile, and one fdatasync covers the lines
several threads and processes wrote. So another process may read, and show, a line for up to one
fdatasync before it is durable; a machine crash then loses it, with nobody having been told it was
saved. Nothing acts on such a line but through a commit of its own (the outbox claims a message with
a commit before sending it), and every commit after it in the journal is acknowledged only once an
fdatasync covering both has returned: an acknowledged commit never rests on a lost one. A failed
fdatasync acknowledges nothing: the committing process refuses every commit waiting and after it
until the store is reopened (its line's fate is unknown, as a commit not answered is); the kernel
reports the failed write-back to every process's next fdatasync of the file: they refuse theirs.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
from functools import partial

from . import compactor, compactor_child, retire, snapshot
from .base import EVERY, Conflict, Op, Store, StoreError, validate
from .collector import uncollected
from .follower import Follower, Following
from .held import Flocked, Reading
from .journal import Journal, encoded, journal_ops, kept_ops
from .on_disk import OnDisk, TextReads, let_go
from .records import Changes, MemoryReads, Records, copy
from .staged import check_counts, copy_snapshot, staging
from .successor import Successor, carried_as_journal

log = logging.getLogger(__name__)


class TinyDBStore(Following, TextReads, MemoryReads, Store):
    """See the module docstring. ``compact_*`` set when the journal is folded into a snapshot."""

    def __init__(self, directory: str, *, compact_lines: int = 5000,
                 compact_min_bytes: int = 1 << 20, on_disk=(), background: bool = False):
        self._dir = os.path.abspath(directory)
        self._on_disk = on_disk if on_disk is EVERY else frozenset(on_disk)
        self._disk: OnDisk | None = None
        self._loads, self._changes = 0, Changes()  # snapshots read, and what commits changed since
        self._snap_path = os.path.join(self._dir, snapshot.FILENAME)
        self._compact_lines, self._compact_min_bytes = compact_lines, compact_min_bytes
        self._background, self._compactor = background, None  # the child process compacting (compactor_child.Child)
        self._follower = Follower()  # a serving process's catch-up between requests
        self._mutex = threading.Lock()
        self._journal: Journal | None = None
        self._lock_fd = -1
        self._pid = os.getpid()
        try:
            os.makedirs(self._dir, exist_ok=True)
            self._lock_fd = self._open_lock()
            with self._flock(fcntl.LOCK_EX):
                if not os.path.exists(self._snap_path):
                    os.close(snapshot.write(self._dir, 1, {}, [])[2])
                legacy = self._reload()  # written by an earlier version, all on one line: write it anew
                compactor.remove_stale(self._dir, self._gen)
            let_go(None, None, then=partial(retire.free, self._dir))  # what a crash left, a step at a time
        except OSError as exc:
            self._close_files()
            raise StoreError(f"cannot open store in {self._dir}: {exc}") from exc
        if legacy:
            self._compact(now=True)

    # -- reads ---------------------------------------------------------------

    def log(self, collection: str, key: str) -> list[dict]:
        with self._reading():
            return self._disk.log(collection, key)

    def log_last(self, collection: str, key: str) -> dict | None:
        with self._reading():
            return self._disk.log_last(collection, key)

    def _get_on_disk(self, collection: str, key: str) -> dict | None:
        with self._reading():
            return self._disk.get(collection, key)

    def _scan_on_disk(self, collection: str) -> list[dict]:
        with self._reading():
            return self._disk.scan(collection)

    def _stream_on_disk(self, collection: str):
        with self._reading():
            keys = self._disk.keys(collection)
        # A record a read: one deleted meanwhile (a commit of this process) is left out.
        return filter(None, (self._get_on_disk(collection, key) for key in keys))

    @contextlib.contextmanager
    def one_state(self):
        """Under the store's lock throughout, shared with other processes' readers (their
        commits wait), after one catch-up: memory and the snapshot file then stay as they are."""
        if getattr(self._pins, "locked", False):  # already inside one: the same state
            yield
            return
        with self._mutex:
            self._check_open()
            with self._flock(fcntl.LOCK_SH):
                try:
                    self._catch_up()
                except OSError as exc:
                    raise StoreError(f"store {self._dir}: cannot read: {exc}") from exc
                self._pins.locked = True
                try:
                    yield
                finally:
                    self._pins.locked = False

    def generation(self, collections: tuple | None = None) -> object:
        with self._reading():
            if collections is None:
                return self._gen, self._journal.offset
            # Counted as this process applies commits; a reload starts the counts afresh.
            return self._loads, self._changes.counts(collections)

    def changed(self, collection: str, since) -> set | None:
        loads, (count,) = since
        with self._mutex:
            return self._changes.since(collection, count) if loads == self._loads else None

    def collections(self) -> dict:
        with self._reading():
            records, logs = self._disk.collections()
            return {"records": sorted({*self._records.collections(), *records}), "logs": logs}

    def log_keys(self, collection: str) -> list[str]:
        with self._reading():
            return self._disk.log_keys(collection)

    # -- writes --------------------------------------------------------------

    def load(self, records: dict, logs: dict) -> None:
        with staging(records, logs) as staged:
            self.load_staged(staged)

    def load_staged(self, staged, ready=None) -> None:
        if ready:
            ready()
        with self._mutex:
            self._check_open()
            try:
                with self._flock(fcntl.LOCK_EX):
                    self._catch_up()
                    if not self._records.empty() or any(self._disk.collections()):
                        raise StoreError(f"store {self._dir} is not empty: load a backup into an empty store")
                    found = copy_snapshot(staged, self._dir, self._gen + 1, self._next_keys)
                    self._reload()
                    compactor.remove_stale(self._dir, self._gen)
            except OSError as exc:
                raise StoreError(f"store {self._dir}: {exc}") from exc
        check_counts(staged.counts, found)  # counted in the new snapshot, as it lies

    def commit(self, ops: list[Op]) -> list[dict]:
        ops = list(ops)
        for op in ops:
            validate(op)
        if getattr(self._pins, "locked", False):
            raise RuntimeError("a commit inside one_state() would wait for the lock its own thread holds")
        with self._mutex:
            self._check_open()
            try:
                with self._caught_up(fcntl.LOCK_EX):
                    planned = journal_ops(ops, self._current, self._next_keys)
                    if not planned:
                        return []
                    # Memory takes what a replay would read back, so it always equals disk, and
                    # copies: the caller's objects are never shared with the store. Copied from
                    # what is encoded, holding JSON's own types only, that is what decoding the
                    # line gives, without decoding it; anything else (a tuple) is read back.
                    try:
                        kept = kept_ops(planned, self._on_disk, strict=True, current=self._records.current)
                    except TypeError:
                        kept = None
                    line = encoded(planned, kept is not None)
                    self._journal.trim()
                    journal, end = self._journal, self._journal.append(line)
                    if kept is None:
                        planned = json.loads(line)["ops"]
                        kept = kept_ops(planned, self._on_disk)
                    self._apply(kept, self._journal.lines)
                    due = self._should_compact()
            except Conflict:
                self._refresh_pin()  # memory is caught up already; the pin follows it (Store.pinned)
                raise
            except OSError as exc:
                raise StoreError(f"store {self._dir}: {exc}") from exc
        journal.sync(end)  # durable once an fdatasync after the append returns (group commit)
        if due:
            self._compact()
        return [copy(op[3]) for op in planned if op[0] == "put"]  # memory holds copies of its own

    def close(self) -> None:
        if self._compactor is not None:
            self._compactor.close()
        with self._mutex:
            self._close_files()

    # -- internals -----------------------------------------------------------

    def _current(self, collection, key):
        return (self._disk if collection in self._on_disk else self._records).current(collection, key)

    def _apply(self, ops: list, at: int) -> None:
        """Apply the ops of one journal line, the ``at``-th of its journal, to memory, their
        records and entries as ``kept_ops`` gives them (used by replay and by commit alike)."""
        for op in ops:
            kind, c, key = op[0], op[1], op[2]
            held = self._disk if c in self._on_disk else self._records
            self._changes.note(c, key)
            if kind == "put":
                (held.put if held is self._disk else held.keep)(c, key, op[3])
                if key.isascii() and key.isdigit():
                    # Never hand out a key again, even after its record is deleted.
                    self._next_keys[c] = max(self._next_keys.get(c, 1), int(key) + 1)
            elif kind == "del":
                held.delete(c, key)
            elif kind == "app":
                self._disk.append(c, key, op[3])
            else:
                raise StoreError(f"unknown journal op {kind!r}")
            if held is self._disk or kind == "app":
                self._disk.note(at, c, key, kind == "app")

    def _replay(self, journal: Journal, settled: bool = True) -> None:
        """Apply the lines of ``journal`` this process has not read yet (Journal.read_new's ``settled``)."""
        lines = journal.read_new(settled)
        for at, line in enumerate(lines, journal.lines - len(lines) + 1):
            self._apply(kept_ops(line["ops"], self._on_disk, current=self._records.current), at)

    @contextlib.contextmanager
    def _caught_up(self, mode):
        """The flock in ``mode``, memory caught up under it (caller holds the mutex); the whole lines first: they never
        change (only a torn last one is cut off, a compaction leaves them); under the flock they hold writers up."""
        self._replay(self._journal, settled=False)
        with self._flock(mode):
            self._catch_up()
            yield

    def _catch_up(self) -> None:
        """Bring memory up to date with other processes (caller holds the flock)."""
        if snapshot.signature(os.stat(self._snap_path)) != self._snap_sig:
            if not self._continue():
                self._reload()  # compacted from something else than what memory holds
            return
        self._replay(self._journal)

    @uncollected()  # and what memory gained since the last one is left out of later passes
    def _continue(self) -> bool:
        """Take on the generation a compaction made from the snapshot and journal memory
        stands on, without reading the snapshot (store/successor.py); False if it cannot."""
        self._replay(self._journal)  # journal g is whole now: memory at its end
        try:
            nxt = Successor(self._dir, self._gen, self._journal, self._on_disk)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.info("store %s: reloading the snapshot: %s", self._dir, exc)
            return False
        replaced = self._disk, self._journal
        # Memory holds the carried tail already: the new snapshot lacks only its writes to the
        # tables on disk, which memory noted by line, so nothing of it is read again.
        self._disk, self._journal = self._disk.successor(nxt.fd, nxt.places, nxt.lines), nxt.journal
        self._gen, self._snap_sig, self._compact_after = nxt.generation, nxt.signature, 0
        self._follower.after_request(partial(let_go, *replaced, then=partial(retire.free, self._dir)))
        self._replay(self._journal)
        return True

    def _kept_on_disk(self, table: str) -> bool:
        return table.startswith(snapshot.LOG_PREFIX) or table in self._on_disk

    @uncollected()  # what it reads lives as long as the store: no collector's pass over it
    def _reload(self) -> bool:
        """Read the snapshot and replay its journal; True if the snapshot has the one-line
        layout of earlier versions (read whole, to be written anew)."""
        loaded = snapshot.load(self._snap_path, self._kept_on_disk)
        try:
            carried_as_journal(self._dir, loaded.generation, "base" in (snapshot.meta(loaded.fd) or {}))
            journal = Journal(os.path.join(self._dir, f"journal-{loaded.generation}.jsonl"))
        except BaseException:
            os.close(loaded.fd)
            raise
        self._close_files(lock=False)
        hot = {t: docs for t, docs in loaded.tables.items() if not self._kept_on_disk(t)}
        cold = {t: docs for t, docs in loaded.tables.items() if t in self._on_disk}
        logs = {t[len(snapshot.LOG_PREFIX):]: {k: d["entries"] for k, d in docs.items()}
                for t, docs in loaded.tables.items() if t.startswith(snapshot.LOG_PREFIX)}
        self._gen, self._records, self._next_keys = loaded.generation, Records(hot), loaded.next_keys
        self._disk = OnDisk(loaded.fd, loaded.places, cold, logs)
        self._snap_sig, self._journal = loaded.signature, journal
        self._compact_after = 0
        self._loads, self._changes = self._loads + 1, Changes()
        self._replay(journal)
        return loaded.legacy

    def _should_compact(self) -> bool:
        j = self._journal
        if j.lines < self._compact_after:
            return False
        return j.lines >= self._compact_lines or (
            j.offset >= self._compact_min_bytes and j.offset > self._snap_sig[2])

    def _compact(self, now=False) -> None:
        """Fold the journal into a new snapshot, off the lock (store/compactor.py): in a child
        process (background, unless ``now``), or in this thread, which holds neither the
        mutex nor the flock here."""
        # Not at every commit while a compaction is at work (a 50th of the threshold later).
        self._compact_after = self._journal.lines + 1 + self._compact_lines // 50
        if self._background and not now:
            self._compactor = compactor_child.ask(self._compactor, self._dir, self._on_disk)
            return
        try:
            compactor.compact(self._dir, self._on_disk)
        except (OSError, ValueError) as exc:  # the commit itself is durable already: do not fail it
            log.warning("store %s: compaction failed, will retry later: %s", self._dir, exc)

    def _flock(self, mode: int) -> Flocked:
        return Flocked(self._lock_fd, mode)

    def _reading(self) -> Reading:
        return Reading(self)

    def _begin_reading(self) -> bool:
        """Whether it took the mutex, caught up unless this thread's pin holds memory as it is:
        not inside one_state, whose thread holds the mutex and the lock (memory stays as it was)."""
        if getattr(self._pins, "locked", False):
            return False
        self._mutex.acquire()
        try:
            self._check_open()
            if self._catch_up_due():
                with self._caught_up(fcntl.LOCK_SH):
                    pass
        except BaseException as exc:
            self._mutex.release()
            if isinstance(exc, OSError):
                raise StoreError(f"store {self._dir}: cannot read: {exc}") from exc
            raise
        return True

    def _open_lock(self) -> int:
        return os.open(os.path.join(self._dir, "lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)

    def _check_open(self) -> None:
        if self._journal is None:
            raise StoreError(f"store {self._dir} is closed")
        if os.getpid() != self._pid:
            # After fork() parent and child would share one open file description,
            # and so one flock: each process needs its own lock file descriptor.
            try:
                inherited, self._lock_fd, self._pid = self._lock_fd, self._open_lock(), os.getpid()
                os.close(inherited)
                if self._compactor is not None:  # the parent's child: this process starts its own
                    self._compactor, parents = None, self._compactor
                    parents.forget()
                with self._flock(fcntl.LOCK_SH):
                    self._reload()
            except OSError as exc:
                raise StoreError(f"store {self._dir}: cannot reopen after fork: {exc}") from exc

    def _close_files(self, lock=True) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        if self._disk is not None:
            self._disk.close()
            self._disk = None
        if lock and self._lock_fd >= 0:
            os.close(self._lock_fd)
            self._lock_fd = -1

