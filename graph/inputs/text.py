"""Turn a file on disk into checked text, which :mod:`graph.inputs.read` makes records of.

Checks happen here, once, for every layout: the file must be non-empty and under a size limit.
PDF files and saved HTML pages are recognised from their bytes *before* the text checks (a PDF
is binary, an HTML page may declare another character set) and their text is extracted
(:mod:`graph.inputs.pdf`, :mod:`graph.inputs.html`); every other file must be text: UTF-8
(a byte-order mark is dropped, as Windows tools and reference managers write one) or UTF-16
(with a byte-order mark, or recognisable from its zero bytes), with no NUL or other control
characters. A layout only ever sees good text.

For a PDF or HTML file, the document's text *is* the extracted text: character offsets of quotes,
mentions and references point into it, not into the file's bytes, and the extraction is
deterministic, so :func:`reread` gives the same text again. The digest is always of the bytes.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import stat
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from graph.errors import InputError
from graph.inputs import html, pdf
from graph.records import Document

MAX_BYTES = 20 * 1024 * 1024
PLAIN = "text/plain; charset=utf-8"
# C0 controls other than tab, line feed, form feed and carriage return, and DEL.
_CONTROL = re.compile("[\x01-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class SourceText:
    """A decoded input file: its corpus-relative path, its text and its digest."""

    path: str
    text: str
    sha256: str
    media_type: str = PLAIN

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        starts.extend(i + 1 for i, ch in enumerate(self.text) if ch == "\n")
        return starts

    def line_of(self, offset: int) -> int:
        """The 1-based line number holding character ``offset``.

        >>> SourceText("x", "a\\nbc\\n", "").line_of(3)
        2
        """
        return bisect_right(self._line_starts, offset)

    def error(self, reason: str, offset: int | None = None) -> InputError:
        """An :class:`InputError` naming this file and the line of ``offset``."""
        return InputError(self.path, reason, None if offset is None else self.line_of(offset))


def _encoding(data: bytes) -> tuple[str, int]:
    """The text encoding of ``data`` and the length of its byte-order mark.

    UTF-16 without a mark is recognised when the zero bytes of mostly ASCII text all fall on
    one side of each pair; everything else is taken as UTF-8 and checked as such.

    >>> _encoding(codecs.BOM_UTF8 + b"TY  - JOUR")
    ('utf-8', 3)
    >>> _encoding("TY  - JOUR".encode("utf-16-le"))
    ('utf-16-le', 0)
    >>> _encoding(b"plain")
    ('utf-8', 0)
    """
    for mark, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                           (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(mark):
            return encoding, len(mark)
    head = data[:4096]
    if len(head) >= 4 and len(head) % 2 == 0:
        even, odd = head[0::2], head[1::2]
        if even.count(0) == 0 and odd.count(0) >= 0.9 * len(odd):
            return "utf-16-le", 0
        if odd.count(0) == 0 and even.count(0) >= 0.9 * len(even):
            return "utf-16-be", 0
    return "utf-8", 0


def decode(path: Path, data: bytes, display: str) -> str:
    """Decode ``data`` strictly (UTF-8 or UTF-16), refusing empty, binary and oversized input."""
    if len(data) > MAX_BYTES:
        raise InputError(display, f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    encoding, mark = _encoding(data)
    body = data[mark:]
    if encoding == "utf-8" and b"\x00" in body:
        raise InputError(display, "file is binary (it contains NUL bytes), not a text document")
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].decode(encoding, "replace").count("\n") + 1
        name = "UTF-8" if encoding == "utf-8" else "UTF-16"
        raise InputError(
            display, f"text is not valid {name} (byte 0x{body[exc.start]:02x})", line
        ) from None
    if not text.strip():
        raise InputError(display, "file is empty")
    if "\x00" in text:
        raise InputError(display, "file is binary (it contains NUL characters), not a text "
                         "document")
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        code = f"U+{ord(control.group()):04X}"
        raise InputError(display, f"text contains the control character {code}, "
                         "which no RDF or XML output can carry", line)
    return text


def extract(data: bytes, display: str) -> tuple[str, str] | None:
    """The text of a PDF or an HTML page and its media type; None for any other file.

    Control characters an extraction brings along become spaces (no output format can carry
    them), one for one, so the text keeps its length.
    """
    if pdf.is_pdf(data):
        text, media_type = pdf.pdf_text(data, display), "application/pdf"
    elif html.is_html(data):
        text, media_type = html.html_text(data, display), "text/html"
    else:
        return None
    return _CONTROL.sub(" ", text), media_type


def load_source(path: Path, root: Path | None = None) -> SourceText:
    """Read and check one file; ``root`` makes the recorded path relative (and portable)."""
    display = path.relative_to(root).as_posix() if root else path.as_posix()
    try:
        # checked before a byte is read: a FIFO would hang, /dev/zero or a sparse file of
        # gigabytes would fill memory before the size check on the data could refuse it
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError(display, "not a regular file (a folder, FIFO or device is no "
                             "document)")
        if info.st_size > MAX_BYTES:
            raise InputError(display, f"file is {info.st_size:,} bytes; the limit is "
                             f"{MAX_BYTES:,}")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(display, f"cannot read file: {exc.strerror}") from None
    digest = hashlib.sha256(data).hexdigest()
    if data.strip() and len(data) <= MAX_BYTES:
        extracted = extract(data, display)
        if extracted is not None:
            return SourceText(display, extracted[0], digest, extracted[1])
    return SourceText(display, decode(path, data, display), digest)


def reread(document: Document, root: Path) -> str:
    """The text of the file ``document`` was read from (under corpus folder ``root``), again.

    For a step that needs a document's text after the build let it go
    (:meth:`Document.without_text`); a file changed since it was read is an error, as its
    offsets would point at other text.
    """
    source = load_source(root / document.path.partition("#")[0], root)
    if source.sha256 != document.sha256:
        raise InputError(source.path, "the file changed while the graph was being built")
    return source.text
