"""Compaction of a TinyDB store's journal into a new snapshot, off the store's lock.

The new snapshot is made from a consistent view that never changes under it: the snapshot of
generation g (a file never written again once in place) and the lines of journal g up to offset X
(an append-only file), both fixed under a shared flock at the start. Merging them needs no lock, so
commits go on meanwhile; a record the journal did not change is copied as it lies, unparsed. The
lines appended after X (the tail) are copied byte for byte into journal g+1, most of them before,
the rest under the exclusive flock, and the snapshot is swapped in. Its ``_meta`` says
``base: [g, X, n]`` (n: journal g's lines up to X), and a ``places-<g+1>.bin`` beside it says where
the records of the tables kept on disk lie (store/places.py), so a process whose memory is at the
end of journal g takes the new generation on without reading the snapshot or the tail again
(store/successor.py): its memory already holds everything, journal g+1's offsets are journal g's
less X and its lines journal g's less n (what a process wrote after line n it carries over: OnDisk.successor).

Crash safety, step by step (a kill at any point leaves a store that opens with every acknowledged commit):

1. the temp snapshot and the places are written, fdatasync'd every _SYNC_EVERY bytes: nothing
   current refers to them; a crash leaves files the next open retires (store/retire.py);
2. the tail as it is is copied to a temp file and fdatasync'd, then what came meanwhile, with no lock
   held; under the exclusive flock, the lines appended since are added, fdatasync'd, and the file
   renamed journal g+1: while the snapshot is still g it is never read, and the next open retires it;
3. ``os.replace`` of the snapshot, the directory fsync'd (the rename's too: successor.carried_as_journal):
   g+1 is current, journal g+1 complete; the lock is let go. Snapshot g, journal g and places g, stale,
   keep a retired name, freed a step at a time once no process reads them (store/retire.py).

One compactor at a time across processes: ``compact.lock`` taken with LOCK_NB; whoever
does not get it goes on. Run as __main__ (DIR [ON_DISK...]), at nice 10, it is the child
process TinyDBStore starts (store/compactor_child.py), so the serving process spends no CPU
on it: it compacts at once, then again each time a byte comes on its stdin, until stdin
closes. What it does under the store's flock runs in a thread at the serving processes' priority.
"""
from __future__ import annotations

import contextlib
import fcntl
import gc
import glob
import json
import logging
import os
import sys
import time

from . import places, retire, snapshot
from .base import EVERY
from .compactor_child import urgently
from .journal import Journal

log = logging.getLogger(__name__)

LOCK = "compact.lock"
LOG_LEVEL = "EQUALITY_COMPACTOR_LOG"  # the child's log level, from the environment (WARNING by default)
# The new snapshot is written out every 512 KB while commits go on: each write-out queues at the disk ahead of
# their fdatasyncs; 4 MB ones doubled a commit's median fdatasync and took its 99th percentile from 10 to 21-27 ms.
_SYNC_EVERY = 512 << 10


def places_path(directory: str, generation: int) -> str:
    return os.path.join(directory, f"places-{generation}.bin")


def journal_path(directory: str, generation: int) -> str:
    return os.path.join(directory, f"journal-{generation}.jsonl")


def carried_path(directory: str, generation: int) -> str:
    """Where a compaction copies the tail before it becomes journal ``generation``."""
    return journal_path(directory, generation) + ".tmp"


