"""Slim records: the few fields of each record of a large collection that a backend keeps in
memory, while whole records are read by key, for a store too large for every process to
hold whole (PostgreSQL at hundreds of thousands of documents).

The application declares, for such a collection, which fields its lists decide on (who may
see a record, what filters and sorts read): ``{collection: fields}``, where ``fields`` names
top-level fields, or ``(field, (nested, ...))`` pairs for a few fields of an object-valued
one, or of each object of a list-valued one (each nested one itself a name or such a pair). ``project`` makes a slim record from a whole one, and ``sql`` the same projection as a
PostgreSQL expression over a jsonb ``data`` column, so that a catch-up fetches only what
memory keeps. Both keep exactly the fields present (a field absent stays absent, a null
stays null, a nested field of a value that is not an object is kept as it is), so a slim
record read from the database equals the projection of the whole record; projecting a slim
record again changes nothing. The store knows nothing of what the fields mean.

``Whole`` is the bounded cache of whole records read by key, forgotten as the catch-up
names the keys that changed.
"""
from __future__ import annotations

import json
import re
import sys
import threading
from collections import OrderedDict

from . import pg_json
from .records import SHORT, _hashable, _interned, copy, key_order, matching

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def fields(declared) -> dict:
    """{field: None (kept whole) or the same of its nested fields kept} of a declaration;
    a record's ``id`` and ``version`` always among them."""
    return {"id": None, "version": None, **_declared(declared)}


def _declared(declared) -> dict:
    found = {}
    for item in declared:
        name, nested = (item, None) if isinstance(item, str) else (item[0], _declared(item[1]))
        if not _NAME.fullmatch(name):  # they go into SQL text (see sql): plain names only
            raise ValueError(f"a slim field must be a plain name, not {name!r}")
        found[name] = nested
    return found


def name(collection: str) -> str:
    """`collection`, checked to be a plain name: it goes into SQL text (see select)."""
    if not _NAME.fullmatch(collection):
        raise ValueError(f"a slim collection must be a plain name, not {collection!r}")
    return collection


def project(record: dict, kept: dict) -> dict:
    """The slim record of `record`: the fields `kept` (see fields), as ``sql`` projects them."""
    slim = {}
    for name, value in record.items():
        if name in kept:
            nested = kept[name]
            slim[name] = value if nested is None else _nested(value, nested)
    return slim


def _nested(value, kept: dict):
    """An object projected, or a list of them each projected (what is not an object kept as it is)."""
    if type(value) is dict:
        return project(value, kept)
    if type(value) is list:
        return [project(item, kept) if type(item) is dict else item for item in value]
    return value


def _array(names) -> str:
    return "ARRAY[" + ", ".join(f"'{name}'" for name in sorted(names)) + "]::text[]"


def sql(kept: dict) -> str:
    """``project`` as a jsonb expression over the column ``data``."""
    return _object(kept, "data", 0)


def _object(kept, column, depth) -> str:
    """The jsonb object of the fields `kept` of the object `column`, an object nested in it (or
    each object of a list nested in it, in the list's order) projected at ``depth + 1``."""
    k, v, item, n = f"k{depth}", f"v{depth}", f"i{depth}", f"n{depth}"
    value = v
    for name, nested in sorted(kept.items()):
        if nested is not None:
            each = (f"(SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof({item}) = 'object' "
                    f"THEN {_object(nested, item, depth + 1)} ELSE {item} END ORDER BY {n}), '[]'::jsonb) "
                    f"FROM jsonb_array_elements({v}) WITH ORDINALITY AS a{depth}({item}, {n}))")
            value = (f"CASE WHEN {k} = '{name}' AND jsonb_typeof({v}) = 'object' "
                     f"THEN {_object(nested, v, depth + 1)} "
                     f"WHEN {k} = '{name}' AND jsonb_typeof({v}) = 'array' THEN {each} ELSE {value} END")
    return (f"(SELECT coalesce(jsonb_object_agg({k}, {value}), '{{}}'::jsonb) FROM jsonb_each({column}) "
            f"AS e{depth}({k}, {v}) WHERE {k} = ANY({_array(kept)}))")


