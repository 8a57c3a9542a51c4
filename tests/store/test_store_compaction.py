"""TinyDB compaction off the lock (store/compactor.py): commits go on while it writes the new
snapshot, a kill or an error at any of its steps loses nothing, one compactor at a time."""
import contextlib
import fcntl
import gc
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import types
import weakref
from pathlib import Path

import pytest

import store.on_disk
import store.snapshot
from services.storage import ON_DISK
from store import Append, Delete, Put, compactor, compactor_child, retire
from store.journal import Journal
from store.tinydb_store import TinyDBStore

REPO = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("compaction_child.py")


def fill(s, start, n):
    for i in range(start, start + n):
        s.commit([Put("documents", None, {"i": i}), Append("history", None, {"i": i}),
                  Put("revisions", f"r{i}", {"i": i})])


def assert_holds(s, numbers):
    """Every document, revision and history entry of the commits ``fill`` numbered so, once each."""
    docs = s.scan("documents")
    assert sorted(d["i"] for d in docs) == sorted(numbers)
    assert all(s.log("history", d["id"]) == [{"i": d["i"]}] for d in docs)
    assert sorted(r["i"] for r in s.scan("revisions")) == sorted(numbers)


def files(path):
    """The store's files but its locks and the retired ones (freed once no process reads them)."""
    return sorted(p for p in os.listdir(path) if p not in ("lock", compactor.LOCK) and not p.startswith(retire.PREFIX))


def commit_during_compaction(directory, n, start=100):
    """Make each compaction of this process commit n documents from another store (a process of
    its own, as far as locks go) while it writes the new snapshot: in a thread, which must
    finish: the compactor holds neither the store's lock nor its flock meanwhile."""
    real = compactor._write_snapshot

    def write_while_committing(*args):
        result = real(*args)
        other = TinyDBStore(directory, on_disk=ON_DISK)
        done = threading.Thread(target=fill, args=(other, start, n), daemon=True)
        done.start()
        done.join(timeout=20)
        assert not done.is_alive(), "a commit waited for the compaction"
        other.close()
        return result

    compactor._write_snapshot = write_while_committing
    return real


@pytest.fixture
def during(monkeypatch):
    monkeypatch.setattr(compactor, "_write_snapshot", compactor._write_snapshot)  # restored after
    return commit_during_compaction


def test_commits_made_during_a_compaction_are_all_kept_and_seen_without_rereading_the_snapshot(
        tmp_path, during, monkeypatch):
    s = TinyDBStore(tmp_path, compact_lines=70, on_disk=ON_DISK)
    other = TinyDBStore(tmp_path, on_disk=ON_DISK)  # another process's view: it stays open throughout
    fill(s, 0, 60)
    assert_holds(other, range(60))
    during(tmp_path, 30, start=60)
    reads = []
    real_load = store.snapshot.load
    monkeypatch.setattr(store.snapshot, "load", lambda *a: reads.append(a) or real_load(*a))
    fill(s, 90, 10)  # the 70th line compacts; 30 commits land meanwhile
    assert files(tmp_path) == ["journal-2.jsonl", "places-2.bin", "snapshot.json"]
    assert len((tmp_path / "journal-2.jsonl").read_bytes().splitlines()) == 30  # the tail, carried over
    for view in (s, other):
        assert_holds(view, range(100))
    assert not [load for load in reads if load[1].__self__ in (s, other)]  # both took generation 2 on from memory
    fill(s, 100, 5)
    other.commit([Put("documents", None, {"i": 105}), Append("history", None, {"i": 105}),
                  Put("revisions", "r105", {"i": 105})])
    s.close()
    other.close()
    assert_holds(TinyDBStore(tmp_path, on_disk=ON_DISK), range(106))


