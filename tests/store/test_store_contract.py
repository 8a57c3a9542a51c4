"""The Store contract: every backend must pass these (see conftest.BACKENDS)."""
import threading

import pytest

from services.storage import ON_DISK
from store import Append, Conflict, Delete, Put, StoreError, open_store
from store.records import Changes


def create(store, **fields):
    (rec,) = store.commit([Put("documents", None, fields)])
    return rec


def test_create_assigns_keys_1_2_3_per_collection(store):
    assert [create(store, n=i)["id"] for i in range(3)] == ["1", "2", "3"]
    (user,) = store.commit([Put("users", None, {"name": "a"})])
    assert user["id"] == "1"


def test_create_in_one_commit_assigns_consecutive_keys(store):
    recs = store.commit([Put("documents", None, {}), Put("documents", None, {})])
    assert [r["id"] for r in recs] == ["1", "2"]


def test_create_sets_id_and_version_1_and_returns_stored_record(store):
    rec = create(store, title="EqIA")
    assert rec == {"title": "EqIA", "id": "1", "version": 1}
    assert store.get("documents", "1") == rec


def test_create_with_explicit_key(store):
    store.commit([Put("users", "alice", {"role": "admin"})])
    assert store.get("users", "alice") == {"role": "admin", "id": "alice", "version": 1}


def test_put_with_current_version_increments_version(store):
    create(store, n=0)
    (rec,) = store.commit([Put("documents", "1", {"n": 1}, expected_version=1)])
    assert rec["version"] == 2
    (rec,) = store.commit([Put("documents", "1", {"n": 2}, expected_version=2)])
    assert store.get("documents", "1") == {"n": 2, "id": "1", "version": 3}


def test_stale_put_raises_conflict_and_writes_no_op_of_the_commit(store):
    create(store, n=0)
    store.commit([Put("documents", "1", {"n": 1}, expected_version=1)])
    with pytest.raises(Conflict):
        store.commit([
            Put("documents", None, {"new": True}),
            Append("history", "1", {"event": "edit"}),
            Put("documents", "1", {"n": 99}, expected_version=1),
        ])
    assert store.get("documents", "1")["n"] == 1
    assert store.scan("documents") == [{"n": 1, "id": "1", "version": 2}]
    assert store.log("history", "1") == []
    assert create(store)["id"] == "2"  # the failed create did not use up a key


def test_conflict_names_collection_key_expected_and_actual(store):
    create(store)
    with pytest.raises(Conflict) as info:
        store.commit([Put("documents", "1", {}, expected_version=5)])
    err = info.value
    assert (err.collection, err.key, err.expected, err.actual) == ("documents", "1", 5, 1)
    assert "documents/1" in str(err) and "5" in str(err) and "1" in str(err)


def test_a_refused_commit_leaves_the_store_ready_for_the_next(store):
    """After a stale write, a refused create and a refused delete (PostgreSQL: the pooled
    connection rolled back and handed out again), reads and commits work as before."""
    create(store, n=0)
    for stale in ([Put("documents", "1", {"n": 9}, expected_version=3), Append("history", "1", {"e": 1})],
                  [Put("documents", None, {}), Put("documents", "1", {"n": 9})],
                  [Delete("documents", "1", expected_version=2)]):
        with pytest.raises(Conflict):
            store.commit(stale)
        assert store.get("documents", "1")["n"] == 0
    (rec, second) = store.commit([Put("documents", "1", {"n": 1}, expected_version=1), Put("documents", None, {})])
    assert (rec["version"], second["id"]) == (2, "2")
    store.commit([Append("history", "1", {"e": 2})])
    assert store.log("history", "1") == [{"e": 2}] and store.log_last("history", "1") == {"e": 2}
    with store.pinned():
        assert [r["id"] for r in store.scan("documents")] == ["1", "2"]


def test_create_on_existing_key_raises_conflict(store):
    store.commit([Put("users", "alice", {})])
    with pytest.raises(Conflict) as info:
        store.commit([Put("users", "alice", {"other": 1})])
    assert (info.value.expected, info.value.actual) == (None, 1)
    assert store.get("users", "alice") == {"id": "alice", "version": 1}


def test_put_with_version_on_missing_record_raises_conflict(store):
    with pytest.raises(Conflict):
        store.commit([Put("documents", "7", {}, expected_version=1)])
    assert store.get("documents", "7") is None


def test_delete_removes_record(store):
    create(store)
    store.commit([Delete("documents", "1")])
    assert store.get("documents", "1") is None
    assert store.scan("documents") == []


