"""bench/run.py's pages section: each figure judged at the size its line applies at, the same
verdict printed in its table and deciding whether its load is run once more, profiled."""
from bench import run


def _column(ratio=0.8, transition=1.6, floor=1.0, mb=300):
    return {**{name: {"ratio": ratio} for _, name, _ in run.PAGES}, "transition": transition, "floor": floor,
            "mb": mb}


def test_each_figure_is_judged_at_the_size_its_line_applies_at():
    at_target = run.verdicts(_column(transition=1.59), run.TARGET_SIZE, "tinydb")
    assert at_target == {"list": True, "read": True, "home": True, "page": True, "transition": False, "mb": None}
    assert run.verdicts(_column(transition=1.59), run.TARGET_SIZE, "postgresql")["transition"] is True  # <= 2.0 there
    assert run.verdicts(_column(ratio=0.4), run.TARGET_SIZE, "tinydb") == {
        "list": False, "read": False, "home": True, "page": True, "transition": False, "mb": None}
    assert set(run.verdicts(_column(ratio=0.1, transition=9), 1_000, "tinydb").values()) == {None}
    at_largest = run.verdicts(_column(ratio=0.1, mb=401), run.GROWTH_SIZES[1], "tinydb")
    assert at_largest["mb"] is False and at_largest["list"] is None


def test_the_list_s_growth_is_judged_only_with_both_sizes_measured():
    small, large = run.GROWTH_SIZES

    def latency(ms):
        return {"list": {"latency_ms": ms}}

    assert run.growth_ok({small: latency(5.0)}) is None
    assert run.growth_ok({small: latency(5.0), large: latency(5.0 * run.MAX_GROWTH)}) is True
    assert run.growth_ok({small: latency(5.0), large: latency(5.0 * run.MAX_GROWTH + 0.1)}) is False