@pytest.mark.parametrize("step", ["places", "copy", "carry", "install", "retired", "installed"])
def test_a_compaction_killed_at_any_step_loses_nothing_and_its_leftovers_go_at_the_next_open(tmp_path, step):
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    fill(s, 0, 40)
    child = subprocess.run([sys.executable, str(CHILD), str(tmp_path), step, "20"], cwd=REPO,
                           env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, check=False)
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    fill(s, 40, 1)
    kept = [*range(41), *range(100, 120)]
    assert_holds(s, kept)
    s.close()
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    assert_holds(s, kept)
    generation = 2 if step == "installed" else 1
    assert files(tmp_path) == [f"journal-{generation}.jsonl", *(["places-2.bin"] if generation == 2 else []),
                               "snapshot.json"]
    wait_until_none_retired(tmp_path)  # freed by this process once it lets generation 1 go, never read
    fill(s, 41, 1)
    assert compactor.compact(tmp_path, ON_DISK)  # and the next compaction goes through
    assert_holds(s, [*kept, 41])
    s.close()
    assert_holds(TinyDBStore(tmp_path, on_disk=ON_DISK), [*kept, 41])


def test_a_crash_that_keeps_the_swap_but_not_the_journals_rename_loses_nothing(tmp_path, during):
    """One fsync of the directory makes both durable (compactor._install): a file system may keep
    the snapshot's replace and lose the rename of the carried tail before it."""
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    fill(s, 0, 40)
    during(tmp_path, 20)
    assert compactor.compact(tmp_path, ON_DISK)  # 20 commits carried into journal 2
    s.close()
    os.rename(tmp_path / "journal-2.jsonl", compactor.carried_path(str(tmp_path), 2))  # as such a crash leaves it
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    kept = [*range(40), *range(100, 120)]
    assert_holds(s, kept)
    assert files(tmp_path) == ["journal-2.jsonl", "places-2.bin", "snapshot.json"]
    fill(s, 40, 1)
    s.close()
    assert_holds(TinyDBStore(tmp_path, on_disk=ON_DISK), [*kept, 40])


def test_lines_that_come_while_the_tail_is_copied_are_carried_before_the_lock(tmp_path, monkeypatch):
    """Under the exclusive flock (which every commit waits for) only what came after them is
    carried: here nothing, so no fdatasync there."""
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    fill(s, 0, 40)
    real_copy, real_flock, real_sync, locked, synced = compactor._copy_tail, compactor._flock, os.fdatasync, [], []

    def copy_then_commit(*args):
        real_copy(*args)
        fill(s, 40, 1)  # lands after the tail's copy

    @contextlib.contextmanager
    def noted_flock(directory, mode):
        with real_flock(directory, mode):
            locked.append(mode == fcntl.LOCK_EX)
            yield
            locked.pop()

    monkeypatch.setattr(compactor, "_copy_tail", copy_then_commit)
    monkeypatch.setattr(compactor, "_flock", noted_flock)
    monkeypatch.setattr(os, "fdatasync", lambda fd: synced.append(any(locked)) or real_sync(fd))
    assert compactor.compact(tmp_path, ON_DISK)
    assert synced and not any(synced)
    monkeypatch.undo()
    s.close()
    assert_holds(TinyDBStore(tmp_path, on_disk=ON_DISK), range(41))


@pytest.mark.parametrize("step", ["_write_snapshot", "_write_places", "_copy_tail", "_carry_tail", "_install"])
def test_an_error_at_any_step_of_a_compaction_fails_no_commit_and_leaves_no_file(tmp_path, monkeypatch, step):
    s = TinyDBStore(tmp_path, compact_lines=20, on_disk=ON_DISK)

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(compactor, step, full_disk)
    fill(s, 0, 25)  # the 20th commit's compaction fails: the commit does not
    assert files(tmp_path) == ["journal-1.jsonl", "snapshot.json"]
    assert_holds(s, range(25))
    monkeypatch.undo()
    fill(s, 25, 100)  # and a later one goes through
    assert files(tmp_path)[0] != "journal-1.jsonl"
    s.close()
    assert_holds(TinyDBStore(tmp_path, on_disk=ON_DISK), range(125))


