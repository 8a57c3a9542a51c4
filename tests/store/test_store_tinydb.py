"""TinyDB backend: durability, crash recovery, compaction, injected I/O errors, threads."""
import errno
import json
import os
import threading

import pytest
import tinydb

import store.journal
from services.storage import ON_DISK
from store import Append, Put, StoreError, open_store
from store.tinydb_store import TinyDBStore
from tests.store.child_proc import increment


def journal_files(path):
    return sorted(p for p in os.listdir(path) if p.startswith("journal-"))


def fill(s, n, start=0):
    for i in range(start, start + n):
        s.commit([Put("documents", None, {"i": i}), Append("history", None, {"i": i})])


def assert_filled(s, n):
    docs = s.scan("documents")
    assert [d["i"] for d in docs] == list(range(n))
    assert all(s.log("history", d["id"]) == [{"i": d["i"]}] for d in docs)


def test_open_store_accepts_path_and_tinydb_urls(tmp_path, monkeypatch):
    for target in [str(tmp_path / "a"), f"tinydb://{tmp_path / 'b'}"]:
        open_store(target, on_disk=ON_DISK).close()
    monkeypatch.chdir(tmp_path)
    open_store("tinydb://rel/dir", on_disk=ON_DISK).close()
    assert sorted(os.listdir(tmp_path)) == ["a", "b", "rel"]
    assert "snapshot.json" in os.listdir(tmp_path / "rel" / "dir")


def test_an_unreachable_postgresql_server_is_named_at_the_first_read_without_its_password():
    store = open_store("postgresql://someone:s3cret@127.0.0.1:1/db?connect_timeout=2", on_disk=ON_DISK)  # opening asks nothing
    try:
        with pytest.raises(StoreError, match="PostgreSQL store") as refused:
            store.get("settings", "secret_key")
        assert "s3cret" not in str(refused.value)
    finally:
        store.close()


def test_reopen_after_compaction_keeps_everything(tmp_path):
    s = TinyDBStore(tmp_path, compact_lines=10)
    fill(s, 25)
    assert journal_files(tmp_path) == ["journal-3.jsonl"]  # compacted twice, old journals gone
    s.close()
    s = TinyDBStore(tmp_path, compact_lines=10)
    assert_filled(s, 25)
    fill(s, 5, start=25)
    assert_filled(s, 30)


def test_compaction_runs_once_per_threshold_not_per_commit(tmp_path, monkeypatch):
    s = TinyDBStore(tmp_path, compact_lines=100)
    writes = []
    real_write = store.snapshot.write_temp
    monkeypatch.setattr(store.snapshot, "write_temp", lambda *a, **k: writes.append(1) or real_write(*a, **k))
    fill(s, 250)
    assert len(writes) == 2


def test_compaction_triggers_when_journal_outgrows_snapshot(tmp_path):
    s = TinyDBStore(tmp_path, compact_min_bytes=10_000)
    for _ in range(40):
        s.commit([Put("documents", None, {"pad": "x" * 500})])
    assert journal_files(tmp_path) != ["journal-1.jsonl"]
    s.close()
    assert len(TinyDBStore(tmp_path).scan("documents")) == 40


def test_snapshot_is_readable_by_tinydb(tmp_path):
    s = TinyDBStore(tmp_path, compact_lines=3)
    fill(s, 4)
    db = tinydb.TinyDB(tmp_path / "snapshot.json", access_mode="r")
    docs = db.table("documents").all()
    assert [d["i"] for d in docs] == [0, 1, 2]  # the 4th commit is still in the journal
    assert db.table("documents").get(doc_id=2) == {"i": 1, "id": "2", "version": 1}
    db.close()


def test_torn_last_journal_line_is_ignored_and_next_commit_works(tmp_path):
    s = TinyDBStore(tmp_path)
    fill(s, 3)
    s.close()
    journal = tmp_path / "journal-1.jsonl"
    good_size = journal.stat().st_size
    with open(journal, "ab") as f:
        f.write(b'{"ops":[["put","documents","4",{"i":')  # killed mid-write
    s = TinyDBStore(tmp_path)
    assert_filled(s, 3)
    fill(s, 1, start=3)
    s.close()
    lines = journal.read_bytes().splitlines()
    assert len(lines) == 4 and all(json.loads(line) for line in lines)
    assert journal.stat().st_size > good_size
    assert_filled(TinyDBStore(tmp_path), 4)