def select(declared: dict, unread=()) -> str:
    """The catch-up's record column: ``data`` slimmed for the collections of `declared`
    ({collection: fields()}), NULL for those `unread` (of which memory holds nothing yet:
    their keys alone are wanted), whole for the others."""
    cases = [f"WHEN '{c}' THEN NULL" for c in sorted(unread)]
    cases += [f"WHEN '{c}' THEN {sql(kept)}" for c, kept in sorted(declared.items()) if c not in unread]
    return f"CASE collection {' '.join(cases)} ELSE data END" if cases else "data"


_ABSENT = object()  # a field a record does not have, in its Packed tuple
_EMPTY = object()  # an empty list there: one object for every record's (most have one, of writers)
_SHORT = SHORT  # a string at most this long is held once however many records have it (sys.intern)


_TUPLES = {}  # nested tuples of short values alone (a progress report's period and status), each held once


class Packed:
    """A slim record as a tuple of its fields' values in the order of their names (and a nested
    object's as a tuple of its own, and a list of short values kept whole as a tuple): a tuple
    weighs a quarter of a dict of as many fields, and a store keeps one per record of a
    collection of hundreds of thousands. Short strings, empty lists, and tuples of short
    values, which repeat from record to record, are held once;
    so is a long string that repeats within a record (a title, a time of change kept again in
    its approved revision), and its key as its id."""

    def __init__(self, kept: dict):
        self.names = tuple(sorted(kept))
        self._nested = {name: Packed(nested) for name, nested in kept.items() if nested is not None}

    def pack(self, record: dict, key: str | None = None) -> tuple:
        """The tuple of `record` projected (see project): JSON holds no tuple, so one is a nested object."""
        return self._pack(record, {} if key is None else {key: key})

    def _pack(self, record, within):
        # A loop, not a call a field: a worker packs every record of hundreds of thousands at its first list.
        values = []
        for name in self.names:
            value = record.get(name, _ABSENT)
            kind = type(value)
            if kind is str:
                found = within.get(value)
                if found is not None:
                    value = found
                elif len(value) <= _SHORT:  # names, states, months: the same in many records
                    value = sys.intern(value)
                else:
                    within[value] = value
            elif kind is dict or kind is list:
                value = self._whole_or_nested(name, value, within)
            values.append(value)
        return tuple(values)

    def _whole_or_nested(self, name, value, within):
        inner = self._nested.get(name)
        if inner is not None and type(value) is dict:
            return _once(inner._pack(value, within))
        if inner is not None and value:  # a list: each object of it a tuple
            return [_once(inner._pack(item, within)) if type(item) is dict else _interned(item) for item in value]
        if not value and type(value) is list:
            return _EMPTY
        if type(value) is list and all(map(_short, value)):  # who wrote it, its lead teams: held once (unpack: a list)
            return _once(tuple(_interned(item) for item in value))
        return _interned(value)  # a list or object kept whole: a copy (the caller's may change)

    def unpack(self, packed: tuple) -> dict:
        record = {}
        for name, value in zip(self.names, packed):
            if type(value) is tuple:
                value = self._nested[name].unpack(value) if name in self._nested else list(value)
            elif type(value) is list and name in self._nested:
                inner = self._nested[name]
                value = [inner.unpack(item) if type(item) is tuple else item for item in value]
            elif value is _EMPTY:
                value = []
            if value is not _ABSENT:
                record[name] = value
        return record


def _short(value) -> bool:
    # Not a bool: True equals 1, and a tuple held once for one would stand for the other.
    return (value is None or value is _ABSENT or value is _EMPTY or type(value) is int
            or (type(value) is str and len(value) <= _SHORT))


def _once(packed: tuple) -> tuple:
    """`packed`, held once if made of short values alone (a bounded few: they repeat)."""
    return _TUPLES.setdefault(packed, packed) if all(map(_short, packed)) else packed


