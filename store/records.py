"""The records of a store held in memory, for the backends that serve reads
from memory and catch up with other processes' commits before each read.

``data`` is {collection: {key: record}}; each collection's key order is worked
out once and kept until a key is added or removed, and a scan that matches on a
field goes by an index of that field's values (built at the first such scan, kept
up to date by every put and delete) rather than through every record: the notices
of one person, the reports among 50,000 documents. Records are kept as
``compact`` makes them: a store of 50,000 documents is held in a few hundred
megabytes rather than one and a half gigabytes.
"""
from __future__ import annotations

from collections import deque
from math import isfinite
from sys import intern

from . import pg_json

# Strings this short are mostly names that recur in thousands of records (states, kinds,
# teams, strands, dates, people): one object each rather than one per record.
SHORT = 40


def copy(value):
    """Deep copy of a JSON value; several times faster than copy.deepcopy. A container is
    copied whole in C, then its nested containers replaced by copies of their own: a string
    or a number costs the loop a look at its type, not a store too (every read of a record,
    and every commit's answer, copies it so)."""
    kind = type(value)
    if kind is dict:
        out = value.copy()
        for key, item in value.items():
            kind = type(item)
            if kind is dict or kind is list:
                out[key] = copy(item)
        return out
    if kind is list:
        out = value[:]
        for at, item in enumerate(value):
            kind = type(item)
            if kind is dict or kind is list:
                out[at] = copy(item)
        return out
    return value


# The types JSON decodes numbers, booleans and null to; a string is a str, an object a dict
# with str keys, an array a list.
_SCALARS = frozenset({int, float, bool, type(None)})


def _interned(value, strict=False):
    """A copy of ``value`` with its keys and short strings interned. Strings and numbers
    are dealt with in the loop, not by a call each: every commit and catch-up walks a
    record so, on the request's path. ``strict``: TypeError for anything inside but JSON's
    own types (a tuple, a subclass of str; ``sys.intern`` refuses a key not a str) and for
    NaN and infinities, so that the copy of a value that encodes as JSON is what decoding
    that JSON gives, and orjson may write it (store/journal.py's ``encoded``)."""
    kind = type(value)
    if kind is dict:
        out = {}
        for key, item in value.items():
            kind = type(item)
            if kind is str:
                out[intern(key)] = intern(item) if len(item) <= SHORT else item
            elif kind is dict or kind is list:
                out[intern(key)] = _interned(item, strict)
            elif not strict or kind in _SCALARS and (kind is not float or isfinite(item)):
                out[intern(key)] = item
            else:
                raise TypeError(f"not one of JSON's own types, or not a finite number: {kind.__name__}")
        return out
    if kind is list:
        out = []
        for item in value:
            kind = type(item)
            if kind is str:
                out.append(intern(item) if len(item) <= SHORT else item)
            elif kind is dict or kind is list:
                out.append(_interned(item, strict))
            elif not strict or kind in _SCALARS and (kind is not float or isfinite(item)):
                out.append(item)
            else:
                raise TypeError(f"not one of JSON's own types, or not a finite number: {kind.__name__}")
        return out
    if kind is str and len(value) <= SHORT:
        return intern(value)
    return value


def same(a, b) -> bool:
    """Whether two JSON values would be written alike. Python's == holds 1, 1.0 and True
    equal (and 0.0 and -0.0): a copy shared on == alone would hold in memory what the
    journal does not."""
    kind = type(a)
    if kind is not type(b):
        return False
    # Loops, not all() over generators; an item that is the other itself (an interned name, a
    # small number) not compared, and a string or an int compared in the loop, not by a call:
    # a commit and every catch-up compare a document's nested copy of its fields so, and one
    # decoded from another process's line shares no string with memory's.
    if kind is dict:
        if a.keys() != b.keys():
            return False
        items = a.items()
    elif kind is list:
        if len(a) != len(b):
            return False
        items = enumerate(a)
    else:
        return a == b and (kind is not float or repr(a) == repr(b))
    for key, value in items:
        other = b[key]
        if value is other:
            continue
        kind = type(value)
        if kind is str or kind is int:
            if type(other) is not kind or value != other:
                return False
        elif not same(value, other):
            return False
    return True