@contextlib.contextmanager
def compactor_lock(directory: str):
    """Yield True when this process is the one compactor of ``directory``, False if another is."""
    fd = os.open(os.path.join(directory, LOCK), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # releases the flock


@contextlib.contextmanager
def _flock(directory: str, mode: int):
    fd = os.open(os.path.join(directory, "lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, mode)
        yield
    finally:
        os.close(fd)


class _View:
    """Snapshot g (open) and the commits of journal g up to X, X fixed under the shared flock."""

    def __init__(self, directory: str):
        path = os.path.join(directory, snapshot.FILENAME)
        self.fd = retire.hold(os.open(path, os.O_RDONLY | os.O_CLOEXEC))
        try:
            self.signature, meta = snapshot.signature(os.fstat(self.fd)), snapshot.meta(self.fd)
            self.legacy = meta is None
            if self.legacy:
                meta = json.loads(snapshot.raw(self.fd, snapshot.place(0, os.fstat(self.fd).st_size))).get(
                    snapshot.META, {}).get("1", {})
            self.generation, self.next_keys = meta.get("generation", 1), dict(meta.get("next_keys", {}))
            self.journal = Journal(journal_path(directory, self.generation), create=False)
            self._size = os.fstat(self.journal.fd).st_size  # X: read once the flock is let go (parse)
        except FileNotFoundError:  # no journal yet: nothing to fold in
            self.journal = None
        except BaseException:
            os.close(self.fd)
            raise

    def parse(self):
        """The commits up to X, read and parsed once the shared flock is let go (5,000 lines: a quarter
        second on a busy machine, which commits should not wait out; the journal only grows, _copy_tail)."""
        self.lines = [] if self.journal is None else self.journal.parse(self.journal.pread(0, self._size))
        self.offset = 0 if self.journal is None else self.journal.offset
        self.count = len(self.lines)

    def close(self):
        os.close(self.fd)
        if self.journal is not None:
            self.journal.close()


def compact(directory: str, on_disk=(), urgent=None) -> bool:
    """Fold the journal into a new snapshot if no other process is doing it; True once done.
    What holds the store's flock runs in the thread ``urgent`` feeds, if any (store/compactor_child.py).

    Raises OSError (or ValueError for a damaged file) with the old generation still current."""
    directory = os.path.abspath(directory)
    with compactor_lock(directory) as mine:
        if not mine:
            return False
        _phase(directory, "started")
        view = urgently(urgent, lambda: _viewed(directory))
        try:
            view.parse()
            _phase(directory, "journal parsed")
            if not view.lines and not view.legacy:
                return False
            # EVERY (a process going through the whole store once) places every table.
            _compact(directory, view, on_disk if on_disk is EVERY else frozenset(on_disk), urgent)
        finally:
            view.close()
        retire.free(directory)  # if no other process reads the old generation any more
    return True


def _viewed(directory):
    with _flock(directory, fcntl.LOCK_SH):
        return _View(directory)


def _compact(directory, view, on_disk, urgent):
    generation = view.generation + 1
    kept = lambda table: table.startswith(snapshot.LOG_PREFIX) or table in on_disk
    written = []  # what this compaction wrote while the old generation is still current
    try:
        tmp, sig, placed = _write_snapshot(directory, view, generation, kept)
        written.append(tmp)
        _phase(directory, "snapshot written")
        written.append(places_path(directory, generation))
        _write_places(written[-1], sig, placed, on_disk)
        _phase(directory, "places written")
        written.append(carried_path(directory, generation))
        _copy_tail(view, written[-1])
        # What came during its fdatasync: then most often none is left for under the lock.
        _carry_new(view, written[-1], settled=False)
        _phase(directory, "tail copied")
        urgently(urgent, lambda: _swap(directory, view, tmp, written))
    except BaseException:
        for path in written:
            with contextlib.suppress(OSError):
                retire.discard(path)  # the temp snapshot is the store's size
        raise
    with contextlib.suppress(OSError):  # stale now; a leftover is retired by the next open
        retire.keep(view.journal.path)
        retire.keep(places_path(directory, view.generation))
    _phase(directory, "done")


def _swap(directory, view, tmp, written):
    """Steps 2b and 3, under the exclusive flock: as short as it can be, commits wait meanwhile."""
    with _flock(directory, fcntl.LOCK_EX):
        _phase(directory, "locked")
        if snapshot.signature(os.stat(os.path.join(directory, snapshot.FILENAME))) != view.signature:
            raise OSError("the snapshot was replaced meanwhile")
        _carry_tail(directory, view, written)
        _install(directory, tmp, written, view.generation)
    _phase(directory, "installed")


def _phase(directory, step):
    """A debug line at each step, with the wall clock's time and the niceness of the thread
    at it (bench/compaction.py reads them)."""
    log.debug("compaction of %s: %s at %.6f, nice %d", directory, step, time.time(), os.nice(0))


def _write_snapshot(directory, view, generation, kept):
    """Step 1: the merged snapshot in a temp file, fsync'd. (temp path, signature, places)."""
    records, logs, next_keys = _changes(view)
    meta = {"generation": generation, "next_keys": next_keys, "base": [view.generation, view.offset, view.count]}
    return snapshot.write_temp(directory, meta, _merged(view.fd, records, logs), placed=kept, sync_every=_SYNC_EVERY)


def _changes(view):
    """What journal g up to X did: ({table: {key: record JSON, or None once deleted}},
    {log table: {key: [entries]}}, next_keys), as TinyDBStore._apply reads the same lines."""
    records, logs, next_keys = {}, {}, view.next_keys
    for line in view.lines:
        for op in line["ops"]:
            kind, c, key = op[0], op[1], op[2]
            if kind == "put":
                records.setdefault(c, {})[key] = snapshot.dumps(op[3])
                if key.isascii() and key.isdigit():
                    next_keys[c] = max(next_keys.get(c, 1), int(key) + 1)
            elif kind == "del":
                records.setdefault(c, {})[key] = None
            elif kind == "app":
                logs.setdefault(snapshot.LOG_PREFIX + c, {}).setdefault(key, []).append(op[3])
            else:
                raise ValueError(f"unknown journal op {kind!r}")
    return records, logs, next_keys


def _merged(fd, records, logs):
    """(table, rows) of the new snapshot: snapshot g's rows as they lie unless the journal
    changed them, then the rows the journal added, then the tables only the journal has."""
    seen = set()
    for table, rows in snapshot.rows(fd):
        seen.add(table)
        yield table, _merged_rows(rows, records.get(table, {}), logs.get(table, {}))
    for table in sorted({*records, *logs} - seen):
        yield table, _merged_rows((), records.get(table, {}), logs.get(table, {}))


def _merged_rows(rows, changed, appended):
    done = set()
    for key, value in rows:
        done.add(key)
        if key in changed:
            value = changed[key]
        elif key in appended:
            value = snapshot.dumps({"entries": json.loads(value)["entries"] + appended[key]})
        if value is not None:
            yield key, value
    for key, value in changed.items():
        if key not in done and value is not None:
            yield key, value
    for key, entries in appended.items():
        if key not in done:
            yield key, snapshot.dumps({"entries": entries})


def _write_places(path, sig, placed, on_disk):
    places.write(path, {"signature": list(sig), "on_disk": sorted(on_disk)}, placed, _SYNC_EVERY)


def _copy_tail(view, path):
    """Step 2a (no lock held): journal g's lines after X as they are now, into a temp file at ``path``,
    fdatasync'd. Journal g only grows (a commit appends whole lines under the flock, and cuts off
    only a torn line after the last whole one): its complete lines can be read without the flock."""
    data = view.journal.pread(view.offset, os.fstat(view.journal.fd).st_size - view.offset)
    view.journal.parse(data)  # to the end of the last whole line (a damaged one raises)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    try:
        snapshot.write_synced(fd, memoryview(data)[:view.journal.offset - view.offset], _SYNC_EVERY)
    finally:
        os.close(fd)


def _carry_tail(directory, view, written):
    """Step 2b (under the exclusive flock): the lines appended since, byte for byte (a torn last line,
    never acknowledged, is left behind); the temp file (the last of ``written``) then becomes journal
    g+1, its name durable with step 3's replace."""
    _carry_new(view, written[-1], settled=True)
    os.rename(written[-1], journal_path(directory, view.generation + 1))
    written[-1] = journal_path(directory, view.generation + 1)


def _carry_new(view, path, settled):
    """Journal g's whole lines since the last copied to ``path``, appended, fdatasync'd: no lock needed (_copy_tail;
    ``settled`` under it: Journal.read_new)."""
    copied = view.journal.offset
    view.journal.read_new(settled)
    if rest := view.journal.pread(copied, view.journal.offset - copied):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
        try:
            snapshot.write_synced(fd, rest, _SYNC_EVERY)
        finally:
            os.close(fd)


def _install(directory, tmp, written, generation):
    """Step 3: the new snapshot becomes current, durably (the old one under a retired name: the
    replace frees none of its blocks); from then on what was written is the current generation's.
    One fsync of the directory makes the journal's rename durable too: one file system journal commit
    fewer under the lock (a crash that keeps only the replace: successor.carried_as_journal)."""
    current = os.path.join(directory, snapshot.FILENAME)
    written.append(retire.keep_snapshot(current, generation))  # only a second name until the replace
    os.replace(tmp, current)
    written.clear()
    snapshot.fsync_dir(directory)


def remove_stale(directory: str, generation: int) -> None:
    """Retire (store/retire.py: freed a step at a time) older journals than the current one, newer ones (the
    carried tail of a compaction that never became current: named so only under the exclusive flock, which
    the caller holds), older places files and, unless a compactor is at work, what a crashed one left: its
    temp snapshot, temp tail and places; and remove a retired name of the current snapshot (it frees nothing)."""
    with compactor_lock(directory) as alone:
        for pattern, always in (("journal-*.jsonl", True), ("places-*.bin", False)):
            for path in glob.glob(os.path.join(directory, pattern)):
                name = os.path.basename(path).split("-", 1)[1].split(".", 1)[0]
                if name.isdigit() and int(name) != generation and (always or alone or int(name) < generation):
                    retire.keep(path)
        for pattern in (snapshot.FILENAME + ".*.tmp", "journal-*.jsonl.tmp") if alone else ():
            for path in glob.glob(os.path.join(directory, pattern)):
                retire.keep(path)
        if alone:
            retire.remove_linked(directory)


def main(argv, urgent=None):
    logging.basicConfig(level=getattr(logging, os.environ.get(LOG_LEVEL, "WARNING").upper(), logging.WARNING),
                        format="%(asctime)s compactor %(levelname)s %(message)s")
    directory, on_disk = argv[0], argv[1:]
    # What a compaction makes lives until its end and holds no cycle: the collector's passes over
    # it (0.1-0.2 s each at 50,000 documents) would be CPU the serving processes lose.
    gc.disable()
    while True:
        made = True  # a failed one too
        try:
            made = compact(directory, on_disk, urgent)
        except (OSError, ValueError) as exc:
            log.warning("store %s: compaction failed, will retry later: %s", directory, exc)
        if not _asked_again():
            return 0
        if made:  # what it left in a cycle, before the next; none if another process's child was at work
            gc.collect()


def _asked_again() -> bool:
    """Wait for the next ask on stdin; False once it is closed. Asks made while a compaction
    was at work were for that one: they are let go first."""
    os.set_blocking(0, False)
    try:
        while os.read(0, 4096):
            pass
        return False
    except BlockingIOError:
        pass
    finally:
        os.set_blocking(0, True)
    return bool(os.read(0, 4096))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], globals().get("URGENT")))  # the queue compactor_child.START hands it