def test_complete_but_garbled_last_line_is_ignored(tmp_path):
    s = TinyDBStore(tmp_path)
    fill(s, 2)
    s.close()
    with open(tmp_path / "journal-1.jsonl", "ab") as f:
        f.write(b"\x00\x00\x00\n")
    s = TinyDBStore(tmp_path)
    assert_filled(s, 2)
    fill(s, 1, start=2)
    assert_filled(TinyDBStore(tmp_path), 3)


def test_garbage_in_the_middle_of_the_journal_is_reported_not_skipped(tmp_path):
    s = TinyDBStore(tmp_path)
    fill(s, 1)
    s.close()
    journal = tmp_path / "journal-1.jsonl"
    journal.write_bytes(b"garbage\n" + journal.read_bytes())
    with pytest.raises(StoreError, match="corrupt"):
        TinyDBStore(tmp_path)


def test_enospc_during_commit_raises_store_error_and_keeps_previous_state(tmp_path, monkeypatch):
    s = TinyDBStore(tmp_path)
    fill(s, 2)
    journal = tmp_path / "journal-1.jsonl"
    size_before = journal.stat().st_size
    real_write = os.write

    def full_disk(fd, data):
        real_write(fd, bytes(data[: len(data) // 2]))  # a partial write, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.journal.os, "write", full_disk)
    with pytest.raises(StoreError, match="No space left"):
        s.commit([Put("documents", "1", {"i": 99}, expected_version=1),
                  Put("documents", None, {"i": 2})])
    monkeypatch.setattr(store.journal.os, "write", real_write)

    assert journal.stat().st_size == size_before
    assert_filled(s, 2)
    assert_filled(TinyDBStore(tmp_path), 2)
    fill(s, 1, start=2)  # the next commit succeeds, and the failed create used no key
    assert [d["id"] for d in s.scan("documents")] == ["1", "2", "3"]
    assert_filled(TinyDBStore(tmp_path), 3)


def test_a_failed_fsync_acknowledges_that_commit_and_none_after_it_until_reopened(tmp_path, monkeypatch):
    """The line is in the file before its fdatasync (group commit: other processes may have
    read it), so it cannot be cut back: its fate is unknown, and this process saves nothing more."""
    s = TinyDBStore(tmp_path)
    fill(s, 1)

    def eio(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(store.journal.os, "fdatasync", eio)
    with pytest.raises(StoreError) as failed:
        fill(s, 1, start=1)
    assert failed.value.cause == "a disk input/output error"
    monkeypatch.undo()  # the disk answers again: still nothing is acknowledged by this process
    with pytest.raises(StoreError, match="reopen the store"):
        fill(s, 1, start=2)
    reopened = TinyDBStore(tmp_path)
    fill(reopened, 1, start=5)
    assert [d["i"] for d in TinyDBStore(tmp_path).scan("documents")][-1] == 5


def test_threads_incrementing_one_record_lose_no_update(tmp_path):
    s = TinyDBStore(tmp_path, compact_lines=50)
    s.commit([Put("counters", "1", {"n": 0})])

    threads = [threading.Thread(target=increment, args=(s, 50)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert s.get("counters", "1")["n"] == 400


def test_closed_store_refuses_operations(tmp_path):
    s = TinyDBStore(tmp_path)
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.get("documents", "1")
    with pytest.raises(StoreError, match="closed"):
        s.commit([Put("documents", None, {})])


def test_logs_and_revisions_stay_whole_across_compactions(tmp_path):
    """History is left in the snapshot file and read back a document at a time: entries
    appended before and after each compaction all come back, in order, after reopening."""
    s = TinyDBStore(tmp_path, compact_lines=7, on_disk=ON_DISK)
    for i in range(40):
        s.commit([Append("history", str(i % 3), {"i": i}), Put("revisions", f"{i % 3}.{i}", {"i": i})])
        assert s.log_last("history", str(i % 3)) == {"i": i}
    assert len(journal_files(tmp_path)) == 1 and journal_files(tmp_path) != ["journal-1.jsonl"]
    s.close()
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    for key in "012":
        assert s.log("history", key) == [{"i": i} for i in range(40) if i % 3 == int(key)]
    assert s.log_keys("history") == ["0", "1", "2"]
    assert [r["i"] for r in s.scan("revisions")] == sorted(range(40), key=lambda i: f"{i % 3}.{i}")
    assert s.get("revisions", "2.38") == {"i": 38, "id": "2.38", "version": 1}
    s.commit([Append("history", "1", {"i": 40}), Put("revisions", "1.40", {"i": 40})])  # since the snapshot
    assert list(s.stream("revisions")) == s.scan("revisions") and len(s.scan("revisions")) == 41
    assert list(s.stream_log("history")) == [(key, s.log("history", key)) for key in "012"]


def test_a_snapshot_of_the_one_line_layout_is_read_and_rewritten(tmp_path):
    """Data directories written by earlier versions (the snapshot on one line) open as they are."""
    legacy = {"_meta": {"1": {"generation": 3, "next_keys": {"documents": 3}}},
              "documents": {"1": {"t": "a", "id": "1", "version": 1}, "2": {"t": "b", "id": "2", "version": 2}},
              "revisions": {"1.1": {"document": "1", "id": "1.1", "version": 1}},
              "log:history": {"1": {"entries": [{"n": 1}, {"n": 2}]}}}
    (tmp_path / "snapshot.json").write_text(json.dumps(legacy))
    (tmp_path / "journal-3.jsonl").write_text(json.dumps({"ops": [["app", "history", "2", {"n": 3}]]}) + "\n")
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    assert [d["t"] for d in s.scan("documents")] == ["a", "b"]
    assert s.log("history", "1") == [{"n": 1}, {"n": 2}] and s.log("history", "2") == [{"n": 3}]
    assert s.get("revisions", "1.1")["document"] == "1"
    assert s.commit([Put("documents", None, {"t": "c"})])[0]["id"] == "3"
    s.close()
    assert (tmp_path / "snapshot.json").read_text().count("\n") > 3  # rewritten a record a line
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    assert [d["t"] for d in s.scan("documents")] == ["a", "b", "c"]
    assert s.log("history", "1") == [{"n": 1}, {"n": 2}] and s.get("revisions", "1.1")["id"] == "1.1"


def test_keys_of_any_length_survive_the_snapshot(tmp_path):
    s = TinyDBStore(tmp_path, compact_lines=2, on_disk=ON_DISK)
    long_key = "k" * 2000
    s.commit([Put("users", long_key, {"n": 1}), Put("revisions", long_key, {"n": 2})])
    s.commit([Append("history", long_key, {"n": 3})])  # the second commit compacts
    s.close()
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    assert s.get("users", long_key)["n"] == 1 and s.get("revisions", long_key)["n"] == 2
    assert s.log("history", long_key) == [{"n": 3}]


@pytest.mark.parametrize("given", ["0", "-1", "soon", "601"])
def test_a_database_timeout_out_of_range_is_refused_by_name(monkeypatch, given):
    monkeypatch.setenv("EQUALITY_DB_TIMEOUT", given)
    with pytest.raises(StoreError, match="EQUALITY_DB_TIMEOUT must be a number of seconds"):
        open_store("postgresql://someone@127.0.0.1:1/db", on_disk=ON_DISK)


def test_a_commit_keeps_copies_of_what_it_encoded_without_decoding_its_own_line(tmp_path, monkeypatch):
    """Memory takes copies of the records it encoded (JSON's own types only): the line is not read back."""
    import store.tinydb_store
    decoded = []
    monkeypatch.setattr(store.tinydb_store, "json", type("Counted", (), {
        "loads": staticmethod(lambda data: decoded.append(data) or json.loads(data))}))
    record = {"fields": {"tags": ["a"], "n": 1, "x": 1.5, "ok": True, "none": None}, "long": "w" * 80}
    with TinyDBStore(str(tmp_path), on_disk=ON_DISK) as s:
        (returned,) = s.commit([Put("documents", None, record), Append("history", None, {"e": ["a"]})])
        returned["fields"]["tags"].append("r")
        record["fields"]["tags"].append("c")
        held, log = s.get("documents", "1"), s.log("history", "1")
    assert decoded == []
    with TinyDBStore(str(tmp_path), on_disk=ON_DISK) as again:
        assert held == again.get("documents", "1") == {**record, "fields": {**record["fields"], "tags": ["a"]},
                                                       "id": "1", "version": 1}
        assert log == again.log("history", "1") == [{"e": ["a"]}]


def test_a_record_of_other_types_than_json_own_is_held_as_the_journal_gives_it(tmp_path):
    """A tuple, a subclass of str or int, a dict's subclass: memory holds what a replay reads."""
    import collections
    import enum

    class Name(str):
        pass

    class Level(enum.IntEnum):
        HIGH = 3

    odd = [{"t": (1, 2)}, {"s": Name("x")}, {"s": Name("y" * 80)}, {"n": Level.HIGH}, {"d": collections.OrderedDict(a=1)}]
    with TinyDBStore(str(tmp_path), on_disk=ON_DISK) as s:
        for record in odd:
            s.commit([Put("documents", None, record), Append("history", None, collections.OrderedDict(e=(1,)))])
        held = [s.get("documents", str(n)) for n in range(1, len(odd) + 1)]
        logs = [s.log("history", str(n)) for n in range(1, len(odd) + 1)]
    with TinyDBStore(str(tmp_path), on_disk=ON_DISK) as again:
        read = [again.get("documents", str(n)) for n in range(1, len(odd) + 1)]
        assert logs == [again.log("history", str(n)) for n in range(1, len(odd) + 1)]
    assert json.dumps(held) == json.dumps(read) and repr(held) == repr(read)
    assert [type(record["s"]) for record in held if "s" in record] == [str, str]
    assert [type(entry) for log in logs for entry in log] == [dict] * len(odd)
    assert [repr(log) for log in logs] == [repr([{"e": [1]}])] * len(odd)


def test_a_read_and_a_commit_ask_the_journal_its_size_without_a_stat_result(tmp_path, monkeypatch):
    """Every read looks for other processes' lines: the journal's end by lseek, not by fstat's stat result."""
    with TinyDBStore(str(tmp_path), on_disk=ON_DISK) as s, TinyDBStore(str(tmp_path), on_disk=ON_DISK) as other:
        s.commit([Put("documents", "1", {"n": 1})])
        stats, fstat = [], os.fstat
        monkeypatch.setattr(os, "fstat", lambda fd: stats.append(fd) or fstat(fd))
        other.commit([Put("documents", "1", {"n": 2}, expected_version=1)])
        assert s.get("documents", "1")["n"] == 2 and s.get("documents", "1")["version"] == 2
        s.commit([Put("documents", "1", {"n": 3}, expected_version=2)])
        assert other.get("documents", "1")["n"] == 3
    assert stats == []


def test_text_orjson_cannot_write_goes_to_the_journal_by_json_and_reads_back_alike(tmp_path):
    """The journal's line is written by orjson where it can: a lone surrogate and an integer past 64
    bits it refuses go through the json module's encoder instead, and another process reads them back."""
    odd = {"lone": "a\ud800b", "big": 2 ** 70, "text": "Café “policy”", "x": 1e16}
    with TinyDBStore(str(tmp_path), on_disk=ON_DISK) as writer, TinyDBStore(str(tmp_path), on_disk=ON_DISK) as reader:
        (returned,) = writer.commit([Put("documents", None, dict(odd)), Append("history", "1", dict(odd))])
        assert repr(reader.get("documents", "1")) == repr(returned) == repr({**odd, "id": "1", "version": 1})
        assert repr(reader.log("history", "1")) == repr([odd])
