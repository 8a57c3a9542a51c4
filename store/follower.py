"""Keeping a serving process's memory caught up with other processes while no request is at work in it.

A process catches up with the lines other processes appended at its next read or commit
(TinyDBStore._catch_up). One at a time, a client's requests are not shared out evenly between
gunicorn's workers: one serves runs of hundreds while the other waits, and the first request the
idle one then gets replays them all before its own work. At 50,000 documents, 190-480 lines (3.5 KB
each) took 10-24 ms of its CPU, half parsing, half applying: the longest transitions of the
compaction row, beside a median of 1.5 ms. A thread of the process's own replays them instead, a
few at a time, every PERIOD while no request is at work in the process (a request sees memory as
it stood at its first read: Store.pinned), and never waits for the store's locks.

While idle it also leaves what memory gained since the last ``gc.freeze`` out of the collector's
later passes (store/collector.py) once FREEZE_EVERY journal lines have come in: the first request
after a compaction's swap takes the new generation on under the flock, and its full collection
there walks everything not frozen yet (1.1-2.8 ms at 50,000 documents with a whole generation's
lines behind it; 0.2-0.35 ms with this). Frozen while no request is at work, a request's own
objects, some in cycles only the collector frees, are not frozen with the store's (as they are
at the swap, whose request is at work): a request that begins meanwhile waits for the mutex, but
what its worker made before that may be (the idle check is repeated just before the collection).
"""
from __future__ import annotations

import fcntl
import os
import threading
import time
import weakref

from .base import StoreError
from .collector import uncollected

PERIOD = 0.02  # s between two catch-ups: ~15 lines at the rate of the bench's transitions, under a millisecond
FREEZE_EVERY = 500  # journal lines between two freezes of an idle process: a tenth of a compaction's


class Follower:
    """The requests at work in this process (``begin``/``end``), and a thread, started at the first
    request of each process (threads stay behind at a fork), that calls ``store._follow()`` every
    PERIOD while none is, until it returns False (the store is closed) or the store is gone; and makes the
    calls put off out of a request meanwhile (``after_request``)."""

    def __init__(self):
        self._at_work, self._counting, self._pid = 0, threading.Lock(), None
        self._after, self._aged = [], 0  # calls put off (after_request), how many of them a request's end has seen

    def begin(self, store) -> None:
        with self._counting:
            self._at_work += 1
            if self._pid != os.getpid():
                self._pid = os.getpid()
                threading.Thread(target=_follow, args=(weakref.ref(store), self), daemon=True,
                                 name="store-follower").start()

    def end(self) -> None:
        """The request is over; calls that were put off before a request that ended earlier are made now (the
        thread makes them once the process is idle, but a process busy with a run of requests is never idle)."""
        with self._counting:
            self._at_work -= 1
            due, self._after = self._after[:self._aged], self._after[self._aged:]
            self._aged = len(self._after)
        for call in due:
            call()

    def after_request(self, call) -> None:
        """``call()`` out of the request at work in this process, or now if none is: the thread makes it
        while no request is at work (or the end of the next request does). A thread of the process's own
        woken in a request (store/on_disk.py's let_go) takes the interpreter at the request's next system
        call: on a busy machine the request that met a compaction's swap then waited 4-23 ms to be scheduled
        back, beside its take-on's ~1.7 ms of CPU."""
        with self._counting:
            if self._at_work:
                self._after.append(call)
                return
        call()

    def make_put_off(self) -> None:
        """The calls put off, made now if no request is at work (the thread, every PERIOD)."""
        with self._counting:
            if self._at_work or not self._after:
                return
            due, self._after, self._aged = self._after, [], 0
        for call in due:
            call()

    def idle(self) -> bool:
        return not self._at_work


class Following:
    """TinyDBStore's part: the requests counted as the web layer announces them (Store.read_ahead
    and read_done), in a serving process only (``background``: the one open_store opens)."""

    def read_ahead(self) -> None:
        if self._background:
            self._follower.begin(self)

    def read_done(self) -> None:
        if self._background:
            self._follower.end()

    _frozen = (None, 0)  # (generation, journal lines) memory stood at when it was last frozen, or earlier

    def _follow(self) -> bool:
        """The follower's catch-up: none while a thread holds the mutex, a request is at work or a
        writer holds the flock (it waits for neither); then a freeze if due. False once the store is closed."""
        if not self._mutex.acquire(blocking=False):
            return True
        try:
            if self._journal is not None and self._pid == os.getpid() and self._follower.idle():
                with self._caught_up(fcntl.LOCK_SH | fcntl.LOCK_NB):  # whole lines first, whoever holds the flock
                    pass
                self._freeze_if_due()
        except (OSError, ValueError, StoreError):  # busy (BlockingIOError), or for the next read to raise
            pass
        finally:
            self._mutex.release()
        return self._journal is not None

    def _freeze_if_due(self) -> None:
        """Once FREEZE_EVERY lines have come in since memory was last frozen, collect and freeze while
        idle. Taking a generation on or reloading froze it too (``uncollected``), at a count of lines
        not known here: counted from the generation's first line, which may freeze once more than needed."""
        generation, lines = self._gen, self._journal.lines
        if generation != self._frozen[0]:
            self._frozen = generation, 0
        if lines - self._frozen[1] >= FREEZE_EVERY and self._follower.idle():
            with uncollected():
                self._frozen = generation, lines


def _follow(ref, follower: Follower) -> None:
    while True:
        time.sleep(PERIOD)
        follower.make_put_off()
        store = ref()
        if store is None or (follower.idle() and not store._follow()):
            return
        del store  # not held while asleep: the store can be collected
