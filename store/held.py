"""Locks held for the length of a ``with`` block, as classes: a context manager that
contextlib makes of a generator (an object, a generator and two steps of it at every use)
was a quarter of the instructions of a read of the TinyDB store that finds nothing new, and
a request reads the store several times."""
from __future__ import annotations

import fcntl


class Flocked:
    """fcntl.flock(``fd``, ``mode``) held until the block ends."""

    __slots__ = ("_fd", "_mode")

    def __init__(self, fd: int, mode: int):
        self._fd, self._mode = fd, mode

    def __enter__(self):
        fcntl.flock(self._fd, self._mode)

    def __exit__(self, *exc):
        fcntl.flock(self._fd, fcntl.LOCK_UN)


class Reading:
    """A read of ``store``: ``store._begin_reading()`` as it begins, which says whether it
    took ``store._mutex``; released as it ends if so."""

    __slots__ = ("_store", "_took")

    def __init__(self, store):
        self._store = store

    def __enter__(self):
        self._took = self._store._begin_reading()

    def __exit__(self, *exc):
        if self._took:
            self._store._mutex.release()
