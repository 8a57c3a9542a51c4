"""A monitoring dataset's trends as server-side SVG line charts, in web/charts.py's house style.

Each group is told apart by more than its colour (WCAG 1.4.1): its own dash pattern and marker
shape, and its name written at the end of its line. A suppressed or missing count is a gap, never
a point drawn at zero. The page shows a table with the same numbers beside each chart.
"""
from markupsafe import escape

from web.charts import GREY, INK, WIDTH, _shorten, _svg, _text
from workflow import periods

HEIGHT = 330
LEFT, RIGHT, TOP, BOTTOM = 64, WIDTH - 240, 16, 280  # the plot area; group names to its right
# Each at least 4.5:1 against white.
COLOURS = ("#1d4f91", "#b3261e", "#00703c", "#6f3c8f", "#a35200", "#5c6b00", INK, GREY)
DASHES = ("", "8 4", "2 4", "12 4 2 4")
MARKERS = ("circle", "square", "triangle", "diamond")


def _marker(shape, x, y, colour):
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{colour}"/>'
    points = ((x, y - 6), (x + 6, y + 5), (x - 6, y + 5)) if shape == "triangle" else \
        ((x, y - 7), (x + 6, y), (x, y + 7), (x - 6, y))
    return f'<polygon points="{" ".join(f"{px:.1f},{py:.1f}" for px, py in points)}" fill="{colour}"/>'


def _step(largest):
    """A round gridline step giving about four lines up to `largest`."""
    rough = max(largest / 4, 1)
    magnitude = 10 ** (len(str(int(rough))) - 1)
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)


def _axes(columns, top_value, step):
    parts = []
    for value in range(0, top_value + 1, step):
        y = BOTTOM - value / top_value * (BOTTOM - TOP)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{RIGHT}" y2="{y:.1f}" stroke="#b1b4b6" stroke-width="1"/>')
        parts.append(_text(LEFT - 8, y + 5, f"{value:,}", 13, "end", GREY))
    for period, x in columns:
        parts.append(_text(x, BOTTOM + 22, periods.label(period), 13, "middle"))
    return parts


def trend_chart(chart_id, title, desc, trend):
    """A line per group of `trend` (workflow.monitoring.Trend): its counts across the periods."""
    series = [(group, [f.count if f else None for f in figures]) for group, figures in trend.series]
    counts = [n for _, values in series for n in values if n is not None]
    step = _step(max(counts, default=0))
    top_value = max(step, -(-max(counts, default=0) // step) * step)
    gap = (RIGHT - LEFT - 40) / max(1, len(trend.periods) - 1)
    columns = [(period, LEFT + 20 + i * gap) for i, period in enumerate(trend.periods)]
    parts = _axes(columns, top_value, step)
    for i, (group, values) in enumerate(series):
        colour, dash, shape = COLOURS[i % len(COLOURS)], DASHES[i // len(COLOURS) % len(DASHES)], MARKERS[i % 4]
        points = [(x, BOTTOM - n / top_value * (BOTTOM - TOP)) if n is not None else None
                  for (_, x), n in zip(columns, values)]
        parts += _lines(points, colour, dash)
        parts += [_marker(shape, x, y, colour) for x, y in filter(None, points)]
        last = next(((p, n) for p, n in zip(reversed(points), reversed(values)) if p), None)
        if last:
            (x, y), n = last
            parts.append(_text(RIGHT + 12, y + 5, f"{_shorten(group, 24)}: {n:,}", 13, fill=colour, bold=True))
    return _svg(chart_id, title, desc, HEIGHT, "".join(parts))


def _lines(points, colour, dash):
    """A line between each two neighbouring points that are both there."""
    pattern = f' stroke-dasharray="{escape(dash)}"' if dash else ""
    return [f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" stroke="{colour}" '
            f'stroke-width="2.5"{pattern}/>' for a, b in zip(points, points[1:]) if a and b]