def test_while_another_compactor_is_at_work_none_starts_and_commits_go_on(tmp_path):
    s = TinyDBStore(tmp_path, compact_lines=10, on_disk=ON_DISK)
    with compactor.compactor_lock(str(tmp_path)) as mine:  # as another process's compactor would
        assert mine
        fill(s, 0, 30)
        assert not compactor.compact(tmp_path, ON_DISK)
        assert files(tmp_path) == ["journal-1.jsonl", "snapshot.json"]
    fill(s, 30, 10)
    assert files(tmp_path) == ["journal-2.jsonl", "places-2.bin", "snapshot.json"]
    assert_holds(s, range(40))


def wait_until_none_retired(path, seconds=30):
    deadline = time.monotonic() + seconds
    while list(path.glob(retire.PREFIX + "*")):
        assert time.monotonic() < deadline, f"never freed: {list(path.glob(retire.PREFIX + '*'))}"
        time.sleep(0.02)


def wait_for(path, seconds=60):
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never came"
        time.sleep(0.02)


def asked_until(s, path, seconds=60):
    """Ask the store's compactor, as a commit past the threshold does, until ``path`` comes: an
    ask that comes while it finishes a compaction (``path`` of the one before, just named) is
    taken as one for that compaction, by design."""
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never came"
        s._compact()
        for _ in range(25):
            if path.exists():
                break
            time.sleep(0.02)


def test_the_application_store_compacts_in_one_child_process_it_asks_at_each_compaction(tmp_path, monkeypatch):
    """Started once (a start holds the serving process for up to tens of milliseconds), then asked."""
    started = []
    real_popen = subprocess.Popen
    monkeypatch.setattr(subprocess, "Popen", lambda *args, **kw: started.append(args) or real_popen(*args, **kw))
    s = store.open_store(str(tmp_path), on_disk=ON_DISK)
    for i, generation in enumerate((2, 3, 4)):
        fill(s, i, 1)
        asked_until(s, tmp_path / f"journal-{generation}.jsonl")
    assert len(started) == 1
    fill(s, 3, 2)
    assert files(tmp_path) == ["journal-4.jsonl", "places-4.bin", "snapshot.json"]
    assert_holds(s, range(5))
    child = s._compactor._proc
    s.close()
    assert child.returncode == 0  # closing the store ends it
    assert_holds(TinyDBStore(tmp_path, on_disk=ON_DISK), range(5))


def test_a_process_taking_a_compaction_on_finds_every_key_where_it_lies(tmp_path):
    """Keys of any kind (numbers out of lexical order, accents, long ones) through the places file."""
    keys = [str(i) for i in (1, 2, 9, 10, 11, 100)] + ["é.1", "z" * 3000, "a b", "Ω"]
    s = TinyDBStore(tmp_path, compact_lines=len(keys) + 1, on_disk=ON_DISK)
    other = TinyDBStore(tmp_path, on_disk=ON_DISK)
    for key in keys:
        s.commit([Put("revisions", key, {"k": key}), Append("history", key, {"k": key})])
    assert other.get("revisions", "9") == {"k": "9", "id": "9", "version": 1}
    s.commit([Put("revisions", "last", {"k": "last"})])  # compacts: other takes generation 2 on
    assert files(tmp_path) == ["journal-2.jsonl", "places-2.bin", "snapshot.json"]
    for key in [*keys, "last"]:
        assert other.get("revisions", key)["k"] == key
    assert all(other.log("history", key) == [{"k": key}] for key in keys)
    assert other.get("revisions", "missing") is None and other.log("history", "missing") == []
    assert sorted(r["k"] for r in other.scan("revisions")) == sorted([*keys, "last"])


