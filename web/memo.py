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
    """At most `items` list items kept in all (a list or tuple weighs its length, anything
    else 1, unless `get` is told its weight): a Head's unfiltered list at 50,000 documents
    is 50,000 views, and the number of different lists people ask for has no bound."""

    def __init__(self, store, items=100_000, collections=None):
        """`collections`: the record collections every value depends on and nothing else
        (beyond what its key names); None: anything in the store."""
        self._store, self._limit, self._collections = store, items, collections
        self._lock = threading.Lock()
        self._generation, self._values, self._weight = None, OrderedDict(), 0

    def get(self, key, compute, weight=None):
        """The value kept for `key`, or compute() kept for it (`key` must be hashable);
        `weight(value)`: how many items it holds, when its length does not say."""
        generation = self._store.generation(self._collections)
        with self._lock:
            if generation != self._generation:
                self._generation = generation
                self._values.clear()
                self._weight = 0
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key][0]
        value = compute()  # outside the lock: other requests need not wait for it
        cost = weight(value) if weight else len(value) if isinstance(value, (list, tuple)) else 1
        with self._lock:
            # Worked out from the store as of `generation` or later: keep it only while that holds.
            if generation == self._generation and key not in self._values and cost <= self._limit:
                self._values[key] = value, cost
                self._weight += cost
                while self._weight > self._limit:
                    _, (_, dropped) = self._values.popitem(last=False)
                    self._weight -= dropped
        return value
