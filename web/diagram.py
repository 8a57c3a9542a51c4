"""The workflow drawn as SVG, straight from the machine's own states and transitions.

Forward moves run left to right between the boxes; moves back to an earlier
state are arcs underneath, deeper the further back they go.
"""
from markupsafe import Markup, escape

from workflow import machine

BOX_W, BOX_H, STEP, TOP, LEFT = 140, 48, 180, 60, 20


def _centre(index):
    return LEFT + index * STEP + BOX_W / 2


def _box(index, state):
    x = LEFT + index * STEP
    return (f'<rect x="{x}" y="{TOP}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="#ffffff" '
            f'stroke="#0b0c0c" stroke-width="2"/>'
            f'<text x="{_centre(index)}" y="{TOP + 30}" text-anchor="middle" font-size="16" '
            f'font-weight="bold" fill="#0b0c0c">{escape(state)}</text>')


def _forward(src, dest, label):
    x1, x2, y = LEFT + src * STEP + BOX_W, LEFT + dest * STEP, TOP + BOX_H / 2
    return (f'<line x1="{x1}" y1="{y}" x2="{x2 - 4}" y2="{y}" stroke="#0b0c0c" stroke-width="2" '
            f'marker-end="url(#arrow)"/>'
            f'<text x="{(x1 + x2) / 2}" y="{TOP - 10}" text-anchor="middle" font-size="14" '
            f'fill="#0b0c0c">{escape(label)}</text>')


def _back(src, dest, label):
    depth = 34 * abs(src - dest) + 6
    x1, x2, y = _centre(src), _centre(dest), TOP + BOX_H
    return (f'<path d="M {x1} {y} Q {(x1 + x2) / 2} {y + 2 * depth} {x2} {y + 4}" fill="none" '
            f'stroke="#505a5f" stroke-width="2" stroke-dasharray="6 4" marker-end="url(#arrow)"/>'
            f'<text x="{(x1 + x2) / 2}" y="{y + depth + 5}" text-anchor="middle" font-size="14" '
            f'fill="#0b0c0c" class="halo" stroke="#ffffff" stroke-width="4">{escape(label)}</text>')


def workflow_svg():
    index = {state: i for i, state in enumerate(machine.STATES)}
    parts = [_box(i, state) for i, state in enumerate(machine.STATES)]
    for t in machine.TRANSITIONS:
        for source in t.sources:
            src, dest = index[source], index[t.dest]
            parts.append(_forward(src, dest, t.name) if dest == src + 1 else _back(src, dest, t.name))
    deepest = 34 * (len(machine.STATES) - 1) + 6
    width, height = LEFT * 2 + (len(machine.STATES) - 1) * STEP + BOX_W, TOP + BOX_H + deepest + 30
    summary = "; ".join(f"{t.name}: {', '.join(t.sources)} to {t.dest}" for t in machine.TRANSITIONS)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="wf-title wf-desc" class="diagram">'
        f'<title id="wf-title">The workflow every document goes through</title>'
        f'<desc id="wf-desc">{escape(summary)}</desc>'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#0b0c0c"/></marker></defs>'
        + "".join(parts) + "</svg>")