def test_delete_with_stale_version_raises_conflict(store):
    create(store)
    with pytest.raises(Conflict):
        store.commit([Delete("documents", "1", expected_version=2)])
    assert store.get("documents", "1") is not None
    store.commit([Delete("documents", "1", expected_version=1)])
    assert store.get("documents", "1") is None


def test_deleted_keys_are_not_reused(store):
    create(store)
    create(store)
    store.commit([Delete("documents", "2")])
    assert create(store)["id"] == "3"


def test_ops_of_one_commit_apply_in_order(store):
    recs = store.commit([Put("users", "bob", {"a": 1}), Put("users", "bob", {"a": 2}, 1)])
    assert [r["version"] for r in recs] == [1, 2]
    assert store.get("users", "bob") == {"a": 2, "id": "bob", "version": 2}


def test_append_with_key_none_ties_to_the_created_key(store):
    create(store)
    recs = store.commit([
        Append("history", None, {"event": "created"}),
        Put("documents", None, {"title": "new"}),
        Put("documents", None, {"title": "second"}),
    ])
    assert recs[0]["id"] == "2"
    assert store.log("history", "2") == [{"event": "created"}]
    assert store.log("history", "3") == []


def test_append_with_key_none_and_no_create_is_rejected(store):
    with pytest.raises(ValueError):
        store.commit([Append("history", None, {"event": "x"})])


def test_log_returns_entries_in_append_order(store):
    for i in range(5):
        store.commit([Append("history", "1", {"i": i})])
    store.commit([Append("history", "1", {"i": 5}), Append("history", "1", {"i": 6})])
    assert [e["i"] for e in store.log("history", "1")] == list(range(7))
    assert store.log("history", "unknown") == []


def test_scan_returns_records_matching_every_field(store):
    for state, owner in [("draft", "a"), ("approved", "a"), ("draft", "b")]:
        create(store, state=state, owner=owner)
    assert [r["id"] for r in store.scan("documents", {"state": "draft"})] == ["1", "3"]
    assert [r["id"] for r in store.scan("documents", {"state": "draft", "owner": "b"})] == ["3"]
    assert store.scan("documents", {"missing": 1}) == []
    assert store.scan("nothing-here") == []


def test_scan_orders_numeric_keys_numerically_then_others_lexically(store):
    for key in ["10", "b", "2", "a", "1"]:
        store.commit([Put("things", key, {})])
    assert [r["id"] for r in store.scan("things")] == ["1", "2", "10", "a", "b"]


def test_get_returns_a_copy_the_caller_may_mutate(store):
    create(store, strands={"age": {"impact": "none"}})
    rec = store.get("documents", "1")
    rec["strands"]["age"]["impact"] = "high"
    rec["title"] = "changed"
    assert store.get("documents", "1") == {"strands": {"age": {"impact": "none"}},
                                           "id": "1", "version": 1}


def test_commit_copies_the_callers_record_and_returns_copies(store):
    record = {"tags": ["a"]}
    (returned,) = store.commit([Put("documents", None, record)])
    record["tags"].append("b")
    returned["tags"].append("c")
    assert store.get("documents", "1")["tags"] == ["a"]
    assert "id" not in record  # the caller's dict is not modified


def test_commit_returns_copies_of_records_kept_where_they_are_stored_too(store):
    """Revisions (on_disk) and documents (memory) in one commit: neither answer is the store's own."""
    revision, document = store.commit([Put("revisions", "1.1", {"fields": {"tags": ["a"]}}),
                                       Put("documents", None, {"fields": {"tags": ["a"]}})])
    revision["fields"]["tags"].append("b")
    document["fields"]["tags"].append("b")
    assert store.get("revisions", "1.1")["fields"] == store.get("documents", "1")["fields"] == {"tags": ["a"]}


def test_log_returns_copies(store):
    store.commit([Append("history", "1", {"e": [1]})])
    store.log("history", "1")[0]["e"].append(2)
    assert store.log("history", "1") == [{"e": [1]}]


def test_get_missing_record_is_none(store):
    assert store.get("documents", "404") is None


def test_empty_commit_writes_nothing(store):
    assert store.commit([]) == []


def test_commits_are_visible_after_reopen(make_store):
    s = make_store()
    create(s, n=1)
    s.commit([Append("history", "1", {"e": 1})])
    s.close()
    s = make_store()
    assert s.get("documents", "1") == {"n": 1, "id": "1", "version": 1}
    assert s.log("history", "1") == [{"e": 1}]
    assert create(s)["id"] == "2"


