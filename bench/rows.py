"""One line of bench/run.py's write-path table: a figure, its ratio to a baseline measured in
the same run, and the issue's target for that ratio."""
from __future__ import annotations

from dataclasses import dataclass

INFORMATIVE = "none: informative"  # the target of a row that explains another and has no line of its own


@dataclass(frozen=True)
class Row:
    """``ratio`` = ``figure`` ÷ the baseline's figure (``baseline`` says what that is and its
    figure); ``ok`` whether the ratio meets ``target`` (None: not measured at the target's size,
    or a row whose target is INFORMATIVE)."""

    label: str  # what is measured, e.g. "run.py import peak memory, 50,000 documents (TinyDB)"
    figure: str  # the raw figure with its unit, e.g. "212 MB"
    ratio: float | None
    baseline: str  # what the ratio is to, with its raw figure, e.g. "COPY of the same rows: 9.8 s"
    target: str  # e.g. "<= 2.0"
    ok: bool | None


def check(ratio: float, most: float | None = None, least: float | None = None) -> bool:
    """Whether ``ratio`` is within the target: at most ``most``, at least ``least``."""
    return (most is None or ratio <= most) and (least is None or ratio >= least)


def show(title: str, rows: list[Row]) -> None:
    """Print ``rows`` as one table under ``title``."""
    if not rows:
        return
    heads = ("measured", "figure", "ratio", "baseline (same run)", "target", "")
    cells = [(r.label, r.figure, "" if r.ratio is None else f"{r.ratio:.2f}", r.baseline, r.target,
              "" if r.target == INFORMATIVE else "not measured" if r.ok is None else "PASS" if r.ok else "FAIL")
             for r in rows]
    widths = [max(len(str(c[i])) for c in [heads, *cells]) for i in range(len(heads))]
    print(f"\n{title}")
    for line in [heads, *cells]:
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip())