class SlimRecords:
    """The slim records of the slim collections ({collection: fields()}), each held Packed,
    listed in key order and, for a match, by an index of the field matched (as Records does)."""

    def __init__(self, declared: dict):
        self._packers = {c: Packed(kept) for c, kept in declared.items()}
        self._data = {c: {} for c in declared}  # {collection: {key: packed}}
        self._order, self._index = {}, {}  # {collection: keys in order}, {collection: {position: {value: keys}}}

    def put(self, collection: str, key: str, record: dict) -> None:
        docs = self._data[collection]
        old = docs.get(key)
        if old is None:
            self._order.pop(collection, None)
        docs[key] = new = self._packers[collection].pack(record, key)
        self._reindex(collection, key, old, new)

    def delete(self, collection: str, key: str) -> None:
        old = self._data[collection].pop(key, None)
        if old is not None:
            self._order.pop(collection, None)
            self._reindex(collection, key, old, None)

    def _reindex(self, collection, key, old, new):
        for position, index in self._index.get(collection, {}).items():
            if old is not None and _hashable(old[position]):
                keys = index.get(old[position], set())
                keys.discard(key)
                if not keys:
                    index.pop(old[position], None)
            if new is not None and _hashable(new[position]):
                index.setdefault(new[position], set()).add(key)

    def scan(self, collection: str, match: dict | None) -> list[dict]:
        """Records.scan's records (new dicts, made for this scan)."""
        docs, packer = self._data[collection], self._packers[collection]
        order = self._ordered(collection)
        field, value = next(iter(match.items())) if match else (None, None)
        if field in packer.names and _hashable(value):
            keys = self._indexed(collection, packer.names.index(field)).get(value, ())
            order = sorted(keys, key=key_order) if len(keys) * 16 < len(order) else [k for k in order if k in keys]
        return matching([packer.unpack(docs[key]) for key in order], match)

    def each(self, collection: str):
        """scan(collection, None)'s records, of those held now, each made as the iterator reaches it."""
        docs = self._data[collection]
        return map(self._packers[collection].unpack, [docs[key] for key in self._ordered(collection)])

    def _ordered(self, collection):
        order = self._order.get(collection)
        if order is None:
            order = self._order[collection] = sorted(self._data[collection], key=key_order)
        return order

    def _indexed(self, collection, position):
        by_position = self._index.setdefault(collection, {})
        if position not in by_position:
            index = by_position[position] = {}
            for key, packed in self._data[collection].items():
                if _hashable(packed[position]):
                    index.setdefault(packed[position], set()).add(key)
        return by_position[position]

    def collections(self) -> list[str]:
        return [c for c, docs in self._data.items() if docs]


class Whole:
    """At most `most` whole records read by key, the least recently used forgotten first.
    A record read while the catch-up may name it changed is kept only if it was not named:
    ``begin`` is taken before the read, ``keep`` after, ``forget`` by every catch-up."""

    def __init__(self, most: int = 2000):
        self._most, self._lock = most, threading.Lock()
        self._records = OrderedDict()  # (collection, key) -> the record (read-only: callers get copies)
        self._forgotten = 0  # how many keys forget() was given so far
        self._named = OrderedDict()  # (collection, key) -> that count when forget() last named it
        self._floor = -1  # the highest count of those no longer in _named

    def begin(self) -> int:
        with self._lock:
            return self._forgotten

    def get(self, collection: str, key: str):
        with self._lock:
            record = self._records.get((collection, key))
            if record is not None:
                self._records.move_to_end((collection, key))
                if type(record) is bytes:  # kept as JSON text (see keep): decoded once, at its first read
                    record = self._records[(collection, key)] = pg_json.loads(record)
            return record

    def keep(self, collection: str, key: str, record: dict, began: int) -> None:
        """Keep `record` (or its JSON text, bytes), read after begin() answered `began`, unless
        it was forgotten since (what was read may then be older than the change)."""
        with self._lock:
            if began <= self._floor or self._named.get((collection, key), -1) >= began:
                return
            self._records[(collection, key)] = record
            self._records.move_to_end((collection, key))
            while len(self._records) > self._most:
                self._records.popitem(last=False)

    def forget(self, pairs) -> None:
        """Forget the records of the (collection, key) `pairs`, which changed."""
        with self._lock:
            for pair in pairs:
                self._records.pop(pair, None)
                self._named[pair] = self._forgotten
                self._named.move_to_end(pair)
                self._forgotten += 1
            while len(self._named) > self._most:
                _, count = self._named.popitem(last=False)
                self._floor = max(self._floor, count)