@pytest.mark.parametrize("op", [
    Put("_meta", None, {}), Put("log:x", None, {}), Put("", None, {}),
    Put("documents", "", {}), Put("documents", None, {}, expected_version=1),
    Put("documents", "1", {}, expected_version=0), Put("documents", "1", ["not a dict"]),
    Append("history", "1", "not a dict"), Delete("documents", None),
])
def test_malformed_ops_are_rejected_before_anything_is_written(store, op):
    with pytest.raises((ValueError, TypeError)):
        store.commit([Put("documents", None, {}), op])
    assert store.scan("documents") == []


def test_a_store_loaded_from_another_stores_contents_holds_exactly_the_same(make_store, tmp_path):
    source = open_store(f"tinydb://{tmp_path / 'source'}", on_disk=ON_DISK)
    source.commit([Put("documents", None, {"title": "one", "fields": {"a": [1, {"b": None}]}}),
                   Append("history", None, {"action": "create"})])
    source.commit([Put("documents", "1", {"title": "one, edited"}, expected_version=1),
                   Append("history", "1", {"action": "edit"}), Put("users", "ann", {"roles": ["staff"]})])
    source.commit([Put("documents", None, {"title": "two"}), Delete("users", "ann")])
    names = source.collections()
    assert names == {"records": ["documents"], "logs": ["history"]}
    records = {c: source.scan(c) for c in names["records"]}
    logs = {c: {k: source.log(c, k) for k in source.log_keys(c)} for c in names["logs"]}

    target = make_store()
    assert target.is_empty()
    target.load(records, logs)
    assert target.scan("documents") == source.scan("documents")  # versions kept: 2 and 1
    assert target.log("history", "1") == [{"action": "create"}, {"action": "edit"}]
    assert target.log_keys("history") == ["1"]
    (created,) = target.commit([Put("documents", None, {"title": "three"})])
    assert created["id"] == "3"  # keys go on after the loaded ones
    with pytest.raises(StoreError, match="not empty"):
        target.load(records, logs)
    source.close()


def test_a_second_store_on_the_same_data_sees_every_commit_and_deletion(make_store):
    first, second = make_store(), make_store()
    first.commit([Put("documents", None, {"title": "one"}), Put("documents", None, {"title": "two"})])
    assert [d["title"] for d in second.scan("documents")] == ["one", "two"]
    first.commit([Delete("documents", "1"), Put("documents", "2", {"title": "two, edited"}, expected_version=1)])
    assert [d["title"] for d in second.scan("documents")] == ["two, edited"]
    assert second.get("documents", "1") is None
    with pytest.raises(Conflict):  # the second store's writes are checked against the first's
        second.commit([Put("documents", "2", {"title": "stale"}, expected_version=1)])
    second.commit([Put("documents", "1", {"title": "one again"})])
    assert [d["title"] for d in first.scan("documents")] == ["one again", "two, edited"]


@pytest.mark.parametrize("records", [3, 1_200])  # a few since the last read, and more than a batch
def test_a_reader_catches_up_with_writes_deletions_and_rewrites_since_its_last_read(make_store, records):
    reader, writer = make_store(), make_store()
    writer.commit([Put("documents", "kept", {"n": 0}), Put("documents", "gone", {"n": 0}),
                   Put("documents", "back", {"n": 0})])
    assert len(reader.scan("documents")) == 3  # the reader has read once: it catches up from there
    writer.commit([Put("documents", None, {"n": i}) for i in range(records)])
    writer.commit([Delete("documents", "gone"), Delete("documents", "back")])
    writer.commit([Put("documents", "back", {"n": 2}), Put("documents", "kept", {"n": 1}, expected_version=1)])
    writer.commit([Put("sessions", str(i), {"n": i}) for i in range(records)])
    writer.commit([Delete("sessions", str(i)) for i in range(records)])
    found = {d["id"]: d for d in reader.scan("documents")}
    assert len(found) == records + 2 and "gone" not in found
    assert (found["back"]["n"], found["back"]["version"]) == (2, 1)
    assert (found["kept"]["n"], found["kept"]["version"]) == (1, 2)
    assert reader.scan("sessions") == []


