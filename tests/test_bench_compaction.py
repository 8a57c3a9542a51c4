"""bench/compaction.py's account of the disk beside a slow transition."""
from bench.compaction import _disk


def test_a_transition_no_bare_fdatasync_overlapped_is_said_to_have_met_none():
    # The probe fires every 50 ms and each fdatasync takes a ms or two: a transition of 22 ms
    # between two of them saw no disk at all, which is not a quiet disk (0.0 ms).
    syncs = [(100.000, 1.0), (100.050, 1.2)]
    assert _disk(100.010, 22.0, syncs) == "no bare fdatasync ran meanwhile"


def test_the_longest_bare_fdatasync_that_overlapped_a_transition_is_given():
    syncs = [(99.990, 12.0), (100.005, 3.0), (100.040, 40.0)]
    assert _disk(100.000, 10.0, syncs) == "the longest bare fdatasync meanwhile: 12.0 ms"
