"""The canonical N-Triples of a build, and the Turtle and JSON-LD written from its store.

Sorted N-Triples with no blank nodes is the canonical form: the same inputs give the same bytes.
The triples come from the generators as rdflib terms and each becomes one line through
pyoxigraph's term serialiser, so the escaping is the engine's own. No rdflib ``Graph`` is built
on the way: its per-triple index updates, and its Turtle and JSON-LD writers, were three
quarters of the build at 200k triples (docs/benchmark.md). Turtle and JSON-LD are written by
Oxigraph from the N-Triples file, a run of subjects at a time (:mod:`graph.rdf.syntaxes`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from graph.rdf.external_sort import RUN_SIZE, chunks, sorted_distinct
from graph.vocabulary.namespaces import PREFIXES

Triple = tuple[URIRef, URIRef, URIRef | Literal]
CHUNK = 100_000


@lru_cache(maxsize=1 << 16)
def _iri(value: str) -> str:
    """``<value>``, after Oxigraph has checked it is an IRI (it raises ValueError otherwise)."""
    return str(ox.NamedNode(value))


@lru_cache(maxsize=256)
def _datatype(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def term_text(term: URIRef | Literal | BNode) -> str:
    """One RDF term in N-Triples syntax.

    >>> from rdflib import XSD
    >>> term_text(Literal('say "hi"\\n'))
    '"say \\\\"hi\\\\"\\\\n"'
    >>> term_text(Literal("3", datatype=XSD.integer))
    '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    >>> term_text(BNode("b0"))
    Traceback (most recent call last):
    ...
    ValueError: blank node _:b0: the canonical graph has none; mint an IRI instead
    """
    kind = type(term)
    if kind is URIRef:  # most terms; ``type`` is a plain check, rdflib's ``isinstance`` an ABC one
        return _iri(str(term))
    if kind is Literal or isinstance(term, Literal):
        if term.language:
            return str(ox.Literal(str(term), language=term.language))
        if term.datatype is not None:
            return str(ox.Literal(str(term), datatype=_datatype(str(term.datatype))))
        return str(ox.Literal(str(term)))
    if isinstance(term, BNode):
        raise ValueError(f"blank node _:{term}: the canonical graph has none; mint an IRI instead")
    return _iri(str(term))


def ntriples_line(triple: Triple) -> str:
    """One triple as an N-Triples line, without its newline."""
    s, p, o = triple
    return f"{term_text(s)} {_iri(str(p))} {term_text(o)} ."


def _write_lines(handle: TextIO, lines: Iterable[str]) -> int:
    """Write lines in chunks; the number written."""
    written = 0
    for text, count in chunks(lines, CHUNK):
        handle.write(text)
        written += count
    return written


def _counted(triples: Iterable[Triple], tick: Callable[[int], None]) -> Iterator[Triple]:
    """``triples``, telling ``tick`` every :data:`CHUNK` of them (a progress bar's steps)."""
    batch = 0
    for triple in triples:
        yield triple
        batch += 1
        if batch == CHUNK:
            tick(batch)
            batch = 0
    tick(batch)


def write_canonical(
    triples: Iterable[Triple], path: Path, tick: Callable[[int], None] = lambda n: None,
    run_size: int = RUN_SIZE,
) -> int:
    """Write ``triples`` to ``path`` as sorted, duplicate-free N-Triples; the number written.

    At most ``run_size`` distinct lines are held in memory: past that, sorted runs go to files
    beside ``path`` and are merged (:func:`graph.rdf.external_sort.sorted_distinct`), so memory
    stays flat however large the graph; the bytes are the same either way.
    """
    return write_canonical_lines(map(ntriples_line, _counted(triples, tick)), path, run_size)


def write_canonical_lines(lines: Iterable[str], path: Path, run_size: int = RUN_SIZE) -> int:
    """Write N-Triples ``lines`` to ``path`` sorted and duplicate-free, as
    :func:`write_canonical` does with the lines of its triples; the number written."""
    return write_lines(path, sorted_distinct(lines, path.with_name(f".{path.name}"), run_size))


def write_lines(path: Path, lines: Iterable[str]) -> int:
    """Write ``lines`` (in their order, each with a newline) to ``path``; the number written."""
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        return _write_lines(handle, lines)


def jsonld_context() -> dict[str, object]:
    """The JSON-LD context: the project's prefixes, to compact ``graph.jsonld`` with."""
    return {"@context": {prefix: str(ns) for prefix, ns in PREFIXES.items()}}

