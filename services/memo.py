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
        # The values of the generation before, for `get`'s update: kept until the next change.
        self._before, self._before_generation = {}, None

    def get(self, key, compute, weight=None, update=None):
        """The value kept for `key`, or compute() kept for it (`key` must be hashable);
        `weight(value)`: how many items it holds, when its length does not say.
        `update(value, keys)`: the value kept before the last change, brought up to date
        with the records of the keys that changed since (of the one collection this
        memo depends on), when the store can name them: a change then costs what
        it changed, not a pass over the whole store."""
        generation = self._store.generation(self._collections)
        with self._lock:
            if generation != self._generation:
                self._before, self._before_generation = self._values, self._generation
                self._generation, self._values, self._weight = generation, OrderedDict(), 0
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key][0]
            before = self._before.get(key) if update else None
            since = self._before_generation
        changed = None
        if before is not None and len(self._collections or ()) == 1:
            changed = self._store.changed(self._collections[0], since)
        # Outside the lock: other requests need not wait for it.
        value = compute() if changed is None else update(before[0], changed)
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