def mixed(s, round_):
    """Commits of every kind a tail can hold: history entries for keys with entries before and
    none, two in one commit, revisions added, changed, deleted and added again."""
    def revision(key):
        current = s.get("revisions", key)
        return Put("revisions", key, {"round": round_}, None if current is None else current["version"])

    s.commit([Append("history", "1", {"round": round_, "n": 1}), Append("history", "1", {"round": round_, "n": 2}),
              revision("kept")])
    s.commit([Append("history", f"new-{round_}", {"round": round_}), revision(f"new-{round_}"),
              revision("gone")])
    s.commit([Delete("revisions", "gone"), Append("history", "2", {"round": round_})])
    s.commit([revision("gone"), revision("kept"), Append("history", "2", {"round": round_, "last": True})])


def contents(s):
    """Everything a process reads of the tables kept on disk."""
    return {"revisions": s.scan("revisions"), "keys": s.log_keys("history"),
            "history": {key: s.log("history", key) for key in s.log_keys("history")}}


def contents_in_another_process(directory):
    code = ("import json, sys; from services.storage import ON_DISK; from store.tinydb_store import TinyDBStore; "
            "from tests.store.test_store_compaction import contents; "
            "print(json.dumps(contents(TinyDBStore(sys.argv[1], on_disk=ON_DISK))))")
    done = subprocess.run([sys.executable, "-c", code, str(directory)], cwd=REPO, capture_output=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    return json.loads(done.stdout)


def test_a_compaction_on_carries_the_tail_from_memory_and_reads_it_once_only_the_last_lines_under_the_lock(
        tmp_path, monkeypatch):
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)  # commits before, during and after each compaction
    other = TinyDBStore(tmp_path, on_disk=ON_DISK)  # another worker: reads only what others commit
    parsed, exclusive = {}, []  # lines parsed, by journal; whether the compactor holds the exclusive flock
    real_parse, real_write, real_flock = Journal.parse, compactor._write_snapshot, compactor._flock

    def counting_parse(journal, data):
        lines = real_parse(journal, data)
        key = "under the lock" if exclusive and exclusive[-1] else journal
        parsed[key] = parsed.get(key, 0) + len(lines)
        return lines

    def write_while_committing(directory, view, *args):
        result = real_write(directory, view, *args)
        s.commit([Append("history", "2", {"round": f"{view.generation}-first"})])  # the tail's first line
        third = TinyDBStore(tmp_path, on_disk=ON_DISK)
        mixed(third, f"{view.generation}-third")  # lines neither s nor other has read
        third.close()
        return result

    @contextlib.contextmanager
    def flock_after_a_commit(directory, mode):
        if mode == fcntl.LOCK_EX:  # the swap's: 4 more lines just before it
            mixed(s, f"{generation}-during")
        with real_flock(directory, mode):
            exclusive.append(mode == fcntl.LOCK_EX)
            try:
                yield
            finally:
                exclusive.pop()

    monkeypatch.setattr(Journal, "parse", counting_parse)
    monkeypatch.setattr(compactor, "_write_snapshot", write_while_committing)
    monkeypatch.setattr(compactor, "_flock", flock_after_a_commit)
    s.commit([Append("history", "1", {"round": 0}), Append("history", "2", {"round": 0})])
    for generation in (1, 2, 3):
        mixed(s, f"{generation}-before")
        assert contents(other)["keys"]  # caught up to the compaction's start
        parsed.clear()
        journal = other._journal
        assert compactor.compact(str(tmp_path), ON_DISK)
        # Under the lock the compactor reads only the 4 lines committed since it copied the tail.
        assert parsed["under the lock"] == 4
        mixed(s, f"{generation}-after")
        seen = contents(other)
        # Each of the 13 lines other had not read is parsed once: the carried tail (9) not again.
        assert parsed.get(journal, 0) + parsed.get(other._journal, 0) == 13
        assert seen == contents(s) == contents(TinyDBStore(tmp_path, on_disk=ON_DISK))
        assert seen == contents_in_another_process(tmp_path)
        assert seen["history"]["1"][-4:] == [{"round": f"{generation}-during", "n": 1},
                                             {"round": f"{generation}-during", "n": 2},
                                             {"round": f"{generation}-after", "n": 1},
                                             {"round": f"{generation}-after", "n": 2}]
    assert files(tmp_path) == ["journal-4.jsonl", "places-4.bin", "snapshot.json"]


