"""The text layer of a PDF, in reading order, through pdfminer.six.

Chosen by ``benchmarks/pdf_extractors.py``: on a two-column page whose content stream runs row by
row across both columns (as many typesetters write it), pypdf, pdfplumber and PyMuPDF all
interleave the columns; pdfminer.six's layout analysis keeps each column a box of its own, which
this module then orders: full-width boxes (title, byline) in place, and between two of them the
left column before the right. Pages are parted by a blank line. A PDF without a text layer (a
scanned image) has nothing to read and is refused, saying so.
"""

from __future__ import annotations

import io
import re

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTTextContainer
from pdfminer.pdfparser import PDFSyntaxError

from graph.errors import InputError

_SPACES = re.compile(r"[ \t]+")
_GUTTER = 6.0  # points a box may cross the page's middle and still be a column


def is_pdf(data: bytes) -> bool:
    """PDF files start with ``%PDF-`` (a few producers put junk bytes before it)."""
    return b"%PDF-" in data[:1024]


def _ordered(boxes: list[LTTextContainer], middle: float) -> list[LTTextContainer]:
    """Boxes in reading order: full-width ones top to bottom, columns left before right."""
    ordered: list[LTTextContainer] = []
    band: list[LTTextContainer] = []

    def flush() -> None:
        left = [b for b in band if b.x1 <= middle + _GUTTER]
        right = [b for b in band if b.x1 > middle + _GUTTER]
        ordered.extend(sorted(left, key=lambda b: -b.y1) + sorted(right, key=lambda b: -b.y1))
        band.clear()

    for box in sorted(boxes, key=lambda b: (-b.y1, b.x0)):
        if box.x0 < middle - _GUTTER and box.x1 > middle + _GUTTER:  # spans both columns
            flush()
            ordered.append(box)
        else:
            band.append(box)
    flush()
    return ordered


def pdf_text(data: bytes, display: str) -> str:
    """The text layer of the PDF ``data``, paragraphs parted by blank lines."""
    pages = []
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
            boxes = [b for b in page if isinstance(b, LTTextContainer) and b.get_text().strip()]
            paragraphs = []
            for box in _ordered(boxes, (page.x0 + page.x1) / 2):
                lines = [_SPACES.sub(" ", line).strip() for line in box.get_text().splitlines()]
                paragraphs.append("\n".join(line for line in lines if line))
            pages.append("\n\n".join(paragraphs))
    except (PDFSyntaxError, ValueError, TypeError, KeyError) as exc:
        raise InputError(display, f"the PDF cannot be read: {exc}") from None
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise InputError(display, "the PDF has no text layer (a scanned image?): nothing to read; "
                         "run OCR on it first, or add a text, HTML or XML copy")
    return text + "\n"
