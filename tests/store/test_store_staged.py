"""A backup staged on disk (store/staged.py) and loaded from there, a record at a time, on every backend."""
import json
import os

import pytest

import store.staged
from store import EVERY, Append, Copying, Put, StoreError, open_aside, open_store, stage

RECORDS = {"documents": [{"id": "1", "version": 3, "title": "One"}, {"id": "12", "version": 1, "title": "Twelve"}],
           "settings": [{"id": "theme", "version": 2, "value": "plain"}]}
LOGS = {"history": {"1": [{"action": "create"}, {"action": "edit"}, {"action": "screen"}], "12": [{"action": "create"}]}}


def sections(records=RECORDS, logs=LOGS):
    return [*((False, c, rows) for c, rows in records.items()), *((True, c, by_key.items()) for c, by_key in logs.items())]


def test_a_staged_backup_loads_whole_and_new_keys_follow_its_own(make_store, tmp_path):
    staged = stage(str(tmp_path), sections())
    assert staged.counts == {"records": {"documents": 2, "settings": 1}, "logs": {"history": 4}}
    store, other = make_store(), make_store()  # other: another process's view, open before the load
    assert other.scan("documents") == []
    store.load_staged(staged)
    staged.close()
    for s in (store, other):
        assert s.scan("documents") == RECORDS["documents"] and s.get("settings", "theme") == RECORDS["settings"][0]
        assert {key: s.log("history", key) for key in s.log_keys("history")} == LOGS["history"]
    [created] = store.commit([Put("documents", None, {"title": "New"})])
    assert created["id"] == "13"  # never a key the backup holds


def test_a_staged_backup_is_refused_by_a_store_that_holds_anything_and_nothing_is_written(make_store, tmp_path):
    store = make_store()
    store.commit([Put("settings", "theme", {"value": "dark"})])
    staged = stage(str(tmp_path), sections())
    with pytest.raises(StoreError, match="not empty"):
        store.load_staged(staged)
    staged.close()
    assert make_store().collections() == {"records": ["settings"], "logs": []}


def test_keys_and_text_copy_bulk_loading_must_escape_load_as_given(make_store, tmp_path):
    # PostgreSQL loads in COPY's text format, where a tab, a newline or a backslash means something.
    odd = "tab\there, new\nline, back\\slash \\N, r\r, é \u2028"
    records = {"documents": [{"id": odd, "version": 1, "title": odd, "fields": {odd: [odd, "\\", 1.5]}}]}
    logs = {"history": {odd: [{"action": odd}, {"comment": "\\N"}]}}
    staged = stage(str(tmp_path), sections(records, logs))
    store = make_store()
    store.load_staged(staged)
    staged.close()
    assert store.get("documents", odd) == records["documents"][0] == make_store().get("documents", odd)
    assert store.log_keys("history") == [odd] and store.log("history", odd) == logs["history"][odd]


def test_a_staged_backup_the_store_does_not_end_up_holding_is_refused(make_store, tmp_path, request):
    staged = stage(str(tmp_path), sections())
    staged.counts["logs"]["history"] += 1  # as if an entry had been lost on the way in
    store = make_store()
    with pytest.raises(StoreError, match="does not match"):
        store.load_staged(staged)
    staged.close()
    if "postgresql" in request.node.callspec.id:  # counted in the loading transaction: nothing is left loaded
        assert make_store().collections() == {"records": [], "logs": []}


def _reads_counted(monkeypatch):
    """[how many times store/staged.py has read a row as JSON]."""
    reads = [0]

    def loads(raw):
        reads[0] += 1
        return json.loads(raw)
    monkeypatch.setattr(store.staged, "json", type("json", (), {"loads": staticmethod(loads)}))
    return reads


def test_a_tinydb_load_counts_a_logs_entries_as_staged_where_its_rows_read_back_as_they_were_written(
        tmp_path, monkeypatch):
    staged = stage(str(tmp_path), sections())
    reads = _reads_counted(monkeypatch)
    with open_store(str(tmp_path / "db")) as target:
        target.load_staged(staged)
        assert {key: target.log("history", key) for key in target.log_keys("history")} == LOGS["history"]
    staged.close()
    assert reads == [0]  # checked by their CRC-32 against staging's, not read as JSON