def test_the_generation_changes_with_every_commit_by_any_store_and_only_then(make_store):
    first, second = make_store(), make_store()
    start = second.generation()
    assert second.generation() == start and second.scan("documents") == []
    first.commit([Put("documents", None, {"title": "one"})])
    after_put = second.generation()
    assert after_put != start
    first.commit([Append("history", "1", {"action": "edit"})])
    assert second.generation() not in (start, after_put)


def test_log_last_is_the_last_entry_appended(store):
    assert store.log_last("history", "1") is None
    store.commit([Append("history", "1", {"n": 1})])
    store.commit([Append("history", "1", {"n": 2}), Append("history", "2", {"n": 9})])
    assert store.log_last("history", "1") == {"n": 2}
    store.log_last("history", "1")["n"] = 5  # a copy
    assert store.log("history", "1") == [{"n": 1}, {"n": 2}]


def test_a_pinned_reader_sees_one_state_and_its_own_commits(make_store):
    # Of a collection read whole from memory (documents on PostgreSQL keep only their slim
    # fields pinned: tests/store/test_store_slim.py).
    reader, writer = make_store(), make_store()
    reader.commit([Put("notices", None, {"title": "one"})])
    with reader.pinned():
        assert len(reader.scan("notices")) == 1
        writer.commit([Put("notices", None, {"title": "two"})])
        assert len(reader.scan("notices")) == 1  # held: one state for the whole request
        reader.commit([Put("notices", "1", {"title": "one, edited"}, expected_version=1)])
        assert reader.get("notices", "1")["title"] == "one, edited"  # its own write, always
    assert [d["title"] for d in reader.scan("notices")] == ["one, edited", "two"]


def test_a_collection_kept_on_disk_keeps_the_record_contract(make_store):
    """Revisions are read by key from where they are stored, not held in memory: same rules."""
    store = make_store()
    store.commit([Put("revisions", "7.1", {"document": "7", "n": 1}), Put("revisions", "10.1", {"document": "10"}),
                  Put("revisions", "7.2", {"document": "7", "n": 2})])
    assert store.get("revisions", "7.1") == {"document": "7", "n": 1, "id": "7.1", "version": 1}
    with pytest.raises(Conflict):
        store.commit([Put("revisions", "7.1", {"document": "7", "n": 9})])  # a create over an existing key
    (changed,) = store.commit([Put("revisions", "7.1", {"document": "7", "n": 3}, expected_version=1)])
    assert changed["version"] == 2
    store.commit([Delete("revisions", "10.1")])
    assert [r["id"] for r in store.scan("revisions", {"document": "7"})] == ["7.1", "7.2"]
    assert "revisions" in store.collections()["records"]
    got = store.get("revisions", "7.2")
    got["n"] = "changed by the caller"
    assert make_store().get("revisions", "7.2")["n"] == 2  # another process, and no shared copy
    assert store.get("revisions", "10.1") is None


def test_the_generation_of_some_collections_changes_with_them_only(make_store):
    """What a cache of documents goes by: a sign-in (a session written) leaves it as it was;
    a document written, here or by another process, changes it."""
    store, other = make_store(), make_store()
    (doc,) = store.commit([Put("documents", None, {"title": "EqIA"})])
    documents, everything = store.generation(("documents",)), store.generation()
    other.commit([Put("sessions", "s1", {"user": "jo"})])
    assert store.generation(("documents",)) == documents
    assert store.generation() != everything
    other.commit([Put("documents", doc["id"], {"title": "EqIA, revised"}, expected_version=1)])
    assert store.generation(("documents",)) != documents
    changed = store.generation(("documents",))
    store.commit([Delete("documents", doc["id"])])
    assert store.generation(("documents",)) != changed


@pytest.mark.parametrize("collection", ["documents", "revisions"])  # held in memory, and kept on disk
def test_stream_gives_every_record_as_scan_does(make_store, collection):
    store = make_store()
    store.commit([Put(collection, key, {"n": key}) for key in ("b", "10", "a", "9", "gone")])
    store.commit([Delete(collection, "gone"), Put(collection, "a", {"n": "a, edited"}, expected_version=1)])
    assert list(store.stream(collection)) == store.scan(collection)
    assert [r["id"] for r in make_store().stream(collection)] == ["9", "10", "a", "b"]  # from another process
    assert list(store.stream("nothing here")) == []


def test_stream_log_gives_every_key_and_its_entries_in_key_order(make_store):
    store = make_store()
    store.commit([Append("history", key, {"n": n}) for n, key in enumerate(("b", "10", "9", "b", "10"))])
    expected = [("9", [{"n": 2}]), ("10", [{"n": 1}, {"n": 4}]), ("b", [{"n": 0}, {"n": 3}])]
    assert list(store.stream_log("history")) == expected
    assert list(make_store().stream_log("history")) == expected
    assert list(store.stream_log("nothing here")) == []