def compact(record: dict, strict=False, held: dict | None = None) -> dict:
    """``record`` as memory keeps it: keys and short strings interned, and a nested
    copy of one of its own top-level items (a document's approved snapshot of its
    fields, say) replaced by that item itself. The parts are then shared, so the
    record is read-only, as every record the store holds is (``get`` copies). ``strict``:
    as ``_interned``'s. ``held``: the record this one replaces, as memory keeps it; a
    top-level item alike in both is taken from it, compared rather than copied anew (a
    change to a document leaves its fields alike, and every commit and catch-up keeps one).
    One pass over the record's items, not one to compare, one to copy and one to rebuild."""
    held = held or _NOTHING
    out, tops, made = {}, {}, []  # tops by type and length: only an item of the same can be equal
    for key, item in record.items():
        kind = type(item)
        if kind is str:
            item = intern(item) if len(item) <= SHORT else item
        elif kind is dict or kind is list:
            kept = held.get(key) if item else None
            if type(kept) is kind and same(kept, item):
                item = kept  # held's own: compacted already, never changed
            else:
                item = _interned(item, strict)
                if kind is dict:
                    made.append(item)
            if item:
                tops.setdefault((kind, len(item)), []).append(item)
        elif strict and (kind not in _SCALARS or kind is float and not isfinite(item)):
            raise TypeError(f"not one of JSON's own types, or not a finite number: {kind.__name__}")
        out[intern(key)] = item
    for item in made:  # held's own items were looked through when held was made
        for key, nested in item.items():
            if type(nested) in (dict, list) and nested:
                for top in tops.get((type(nested), len(nested)), ()):
                    if top is not nested and same(top, nested):
                        item[key] = top
                        break
    return out


_NOTHING: dict = {}  # no record held: nothing to take over (never changed)


def matching(records: list[dict], match: dict | None) -> list[dict]:
    """The records with every top-level item of ``match`` (TinyDB's fragment query)."""
    if not match:
        return records
    wanted = list(match.items())
    return [record for record in records if all(key in record and record[key] == value for key, value in wanted)]


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def key_order(key: str):
    """Numeric keys first in numeric order, then the others lexically."""
    return (0, int(key), "") if key.isascii() and key.isdigit() else (1, 0, key)