class SlimReads:
    """Reads for a backend that keeps only slim records of the collections in ``self._slim``
    ({collection: fields()}) in memory (its ``self._slim_records``, a SlimRecords) and reads
    their whole records from the database (``self._read``, given SQL and its parameters,
    ``self._BATCH`` records a statement), by key through ``self._wholes`` (a Whole). Placed before MemoryReads, which serves every other collection."""

    def get(self, collection: str, key: str) -> dict | None:
        if collection not in self._slim or self._read_stored():
            return super().get(collection, key)
        return copy(self._whole_records(collection, [key]).get(key))

    def get_many(self, collection: str, keys) -> list:
        if collection not in self._slim or self._read_stored():
            return super().get_many(collection, keys)
        found = self._whole_records(collection, keys)
        return [copy(found.get(key)) for key in keys]

    def scan(self, collection: str, match: dict | None = None) -> list[dict]:
        if collection not in self._slim or self._read_stored():
            return super().scan(collection, match)
        return matching(list(self._in_order(collection, match)), match)

    def stream(self, collection: str):
        if collection not in self._slim or self._read_stored():
            return super().stream(collection)
        return self._in_order(collection)

    def _in_order(self, collection, match=None):
        """The whole records of `collection` (those containing `match`, tested by the server on
        the collection's rows, there being no index on data; containment is not equality for
        lists and objects, which the caller checks) in key order: their keys first, then the
        records a batch of keys at a time, each batch one statement answered within the store's timeout (a server-side
        sort of hundreds of thousands of records would not be), none held longer than its batch."""
        found = self._read("SELECT key FROM store_records WHERE collection = %s AND data @> %s::jsonb", (
            collection, json.dumps(match))) if match else self._read(
            "SELECT key FROM store_records WHERE collection = %s", (collection,))
        keys = sorted((key for (key,) in found), key=key_order)
        for start in range(0, len(keys), self._BATCH):
            batch = keys[start:start + self._BATCH]
            rows = dict(self._read("SELECT key, data FROM store_records WHERE collection = %s AND key = ANY(%s)",
                                   (collection, batch)))
            yield from (rows[key] for key in batch if key in rows)  # deleted meanwhile: left out

    def scan_slim(self, collection: str, match: dict | None = None) -> list[dict]:
        # Held in memory for a slim collection, read in at its first scan (``self._load_slim``);
        # whole records, a superset, for the others.
        if collection not in self._slim or self._read_stored():
            return super().scan(collection, match)
        with self._reading():
            if collection in self._unread:
                self._load_slim(collection)
            return self._slim_records.scan(collection, match)

    def stream_slim(self, collection: str):
        if collection not in self._slim or self._read_stored():
            return super().stream_slim(collection)
        with self._reading():
            if collection in self._unread:
                self._load_slim(collection)
            return self._slim_records.each(collection)

    def _whole_records(self, collection, keys) -> dict:
        """{key: the whole record} of those of `keys` that exist: kept ones, then the rest in one read."""
        found, missing = {}, []
        with self._reading():  # caught up first: what is kept of a record changed since is forgotten
            for key in dict.fromkeys(keys):
                record = self._wholes.get(collection, key)
                if record is None:
                    missing.append(key)
                else:
                    found[key] = record
        # Read outside the catch-up's lock (other requests need not wait for it), a batch of
        # keys a statement, each answered within the store's timeout however many are asked.
        for start in range(0, len(missing), self._BATCH):
            began = self._wholes.begin()
            rows = self._read("SELECT key, data FROM store_records WHERE collection = %s AND key = ANY(%s)",
                              (collection, missing[start:start + self._BATCH]))
            for key, data in rows:
                found[key] = data
                self._wholes.keep(collection, key, data, began)
        return found
