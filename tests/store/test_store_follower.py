"""A serving process keeps its memory caught up with other processes' commits between its
requests (store/follower.py), so that its next request does not replay them all first."""
from __future__ import annotations

import gc
import os
import time

import store.tinydb_store
from store import Put, compactor, follower, retire
from store.tinydb_store import TinyDBStore
from tests.store.test_store_collector import marker, tracked  # noqa: F401 (marker: a fixture)


def caught_up(s) -> bool:
    return s._journal.offset == os.path.getsize(s._journal.path)


def wait_for(condition, seconds=10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_a_serving_store_catches_up_between_requests_and_never_during_one(tmp_path):
    served = TinyDBStore(tmp_path, background=True)
    other = TinyDBStore(tmp_path)  # another process's commits, as far as the flock goes
    try:
        served.read_ahead()  # a request at work
        assert served.get("docs", "1") is None
        for i in range(20):
            other.commit([Put("docs", str(i), {"n": i})])
        time.sleep(0.3)  # many of the follower's rounds
        assert not caught_up(served)  # what the request reads stays as it stood
        served.read_done()
        assert wait_for(lambda: caught_up(served)), "the follower never caught up"
        assert served._records.current("docs", "19")["n"] == 19
    finally:
        other.close()
        served.close()


def test_a_request_that_takes_a_compaction_on_hands_the_replaced_generation_over_only_after_it(
        tmp_path, monkeypatch):
    """Handed over in the request, the let-go thread, woken, would take the interpreter at the request's next
    system call, and the request that met the swap would wait for it to be scheduled back (4-23 ms seen)."""
    let_go, handed = store.tinydb_store.let_go, []

    def recorded(*replaced, then=None):
        handed.append("in a request" if not served._follower.idle() else "after it")
        let_go(*replaced, then=then)

    served = TinyDBStore(tmp_path, background=True)
    monkeypatch.setattr(store.tinydb_store, "let_go", recorded)
    try:
        served.commit([Put("docs", str(i), {"n": i}) for i in range(20)])
        assert compactor.compact(str(tmp_path))
        served.read_ahead()  # a request at work, the first: it meets the swap
        assert served.get("docs", "19")["n"] == 19
        assert served._gen == 2 and handed == []
        served.read_done()
        assert wait_for(lambda: handed), "the replaced generation was never handed over"
        assert handed == ["after it"]
        assert wait_for(lambda: not list(tmp_path.glob(retire.PREFIX + "*"))), "the replaced files were never freed"
    finally:
        served.close()


def test_what_an_idle_serving_store_caught_up_on_is_left_out_of_the_collectors_passes(
        tmp_path, marker, monkeypatch):  # noqa: F811
    """Frozen between requests, not first at the next compaction's swap: the request that takes the new
    generation on then collects only what came since (its full pass walks everything not frozen)."""
    monkeypatch.setattr(follower, "FREEZE_EVERY", 5)
    served = TinyDBStore(tmp_path, background=True)
    writer = TinyDBStore(tmp_path)  # another process's commits
    try:
        served.read_ahead()  # a request at work (the first: it starts the follower) while the lines come in
        for i in range(0, 1000, 100):  # 10 lines
            writer.commit([Put("docs", str(j), {"marker": marker, "fields": {"a": [j]}}) for j in range(i, i + 100)])
        writer.close()
        del writer
        gc.collect()  # the writer's own copies gone: what is left is the served store's
        served.read_done()
        assert wait_for(lambda: caught_up(served)), "the follower never caught up"
        assert wait_for(lambda: tracked(marker) == 0), f"{tracked(marker)} records still in the collector's passes"
        assert served.get("docs", "999")["fields"] == {"a": [999]}
    finally:
        served.close()


def test_a_call_put_off_in_a_process_never_idle_is_made_at_the_end_of_its_next_request():
    """Its thread makes it only while no request is at work; a worker serving a run of requests is never idle,
    and a replaced generation's files and memory must still go."""
    busy, made = follower.Follower(), []
    busy._pid = os.getpid()  # its thread as if started: none runs here, so it never finds the process idle
    busy.begin(None)
    busy.after_request(lambda: made.append("let go"))
    busy.end()
    assert made == []  # out of the request that put it off, left to the thread a while
    busy.begin(None)
    busy.end()
    assert made == ["let go"]