def test_a_process_lets_a_replaced_generation_go_in_pieces_giving_the_interpreter_away_between(
        tmp_path, monkeypatch):
    """Freed at once, the places of a whole store and what was written since would hold the
    interpreter's lock, and so every request of the process, for tens of milliseconds. Between
    two pieces it sleeps a while, not sleep(0): a thread waiting for the lock (a worker's, its
    accept returned) gets it only while this one sleeps."""
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    fill(s, 0, 600)
    assert compactor.compact(str(tmp_path), ON_DISK)
    s.close()
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)  # the places of 1,200 records read from the snapshot
    fill(s, 600, 300)  # and 600 records and entries written since
    replaced, pauses = s._disk, []
    monkeypatch.setattr(store.on_disk, "sleep", pauses.append)
    assert compactor.compact(str(tmp_path), ON_DISK)
    assert_holds(s, range(900))  # takes generation 3 on
    deadline = time.monotonic() + 30
    while replaced._places or replaced._records or replaced._logs:
        assert time.monotonic() < deadline, "the replaced generation was never let go"
        time.sleep(0.01)
    assert len(pauses) >= 1800 // 256 and min(pauses) > 0


def test_the_compactor_writes_the_new_snapshot_out_in_small_steps(tmp_path, monkeypatch):
    """Commits go on meanwhile, and their fdatasyncs queue at the disk behind each write-out."""
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    for i in range(200):
        s.commit([Put("revisions", f"r{i}", {"text": "x" * 10_000})])  # 2 MB
    synced = []
    real_fdatasync = os.fdatasync
    monkeypatch.setattr(os, "fdatasync", lambda fd: synced.append(os.fstat(fd).st_size) or real_fdatasync(fd))
    assert compactor.compact(str(tmp_path), ON_DISK)
    steps = [after - before for before, after in zip([0, *synced], synced) if after > before]
    assert len(steps) >= 3 and max(steps) <= 600_000


def test_a_compactor_that_cannot_start_fails_no_commit_and_a_later_one_starts(tmp_path, monkeypatch):
    s = store.open_store(str(tmp_path), on_disk=ON_DISK)
    s._compact_lines = 10
    real_popen = subprocess.Popen

    def no_process_left(*_args, **_kwargs):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(subprocess, "Popen", no_process_left)
    fill(s, 0, 12)  # the 10th commit's compactor cannot start: the commit is durable, and answered so
    assert files(tmp_path) == ["journal-1.jsonl", "snapshot.json"]
    monkeypatch.setattr(subprocess, "Popen", real_popen)
    fill(s, 12, 10)  # a later commit starts it
    wait_for(tmp_path / "journal-2.jsonl")
    s.close()
    assert_holds(TinyDBStore(tmp_path, on_disk=ON_DISK), range(22))


def child_argv(monkeypatch, directory, on_disk):
    """The command line compactor_child.Child starts its child with, not started here."""
    started = []

    def popen(argv, **_kwargs):
        started.append(argv)
        raise OSError("not started here")

    with monkeypatch.context() as patched:
        patched.setattr(subprocess, "Popen", popen)
        with pytest.raises(OSError):
            compactor_child.Child(directory, on_disk)
    return started[0]


def test_the_compactor_child_imports_the_store_at_nice_10_already(tmp_path, monkeypatch):
    """Its imports (~70 ms of CPU, in two workers' children at once) at the serving processes'
    priority made the transitions beside them wait: it is niced before anything of the store
    is imported. A fake ``store`` package, found first, says what it was imported at."""
    argv = child_argv(monkeypatch, "DIR", {"files"})
    fake = tmp_path / "store"
    fake.mkdir()
    (fake / "__init__.py").write_text("import os, sys\nprint(os.nice(0), *sys.argv[1:])\nsys.exit(0)\n")
    out = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert out.split() == [str(min(19, os.nice(0) + 10)), "DIR", "files"]


