"""The graph's triples made per unit and kept between builds: adding a paper makes the triples
of the new paper and of the units it changes, not of the whole corpus (issue 26).

A unit is a work (its class, fields and authors, its corpus document's manifestation, its
grade, the discrepancies among its mentions) or a citing document (its reference entries and
citation edges, their contexts, its mention counts and candidate findings, its curation
record's evidence). Each unit's lines, sorted and distinct, are a block of the build cache
(:mod:`graph.build.cache`), keyed by everything they are made from: a work by its resolved
facts (its key, the fingerprint of its fields and disagreements that the resolution keeps with
it, its document's file key), a document by its file's key (bytes, corpus path, code), the
ontology's digest, its curation record's cache key, and the works its own record and its
references resolved to. The keys are made of parts a build already holds, so an unchanged unit
costs a digest, not a pass over its facts. A merge or an enrichment changes the key of each
work it touches (and a merge, the key of each document citing them); an unchanged key is the
same lines, so the block is read back instead of made.

A study is a unit too: the abbreviations its documents spell out in other words. The
corpus-wide triples (the ontology, the mappings, what compares a secondary report's record
with its study's, pooling) are made every build, and are one more block.

A build with no usable last build sorts every block's lines into ``graph.nt``
(:func:`graph.rdf.external_sort.sort_counted_into`, the system's sort on Linux; the bytes are
the same as Python's sort, which made the graph before it was cut in blocks). It keeps an
:class:`Index` beside its blocks: each unit's key, and the lines held by more than one block
with their number. The next build then reads only the blocks whose key changed, old and new:
a line whose number of blocks falls to none leaves ``graph.nt``, a line no block held before
comes in. Each such line is found in the
last ``graph.nt`` by bisection (the file is sorted), and the new one is the bytes between them
copied as they are (by the kernel, ``copy_file_range``) with those lines left out or put in: a
gigabyte is never read into Python. Where the last build's ``graph.nt`` and index disagree (its
size, a count going below none, a line several blocks hold missing, a block missing), the graph
is sorted from every block instead, and the build report says so.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from graph.build.cache import Cache, file_of
from graph.cache_keys import code_digest, digest
from graph.citations.context_triples import citation_context_triples
from graph.citations.contexts import Contexts
from graph.citations.triples import Triple, citation_triples, work_triples
from graph.citations.works import Citation, Resolution, Work
from graph.evidence.findings import Curation
from graph.evidence.grading import Grade, work_grade_triples
from graph.evidence.links import (
    EvidenceSummary,
    curation_evidence_triples,
    document_context,
    document_mining_triples,
    expansion_discrepancy_triples,
    works_by_path,
)
from graph.mining.corpus import Mined
from graph.rdf.delta import Difference
from graph.rdf.external_sort import sort_counted_into
from graph.rdf.serialize import ntriples_line
from graph.records import RawReference

WORK = "work triples"  # the cache's kinds of entry, as the build report counts them
DOCUMENT = "document triples"
STUDY = "study triples"
CORPUS = "corpus triples"
PIECE = 1 << 16  # bytes of graph.nt read at a time to find a line in it
INDEX = "blocks.pickle"  # in the cache folder: what the build's graph.nt is made of
# The corpus-wide triples, adding what they find to the summary given (after the documents')
Corpus = Callable[[EvidenceSummary], Iterable[Triple]]


@dataclass(frozen=True)
class Block:
    """A unit's lines, sorted and distinct, and what its curation record adds to the report."""

    lines: tuple[str, ...]
    evidence: EvidenceSummary | None = None


@dataclass(frozen=True)
class Unit:
    """A unit of the graph: its name, its kind of cache entry, its key, and how to make it."""

    name: str
    kind: str
    key: str
    make: Callable[[], Block]


@dataclass
class Index:
    """What a build's ``graph.nt`` is made of, for the next build to change it by its blocks."""

    keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # unit -> (kind, key)
    evidence: dict[str, EvidenceSummary] = field(default_factory=dict)  # by document unit
    shared: dict[str, int] = field(default_factory=dict)  # lines of 2+ blocks -> how many
    lines: int = 0  # graph.nt's lines and bytes
    size: int = 0
    # units whose block is empty (most studies spell out no abbreviation two ways): the next
    # build takes them back from here, without carrying a cache entry each
    empty: set[str] = field(default_factory=set)

    def note(self, unit: Unit, block: Block) -> None:
        """Index ``unit``, whose block is ``block``."""
        self.keys[unit.name] = (unit.kind, unit.key)
        if block.evidence is not None:
            self.evidence[unit.name] = block.evidence
        elif not block.lines:
            self.empty.add(unit.name)


class Stale(Exception):
    """The last build's ``graph.nt`` and its index disagree: sort the graph from every block."""


