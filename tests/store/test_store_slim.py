"""Slim collections (store/slim.py): scan_slim holds the declared fields of every record,
exactly as the whole record has them, and get, get_many and scan read whole records — as
this store committed them and as another process (its own store) did, on both backends."""
import contextlib
import json

import pytest

from services.storage import ON_DISK
from store import Delete, Put, StoreError, open_store
from store.slim import Packed, Whole, fields, project

DECLARED = ("kind", "title", ("published", ("state", "title", ("fields", ("x",)))))  # nested twice
KEPT = fields(DECLARED)
# Records that differ in how the declared fields are there: absent, null, nested in an
# object (and in an object in it, or in each object of a list), an object without them, a
# value that is not an object.
RECORDS = [
    {"kind": "a", "title": "one", "body": "long " * 50,
     "published": {"state": "ok", "title": "t", "fields": {"x": 1, "z": 2}}},
    {"kind": "b", "body": "no title", "published": None},
    {"kind": "a", "title": None, "published": {"fields": {"y": [1, 2]}, "other": {"x": 3}}},
    {"kind": ["a", "list"], "title": "four", "published": "not an object"},
    {"body": {"nested": {"deep": True}}},
    {"published": {"state": None, "fields": [{"x": 1, "z": 2}, "text", [3], {"y": "s"}, None]}},  # each object projected
    {"kind": [], "title": "a", "published": {"state": "a", "fields": {"x": []}}},  # held once each (Packed)
]


@pytest.fixture
def make_slim(make_store):
    """Stores of the parametrised backend on one database, "things" declared slim."""
    opened = []

    def make():
        s = open_store(make_store.url, on_disk=ON_DISK, slim={"things": DECLARED})
        opened.append(s)
        return s

    make.url = make_store.url
    yield make
    for s in opened:
        with contextlib.suppress(StoreError):
            s.close()


def _whole(store):
    return [store.get("things", key) for key in sorted((r["id"] for r in store.scan("things")), key=int)]


def _slim_as_declared(store):
    return [project(record, KEPT) for record in store.scan_slim("things")]


def test_the_projection_keeps_exactly_the_declared_fields_present():
    assert project(RECORDS[0], KEPT) == {"kind": "a", "title": "one",
                                         "published": {"state": "ok", "title": "t", "fields": {"x": 1}}}
    assert project(RECORDS[1], KEPT) == {"kind": "b", "published": None}
    assert project(RECORDS[2], KEPT) == {"kind": "a", "title": None, "published": {"fields": {}}}
    assert project(RECORDS[3], KEPT) == {"kind": ["a", "list"], "title": "four", "published": "not an object"}
    assert project(RECORDS[4], KEPT) == {}
    assert project(RECORDS[5], KEPT) == {"published": {"state": None, "fields": [{"x": 1}, "text", [3], {}, None]}}
    assert project({**RECORDS[4], "id": "5", "version": 2}, KEPT) == {"id": "5", "version": 2}  # always kept


def test_a_slim_record_held_packed_is_its_projection_whatever_other_records_hold():
    # Records holding what is held once (short values, lists and objects of them) alike and not
    # quite alike: 1 and True are equal in Python, not in JSON.
    packer, held = Packed(KEPT), {}
    records = [*RECORDS, {"kind": [1, "x"], "title": [True, "x"], "published": {"fields": [{"x": 1}, {"x": True}]}},
               {"kind": [True, "x"], "title": [1, "x"], "published": {"state": [0], "fields": {"x": [False]}}},
               {"kind": ["long " * 10, "x"], "title": "long " * 10, "published": {"title": "long " * 10}}]
    for key, record in enumerate(records):
        held[str(key)] = packer.pack(record, str(key))
    for key, record in enumerate(records):
        assert json.dumps(packer.unpack(held[str(key)]), sort_keys=True) == json.dumps(project(record, KEPT), sort_keys=True)


@pytest.mark.parametrize("writer", ["this store", "another store (as another process)"])
def test_slim_records_equal_the_projection_of_the_whole_ones(make_slim, writer):
    reader = make_slim()
    other = reader if writer == "this store" else make_slim()
    reader.scan_slim("things")  # has read once: later changes come by its catch-up
    stored = other.commit([Put("things", None, record) for record in RECORDS])
    expected = [project(record, KEPT) for record in stored]
    assert _slim_as_declared(reader) == expected
    assert _whole(reader) == stored
    other.commit([Put("things", "1", {**RECORDS[1], "title": "changed"}, expected_version=1), Delete("things", "2")])
    slim = {r["id"]: project(r, KEPT) for r in reader.scan_slim("things")}
    assert "2" not in slim and slim["1"] == {"kind": "b", "title": "changed", "published": None, "id": "1", "version": 2}
    assert reader.get("things", "1") == {**RECORDS[1], "title": "changed", "id": "1", "version": 2}
    assert reader.get("things", "2") is None


@pytest.mark.parametrize("writer", ["this store", "another store (as another process)"])
def test_stream_slim_gives_the_slim_records_as_they_stood_when_asked(make_slim, writer):
    reader = make_slim()
    other = reader if writer == "this store" else make_slim()
    other.commit([Put("things", None, record) for record in RECORDS])
    before = [project(record, KEPT) for record in reader.scan_slim("things")]
    streamed = reader.stream_slim("things")
    other.commit([Put("things", "1", {"kind": "changed"}, expected_version=1), Delete("things", "2")])
    assert [project(record, KEPT) for record in streamed] == before  # made one at a time, of those asked
    assert [project(record, KEPT) for record in reader.stream_slim("things")] == _slim_as_declared(reader) != before