def test_the_compactor_child_leaves_the_garbage_collector_off_while_it_compacts(tmp_path, monkeypatch):
    """Its passes over a compaction's objects (0.1-0.2 s each at 50,000 documents) are CPU the
    serving processes would lose; it collects between compactions instead."""
    seen = []
    monkeypatch.setattr(compactor, "compact", lambda *_args: seen.append(gc.isenabled()))
    read, write = os.pipe()
    stdin = os.dup(0)
    os.dup2(read, 0)
    os.write(write, b".")  # asked during the first, then closed: it compacts once and ends
    os.close(write)
    try:
        assert compactor.main([str(tmp_path)]) == 0
    finally:
        os.dup2(stdin, 0)
        os.close(stdin)
        os.close(read)
        gc.enable()
    assert seen == [False]


def test_the_compactor_child_collects_only_after_a_compaction_it_made(tmp_path, monkeypatch):
    """Asked while another process's child holds the compact lock, it finds nothing to do: a full
    pass of the collector then would be CPU the serving processes lose, for no garbage."""
    made = iter([False, True, False])  # another child's at work, then its own, then nothing new
    monkeypatch.setattr(compactor, "compact", lambda *_args: next(made))
    monkeypatch.setattr(compactor, "_asked_again", iter([True, True, False]).__next__)
    passes = []
    monkeypatch.setattr(gc, "collect", lambda *_args: passes.append("pass"))
    try:
        assert compactor.main([str(tmp_path)]) == 0
    finally:
        gc.enable()
    assert passes == ["pass"]  # after its own compaction only


def test_the_compactor_child_holds_the_stores_flock_only_in_a_thread_at_the_serving_processes_priority(
        tmp_path, monkeypatch):
    """Niced, the child would wait for a core behind the serving processes while they wait for the
    flock it holds; its heavy part stays niced. Started as a store starts it, it says in its debug
    lines the niceness of the thread at each step."""
    argv = child_argv(monkeypatch, str(tmp_path), ON_DISK)
    s = TinyDBStore(tmp_path, on_disk=ON_DISK)
    fill(s, 0, 5)
    s.close()
    env = {**os.environ, compactor.LOG_LEVEL: "DEBUG"}
    done = subprocess.run(argv, cwd=REPO, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, check=True, timeout=60)
    step = re.compile(r": ([a-z ]+) at [\d.]+, nice (-?\d+)$", re.MULTILINE)
    nice = {m[1]: int(m[2]) for m in step.finditer(done.stderr)}
    own, niced = os.nice(0), min(19, os.nice(0) + 10)
    assert nice == {"started": niced, "journal parsed": niced, "snapshot written": niced, "places written": niced,
                    "tail copied": niced, "locked": own, "installed": own, "done": niced}
    assert_holds(TinyDBStore(tmp_path, on_disk=ON_DISK), range(5))


class _Entry:
    __slots__ = ("__weakref__",)


def test_a_replaced_generations_long_log_is_freed_a_piece_at_a_time(monkeypatch):
    """The thread letting a generation go pauses after every few hundred items it frees, so that a
    request's thread of the process runs meanwhile: one document's history written since the
    snapshot (6,000 entries) freed at once held the interpreter's lock for 1.2-3.9 ms."""
    entries = [_Entry() for _ in range(3 * store.on_disk._PIECE)]
    alive, freed = weakref.WeakSet(entries), []
    counted = [len(alive)]

    def pause(_seconds):
        freed.append(counted[0] - len(alive))
        counted[0] = len(alive)

    monkeypatch.setattr(store.on_disk, "sleep", pause)
    disk = store.on_disk.OnDisk(os.open(os.devnull, os.O_RDONLY), {}, {}, {"history": {"1": entries}})
    done = threading.Event()
    del entries
    store.on_disk.let_go(disk, types.SimpleNamespace(close=lambda: None), then=done.set)
    del disk
    assert done.wait(10)
    assert not alive
    assert freed and max(freed) <= store.on_disk._PIECE, freed
