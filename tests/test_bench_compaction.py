"""bench/compaction.py's account of a slow transition (the disk beside it, the worker's time on it) and of
which transitions met no compaction."""
from bench.compaction import QUIET, WARM_UP, _disk, _in_worker, _met, _quiet


def test_a_transition_no_bare_fdatasync_overlapped_is_said_to_have_met_none():
    # The probe fires every 50 ms and each fdatasync takes a ms or two: a transition of 22 ms
    # between two of them saw no disk at all, which is not a quiet disk (0.0 ms).
    syncs = [(100.000, 1.0), (100.050, 1.2)]
    assert _disk(100.010, 22.0, syncs) == "no bare fdatasync ran meanwhile"


def test_the_longest_bare_fdatasync_that_overlapped_a_transition_is_given():
    syncs = [(99.990, 12.0), (100.005, 3.0), (100.040, 40.0)]
    assert _disk(100.000, 10.0, syncs) == "the longest bare fdatasync meanwhile: 12.0 ms"


def test_the_worker_s_time_on_each_measured_transition_is_read_from_the_access_log(tmp_path):
    log = tmp_path / "compaction.log"
    line = 'access <{}> {} "POST /api/v1/documents/7/transitions HTTP/1.1"'
    warm = [line.format(11, 900 + i) for i in range(WARM_UP)]
    measured = [line.format(11, 1500), "2026-12-05 22:10:50,523 compactor DEBUG compaction of /x: started at 1.5",
                'access <12> 300 "GET /api/v1/documents/7 HTTP/1.1"', line.format(12, 22500)]
    log.write_text("\n".join(warm + measured) + "\n")
    assert _in_worker(log, 2) == [1.5, 22.5]
    assert _in_worker(log, 3) is None  # a transition missing from the log: none is matched


def test_a_transition_in_the_batches_before_a_swap_is_not_counted_away_from_compaction():
    # A compaction runs in the few batches before the generation changes, the first one's start-up
    # before any step is logged: those batches are not the machine's noise alone.
    batches = [([1.0], 5)] + [([2.0], 5)] * 5 + [([3.0], 6)]
    starts = [float(i) for i in range(len(batches))]
    assert _quiet(batches, starts, []) == [1.0]


def test_a_transition_within_10_s_after_a_swap_is_not_counted_away_from_compaction():
    # The old generation's files are freed in the seconds after a swap.
    steps = [(100.0, "started"), (104.0, "installed"), (104.1, "done")]
    batches = [([1.0, 2.0, 3.0, 4.0], 5)]
    starts = [98.0, 101.0, 108.0, 115.0]  # 2 s before it, at work, 4 s after its swap, 11 s after
    assert _quiet(batches, starts, steps) == [1.0, 4.0]


def test_a_transition_just_before_a_compaction_starts_is_said_to_have_met_its_start():
    # The compactor's process is asked (the first time, started) before it logs its first step.
    steps = [(100.0, "started"), (104.0, "installed"), (104.1, "done")]
    assert _met(99.5, 2.0, steps) == "within 1 s before a compaction started"
    assert _met(98.0, 2.0, steps) == QUIET
