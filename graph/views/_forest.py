"""A forest plot as one self-contained SVG: each study's proportion with its CI, and the pooled
diamond.

Every text (study names come from documents) is escaped, so a title holding markup is shown as
text and never read as SVG; the file loads nothing from anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

WIDTH, ROW, TOP, LABEL_WIDTH, PLOT_WIDTH = 900, 26, 56, 430, 300
MAX_LABEL = 60


@dataclass(frozen=True)
class Row:
    """One line of the plot: a name, its numbers as text, and a value with its interval (0-1)."""

    label: str
    numbers: str
    value: float
    lower: float
    upper: float


def _x(value: float) -> float:
    return LABEL_WIDTH + PLOT_WIDTH * min(1.0, max(0.0, value))


def _text(x: float, y: float, text: str, anchor: str = "start", weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-weight="{weight}">'
            f"{escape(text)}</text>")


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "\u2026"


def forest_svg(title: str, rows: list[Row], pooled: Row, note: str) -> str:
    """The plot: rows top to bottom, the pooled estimate as a diamond, an axis from 0 to 1."""
    height = TOP + ROW * (len(rows) + 3) + 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
        '<rect width="100%" height="100%" fill="white"/>',
        _text(10, 22, title, weight="bold"),
        _text(10, 44, "study", weight="bold"),
        _text(_x(0.5), 44, "proportion (95% CI)", anchor="middle", weight="bold"),
        _text(WIDTH - 10, 44, "responders/total", anchor="end", weight="bold"),
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
    axis = y + ROW
    parts += [
        _text(10, y + 4, _short(pooled.label), weight="bold"),
        f'<polygon points="{diamond}" fill="#d73027"/>',
        _text(WIDTH - 10, y + 4, pooled.numbers, anchor="end", weight="bold"),
        f'<line x1="{_x(0):.1f}" y1="{axis:.1f}" x2="{_x(1):.1f}" y2="{axis:.1f}" '
        'stroke="black"/>',
        f'<line x1="{_x(pooled.value):.1f}" y1="{TOP:.1f}" x2="{_x(pooled.value):.1f}" '
        f'y2="{axis:.1f}" stroke="#d73027" stroke-dasharray="4 3"/>',
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts += [f'<line x1="{_x(tick):.1f}" y1="{axis:.1f}" x2="{_x(tick):.1f}" '
                  f'y2="{axis + 5:.1f}" stroke="black"/>',
                  _text(_x(tick), axis + 18, f"{tick:g}", anchor="middle")]
    parts += [_text(10, axis + 42, note), "</svg>"]
    return "\n".join(parts) + "\n"
