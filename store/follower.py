"""Keeping a serving process's memory caught up with other processes while no request is at work in it.

A process catches up with the lines other processes appended at its next read or commit
(TinyDBStore._catch_up). One at a time, a client's requests are not shared out evenly between
gunicorn's workers: one serves runs of hundreds while the other waits, and the first request the
idle one then gets replays them all before its own work. At 50,000 documents, 190-480 lines (3.5 KB
each) took 10-24 ms of its CPU, half parsing, half applying: the longest transitions of the
compaction row, beside a median of 1.5 ms. A thread of the process's own replays them instead, a
few at a time, every PERIOD while no request is at work in the process (a request sees memory as
it stood at its first read: Store.pinned), and never waits for the store's locks.
"""
from __future__ import annotations

import fcntl
import os
import threading
import time
import weakref

from .base import StoreError

PERIOD = 0.02  # s between two catch-ups: ~15 lines at the rate of the bench's transitions, under a millisecond


class Follower:
    """The requests at work in this process (``begin``/``end``), and a thread, started at the first
    request of each process (threads stay behind at a fork), that calls ``store._follow()`` every
    PERIOD while none is, until it returns False (the store is closed) or the store is gone."""

    def __init__(self):
        self._at_work, self._counting, self._pid = 0, threading.Lock(), None

    def begin(self, store) -> None:
        with self._counting:
            self._at_work += 1
            if self._pid != os.getpid():
                self._pid = os.getpid()
                threading.Thread(target=_follow, args=(weakref.ref(store), self), daemon=True,
                                 name="store-follower").start()

    def end(self) -> None:
        with self._counting:
            self._at_work -= 1

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

    def _follow(self) -> bool:
        """The follower's catch-up: none while a thread holds the mutex, a request is at work or a
        writer holds the flock (it waits for neither); False once the store is closed."""
        if not self._mutex.acquire(blocking=False):
            return True
        try:
            if self._journal is not None and self._pid == os.getpid() and self._follower.idle():
                with self._caught_up(fcntl.LOCK_SH | fcntl.LOCK_NB):  # whole lines first, whoever holds the flock
                    pass
        except (OSError, ValueError, StoreError):  # busy (BlockingIOError), or for the next read to raise
            pass
        finally:
            self._mutex.release()
        return self._journal is not None


def _follow(ref, follower: Follower) -> None:
    while True:
        time.sleep(PERIOD)
        store = ref()
        if store is None or (follower.idle() and not store._follow()):
            return
        del store  # not held while asleep: the store can be collected
