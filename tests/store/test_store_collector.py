"""The garbage collector and a TinyDB store held in memory (store/collector.py): what a process
reads in whole, and what it gained by the time it takes a compaction on, is left out of the
collector's later passes (a full pass over a store of 50,000 documents took 0.1-0.5 s, which a
request waited out), and is still freed when the store lets it go."""
import gc
import uuid

import pytest

from store import Put, compactor
from store.tinydb_store import TinyDBStore

N = 500


@pytest.fixture
def marker():
    """A value no other object of the test process holds; all frozen objects put back in the
    collector's care first, so the counts below are the store's alone."""
    gc.collect()
    gc.unfreeze()
    yield uuid.uuid4().hex
    gc.unfreeze()


def commit_records(s, marker, start=0):
    for i in range(start, start + N, 100):
        s.commit([Put("documents", None, {"title": f"held {j}", "marker": marker, "fields": {"a": [j], "b": {"c": j}}})
                  for j in range(i, i + 100)])


def tracked(marker) -> int:
    """How many of the held records a pass of the collector walks."""
    return sum(1 for o in gc.get_objects() if type(o) is dict and o.get("marker") == marker)


def test_what_a_store_reads_in_is_left_out_of_the_collectors_passes_and_freed_with_the_store(tmp_path, marker):
    writer = TinyDBStore(tmp_path)
    commit_records(writer, marker)
    writer.close()
    del writer
    gc.collect()
    s = TinyDBStore(tmp_path)
    assert s.get("documents", "1")["marker"] == marker
    assert tracked(marker) == 0
    frozen = gc.get_freeze_count()
    assert frozen >= 4 * N  # each record: itself, its fields, a list and a dict in them
    s.close()
    del s
    assert gc.get_freeze_count() <= frozen - 4 * N  # freed all the same


def test_what_memory_gained_by_a_compaction_is_left_out_of_later_passes_once_taken_on(tmp_path, marker):
    s, other = TinyDBStore(tmp_path), TinyDBStore(tmp_path)  # another process's view: it reads commits in
    commit_records(s, marker)
    assert other.get("documents", str(N))["marker"] == marker
    assert tracked(marker) >= 2 * N  # applied by each of the two, one after another
    assert compactor.compact(tmp_path)
    for view in (s, other):
        assert view.get("documents", "1")["marker"] == marker  # each takes generation 2 on
    assert tracked(marker) == 0
    commit_records(s, marker, start=N)  # and later commits are as before
    assert {d["title"] for d in other.scan("documents")} == {f"held {j}" for j in range(2 * N)}
    s.close()
    other.close()