def _block(triples: Iterable[Triple], evidence: EvidenceSummary | None = None) -> Block:
    return Block(tuple(sorted(set(map(ntriples_line, triples)))), evidence)


def _work_key(work: Work, designs: Mapping[str, str | None], graded: Mapping[str, Grade],
              file_keys: Mapping[str, str]) -> str:
    """Everything :func:`work_triples` and :func:`work_grade_triples` read of a work: its key,
    its fields and disagreements (:meth:`Work.fingerprint`, kept from the last build for the
    works it resolved alike), and its document, by the key of the file it was read from."""
    document = work.document
    own = None if document is None else (
        file_keys[file_of(document.path)], document.path, designs.get(document.path),
        graded.get(document.path))
    return digest(WORK, code_digest(), work.key, work.fingerprint(), repr(own))


def work_units(resolution: Resolution, designs: Mapping[str, str | None],
               graded: Mapping[str, Grade], file_keys: Mapping[str, str]) -> Iterator[Unit]:
    """A unit per work."""
    for work in resolution.works:
        yield Unit(f"work {work.key}", WORK, _work_key(work, designs, graded, file_keys),
                   lambda w=work: _block([*work_triples(w, designs),  # type: ignore[misc]
                                          *work_grade_triples(w, graded)]))


def document_units(
    resolution: Resolution, mined: Mapping[str, Mined], curations: Mapping[str, Curation],
    contexts: Mapping[str, Contexts], entries: Mapping[str, Mapping[RawReference, int]],
    file_keys: Mapping[str, str], curation_keys: Mapping[str, str], ontology: str,
) -> Iterator[Unit]:
    """A unit per citing, mined or curated document, in the order of their paths.

    Its key holds its file's key (the file's bytes, path and the code: its references,
    contexts and mentions are made from them), the ontology's digest (the mining), its curation
    record's key in the cache (its evidence, and which candidates stand), and the works it
    resolved to: its own, the one it reports on, and each reference's.
    """
    own, primary = works_by_path(resolution)
    cites: dict[str, list[Citation]] = {}
    for citation in resolution.citations:
        assert citation.mention.citing is not None
        cites.setdefault(citation.mention.citing, []).append(citation)
    for path in sorted(cites.keys() | ((mined.keys() | curations.keys()) & own.keys())):
        edges = cites.get(path, [])
        mine = own.get(path)
        study = primary.get(path)
        key = digest(DOCUMENT, file_keys[file_of(path)], ontology, path,
                     curation_keys[path] if path in curations else "",
                     mine.key if mine else "", study.key if study else "",
                     repr([(c.citing.key, c.cited.key, c.mention.position, c.reports_on)
                           for c in edges]))

        def make(path: str = path, edges: list[Citation] = edges, mine: Work | None = mine,
                 study: Work | None = study) -> Block:
            # the record read here, for a block made again only (the cache reads it then)
            curation = curations.get(path)
            triples: list[Triple] = []
            for citation in edges:
                triples += citation_triples(citation)
                triples += citation_context_triples(citation, contexts, entries)
            if mine is not None and path in mined:
                reviewed = curation is not None and curation.candidates_reviewed
                triples += document_mining_triples(document_context(mine, path, study),
                                                   mined[path], reviewed)
            if mine is None or curation is None:
                return _block(triples)
            evidence = EvidenceSummary()
            triples += curation_evidence_triples(curation, document_context(mine, path, study),
                                                 evidence)
            return _block(triples, evidence)

        yield Unit(f"document {path}", DOCUMENT, key, make)


def study_units(resolution: Resolution, mined: Mapping[str, Mined],
                file_keys: Mapping[str, str], curation_keys: Mapping[str, str], ontology: str
                ) -> Iterator[Unit]:
    """A unit per study with mined documents: the abbreviations its documents spell out in
    other words (:func:`expansion_discrepancy_triples`), which look at no other study.

    Its key holds the study's work key and, per document of the study in the order of their
    paths, what its context and mining are made from: its path, its file's key, its curation
    record's key (the mining depends on it), its own work's key and the ontology's digest.
    """
    own, primary = works_by_path(resolution)
    studies: dict[str, list[tuple[str, Work, Work | None]]] = {}
    for path in sorted(mined.keys() & own.keys()):
        study = primary.get(path)
        studies.setdefault((study or own[path]).key, []).append((path, own[path], study))
    for study_key, documents in sorted(studies.items()):
        key = digest(STUDY, code_digest(), ontology, study_key,
                     *(part for path, work, _ in documents
                       for part in (path, file_keys[file_of(path)],
                                    curation_keys.get(path, ""), work.key)))

        def make(documents: list[tuple[str, Work, Work | None]] = documents) -> Block:
            evidence = EvidenceSummary()
            lines = list(expansion_discrepancy_triples(
                ((document_context(work, path, study), mined[path])
                 for path, work, study in documents), evidence))
            return _block(lines, evidence if evidence.discrepancies else None)

        yield Unit(f"study {study_key}", STUDY, key, make)