def test_a_tinydb_load_whose_copy_lost_an_entry_is_refused_and_names_what_it_holds(tmp_path, monkeypatch):
    staged = stage(str(tmp_path), sections())
    tables = staged.tables

    def one_lost():  # the copy loses history/1's last entry on its way in
        for table, rows in tables():
            yield table, ((key, raw.replace(b',{"action":"screen"}', b"") if key == "1" else raw) for key, raw in rows)
    monkeypatch.setattr(staged, "tables", one_lost)
    reads = _reads_counted(monkeypatch)
    with open_store(str(tmp_path / "db")) as target, pytest.raises(StoreError, match="does not match") as refused:
        target.load_staged(staged)
    staged.close()
    assert "'logs': {'history': 3}}" in str(refused.value) and reads == [2]  # not as tallied: read, counted


def test_a_tinydb_load_of_rows_staged_for_a_copy_elsewhere_counts_their_entries_by_reading_them(tmp_path):
    copying = Copying()  # staged without a tally of its logs (PostgreSQL counts what it loaded)
    staged = stage(str(tmp_path), sections(), copying=copying)
    copying.close()
    assert staged.tallies == {}
    with open_store(str(tmp_path / "db")) as target:
        target.load_staged(staged)
        assert {key: target.log("history", key) for key in target.log_keys("history")} == LOGS["history"]
    staged.counts["logs"]["history"] += 1
    with open_store(str(tmp_path / "db2")) as target, pytest.raises(StoreError, match="does not match"):
        target.load_staged(staged)
    staged.close()


def test_staging_syncs_nothing_and_a_tinydb_load_of_it_syncs_what_it_wrote(tmp_path, monkeypatch):
    # The staged file is scratch, gone after the import: waiting for the disk to hold it buys nothing.
    synced = []
    for name in ("fsync", "fdatasync"):
        real = getattr(os, name)
        monkeypatch.setattr(os, name, lambda fd, real=real, name=name: synced.append(name) or real(fd))
    staged = stage(str(tmp_path), sections())
    assert synced == []
    with open_store(str(tmp_path / "db")) as target:
        synced.clear()
        target.load_staged(staged)
    staged.close()
    assert "fsync" in synced  # the store's new snapshot and its directory: durable once loaded


@pytest.mark.parametrize("records, logs, named", [
    ({"documents": [{"id": "1", "version": 1}, {"id": "1", "version": 2}]}, {}, "a key of 'documents' is there twice"),
    ({}, {"history": [("1", [{"a": 1}]), ("1", [{"a": 2}])]}, "a key of 'log:history' is there twice"),
    ({"_meta": [{"id": "1", "version": 1}]}, {}, "not a collection name"),
    ({"log:history": [{"id": "1", "version": 1}]}, {}, "not a collection name"),
], ids=["record twice", "log key twice", "a backend's own table", "a log's table"])
def test_staging_refuses_what_no_store_could_hold_as_given(tmp_path, records, logs, named):
    sections = [*((False, c, rows) for c, rows in records.items()), *((True, c, by_key) for c, by_key in logs.items())]
    with pytest.raises(ValueError, match=named):
        stage(str(tmp_path), sections)


def test_a_tinydb_store_opened_with_every_collection_on_disk_reads_and_writes_as_any_other(tmp_path):
    path = str(tmp_path / "db")
    with open_store(path) as store:
        store.load(RECORDS, LOGS)
    with open_store(path, on_disk=EVERY) as cold:
        assert cold.scan("documents") == RECORDS["documents"] and list(cold.stream("settings")) == RECORDS["settings"]
        cold.commit([Put("documents", "1", {"title": "Changed"}, expected_version=3)])
    with open_store(path) as store:
        assert store.get("documents", "1") == {"id": "1", "version": 4, "title": "Changed"}


