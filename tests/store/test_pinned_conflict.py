"""A request reads one pinned state of the store (Store.pinned); a commit refused with
Conflict catches that view up, so a retry inside the same request can succeed."""
import pytest

from store import Conflict, Put


def _other_process_bumps(other, key):
    record = other.get("counters", key)
    other.commit([Put("counters", key, {"n": record["n"] + 1}, expected_version=record["version"])])


def test_after_a_conflict_the_pinned_view_reads_what_it_lost_to(make_store):
    here, other = make_store(), make_store()  # two processes serving one store
    here.commit([Put("counters", "c", {"n": 0})])
    with here.pinned():
        seen = here.get("counters", "c")  # the request's first read pins its view
        _other_process_bumps(other, "c")
        with pytest.raises(Conflict):
            here.commit([Put("counters", "c", {"n": seen["n"] + 1}, expected_version=seen["version"])])
        again = here.get("counters", "c")
        assert (again["n"], again["version"]) == (1, 2)
        assert [record["n"] for record in here.scan("counters")] == [1]
        here.commit([Put("counters", "c", {"n": again["n"] + 1}, expected_version=again["version"])])
    assert other.get("counters", "c")["n"] == 2


def test_a_retry_loop_inside_a_pinned_request_succeeds_while_others_keep_writing(make_store):
    here, other = make_store(), make_store()
    here.commit([Put("counters", "c", {"n": 0})])
    tries = []
    with here.pinned():
        for _ in range(5):
            seen = here.get("counters", "c")
            tries.append(seen["version"])
            if len(tries) <= 2:  # another process gets in first, twice
                _other_process_bumps(other, "c")
            try:
                here.commit([Put("counters", "c", {"n": seen["n"] + 1}, expected_version=seen["version"])])
                break
            except Conflict:
                continue
    assert tries == [1, 2, 3]  # each retry read the version its conflict was about
    assert other.get("counters", "c")["n"] == 3  # both of the other's writes and this one
