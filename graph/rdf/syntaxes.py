"""Turtle and JSON-LD written from the canonical N-Triples a run of subjects at a time, so a
change to the graph writes again only the runs it touches.

``graph.nt`` is sorted, so each subject's lines come together; and Oxigraph's streaming
writers give a subject's triples the same bytes whatever came before it: Turtle is a prefix
header, then per subject its lines ending in `` .``; JSON-LD is ``[``, one object per subject
joined by ``,``, and ``]`` (tests/test_syntaxes.py holds the writers to it: cut at every
subject or nowhere, the same bytes). Each file is therefore its opening, the bodies of its runs
(about :data:`RUN` bytes of ``graph.nt`` each, cut where a subject ends) and its closing. One
pass over ``graph.nt`` writes both files, each run parsed once and written twice.

An :class:`Index` keeps where each run starts in ``graph.nt`` and in both files. Given the lines
``graph.nt`` lost and gained, :func:`write_changed` writes again the runs holding one of them,
read from the new ``graph.nt`` at offsets the change gives, and copies every other run's bytes
from the last files in large pieces: a cost that follows the change, not the graph. Where the
last files and their index disagree it raises :class:`Stale`, and the caller writes whole.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from graph.rdf.delta import Difference
from graph.vocabulary.namespaces import PREFIXES

RUN = 1 << 16  # bytes of graph.nt a run holds, about: it ends where a subject ends
COPY = 1 << 22  # bytes copied from a last file at a time


class Stale(Exception):
    """The last files are not the ones their index describes: write them whole."""


@dataclass(frozen=True)
class Syntax:
    """One of the files: its name in the build, file name, format and run separator, and the
    bytes whole runs start and end with (``opens`` None: any but a space; a check on the last
    files' runs)."""

    name: str
    file: str
    format: ox.RdfFormat
    separator: bytes
    opens: bytes | None
    closes: bytes

    def holds_runs(self, first: bytes, last: bytes) -> bool:
        """Whether bytes that start with ``first`` and end with ``last`` can be whole runs."""
        opens = first == self.opens if self.opens is not None else first.strip() != b""
        return opens and last == self.closes


SYNTAXES = (
    Syntax("turtle", "graph.ttl", ox.RdfFormat.TURTLE, b"", None, b"\n"),
    Syntax("jsonld", "graph.jsonld", ox.RdfFormat.JSON_LD, b",", b"{", b"}"),
)


@cache
def _prefixes() -> dict[str, str]:
    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def _serialise(triples: list[ox.Triple], syntax: Syntax) -> bytes:
    return ox.serialize(triples, format=syntax.format, prefixes=_prefixes())  # type: ignore[no-any-return]


@cache
def _frame(syntax: Syntax) -> tuple[bytes, bytes, bytes]:
    """What Oxigraph writes before the first subject and after the last, and for no triple.

    Read off its output for one one-line subject, so the prefixes are the writer's own."""
    one = ox.Triple(ox.NamedNode("urn:x"), ox.NamedNode("urn:p"), ox.Literal("x"))
    text = _serialise([one], syntax)
    if syntax.format == ox.RdfFormat.TURTLE:
        opening, closing = text[:text.rindex(b"\n", 0, len(text) - 1) + 1], b""
    else:
        opening, closing = text[:1], text[-1:]
    return opening, closing, _serialise([], syntax)


def bodies(text: bytes) -> tuple[bytes, ...]:
    """The body of each syntax's file for the N-Triples ``text`` (whole subjects), parsed once."""
    triples = list(ox.parse(input=text, format=ox.RdfFormat.N_TRIPLES))
    made = []
    for syntax in SYNTAXES:
        written = _serialise(triples, syntax)
        opening, closing, _ = _frame(syntax)
        if not (written.startswith(opening) and written.endswith(closing)):
            raise ValueError(f"Oxigraph's {syntax.name} writer framed a run unexpectedly")
        made.append(written[len(opening):len(written) - len(closing)])
    return tuple(made)


def subject(line: bytes) -> bytes:
    """The subject of an N-Triples line with its space (no IRI holds one): ``b"<iri> "``."""
    return line[:line.index(b" ") + 1]


def runs(nt: Path, size: int = RUN) -> Iterator[tuple[int, bytes]]:
    """The bytes of ``nt`` in runs of whole subjects, about ``size`` bytes each, with their
    offsets: read in large pieces, the last subject of each held back, as it may go on."""
    with nt.open("rb") as handle:
        held, at = b"", 0
        while piece := handle.read(max(COPY, size)):
            held += piece
            whole = held.rfind(b"\n") + 1
            if not whole:
                continue
            last = subject(held[held.rfind(b"\n", 0, whole - 1) + 1:whole])
            kept = 0 if held.startswith(last) else held.find(b"\n" + last) + 1
            yield from ((at + offset, text) for offset, text in _cut(held[:kept], size))
            held, at = held[kept:], at + kept
        yield from ((at + offset, text) for offset, text in _cut(held, size))


def _cut(text: bytes, size: int) -> Iterator[tuple[int, bytes]]:
    """``text`` (whole subjects) in runs of about ``size`` bytes, each ending where a subject
    does, with their offsets in it."""
    at = 0
    while at < len(text):
        end = text.find(b"\n", min(at + size, len(text)) - 1) + 1 or len(text)
        last = subject(text[text.rfind(b"\n", 0, end - 1) + 1:end])
        while end < len(text) and text.startswith(last, end):  # the rest of its subject
            end = text.find(b"\n", end) + 1 or len(text)
        yield at, text[at:end]
        at = end


@dataclass
class Index:
    """Where each run starts in ``graph.nt`` and each file, and the files' sizes."""

    keys: list[str] = field(default_factory=list)  # each run's first subject; "" for the first
    nt: list[int] = field(default_factory=list)  # each run's offset in graph.nt
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # syntax -> runs
    sizes: dict[str, int] = field(default_factory=dict)  # file name -> bytes

    def run_of(self, line: str) -> int:
        """The run a line of graph.nt falls in, or would."""
        return max(bisect_right(self.keys, line) - 1, 0)


class _Writer:
    """Both files as they are written, and the index of the runs written so far."""

    def __init__(self, folder: Path) -> None:
        self.paths = {s.name: folder / s.file for s in SYNTAXES}
        self.handles = {s.name: self.paths[s.name].open("wb", buffering=0) for s in SYNTAXES}
        self.index = Index(spans={s.name: [] for s in SYNTAXES})

    def _before(self, syntax: Syntax) -> bytes:
        """What comes before a run's bytes: the file's opening, or the separator."""
        return syntax.separator if self.index.keys else _frame(syntax)[0]

    def run(self, key: str, offset: int, text: bytes) -> None:
        """Write the run of ``text`` (at ``offset`` in graph.nt) to both files."""
        for syntax, body in zip(SYNTAXES, bodies(text), strict=True):
            handle, before = self.handles[syntax.name], self._before(syntax)
            start = handle.tell() + len(before)
            _write(handle.fileno(), before + body)
            self.index.spans[syntax.name].append((start, start + len(body)))
        self.index.keys.append(key if self.index.keys else "")
        self.index.nt.append(offset)

    def copy(self, last: Index, sources: dict[str, BinaryIO], first: int, end: int,
             shift: list[int]) -> None:
        """Copy the runs ``first`` to ``end`` of the last files (``shift``: by how many bytes
        each run moved in graph.nt)."""
        for syntax in SYNTAXES:
            spans, source = last.spans[syntax.name], sources[syntax.name].fileno()
            begin, stop = spans[first][0], spans[end - 1][1]
            if not syntax.holds_runs(os.pread(source, 1, begin), os.pread(source, 1, stop - 1)):
                raise Stale(f"the runs of the last {syntax.file} are not where its index says")
            handle = self.handles[syntax.name]
            _write(handle.fileno(), self._before(syntax))
            moved = handle.tell() - begin
            _copy(source, handle.fileno(), begin, stop - begin)
            self.index.spans[syntax.name] += [(a + moved, b + moved) for a, b in spans[first:end]]
        keys = last.keys[first:end]
        self.index.keys += keys if self.index.keys else ["", *keys[1:]]
        self.index.nt += [last.nt[i] + shift[i] for i in range(first, end)]

    def close(self, nt: Path) -> Index:
        """Write each file's closing (or the empty graph's text); the index of the files."""
        for syntax in SYNTAXES:
            _, closing, empty = _frame(syntax)
            _write(self.handles[syntax.name].fileno(), closing if self.index.keys else empty)
            self.handles[syntax.name].close()
            self.index.sizes[syntax.file] = self.paths[syntax.name].stat().st_size
        self.index.sizes[nt.name] = nt.stat().st_size
        return self.index

    def abandon(self) -> None:
        for handle in self.handles.values():
            handle.close()


def _write(target: int, data: bytes) -> None:
    """All of ``data`` to the file descriptor ``target``."""
    view = memoryview(data)
    while view:
        view = view[os.write(target, view):]


def _copy(source: int, target: int, start: int, length: int) -> None:
    """``length`` bytes of ``source`` from ``start`` on, to ``target`` where it stands: in the
    kernel where the system can (``copy_file_range``), else through memory."""
    in_kernel = getattr(os, "copy_file_range", None)  # Linux only
    while length > 0:
        try:
            done = in_kernel(source, target, min(length, COPY), start) if in_kernel else 0
        except OSError:  # not between these files on this system
            done = 0
        if not done:
            piece = os.pread(source, min(length, COPY), start)
            if not piece:
                raise Stale("a last file ends before its index says")
            _write(target, piece)
            done = len(piece)
        start, length = start + done, length - done


def write_whole(nt: Path, folder: Path, size: int = RUN) -> Index:
    """Write ``graph.ttl`` and ``graph.jsonld`` into ``folder`` from the N-Triples ``nt`` in
    one pass, a run at a time; their index."""
    writer = _Writer(folder)
    try:
        for offset, text in runs(nt, size):
            writer.run(subject(text).decode("utf-8"), offset, text)
    except BaseException:
        writer.abandon()
        raise
    return writer.close(nt)


def _shifts(last: Index, change: Difference) -> tuple[list[int], int]:
    """By how many bytes each run's start moves in graph.nt, and the whole file's size."""
    steps = sorted(chain(((line, len(line.encode("utf-8")) + 1) for line in change.added),
                         ((line, -len(line.encode("utf-8")) - 1) for line in change.removed)))
    shifts, moved, at = [], 0, 0
    for key in last.keys:
        while at < len(steps) and steps[at][0] < key:
            moved += steps[at][1]
            at += 1
        shifts.append(moved)
    return shifts, sum(step for _, step in steps)


def _check_slice(nt: BinaryIO, start: int, end: int, key: str, following: str | None) -> bytes:
    """The bytes of the new graph.nt from ``start`` to ``end``, checked to be whole lines from
    ``key`` on and before ``following``."""
    nt.seek(max(start - 1, 0))
    text = nt.read(end - max(start - 1, 0))
    if start:
        if text[:1] != b"\n":
            raise Stale("a run of the new graph.nt does not start a line")
        text = text[1:]
    if len(text) != end - start or (text and not text.endswith(b"\n")):
        raise Stale("a run of the new graph.nt does not end a line")
    if text and (text[:text.index(b"\n")].decode("utf-8") < key or (
            following is not None
            and text[text.rfind(b"\n", 0, len(text) - 1) + 1:].decode("utf-8") >= following)):
        raise Stale("a run of the new graph.nt holds lines of another run")
    return text


def write_changed(nt: Path, folder: Path, last_folder: Path, last: Index, change: Difference,
                  size: int = RUN) -> Index:
    """Write ``graph.ttl`` and ``graph.jsonld`` into ``folder`` for ``nt``, which is the
    ``graph.nt`` of ``last_folder`` changed by ``change``: the runs a changed line falls in
    written again, the others copied from ``last_folder``'s files. Their index.

    Raises :class:`Stale` where the last files are not the ones ``last`` describes."""
    for name, expected in last.sizes.items():
        path = last_folder / name
        if not path.is_file() or path.stat().st_size != expected:
            raise Stale(f"the last {name} is not the one the index describes")
    if not last.keys:
        raise Stale("the index holds no run")
    shifts, moved = _shifts(last, change)
    ends = [*(offset + shift for offset, shift in zip(last.nt[1:], shifts[1:], strict=True)),
            last.sizes[nt.name] + moved]
    if ends[-1] != nt.stat().st_size:
        raise Stale(f"the new {nt.name} is not the last one changed by the difference")
    touched = sorted({last.run_of(line) for line in chain(change.removed, change.added)})
    writer = _Writer(folder)
    sources = {s.name: (last_folder / s.file).open("rb", buffering=0) for s in SYNTAXES}
    try:
        with nt.open("rb") as new:
            done = 0
            for run in touched:
                if run > done:
                    writer.copy(last, sources, done, run, shifts)
                start = last.nt[run] + shifts[run]
                following = last.keys[run + 1] if run + 1 < len(last.keys) else None
                text = _check_slice(new, start, ends[run], last.keys[run], following)
                for offset, part in _cut(text, size):
                    writer.run(last.keys[run] if offset == 0 else subject(part).decode("utf-8"),
                               start + offset, part)
                done = run + 1
            if done < len(last.keys):
                writer.copy(last, sources, done, len(last.keys), shifts)
    except BaseException:
        writer.abandon()
        raise
    finally:
        for source in sources.values():
            source.close()
    return writer.close(nt)

