"""TinyDB backend across processes: no lost update, visibility without reopening, kill -9 safety."""
import fcntl
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from store import Put
from store.journal import Journal
from store.tinydb_store import TinyDBStore
from tests.store.child_proc import increment

CHILD = Path(__file__).with_name("child_proc.py")
REPO = Path(__file__).resolve().parents[2]


def child(*args, **kwargs):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, str(CHILD), *map(str, args)], env=env, **kwargs)


def test_two_processes_incrementing_one_record_lose_no_update(tmp_path):
    s = TinyDBStore(tmp_path)
    s.commit([Put("counters", "1", {"n": 0})])
    # compact_lines=97 makes both processes compact (and reload) while racing.
    procs = [child("increment", tmp_path, 200, 97) for _ in range(2)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    assert s.get("counters", "1")["n"] == 400
    s.close()
    assert TinyDBStore(tmp_path).get("counters", "1") == {"n": 400, "id": "1", "version": 401}


def test_a_process_sees_another_processes_commits_without_reopening(tmp_path):
    s = TinyDBStore(tmp_path)
    s.commit([Put("documents", None, {"i": -1})])
    assert child("create", tmp_path, 3).wait(timeout=30) == 0
    assert [d.get("i") for d in s.scan("documents")] == [-1, 0, 1, 2]
    # The other process compacts (replacing snapshot and journal) while we stay open.
    assert child("create", tmp_path, 30, 10).wait(timeout=30) == 0
    assert len(s.scan("documents")) == 34
    (rec,) = s.commit([Put("documents", None, {})])
    assert rec["id"] == "35"


def test_two_processes_compacting_in_child_processes_lose_nothing(tmp_path):
    # compact_lines=37: each starts compactions while the other's may be at work.
    procs = [child("create", tmp_path, 300, 37, "background") for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    s = TinyDBStore(tmp_path)
    assert sorted(d["i"] for d in s.scan("documents")) == sorted([*range(300), *range(300)])
    assert len({d["id"] for d in s.scan("documents")}) == 600
    assert [p for p in os.listdir(tmp_path) if p.startswith("journal-")] != ["journal-1.jsonl"]


@pytest.mark.parametrize("compacting", ["", "background"])
def test_kill_9_at_any_moment_loses_no_acknowledged_commit(tmp_path, compacting):
    rng = random.Random(1234)
    acknowledged = []
    deadline = time.monotonic() + 20
    rounds = 0
    while rounds < 20 and time.monotonic() < deadline:
        # compact_lines=40: kills also land inside compactions.
        proc = child("loop", tmp_path, 0, 40, compacting, stdout=subprocess.PIPE)
        time.sleep(rng.uniform(0.15, 0.5))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        # Only complete lines: the last one may have been cut by the kill.
        acknowledged += out.decode().split("\n")[:-1]
        rounds += 1
        s = TinyDBStore(tmp_path)  # must open every time
        present = {d["id"] for d in s.scan("documents")}
        s.close()
        missing = [k for k in acknowledged if k not in present]
        assert not missing, f"round {rounds}: acknowledged but lost: {missing[:5]}"
    assert rounds >= 10 and len(acknowledged) > 100


def test_store_opened_before_fork_still_locks_between_parent_and_child(tmp_path):
    s = TinyDBStore(tmp_path)
    s.commit([Put("counters", "1", {"n": 0})])
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        code = 1
        try:
            increment(s, 150)
            code = 0
        finally:
            os._exit(code)
    increment(s, 150)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert s.get("counters", "1")["n"] == 300



@pytest.mark.parametrize("step", ["read", "commit", "follow"])
def test_a_catch_up_applies_other_processes_whole_lines_before_it_waits_for_the_flock(tmp_path, step):
    """Whole lines never change: parsing them under the flock would keep another process's
    writer waiting. Here a writer holds the flock; the lines are applied meanwhile, by a read
    or a commit that then waits for it, or by a serving process's follower between requests."""
    s = TinyDBStore(tmp_path, background=step == "follow")
    other = TinyDBStore(tmp_path)  # another process's commits, as far as the flock goes
    for i in range(5):
        other.commit([Put("docs", str(i), {"n": i})])
    work = threading.Thread(target={"read": lambda: s.get("docs", "0"), "follow": s.read_done,
                                    "commit": lambda: s.commit([Put("docs", "9", {"n": 9})])}[step])
    if step == "follow":
        s.read_ahead()  # a request, at work until read_done: then the follower catches up
    writer = os.open(tmp_path / "lock", os.O_RDWR)
    fcntl.flock(writer, fcntl.LOCK_EX)  # as another process's commit holds it
    try:
        work.start()
        deadline = time.monotonic() + 10
        while s._records.current("docs", "4") is None:
            assert time.monotonic() < deadline, "the whole lines waited for the flock"
            time.sleep(0.01)
        assert step == "follow" or work.is_alive()  # waiting for the flock still
    finally:
        fcntl.flock(writer, fcntl.LOCK_UN)
        os.close(writer)
    work.join(timeout=10)
    assert [s.get("docs", str(i))["n"] for i in range(5)] == list(range(5))
    other.close()
    s.close()


def test_a_line_read_unfinished_without_the_flock_is_read_again_when_a_line_as_long_replaces_it(tmp_path):
    """Without the flock, a catch-up can see a writer's line unfinished; should the write fail, the
    writer cuts it off, and the next writer's line may be exactly as long: the file's size is then
    as it was, and taking the file for unchanged would miss a commit."""
    path = tmp_path / "journal-1.jsonl"
    reader = Journal(str(path))
    line = json.dumps({"ops": [], "n": 1}).encode() + b"\n"
    with open(path, "ab") as writer:
        writer.write(line[:-1] + b" ")  # as long as the line, not yet whole
    assert reader.read_new(settled=False) == []
    os.truncate(path, 0)  # the failed write cut off
    with open(path, "ab") as writer:
        writer.write(line)
    assert reader.read_new() == [{"ops": [], "n": 1}]
    reader.close()