def test_a_first_read_of_a_large_slim_collection_projects_as_commits_do(make_slim):
    writer = make_slim()
    stored = writer.commit([Put("things", None, RECORDS[n % len(RECORDS)]) for n in range(1_200)])
    assert _slim_as_declared(make_slim()) == [project(record, KEPT) for record in stored]


def test_get_many_gives_whole_records_in_the_order_asked_and_none_for_absent_ones(make_slim):
    store, other = make_slim(), make_slim()
    stored = store.commit([Put("things", None, record) for record in RECORDS[:3]])
    assert store.get_many("things", ["3", "missing", "1"]) == [stored[2], None, stored[0]]
    store.get_many("things", ["1"])[0]["title"] = "mutated"  # a copy: what is kept stays as stored
    assert other.get_many("things", ["1"]) == [stored[0]] == store.get_many("things", ["1"])
    # Read (and kept) by both; then changed by one: the other reads the change, not what it kept.
    other.commit([Put("things", "1", {"kind": "c"}, expected_version=1)])
    assert store.get_many("things", ["1", "2"]) == [{"kind": "c", "id": "1", "version": 2}, stored[1]]
    assert store.get("things", "1")["kind"] == "c"


def test_scan_of_a_slim_collection_gives_whole_records_matching_by_equality(make_slim):
    store = make_slim()
    store.commit([Put("things", None, {"kind": "a", "tags": ["x", "y"]}), Put("things", None, {"kind": "a", "tags": ["x"]}),
                  Put("things", None, {"kind": "b", "tags": ["x"]})])
    assert [r["id"] for r in store.scan("things", {"tags": ["x"]})] == ["2", "3"]  # not containment
    assert store.scan("things", {"kind": "a"}) == [store.get("things", "1"), store.get("things", "2")]
    assert [r["id"] for r in store.scan_slim("things", {"kind": "a"})] == ["1", "2"]
    assert [r["tags"] for r in store.stream("things")] == [["x", "y"], ["x"], ["x"]]


def test_a_whole_record_read_while_it_changed_is_not_kept():
    wholes = Whole(most=3)
    began = wholes.begin()
    wholes.forget([("things", "1")])  # the catch-up named it while it was being read
    wholes.keep("things", "1", {"old": True}, began)
    wholes.keep("things", "2", {"old": False}, began)
    assert wholes.get("things", "1") is None and wholes.get("things", "2") == {"old": False}
    wholes.forget([("things", str(n)) for n in range(10, 20)])  # more than it remembers by name
    wholes.keep("things", "3", {}, began)  # begun before what it no longer names: not kept
    assert wholes.get("things", "3") is None
    after = wholes.begin()
    wholes.keep("things", "3", {}, after)
    assert wholes.get("things", "3") == {}


def test_a_pinned_reader_holds_the_slim_records_and_reads_whole_ones_as_they_stand(make_slim):
    """A request lists from one state of the slim records; a whole record it reads is never older
    than that state (its own commits included), though it may be newer, as an on_disk one is."""
    reader, writer = make_slim(), make_slim()
    reader.commit([Put("things", None, {"kind": "a", "body": 1})])
    with reader.pinned():
        assert [r["kind"] for r in reader.scan_slim("things")] == ["a"]
        writer.commit([Put("things", "1", {"kind": "b", "body": 2}, expected_version=1),
                       Put("things", None, {"kind": "c"})])
        assert [r["kind"] for r in reader.scan_slim("things")] == ["a"]  # held
        # TinyDB holds it pinned; PostgreSQL holds whole what it committed last (a bounded cache),
        # else reads it from the database as it stands: never older than the pinned state.
        assert reader.get("things", "1")["body"] in ((1, 2) if make_slim.url.startswith("postgresql") else (1,))
        reader.commit([Put("things", "2", {"kind": "d"}, expected_version=1)])
        assert reader.get_many("things", ["2"])[0]["kind"] == "d"  # its own write, always
    assert [r["kind"] for r in reader.scan_slim("things")] == ["b", "d"]


def test_a_store_lists_a_slim_collection_first_after_reading_and_changing_it_by_key(make_slim):
    """Memory may hold nothing of a slim collection until it is first listed: what is read by
    key and committed before that, here and elsewhere, is listed as it stands, and kept up after."""
    reader, writer = make_slim(), make_slim()
    writer.commit([Put("things", None, record) for record in RECORDS])
    assert reader.get("things", "2")["body"] == "no title"  # read by key, nothing listed yet
    assert reader.collections()["records"] == ["things"]
    reader.commit([Put("things", "1", {"kind": "mine"}, expected_version=1)])
    writer.commit([Delete("things", "3"), Put("things", "4", {"kind": "theirs"}, expected_version=1)])
    expected = [project(r, KEPT) for r in writer.scan("things")]
    assert _slim_as_declared(reader) == expected and {r["id"] for r in reader.scan_slim("things")} == {"1", "2", "4", "5", "6", "7"}
    writer.commit([Delete("things", "5"), Put("things", None, {"kind": "new"})])
    reader.commit([Put("things", "2", {"kind": "two"}, expected_version=1)])
    assert _slim_as_declared(reader) == [project(r, KEPT) for r in writer.scan("things")]
    assert reader.collections()["records"] == ["things"]
