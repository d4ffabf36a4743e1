"""A forest plot as one self-contained SVG: each study's estimate (a proportion, a mean change)
with its CI, and the pooled diamond, on an axis that fits them.

Every text (study names come from documents) is escaped, so a title holding markup is shown as
text and never read as SVG; the file loads nothing from anywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

WIDTH, ROW, TOP, LABEL_WIDTH, PLOT_WIDTH = 900, 26, 56, 430, 300
MAX_LABEL = 60


@dataclass(frozen=True)
class Row:
    """One line of the plot: a name, its numbers as text, and a value with its interval."""

    label: str
    numbers: str
    value: float
    lower: float
    upper: float


@dataclass(frozen=True)
class Axis:
    """The plotted range, its ticks, its heading (what and in which unit), and where a line
    of no effect is drawn (0 for a difference), if anywhere."""

    low: float
    high: float
    ticks: tuple[float, ...]
    heading: str
    reference: float | None = None

    def x(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return LABEL_WIDTH + PLOT_WIDTH * min(1.0, max(0.0, share))


PROPORTION = Axis(0.0, 1.0, (0.0, 0.25, 0.5, 0.75, 1.0), "proportion (95% CI)")


def difference_axis(rows: list[Row], heading: str) -> Axis:
    """An axis over every row's interval and 0 (the line of no change), at round ticks.

    >>> difference_axis([Row("a", "", -23.0, -31.5, -14.6)], "mg").ticks
    (-40.0, -30.0, -20.0, -10.0, 0.0)
    """
    low = min([0.0] + [r.lower for r in rows])
    high = max([0.0] + [r.upper for r in rows])
    if high - low <= 0:
        low, high = low - 1, high + 1
    raw = (high - low) / 4
    step = 10.0 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if raw <= m * step)
    low, high = step * math.floor(low / step), step * math.ceil(high / step)
    count = round((high - low) / step)
    return Axis(low, high, tuple(round(low + i * step, 10) for i in range(count + 1)), heading,
                0.0)


def _text(x: float, y: float, text: str, anchor: str = "start", weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-weight="{weight}">'
            f"{escape(text)}</text>")


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "\u2026"


def forest_svg(title: str, rows: list[Row], pooled: Row, note: str, axis: Axis = PROPORTION,
               numbers_heading: str = "responders/total") -> str:
    """The plot: rows top to bottom, the pooled estimate as a diamond, the axis below."""
    _x = axis.x
    height = TOP + ROW * (len(rows) + 3) + 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
        '<rect width="100%" height="100%" fill="white"/>',
        _text(10, 22, title, weight="bold"),
        _text(10, 44, "study", weight="bold"),
        _text(LABEL_WIDTH + PLOT_WIDTH / 2, 44, axis.heading, anchor="middle", weight="bold"),
        _text(WIDTH - 10, 44, numbers_heading, anchor="end", weight="bold"),
    ]
    for index, row in enumerate(rows):
        y = TOP + ROW * index + ROW / 2
        size = 5
        parts += [
            _text(10, y + 4, _short(row.label)),
            f'<line x1="{_x(row.lower):.1f}" y1="{y:.1f}" x2="{_x(row.upper):.1f}" '
            f'y2="{y:.1f}" stroke="black"/>',
            f'<rect x="{_x(row.value) - size:.1f}" y="{y - size:.1f}" width="{2 * size}" '
            f'height="{2 * size}" fill="#4575b4"/>',
            _text(WIDTH - 10, y + 4, row.numbers, anchor="end"),
        ]
    y = TOP + ROW * len(rows) + ROW
    diamond = (f"{_x(pooled.lower):.1f},{y:.1f} {_x(pooled.value):.1f},{y - 8:.1f} "
               f"{_x(pooled.upper):.1f},{y:.1f} {_x(pooled.value):.1f},{y + 8:.1f}")
    bottom = y + ROW
    parts += [
        _text(10, y + 4, _short(pooled.label), weight="bold"),
        f'<polygon points="{diamond}" fill="#d73027"/>',
        _text(WIDTH - 10, y + 4, pooled.numbers, anchor="end", weight="bold"),
        f'<line x1="{_x(axis.low):.1f}" y1="{bottom:.1f}" x2="{_x(axis.high):.1f}" '
        f'y2="{bottom:.1f}" stroke="black"/>',
        f'<line x1="{_x(pooled.value):.1f}" y1="{TOP:.1f}" x2="{_x(pooled.value):.1f}" '
        f'y2="{bottom:.1f}" stroke="#d73027" stroke-dasharray="4 3"/>',
    ]
    if axis.reference is not None:  # the line of no effect
        parts.append(f'<line x1="{_x(axis.reference):.1f}" y1="{TOP:.1f}" '
                     f'x2="{_x(axis.reference):.1f}" y2="{bottom:.1f}" stroke="#555555"/>')
    for tick in axis.ticks:
        parts += [f'<line x1="{_x(tick):.1f}" y1="{bottom:.1f}" x2="{_x(tick):.1f}" '
                  f'y2="{bottom + 5:.1f}" stroke="black"/>',
                  _text(_x(tick), bottom + 18, f"{tick:g}", anchor="middle")]
    parts += [_text(10, bottom + 42, note), "</svg>"]
    return "\n".join(parts) + "\n"