def _corpus_unit(corpus: Iterable[Triple]) -> Unit:
    """The corpus-wide triples as one more unit, keyed by its lines (made every build)."""
    block = _block(corpus)
    return Unit("corpus", CORPUS, digest(CORPUS, *block.lines), lambda: block)


def _blocks(units: Iterable[Unit], cache: Cache, jobs: int) -> Iterator[tuple[Unit, Block]]:
    """Each unit and its block, from the cache or made, in the units' order: the blocks the
    cache lacks made over ``jobs`` workers as they are asked for, so the blocks in memory at
    once are a few, not the graph's."""
    units = list(units)
    absent = [i for i, unit in enumerate(units) if not cache.has(unit.kind, unit.key)]
    made = cache.make_missing(absent, lambda i: (units[i].kind, units[i].key),
                              lambda i: units[i].make(), jobs)
    coming = next(made, None)
    for i, unit in enumerate(units):
        if coming is not None and coming[0] == i:
            yield unit, coming[1]
            coming = next(made, None)
        else:
            yield unit, cache.fetch(unit.kind, unit.key, unit.make)


def _counted(index: Index, evidence: EvidenceSummary, corpus: Corpus) -> Unit:
    """The corpus-wide unit, its part of the report counted in ``evidence`` after the works'
    and documents' and before the studies' (the report's order: each record's own findings,
    what compares a report with its study, each study's abbreviations)."""
    for name, part in index.evidence.items():
        if index.keys[name][0] != STUDY:
            evidence.add(part)
    unit = _corpus_unit(corpus(evidence))
    for name, part in index.evidence.items():
        if index.keys[name][0] == STUDY:
            evidence.add(part)
    return unit


def _merge(units: Iterable[Unit], corpus: Corpus, cache: Cache,
           nt: Path, evidence: EvidenceSummary, jobs: int) -> Index:
    """Every block's lines sorted into ``nt``; the index of what it is made of."""
    index = Index()

    def lines() -> Iterator[str]:
        for unit, block in _blocks(units, cache, jobs):
            index.note(unit, block)
            yield from block.lines
        last = _counted(index, evidence, corpus)
        index.keys[last.name] = (last.kind, last.key)
        yield from cache.fetch(last.kind, last.key, last.make).lines

    index.lines, index.shared = sort_counted_into(lines(), nt)
    index.size = nt.stat().st_size
    return index


def _held(cache: Cache, kind: str, key: str) -> tuple[str, ...]:
    """The lines of a block of the last build."""
    block = cache.previous(f"{kind}/{key}.pickle")
    if not isinstance(block, Block):
        raise Stale(f"the last build's {kind} block {key[:12]} is missing")
    return block.lines


def _changes(units: Iterable[Unit], corpus: Corpus, cache: Cache,
             last: Index, evidence: EvidenceSummary) -> tuple[Index, dict[str, int]]:
    """The index of this build, and by how many blocks each line's count changes (only the
    blocks whose key changed are read)."""
    index = Index()
    change: dict[str, int] = {}
    empty = getattr(last, "empty", set())  # an index written by older code has none

    def count(lines: Iterable[str], step: int) -> None:
        for line in lines:
            change[line] = change.get(line, 0) + step

    def settle(unit: Unit) -> None:
        before = last.keys.get(unit.name)
        if before == (unit.kind, unit.key):
            if unit.name in empty:  # no entry to carry
                index.note(unit, Block(()))
                cache.hits[unit.kind] = cache.hits.get(unit.kind, 0) + 1
                return
            if cache.carry(unit.kind, unit.key):
                index.keys[unit.name] = before
                if unit.name in last.evidence:
                    index.evidence[unit.name] = last.evidence[unit.name]
                return
        if before is not None and unit.name not in empty:
            count(_held(cache, *before), -1)
        block = cache.fetch(unit.kind, unit.key, unit.make)
        count(block.lines, 1)
        index.note(unit, block)

    for unit in units:
        settle(unit)
    settle(_counted(index, evidence, corpus))
    for name, before in last.keys.items():
        if name not in index.keys and name not in empty:
            count(_held(cache, *before), -1)
    return index, change


def _line_at(source: int, at: int) -> bytes:
    """The line of file ``source`` starting at byte ``at``, without its newline."""
    parts = []
    while piece := os.pread(source, PIECE, at):
        cut = piece.find(b"\n")
        if cut >= 0:
            parts.append(piece[:cut])
            break
        parts.append(piece)
        at += len(piece)
    return b"".join(parts)


