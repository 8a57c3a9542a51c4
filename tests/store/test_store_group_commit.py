"""TinyDB group commit: a commit is acknowledged only once an fdatasync begun after its line
was written has returned; one fdatasync serves the lines several writers wrote meanwhile;
a failed one acknowledges nothing."""
import errno
import os
import threading
import time

import pytest

import store.journal
from store import Put, StoreError
from store.tinydb_store import TinyDBStore
from tests.store.test_store_processes import child

THREADS, EACH = 8, 10


class SlowDisk:
    """os.fdatasync taking ``delay`` seconds, noting how far each call that returned covered
    (the file's size as it began) — or failing each call while ``failing``."""

    def __init__(self, monkeypatch, delay=0.005):
        self.real, self.delay, self.calls, self.covered, self.failing = os.fdatasync, delay, 0, 0, False
        self._lock = threading.Lock()
        monkeypatch.setattr(store.journal.os, "fdatasync", self)

    def __call__(self, fd):
        size = os.fstat(fd).st_size
        time.sleep(self.delay)
        with self._lock:
            self.calls += 1
            if self.failing:
                raise OSError(errno.EIO, "Input/output error")
        self.real(fd)
        with self._lock:
            self.covered = max(self.covered, size)


def line_end(path, marker):
    """Where the journal line holding ``marker`` ends."""
    data = path.read_bytes()
    return data.index(b"\n", data.index(marker.encode())) + 1


def in_threads(work, count=THREADS):
    """Run work(i) in ``count`` threads started together; the exceptions they raised, by thread."""
    start, raised = threading.Barrier(count), {}

    def run(i):
        start.wait()
        try:
            work(i)
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            raised[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return raised


def test_each_commit_returns_after_an_fdatasync_covering_its_line_and_writers_share_them(tmp_path, monkeypatch):
    s = TinyDBStore(tmp_path, compact_lines=10_000)
    disk = SlowDisk(monkeypatch)
    journal = tmp_path / "journal-1.jsonl"
    early = []

    def commits(i):
        for n in range(EACH):
            marker = f"t{i}-{n}-"
            s.commit([Put("documents", None, {"marker": marker})])
            if line_end(journal, marker) > disk.covered:
                early.append(marker)  # acknowledged before any fdatasync covering it returned

    assert in_threads(commits) == {}
    assert early == []
    # One fdatasync at a time, each covering every line written before it began: the
    # threads that wrote meanwhile share the next one rather than each waiting for its own.
    assert disk.calls < THREADS * EACH * 0.75
    s.close()
    stored = TinyDBStore(tmp_path).scan("documents")
    assert sorted(d["marker"] for d in stored) == sorted(f"t{i}-{n}-" for i in range(THREADS) for n in range(EACH))


def test_a_failed_fdatasync_acknowledges_no_commit_that_waited_for_it_nor_any_after(tmp_path, monkeypatch):
    s = TinyDBStore(tmp_path)
    s.commit([Put("documents", None, {"before": True})])
    disk = SlowDisk(monkeypatch, delay=0.05)
    disk.failing = True
    raised = in_threads(lambda i: s.commit([Put("documents", None, {"thread": i})]), count=4)
    assert sorted(raised) == [0, 1, 2, 3]
    assert all(isinstance(exc, StoreError) for exc in raised.values())
    disk.failing = False  # the disk answers again, but this process's journal stays refused
    with pytest.raises(StoreError, match="reopen the store"):
        s.commit([Put("documents", None, {"after": True})])
    s.close()
    reopened = TinyDBStore(tmp_path)
    (saved,) = reopened.commit([Put("documents", None, {"reopened": True})])
    assert TinyDBStore(tmp_path).get("documents", saved["id"])["reopened"] is True


def test_threads_committing_across_compactions_all_succeed_and_are_all_kept(tmp_path, monkeypatch):
    """A compaction replaces the journal while other threads' lines in the old one still
    wait for their fdatasync: the old file stays open until their flush has returned."""
    s = TinyDBStore(tmp_path, compact_lines=7)
    SlowDisk(monkeypatch, delay=0.005)

    def commits(i):
        for n in range(EACH):
            s.commit([Put("documents", None, {"marker": f"t{i}-{n}"})])

    assert in_threads(commits) == {}
    s.close()
    stored = TinyDBStore(tmp_path).scan("documents")
    assert len(stored) == THREADS * EACH == len({d["marker"] for d in stored})
    assert not (tmp_path / "journal-1.jsonl").exists()  # it did compact


def test_two_processes_of_many_threads_lose_no_commit(tmp_path):
    procs = [child("threads", tmp_path, 40, 23) for _ in range(2)]  # 4 threads x 40 commits each
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    stored = TinyDBStore(tmp_path).scan("documents")
    assert len(stored) == 2 * 4 * 40 == len({d["id"] for d in stored})
    assert sorted(d["i"] for d in stored) == sorted(list(range(40)) * 8)
