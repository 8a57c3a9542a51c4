"""A serving process keeps its memory caught up with other processes' commits between its
requests (store/follower.py), so that its next request does not replay them all first."""
from __future__ import annotations

import os
import time

from store import Put
from store.tinydb_store import TinyDBStore


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