def _next_start(source: int, at: int) -> int:
    """The first byte after the newline at or after byte ``at``: where the next line starts."""
    while piece := os.pread(source, PIECE, at):
        cut = piece.find(b"\n")
        if cut >= 0:
            return at + cut + 1
        at += len(piece)
    return at


def _first_from(source: int, key: bytes, low: int, top: int) -> int:
    """Where the first line not sorted before ``key`` starts, searching the lines that start
    from byte ``low`` (a line's start) to ``top`` (the file's size): a bisection over bytes,
    a few dozen short reads in a file of a gigabyte."""
    high = top  # the answer lies in [low, the first line start at or after high]
    while low < high:
        middle = (low + high) // 2
        start = middle if middle == low else _next_start(source, middle - 1)
        if start >= top:
            high = middle
            continue
        line = _line_at(source, start)
        if line < key:
            low = start + len(line) + 1
        else:
            high, top = middle, start
    return low


def _write(target: int, data: bytes) -> None:
    while data:
        data = data[os.write(target, data):]


def _copy(source: int, target: int, start: int, end: int) -> None:
    """Bytes ``start`` to ``end`` of file ``source`` appended to file ``target``: by the
    kernel (``copy_file_range``, no pass through Python) where it can, else in large pieces."""
    while start < end:
        try:
            done = os.copy_file_range(source, target, end - start, start)
        except OSError:  # another file system, an old kernel: read and write
            piece = os.pread(source, min(end - start, 1 << 24), start)
            _write(target, piece)
            done = len(piece)
        if done == 0:
            raise Stale("the last graph.nt is shorter than it was")
        start += done


def _patch(old: Path, new: Path, change: dict[str, int], last: Index, index: Index,
           difference: Difference) -> None:
    """``new``: ``old`` changed by ``change``, the bytes between the changed lines copied as
    they are (each changed line is found by bisection: the file is sorted); ``index.shared``
    kept up, the lines that left and came in put in ``difference``."""
    shared = index.shared = dict(last.shared)
    pending = sorted(line for line, step in change.items() if step)

    def stays(line: str, held: int) -> bool:
        after = held + change[line]
        if after < 0:
            raise Stale(f"a line leaves more blocks than held it: {line[:80]}")
        if after > 1:
            shared[line] = after
        else:
            shared.pop(line, None)
        return after > 0

    size = old.stat().st_size
    with old.open("rb") as handle, new.open("wb", buffering=0) as written:
        source, target = handle.fileno(), written.fileno()
        at = 0  # the bytes of old before this are written (or left out)
        for line in pending:
            key = line.encode()
            found = _first_from(source, key, at, size)
            _copy(source, target, at, found)
            at = found
            if found < size and _line_at(source, found) == key:
                if not stays(line, shared.get(line, 1)):
                    difference.removed.append(line)
                    at = found + len(key) + 1
            elif line in shared:
                raise Stale(f"a line of several blocks is not in graph.nt: {line[:80]}")
            elif stays(line, 0):
                difference.added.append(line)
                _write(target, key + b"\n")
        _copy(source, target, at, size)
    difference.lines = last.lines + len(difference.added) - len(difference.removed)


def write_graph(units: Iterable[Unit], corpus: Corpus, cache: Cache, nt: Path, previous: Path,
                evidence: EvidenceSummary, jobs: int = 1
                ) -> tuple[Difference | None, str | None]:
    """``graph.nt`` from the units' blocks and the corpus-wide triples: the last build's
    (``previous``) changed by the blocks whose key changed where its index allows, else every
    block sorted (the blocks the cache lacks made over ``jobs`` workers). Returns the lines
    that left and came in if it was changed (the store is changed by them), and if not why not
    (None: there was no last build to change)."""
    last = cache.previous(INDEX)
    if not isinstance(last, Index) or not previous.is_file():
        cache.keep(INDEX, _merge(units, corpus, cache, nt, evidence, jobs))
        return None, None
    units = list(units)
    counts = dict(cache.hits), dict(cache.misses)
    try:
        if previous.stat().st_size != last.size:
            raise Stale("the last graph.nt is not the one its index describes")
        found, difference = EvidenceSummary(), Difference()
        index, change = _changes(units, corpus, cache, last, found)
        _patch(previous, nt, change, last, index, difference)
        index.lines, index.size = difference.lines, nt.stat().st_size
    except Stale as exc:
        cache.hits, cache.misses = counts
        cache.keep(INDEX, _merge(units, corpus, cache, nt, evidence, jobs))
        return None, str(exc)
    evidence.add(found)
    cache.keep(INDEX, index)
    return difference, None