def test_scans_that_match_a_field_agree_with_every_record_looked_through(make_store):
    """Scans by a field go by an index kept through every put and delete: after many
    changes (values changed, fields dropped, records deleted and made again, values a
    list), each scan finds exactly what looking through every record finds."""
    import random
    rng = random.Random(5)
    store, other = make_store(), make_store()
    values = ["a", "b", "c", 1, ["a"], None]
    matches = [{"f": "a"}, {"f": "b"}, {"f": 1}, {"f": ["a"]}, {"f": None}, {"f": "a", "g": 2}, {"g": 2},
               {"f": "rare"}]  # a value few records hold: looked up by sorting its keys
    for round_ in range(30):
        assert all(store.scan("documents", m) == [r for r in store.scan("documents")
                                                  if all(r.get(k, object()) == v for k, v in m.items())]
                   for m in matches)
        ops = []
        for key in rng.sample([str(i) for i in range(200)], 20):
            current = store.get("documents", key)
            value = "rare" if rng.random() < 0.03 else rng.choice(values)
            record = {"f": value, "g": rng.choice([1, 2])} if rng.random() < 0.8 else {"g": 2}
            if current is None:
                ops.append(Put("documents", key, record))
            elif rng.random() < 0.3:
                ops.append(Delete("documents", key, expected_version=current["version"]))
            else:
                ops.append(Put("documents", key, record, expected_version=current["version"]))
        (store if round_ % 2 else other).commit(ops)  # seen from this store's commits and from another's
    assert other.scan("documents", {"f": "a"}) == store.scan("documents", {"f": "a"})


def test_changed_names_the_keys_written_or_deleted_since_a_generation_by_any_store(make_store):
    store, other = make_store(), make_store()
    store.commit([Put("documents", None, {"n": n}) for n in range(3)])
    since = store.generation(("documents",))
    assert store.changed("documents", since) == set()
    other.commit([Put("documents", "2", {"n": 9}, expected_version=1), Delete("documents", "3"),
                  Put("sessions", "s", {"user": "jo"})])
    store.commit([Put("documents", None, {"n": 4})])
    store.generation(("documents",))  # caught up
    assert store.changed("documents", since) == {"2", "3", "4"}
    many = [Put("documents", str(n), {"n": n}) for n in range(10, 10 + Changes.RECENT + 1)]
    other.commit(many)
    store.generation(("documents",))
    assert store.changed("documents", since) is None  # too many to name: anything may have changed


def _everything(store):
    names = store.collections()
    return (names, {c: store.scan(c) for c in names["records"]}, [r["id"] for r in store.stream("revisions")],
            store.get("documents", "1"), {c: dict(store.stream_log(c)) for c in names["logs"]},
            store.log("history", "1"), store.log_last("history", "1"), store.log_keys("history"))


@pytest.mark.parametrize("writer", ["this store, another thread", "another store (as another process)"])
def test_one_state_reads_nothing_committed_after_it_began(make_store, writer):
    """What a backup or `verify` reads: records, on_disk records and logs all of one moment."""
    store = make_store()
    other = store if writer.startswith("this") else make_store()
    store.commit([Put("documents", None, {"n": 1}), Append("history", None, {"n": 1}),
                  Put("revisions", "1.1", {"n": 1})])
    before = _everything(store)
    with store.one_state():
        assert _everything(store) == before
        commit = threading.Thread(target=other.commit, args=([
            Put("documents", "1", {"n": 2}, expected_version=1), Append("history", "1", {"n": 2}),
            Append("audit", "log", {"n": 1}), Put("revisions", "1.2", {"n": 2}), Put("users", "u", {})],))
        commit.start()
        commit.join(timeout=1)  # committed (PostgreSQL) or waiting for the lock (TinyDB)
        assert _everything(store) == before
    commit.join()
    after = _everything(store)
    assert after[0] == {"records": ["documents", "revisions", "users"], "logs": ["audit", "history"]}
    assert after[2:6] == (["1.1", "1.2"], {"n": 2, "id": "1", "version": 2},
                          {"audit": {"log": [{"n": 1}]}, "history": {"1": [{"n": 1}, {"n": 2}]}},
                          [{"n": 1}, {"n": 2}])
