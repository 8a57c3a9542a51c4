"""Charts as server-side SVG: no JavaScript, and no style attributes (the CSP forbids them).

Every chart is an image with a title and a description, and never says
anything by colour alone (WCAG 1.4.1): each series also has its own fill
pattern, and the numbers and status words are written as text. Every colour
has at least 4.5:1 contrast against white, so it passes both as a graphic
(3:1) and behind or as text. The page shows a table with the same numbers
beside each chart.
"""
from dataclasses import dataclass

from markupsafe import Markup, escape

from workflow.kinds.objective import STATUS_WORDS

WIDTH = 800
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
INK, GREY, WHITE = "#0b0c0c", "#505a5f", "#ffffff"


@dataclass(frozen=True)
class Series:
    key: str
    word: str
    short: str  # what a narrow cell shows instead of the word
    colour: str  # a strong colour: fills, outlines
    tint: str  # a pale background for text in `ink`
    ink: str
    pattern: str  # solid | diagonal | dots | horizontal | outline


STATUSES = (
    Series("red", STATUS_WORDS["red"], "R", "#b3261e", "#fdeaec", "#8f0b18", "solid"),
    Series("amber", STATUS_WORDS["amber"], "A", "#a35200", "#fff3d6", "#6e3b00", "diagonal"),
    Series("amber_green", STATUS_WORDS["amber_green"], "A/G", "#5c6b00", "#f1f6d8", "#3d4a00", "dots"),
    Series("green", STATUS_WORDS["green"], "G", "#00703c", "#e9f5ee", "#005a30", "horizontal"),
    Series("none", "No report", "–", GREY, WHITE, INK, "outline"),
)
OVERDUE = (
    Series("objectives", "Objectives", "O", "#1d4f91", "#eef4fb", "#1d4f91", "solid"),
    Series("mitigations", "Mitigation actions", "M", "#6f3c8f", "#f3eef8", "#6f3c8f", "diagonal"),
)

_PATTERN_MARKS = {
    "diagonal": '<line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="3"/>',
    "dots": '<circle cx="4" cy="4" r="1.8" fill="#ffffff"/>',
    "horizontal": '<line x1="0" y1="4" x2="8" y2="4" stroke="#ffffff" stroke-width="2.5"/>',
    "outline": f'<line x1="0" y1="0" x2="0" y2="8" stroke="{GREY}" stroke-width="1.5"/>',
}


def _fill(chart_id, series):
    return series.colour if series.pattern == "solid" else f"url(#{chart_id}-{series.key})"


def _defs(chart_id, all_series):
    patterns = []
    for s in all_series:
        if s.pattern == "solid":
            continue
        rotate = ' patternTransform="rotate(45)"' if s.pattern in ("diagonal", "outline") else ""
        background = WHITE if s.pattern == "outline" else s.colour
        patterns.append(f'<pattern id="{chart_id}-{s.key}" width="8" height="8" patternUnits="userSpaceOnUse"{rotate}>'
                        f'<rect width="8" height="8" fill="{background}"/>{_PATTERN_MARKS[s.pattern]}</pattern>')
    return f"<defs>{''.join(patterns)}</defs>"


def _text(x, y, words, size=14, anchor="start", fill=INK, bold=False):
    weight = ' font-weight="700"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-family="{FONT}" fill="{fill}" '
            f'text-anchor="{anchor}"{weight}>{escape(words)}</text>')


def _shorten(words, limit):
    return words if len(words) <= limit else words[:limit - 1].rstrip() + "…"


def _svg(chart_id, title, desc, height, body):
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f'{body}</svg>')


def _legend(chart_id, all_series, y, with_short=False):
    """One swatch and word per series, wrapping onto further lines; returns (markup, height)."""
    parts, x, line = [], 0.0, 0
    for s in all_series:
        words = f"{s.word} ({s.short})" if with_short else s.word
        width = 28 + len(words) * 8
        if x and x + width > WIDTH:
            x, line = 0.0, line + 1
        top = y + line * 24
        parts.append(f'<rect x="{x:.1f}" y="{top}" width="18" height="18" fill="{_fill(chart_id, s)}" '
                     f'stroke="{s.colour}" stroke-width="2"/>')
        parts.append(_text(x + 24, top + 14, words))
        x += width + 16
    return "".join(parts), (line + 1) * 24 + 8


def stacked_bars(chart_id, title, desc, rows, all_series):
    """A horizontal stacked bar per row: rows are (label, {series key: count}).

    Each bar has its label above and its numbers, in words, below.
    """
    legend, top = _legend(chart_id, all_series, 0)
    row_height = 78
    largest = max((sum(counts.get(s.key, 0) for s in all_series) for _, counts in rows), default=0) or 1
    parts = [_defs(chart_id, all_series), legend]
    for i, (label, counts) in enumerate(rows):
        y = top + i * row_height
        parts.append(_text(0, y + 16, _shorten(label, 90), bold=True))
        x = 0.0
        for s in all_series:
            width = counts.get(s.key, 0) / largest * WIDTH
            if width:
                # A white edge keeps neighbouring segments apart even where colours are close.
                parts.append(f'<rect x="{x:.1f}" y="{y + 24}" width="{width:.1f}" height="24" '
                             f'fill="{_fill(chart_id, s)}" stroke="{WHITE}" stroke-width="1.5"/>')
            x += width
        numbers = " · ".join(f"{s.word} {counts.get(s.key, 0)}" for s in all_series)
        parts.append(_text(0, y + 66, f"{numbers} · Total {sum(counts.get(s.key, 0) for s in all_series)}", 13))
    if not rows:
        parts.append(_text(0, top + 16, "Nothing to show."))
    return _svg(chart_id, title, desc, top + max(1, len(rows)) * row_height, "".join(parts))


def heat_strip(chart_id, title, desc, columns, rows, all_series):
    """A grid: a row per item, a cell per column (period), each cell its status word on its colour.

    `rows` are (label, [series key or None per column]); None is drawn as "no report".
    """
    by_key = {s.key: s for s in all_series}
    legend, top = _legend(chart_id, all_series, 0, with_short=True)
    label_width, row_height = 250, 44
    cell = (WIDTH - label_width) / max(1, len(columns))
    parts = [_defs(chart_id, all_series), legend]
    for j, column in enumerate(columns):
        parts.append(_text(label_width + j * cell + cell / 2, top + 16, column, 13, "middle", bold=True))
    top += 26
    for i, (label, keys) in enumerate(rows):
        y = top + i * row_height
        parts.append(_text(0, y + 27, _shorten(label, 30), 13, bold=True))
        for j, key in enumerate(keys):
            s = by_key.get(key) or by_key["none"]
            x = label_width + j * cell
            dash = ' stroke-dasharray="4 3"' if s.pattern == "outline" else ""
            parts.append(f'<rect x="{x + 2:.1f}" y="{y + 2}" width="{cell - 4:.1f}" height="{row_height - 4}" '
                         f'fill="{s.tint}" stroke="{s.colour}" stroke-width="2"{dash}/>')
            parts.append(f'<rect x="{x + 2:.1f}" y="{y + 2}" width="{cell - 4:.1f}" height="9" '
                         f'fill="{_fill(chart_id, s)}"/>')
            words = s.word if cell >= 8 * len(s.word) + 12 else s.short
            parts.append(_text(x + cell / 2, y + 32, words, 13, "middle", s.ink, bold=True))
    return _svg(chart_id, title, desc, top + max(1, len(rows)) * row_height + 4, "".join(parts))
