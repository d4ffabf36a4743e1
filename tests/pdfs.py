"""PDF files written from plain text with reportlab, for the tests and the development set.

A page has a full-width head (title, byline, locator, identifiers) and a body set in one or two
columns; with two, the content stream runs row by row across both columns (as many typesetters
write it), so a reader that ignores the layout interleaves them.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

FONT, SIZE, LEADING = "Helvetica", 8.5, 10.5
MARGIN = 48.0


def _wrap(paragraph: str, width: float, size: float = SIZE) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in paragraph.split():
        trial = f"{current} {word}".strip()
        if stringWidth(trial, FONT, size) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    return [*lines, current] if current else lines


def _column_lines(paragraphs: list[str], width: float) -> list[str]:
    """The body as lines of one column; a blank line between paragraphs."""
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += _wrap(paragraph, width)
        lines.append("")
    return lines


def write_pdf(path: Path, head: list[str], body: list[str], columns: int = 1) -> Path:
    """Write ``head`` (full width, title first and larger) and ``body`` paragraphs to ``path``."""
    page = canvas.Canvas(str(path), pagesize=A4, invariant=1)  # the same bytes every time
    width, height = A4
    y = height - MARGIN
    for index, paragraph in enumerate(head):
        size = 13 if index == 0 else SIZE
        for line in _wrap(paragraph, width - 2 * MARGIN, size):
            page.setFont("Helvetica-Bold" if index == 0 else FONT, size)
            page.drawString(MARGIN, y, line)
            y -= size + 3
        y -= LEADING
    gutter = 18.0
    column_width = (width - 2 * MARGIN - (columns - 1) * gutter) / columns
    lines = _column_lines(body, column_width)
    top = y
    rows = int((top - MARGIN) // LEADING)
    while lines:
        page.setFont(FONT, SIZE)
        per_page = [lines[c * rows:(c + 1) * rows] for c in range(columns)]
        for row in range(rows):  # row by row across the columns
            for column, column_lines in enumerate(per_page):
                if row < len(column_lines) and column_lines[row]:
                    page.drawString(MARGIN + column * (column_width + gutter),
                                    top - row * LEADING, column_lines[row])
        lines = lines[columns * rows:]
        if lines:
            page.showPage()
            top = height - MARGIN
            rows = int((top - MARGIN) // LEADING)
    page.showPage()
    page.save()
    return path


def write_image_only_pdf(path: Path) -> Path:
    """A PDF whose page holds only shapes, like a scan: no text layer."""
    page = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    page.rect(100, 100, 300, 500, fill=1)
    page.showPage()
    page.save()
    return path