class Records:
    def __init__(self, data: dict | None = None):
        self.data = data if data is not None else {}
        self._order: dict = {}
        self._index: dict = {}  # {collection: {field: {value: {key, ...}}}}: see the module docstring
        # {collection: {key: JSON text}}: records put as text, decoded at their first read (see put)
        self._texts: dict = {}

    def current(self, collection: str, key: str) -> dict | None:
        """The stored record itself (not a copy): never mutate it."""
        texts = self._texts.get(collection)
        if texts and key in texts:
            self.keep(collection, key, compact(pg_json.loads(texts.pop(key))))
        return self.data.get(collection, {}).get(key)

    def get(self, collection: str, key: str) -> dict | None:
        return copy(self.current(collection, key))

    def scan(self, collection: str, match: dict | None) -> list[dict]:
        # TinyDB's fragment query: every top-level item of `match` equal in the record.
        self._decoded(collection)
        docs = self.data.get(collection, {})
        order = self._order.get(collection)
        if order is None:
            order = self._order[collection] = sorted(docs, key=key_order)
        field, value = next(iter(match.items())) if match else (None, None)
        if field is None or not _hashable(value):
            return matching([docs[k] for k in order], match)
        keys = self._indexed(collection, field).get(value, ())
        if len(keys) * 16 < len(order):  # a few: sorting them beats going down the whole order
            return matching([docs[k] for k in sorted(keys, key=key_order)], match)
        return matching([docs[k] for k in order if k in keys], match)

    def _indexed(self, collection: str, field: str) -> dict:
        """{value: keys of the records holding it in `field`} (hashable values only: an
        unhashable one never equals a value a scan can look up)."""
        by_field = self._index.setdefault(collection, {})
        if field not in by_field:
            self._decoded(collection)
            index = by_field[field] = {}
            for key, record in self.data.get(collection, {}).items():
                self._note(index, field, key, record)
        return by_field[field]

    @staticmethod
    def _note(index, field, key, record):
        if field in record and _hashable(record[field]):
            index.setdefault(record[field], set()).add(key)

    @staticmethod
    def _forget(index, field, key, record):
        if field in record and _hashable(record[field]):
            keys = index.get(record[field])
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del index[record[field]]

    def put(self, collection: str, key: str, record: dict | bytes) -> None:
        """Keep ``record`` as ``compact`` makes it: a copy, so the caller's is not held. A
        record given as JSON text (bytes) is kept as it is, and decoded at its first read:
        most of what another process commits (the notices it sends, its client's document)
        is not read by this one before it changes again."""
        if type(record) is bytes:
            self._texts.setdefault(collection, {})[key] = record
        else:
            self.keep(collection, key, compact(record))

    def _decoded(self, collection: str | None = None) -> None:
        """Every record of `collection` (None: of all) put as text, decoded and kept."""
        for c in [collection] if collection is not None else list(self._texts):
            texts = self._texts.pop(c, None)
            for key, text in (texts or {}).items():
                self.keep(c, key, compact(pg_json.loads(text)))

    def keep(self, collection: str, key: str, record: dict) -> None:
        """Keep ``record``, which ``compact`` made: held as it is."""
        texts = self._texts.get(collection)
        if texts:
            texts.pop(key, None)  # an older one put as text
        docs = self.data.setdefault(collection, {})
        old = docs.get(key)
        if old is None:
            self._order.pop(collection, None)
        docs[key] = record
        for field, index in self._index.get(collection, {}).items():
            if old is not None:
                self._forget(index, field, key, old)
            self._note(index, field, key, record)

    def delete(self, collection: str, key: str) -> None:
        texts = self._texts.get(collection)
        if texts:
            texts.pop(key, None)
        old = self.data.get(collection, {}).pop(key, None)
        if old is not None:
            self._order.pop(collection, None)
            for field, index in self._index.get(collection, {}).items():
                self._forget(index, field, key, old)

    def collections(self) -> list[str]:
        self._decoded()
        return sorted(c for c, docs in self.data.items() if docs)

    def empty(self) -> bool:
        return not any(self.data.values()) and not any(self._texts.values())


class Changes:
    """How many times this process saw each collection change, and the keys of its last
    few changes: what ``Store.generation(collections)`` and ``Store.changed`` answer from."""

    RECENT = 512  # changes remembered per collection

    def __init__(self):
        self._counts, self._recent = {}, {}

    def note(self, collection: str, key: str) -> None:
        count = self._counts[collection] = self._counts.get(collection, 0) + 1
        recent = self._recent.get(collection)
        if recent is None:  # (not setdefault: that would make a deque at every change)
            recent = self._recent[collection] = deque(maxlen=self.RECENT)
        recent.append((count, key))

    def counts(self, collections) -> tuple:
        return tuple(self._counts.get(c, 0) for c in collections)

    def since(self, collection: str, count: int) -> set | None:
        """The keys changed after the collection's `count`th change; None once they are not all remembered."""
        now, recent = self._counts.get(collection, 0), self._recent.get(collection)
        if count == now:
            return set()
        if count > now or not recent or recent[0][0] > count + 1:
            return None
        return {key for n, key in recent if n > count}


class MemoryReads:
    """get and scan for a backend that keeps its records in ``self._records`` and
    catches up with other processes in ``self._reading()`` — all but those of the
    collections in ``self._on_disk`` (named by the application as it opens the store), which it reads where they
    are stored, with ``_get_on_disk``, ``_scan_on_disk`` and ``_stream_on_disk``; and all
    of them while ``_read_stored()`` says so."""

    def _read_stored(self) -> bool:
        """Whether this thread reads every collection where it is stored, not from memory."""
        return False

    def get(self, collection: str, key: str) -> dict | None:
        if collection in self._on_disk or self._read_stored():
            return self._get_on_disk(collection, key)
        with self._reading():
            return self._records.get(collection, key)

    def scan(self, collection: str, match: dict | None = None) -> list[dict]:
        if collection in self._on_disk or self._read_stored():
            return matching(self._scan_on_disk(collection), match)
        with self._reading():
            return self._records.scan(collection, match)

    def stream(self, collection: str):
        if collection in self._on_disk or self._read_stored():
            return self._stream_on_disk(collection)
        return super().stream(collection)
