"""Results worked out from the whole store, kept until the store changes.

Lists, counts and My work are worked out over every document through the
visibility rules; between two commits (by any process) the answer cannot
change, and reads outnumber writes by far. The store's generation tells when
to forget: every commit, here or in another process, changes it.

Values are shared between requests: callers must treat them as read-only.
"""
import threading
from collections import OrderedDict


class UntilChanged:
    def __init__(self, store, size=512):
        self._store, self._size = store, size
        self._lock = threading.Lock()
        self._generation, self._values = None, OrderedDict()

    def get(self, key, compute):
        """The value kept for `key`, or compute() kept for it (`key` must be hashable)."""
        generation = self._store.generation()
        with self._lock:
            if generation != self._generation:
                self._generation = generation
                self._values.clear()
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()  # outside the lock: other requests need not wait for it
        with self._lock:
            # Worked out from the store as of `generation` or later: keep it only while that holds.
            if generation == self._generation:
                self._values[key] = value
                if len(self._values) > self._size:
                    self._values.popitem(last=False)
        return value