def test_a_backup_reads_records_and_logs_as_json_text_equal_to_what_stream_reads(make_store):
    odd = "tab\there, new\nline, back\\slash, é \u2028 \U0001F600"
    records = {"documents": [{"id": str(n), "version": n, "title": odd, "score": n / 3, "none": None}
                             for n in (1, 2, 10)] + [{"id": odd, "version": 1, "fields": {odd: [True, 0.5]}}]}
    logs = {"history": {"10": [{"action": "create"}], "2": [{"action": odd}, {"n": 1e-7}], odd: [{"a": [1, {}]}]}}
    store = make_store()
    store.load(records, logs)
    with store.one_state():  # as export reads them
        assert [json.loads(text) for text in store.stream_json("documents")] == list(store.stream("documents"))
        assert [(key, count, json.loads(text)) for key, count, text in store.stream_log_json("history")] == [
            (key, len(entries), entries) for key, entries in store.stream_log("history")]
        assert [key for key, _, _ in store.stream_log_json("history")] == ["2", "10", odd]


def test_a_tinydb_backup_reads_the_snapshots_text_as_it_lies_and_what_was_written_since_as_stored(tmp_path):
    path = str(tmp_path / "db")
    with open_store(path) as store:
        store.load(RECORDS, LOGS)
    snapshot_text = (tmp_path / "db" / "snapshot.json").read_text()
    with open_store(path, on_disk=EVERY) as cold:  # as run.py export opens it
        cold.commit([Put("documents", "1", {"title": "Also"}, expected_version=3),
                     Append("history", "1", {"action": "edit"})])
        with cold.one_state():
            texts, logs = list(cold.stream_json("documents")), list(cold.stream_log_json("history"))
    assert [json.loads(text) for text in texts] == [{"id": "1", "version": 4, "title": "Also"}, RECORDS["documents"][1]]
    assert [(key, count, json.loads(text)) for key, count, text in logs] == [
        ("1", 4, [*LOGS["history"]["1"], {"action": "edit"}]), ("12", 1, LOGS["history"]["12"])]
    # What the snapshot holds is handed on as it lies there, not decoded and encoded again.
    assert f'"12":{texts[1]}' in snapshot_text and f'"12":{{"entries":{logs[1][2]}}}' in snapshot_text


def test_a_load_waits_for_ready_before_committing_and_what_ready_raises_leaves_nothing_loaded(make_store, tmp_path):
    store, other = make_store(), make_store()  # other: another process's view
    seen = []

    def refuse():
        seen.append(other.scan("documents"))  # nothing is committed while it runs
        raise RuntimeError("the checks failed")

    staged = stage(str(tmp_path), sections())
    with pytest.raises(RuntimeError, match="the checks failed"):
        store.load_staged(staged, ready=refuse)
    assert seen == [[]]
    assert make_store().collections() == {"records": [], "logs": []}
    store.load_staged(staged, ready=lambda: seen.append(other.scan("documents")))
    staged.close()
    assert seen == [[], []] and other.scan("documents") == RECORDS["documents"]


def test_a_tinydb_store_made_aside_appears_at_its_path_whole_or_not_at_all(tmp_path):
    path = tmp_path / "db"
    with open_aside(str(path), on_disk=EVERY) as aside:
        aside.store.load(RECORDS, LOGS)
        assert not path.exists()
        aside.place()
    with open_store(str(path)) as store:
        assert store.scan("documents") == RECORDS["documents"] and store.log("history", "1") == LOGS["history"]["1"]
    assert open_aside(str(path)) is None and open_aside(str(tmp_path / "no" / "db")) is None  # opened as ever

    other = tmp_path / "other"
    with open_aside(str(other)) as aside:  # never placed: gone
        aside.store.load(RECORDS, LOGS)
    (tmp_path / "late").mkdir()
    (tmp_path / "late" / "file").write_text("something put there meanwhile")
    with pytest.raises(StoreError, match="cannot put the new store in"), open_aside(str(tmp_path / "late.x")) as aside:
        os.rename(tmp_path / "late", tmp_path / "late.x")
        aside.place()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db", "late.x"]
    assert (tmp_path / "late.x" / "file").exists()
