"""Which PDF library reads a two-column journal page in reading order?

Run ``python benchmarks/pdf_extractors.py``.

Makes one A4 page with reportlab: a full-width title block, then two columns of numbered
sentences. The page's content stream draws the lines row by row across both columns, as many
typesetting systems emit them, so a library that follows the stream or sorts lines by height
alone interleaves the columns. Each library's text is scored by the share of sentences that come
out whole and in order. The result chose the library of :mod:`graph.inputs.pdf`
(see README "Input formats"). Needs ``pip install -e '.[pdf-comparison]'``.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

WORDS = ("tacrolimus", "improved", "forced", "vital", "capacity", "in", "patients", "with",
         "antisynthetase", "syndrome", "and", "the", "steroid", "dose", "fell")


def sentence(n: int) -> str:
    """The n-th test sentence: its number, then words chosen from n (deterministic)."""
    words = [WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(4)]  # fits its column
    return f"S{n:02d} " + " ".join(words) + f" E{n:02d}."


def two_column_page() -> tuple[bytes, list[str]]:
    """The PDF bytes and the sentences in reading order (left column, then right)."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    page.setFont("Helvetica-Bold", 14)
    page.drawString(50, height - 60, "A two-column test page")
    page.setFont("Helvetica", 9)
    rows = 30
    left = [sentence(n) for n in range(1, rows + 1)]
    right = [sentence(n) for n in range(rows + 1, 2 * rows + 1)]
    for row in range(rows):  # row by row across both columns
        y = height - 100 - row * 11  # 9 pt type on 11 pt leading, as journals set it
        page.drawString(50, y, left[row])
        page.drawString(width / 2 + 10, y, right[row])
    page.showPage()
    page.save()
    return buffer.getvalue(), left + right


def _pypdf(data: bytes) -> str:
    from pypdf import PdfReader
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def _pdfplumber(data: bytes) -> str:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


def _pdfminer(data: bytes) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams
    return extract_text(io.BytesIO(data), laparams=LAParams())


def _project(data: bytes) -> str:
    from graph.inputs.pdf import pdf_text
    return pdf_text(data, "page.pdf")


def _pymupdf(data: bytes) -> str:
    import pymupdf
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        return "\n".join(p.get_text("text") for p in pdf)


def _pymupdf_sorted(data: bytes) -> str:
    import pymupdf
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        return "\n".join(p.get_text("text", sort=True) for p in pdf)


def _pymupdf_blocks(data: bytes) -> str:
    import pymupdf
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        return "\n".join(b[4] for p in pdf for b in sorted(p.get_text("blocks"),
                                                              key=lambda b: (b[0], b[1])))


LIBRARIES: dict[str, Callable[[bytes], str]] = {
    "pypdf (extract_text)": _pypdf,
    "pdfplumber (extract_text)": _pdfplumber,
    "pdfminer.six (LAParams; under pdfplumber)": _pdfminer,
    "pdfminer.six boxes, columns ordered (chosen)": _project,
    "PyMuPDF (get_text)": _pymupdf,
    "PyMuPDF (get_text, sort=True)": _pymupdf_sorted,
    "PyMuPDF (blocks by column)": _pymupdf_blocks,
}


def score(text: str, expected: list[str]) -> tuple[int, bool]:
    """Sentences found whole, and whether they come in reading order."""
    flat = re.sub(r"\s+", " ", text)
    found = [s for s in expected if s in flat]
    order = sorted(found, key=flat.index)
    return len(found), order == [s for s in expected if s in found] and found == expected


def main() -> None:
    data, expected = two_column_page()
    print(f"{'library':45} {'whole sentences':>16} {'reading order':>14} {'ms':>6}")
    for name, extract in LIBRARIES.items():
        start = time.perf_counter()
        text = extract(data)
        elapsed = (time.perf_counter() - start) * 1000
        whole, ordered = score(text, expected)
        print(f"{name:45} {whole:>9}/{len(expected):<6} {'yes' if ordered else 'no':>14} "
              f"{elapsed:>6.0f}")


if __name__ == "__main__":
    main()
