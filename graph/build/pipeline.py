"""The build: corpus documents -> records -> works and citations -> triples -> files and store.

Everything is written into a staging folder and swapped into place only when the whole build
succeeded, so bad input never costs the previous build.
"""

from __future__ import annotations

import importlib
import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox
from rdflib import Graph

from graph.build.blocks import Corpus, document_units, study_units, work_units, write_graph
from graph.build.cache import Cache, CorpusCache, Curated, Curations, FileResults, file_of
from graph.build.children import (
    Beside,
    InProcess,
    available_cores,
    left_to_exit,
    run_in_child,
    started,
    young_cycles_only,
)
from graph.build.journal import settle_if_abandoned
from graph.build.pending import REPORT, SERIALISATIONS, report_entries, report_text
from graph.build.progress import Stages, staged
from graph.build.publish import build_lock, recover, staging_dir, swap_into_place
from graph.build.serialisations import write_serialisations
from graph.cache_keys import FOLDER as CACHE
from graph.cache_keys import code_digest, digest, folder_digest
from graph.citations.context_triples import classification_triples
from graph.citations.contexts import Contexts, find_contexts
from graph.citations.groups import Kept, Outcome, resolve_kept
from graph.citations.references import parse_reference
from graph.citations.triples import reference_detail_triples, work_iri
from graph.citations.works import Resolution, Work
from graph.errors import ReferenceParseError
from graph.evidence.design import UNKNOWN, infer_design
from graph.evidence.findings import Curation
from graph.evidence.grading import grades, has_control_group
from graph.evidence.links import (
    Contribution,
    EvidenceSummary,
    contribution,
    definitions_of,
    mention_detail_triples,
    pooling_triples,
    report_comparison_triples,
    work_label,
)
from graph.evidence.pooling import Remembered
from graph.exports.release import write_description
from graph.inputs.read import corpus_files, skipped_entries
from graph.inputs.text import reread
from graph.mining.corpus import Mined, mine
from graph.query.endpoints import EmbeddedStore
from graph.rdf.delta import Difference, TooLarge, Unsorted
from graph.rdf.serialize import Triple, write_canonical
from graph.rdf.store import (
    Layer,
    StoreMismatch,
    create_store,
    differences,
    load_named_graph,
    update_store,
)
from graph.records import Document, ParsedReference, RawReference
from graph.settings import Paths
from graph.vocabulary.concepts import Vocabulary, vocabulary_from_graph
from graph.vocabulary.mappings import Mapping, load_mappings, mapping_triples

SUMMARY_LIMIT = 50
# The opt-in detail (``--detail mentions``): each mention as a Web Annotation and each reference
# list's structure, read by no question, view or export; written to ``detail/mentions.nt`` and
# kept in the store's named graph of this IRI, never in the default graph.
DETAIL_GRAPH = "https://w3id.org/ma-ild/graph/detail/mentions"
DETAIL_FILE = "detail/mentions.nt"
# Past this many changed lines, loading the store whole is quicker than changing the last one.
DELTA_LIMIT = 200_000
STORE_STATE = "store.json"  # in the cache folder: what the store was written with
RESOLVED = "resolution.sqlite"  # in the cache folder: the works by groups of mentions
GROUPS = "work groups"  # the build report's count of groups resolved again and taken back
CONTRIBUTIONS = "pooling contributions.pickle"  # in the cache folder: :class:`Contributions`
# What build-report.json holds that the views' stage or the end of the build still set.
LATE = frozenset({"outputs", "stages", "cache"})
# What only the stages after the records need (SHACL, the exports, the views' drawing, the
# enrichment: 0.4 s of CPU): imported while the records' child works (:func:`_after_records`).
AFTER_RECORDS = ("graph.build.shacl", "graph.exports.patch", "graph.build.views",
                 "graph.vocabulary.enrichment")


def has_detail(out: Path) -> bool:
    """Whether the build in ``out`` carries the opt-in detail: ``add`` and ``remove`` keep it."""
    return (out / DETAIL_FILE).is_file()


def _cut(lines: list[str], limit: int) -> list[str]:
    """At most ``limit`` lines, then a line saying how many more are in build-report.json.

    >>> _cut(["a", "b", "c"], 2)
    ['a', 'b', '  ... and 1 more (all of them in build-report.json)']
    """
    if len(lines) <= limit:
        return lines
    more = len(lines) - limit
    return [*lines[:limit], f"  ... and {more} more (all of them in build-report.json)"]


@dataclass
class BuildReport:
    """What a build did, for the terminal and for ``build-report.json``."""

    documents: list[dict[str, object]] = field(default_factory=list)
    reference_strings: int = 0
    works: int = 0
    citations: int = 0
    merged: list[dict[str, object]] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    findings: int = 0
    populations: int = 0
    mappings: int = 0
    discrepancies: list[str] = field(default_factory=list)
    triples: int = 0
    outputs: dict[str, str] = field(default_factory=dict)
    # mentions, and the candidates the graph holds: none of a document whose curation says a
    # person reviewed its candidates (candidates_reviewed), counted in reviewed_candidates
    per_file: dict[str, tuple[int, int]] = field(default_factory=dict)
    reviewed_candidates: int = 0
    unparsed: dict[str, list[str]] = field(default_factory=dict)  # document -> "line: reference"
    citation_contexts: int = 0  # (sentence, reference entry) pairs found in body texts
    unmatched_markers: list[str] = field(default_factory=list)  # "file:line: marker"
    uncited_entries: list[str] = field(default_factory=list)  # "file:line: reference"
    stages: list[dict[str, float | str]] = field(default_factory=list)  # seconds, peak memory
    # outputs left for later (graph.build.pending): not in the folder until made
    pending: list[str] = field(default_factory=list)
    cache: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> reused, made

    def summary(self, limit: int = SUMMARY_LIMIT) -> str:
        """The lines the build prints; each list is cut at ``limit`` items (the JSON has all)."""
        lines = [f"read {len(self.documents)} documents:"]
        lines += _cut([_document_line(d) for d in self.documents], limit)
        lines.append(
            f"read {self.reference_strings} reference strings; made {self.works} distinct works "
            f"and {self.citations} citation edges; merged {len(self.merged)} works:"
        )
        merged = []
        for work in self.merged:
            forms = [f"    {_where(form)}{form['text']}" + (
                f" (printed {form['printed']} times)" if form["printed"] != 1 else "")
                for form in work["forms"]]  # type: ignore[attr-defined]
            merged.append("\n".join([f"  {work['iri']} <- {work['strings']} strings:", *forms]))
        lines += _cut(merged, limit)
        lines += _cut([f"disagreement: {d}" for d in self.disagreements], limit)
        lines.append(f"curated {self.findings} findings about {self.populations} populations; "
                     f"{self.mappings} mappings to external ontologies")
        mentions = sum(m for m, _ in self.per_file.values())
        candidates = sum(c for _, c in self.per_file.values())
        reviewed = (f"; {self.reviewed_candidates} more in documents whose candidates a person "
                    "reviewed, left out" if self.reviewed_candidates else "")
        lines.append(f"text mining: {mentions} entity mentions, {candidates} unreviewed candidate "
                     f"findings (curated quotes take precedence{reviewed})")
        lines.append(f"citation contexts: {self.citation_contexts} (a sentence citing a reference "
                     "entry); "
                     f"{len(self.unmatched_markers)} markers point to no reference entry, "
                     f"{len(self.uncited_entries)} entries are never cited in the text")
        lines += _cut([f"  marker with no entry: {m}" for m in self.unmatched_markers], limit)
        lines += _cut([f"  entry never cited: {e}" for e in self.uncited_entries], limit)
        lines += _cut([f"discrepancy: {d}" for d in self.discrepancies], limit)
        lines += _cut([f"warning: {w}" for w in self.warnings], limit)
        lines.append(f"wrote {self.triples} triples:")
        lines += [f"  {name}: {path}" for name, path in self.outputs.items()]
        if self.pending:
            lines.append(f"left for later: {', '.join(self.pending)} "
                         "(`ma-ild build --pending` writes them)")
        return "\n".join(lines)


def _document_line(d: dict[str, object]) -> str:
    """A document's line of the summary, with the fields it lacks and the references not parsed.

    >>> print(_document_line({"path": "a.txt", "layout": "plain-article", "references": 2,
    ...                       "unread": ["pmid"], "unparsed": ["3: Garbled."], "warnings": []}))
      a.txt (plain-article, 2 references)
        not found: pmid
        reference not parsed, line 3: Garbled.
    """
    lines = [f"  {d['path']} ({d['layout']}, {d['references']} references)"]
    if d.get("unread"):
        lines.append(f"    not found: {', '.join(d['unread'])}")  # type: ignore[arg-type]
    lines += [f"    reference not parsed, line {u}" for u in d.get("unparsed", [])]  # type: ignore[attr-defined]
    lines += [f"    note: {w}" for w in d.get("warnings", [])]  # type: ignore[attr-defined]
    return "\n".join(lines)


def _where(form: dict[str, object]) -> str:
    return f"{form['first']}: " if "first" in form else ""


def identity(document: Document) -> str | None:
    """What makes two records the same work: DOI, else PMID, else PMCID."""
    if document.meta.doi:
        return f"doi:{document.meta.doi}"
    if document.meta.pmid:
        return f"pmid:{document.meta.pmid}"
    return f"pmcid:{document.meta.pmcid.upper()}" if document.meta.pmcid else None


def unique_works(
    documents: list[Document], curated: set[str], report: BuildReport
) -> list[Document]:
    """One document per work (by DOI or PMID): curated first, then full text, then an abstract.

    The same paper may reach the corpus twice (an article page and a PubMed export of it); its
    other copies are skipped with a warning, so the work keeps one embodiment.
    """
    def rank(d: Document) -> tuple[bool, bool, bool, str]:
        return (d.path not in curated, d.record is not None, d.abstract is None, d.path)

    kept: dict[str, Document] = {}
    for document in sorted(documents, key=rank):
        key = identity(document)
        if key in kept:
            report.warnings.append(f"{document.path}: the same work ({key}) as "
                                   f"{kept[key].path}; this copy is skipped")
        elif key is not None:
            kept[key] = document
    keep = {id(d) for d in kept.values()}
    return [d for d in documents if identity(d) is None or id(d) in keep]


Parsed = ParsedReference | ReferenceParseError  # a reference string's fields, or why not


def _parse(raw: RawReference, path: str) -> Parsed:
    try:
        return parse_reference(raw, path)
    except ReferenceParseError as exc:
        return exc


def _parse_documents(documents: list[Document]) -> dict[str, tuple[list[Parsed], Parsed | None]]:
    """Each document's reference strings parsed, and the article it reports on, if any."""
    return {d.path: ([_parse(r, d.path) for r in d.references],
                     None if d.reports_on is None else _parse(d.reports_on, d.path))
            for d in documents}


def _unparsed(outcomes: tuple[list[Parsed], Parsed | None]
              ) -> tuple[tuple[tuple[int, str], ...], str | bool | None]:
    """What a build reports of a document's parsed references: each one not parsed (its
    index, why), and whether the article it reports on was (None: it names none; why not)."""
    parsed, cited = outcomes
    return (tuple((i, str(p)) for i, p in enumerate(parsed) if isinstance(p, ReferenceParseError)),
            None if cited is None else str(cited) if isinstance(cited, ReferenceParseError)
            else True)


def _parse_all(
    documents: list[Document], report: BuildReport, strict: bool, cache: CorpusCache,
    tick: Callable[[], None] = lambda: None,
) -> tuple[FileResults[list[ParsedReference]], FileResults[ParsedReference]]:
    """Each document's parsed references, and the article a secondary report reports on; the
    strings not parsed, reported (or raised if ``strict``).

    Both are read from the cache when asked for: the report comes from what is kept beside the
    entries (:func:`_unparsed`), so an unchanged document's references are unpickled only for
    the stages that use them."""
    outcomes = cache.per_file("references", documents, "", _parse_documents, summary=_unparsed)
    reporting: list[str] = []
    for doc in documents:
        failed, cited = outcomes.summaries[doc.path]
        if strict and (failed or isinstance(cited, str)):
            parsed, reported = outcomes[doc.path]
            raise next(p for p in [*parsed, reported] if isinstance(p, ReferenceParseError))
        for i, why in failed:
            raw = doc.references[i]
            report.warnings.append(f"{why} (reference skipped)")
            report.unparsed.setdefault(doc.path, []).append(f"{raw.line}: {raw.text}")
        if cited is not None and doc.reports_on is not None:
            if isinstance(cited, str):
                report.warnings.append(f"{cited} (reference skipped)")
                report.unparsed.setdefault(doc.path, []).append(
                    f"{doc.reports_on.line}: {doc.reports_on.text}")
            else:
                reporting.append(doc.path)
        tick()
    references = FileResults({d.path: d.path for d in documents}, lambda path: {path: [
        p for p in outcomes[path][0] if not isinstance(p, ReferenceParseError)]})
    reports = FileResults({path: path for path in reporting},
                          lambda path: {path: outcomes[path][1]})
    return references, reports  # type: ignore[return-value]


def _mine_all(
    documents: list[Document], vocabulary: Vocabulary, curations: Curations,
    report: BuildReport, cache: CorpusCache, ontology: str, tick: Callable[[], None],
) -> dict[str, Mined]:
    """Mentions and candidate findings of every document, counted per file in ``report``
    (the candidates of a document whose curation says they were reviewed apart: the graph leaves
    them out, see :func:`graph.evidence.links.document_mining_triples`).

    Cached per file with the ontology's digest and each document's curation (curated quotes
    take precedence over candidates), the curation by the key of its cache entry (all it is
    made from, as a document's unit of the graph keys it), not by its ``repr``, which walks
    every curation record on every add."""
    mined = cache.per_file(
        "mined", documents, ontology,
        lambda group: {d.path: mine(d, vocabulary, curations.get(d.path)) for d in group},
        lambda d: cache.curation_keys[d.path] if d.path in curations else "",
        lambda found: (len(found.mentions), len(found.candidates)))
    for document in documents:
        mentions, candidates = mined.summaries[document.path]
        file = document.path.partition("#")[0]
        curated = curations.held.get(document.path)
        reviewed = curated is not None and curated.outline.candidates_reviewed
        unreviewed = 0 if reviewed else candidates
        report.reviewed_candidates += candidates - unreviewed
        before = report.per_file.get(file, (0, 0))
        report.per_file[file] = (before[0] + mentions, before[1] + unreviewed)
        tick()
    return mined


def _find_contexts(documents: list[Document], report: BuildReport, cache: CorpusCache
                   ) -> tuple[FileResults[Contexts], bool]:
    """The citation contexts of every document with a body text, and whether any sentence
    cites an entry; what is left over, reported.

    Cached per file: they are made from the document alone. The report's part of each is
    kept beside them (:meth:`CorpusCache.per_file`), so an unchanged document's contexts are
    unpickled only if a block of it is made again."""
    made = cache.per_file("contexts", documents, "",
                          lambda group: {d.path: find_contexts(d) for d in group},
                          summary=lambda c: (c.body, len({(x.start, x.reference) for x in c.found}),
                                             c.unresolved, c.uncited, bool(c.found)))
    bodies: list[str] = []
    cited = False
    for document in documents:
        body, count, unresolved, uncited, found = made.summaries[document.path]
        if not body:
            continue
        bodies.append(document.path)
        cited = cited or found
        report.citation_contexts += count
        report.unmatched_markers += [f"{document.path}:{line}: {marker}"
                                     for line, marker in unresolved]
        report.uncited_entries += [
            f"{document.path}:{document.references[i].line}: {document.references[i].text[:80]}"
            for i in uncited]
    return made.only(bodies), cited


def _design(inferred: str, curation: Curated | None, report: BuildReport) -> str | None:
    """The curated design of a document if it has one, else the design its text reveals
    (``inferred``, cached per file with the mining: a pass of patterns over every text)."""
    design = None if curation is None else curation.outline.design
    if curation is None or design is None:
        return inferred
    if inferred != UNKNOWN and inferred != design:
        report.warnings.append(f"{curation.path}: curated design {design!r} overrides "
                               f"{inferred!r} inferred from the text")
    return design  # type: ignore[no-any-return]


def load_ontology(folder: Path) -> Graph:
    """The project's ontology and vocabulary: every Turtle file in ``folder`` except the shapes."""
    graph = Graph()
    for path in sorted(folder.rglob("*.ttl")):
        if path.name != "shapes.ttl":
            graph.parse(path, format="turtle")
    return graph


def _read_ontology(folder: Path) -> tuple[tuple[Triple, ...], Vocabulary]:
    """The ontology's triples and its vocabulary: cached by the files' digest, so an add does
    not parse the Turtle files again (a quarter of a second)."""
    graph = load_ontology(folder)
    return tuple(graph), vocabulary_from_graph(graph)  # type: ignore[arg-type]


def _describe(resolution: Resolution, forms: dict[str, list[dict[str, object]]],
              documents: list[Document], report: BuildReport) -> None:
    """The report's counts, documents and merged works (their printed forms by work key, kept
    with their groups: :mod:`graph.citations.groups`)."""
    report.documents = [
        {"path": d.path, "layout": d.layout, "references": len(d.references),
         "unread": list(d.unread()), "unparsed": report.unparsed.get(d.path, []),
         "warnings": list(d.warnings)}
        for d in documents
    ]
    report.reference_strings = resolution.reference_count
    report.works = len(resolution.works)
    report.citations = len(resolution.citations)
    for work in resolution.merged:
        report.merged.append({"iri": str(work_iri(work)), "strings": len(work.mentions),
                              "forms": forms[work.key]})
        for d in work.disagreements:
            values = ", ".join(f"{v!r}" for v, _ in d.values)
            report.disagreements.append(f"{work_iri(work)}: {d.field} printed as {values}")


def _write_exports(target: EmbeddedStore, previous: Path, staging: Path,
                   change: Difference | None) -> tuple[dict[str, str], dict[str, int]]:
    """KGX TSV and GraphML exports of the store, checked (the last build's in ``previous``
    patched by ``change`` where it can: :mod:`graph.exports.patch`); their paths relative to
    the build, and how many files were patched ("reused") and written whole ("made")."""
    from graph.exports.patch import write_exports
    written, counts, _ = write_exports(target, previous, staging, change)
    return {name: f"{path.parent.name}/{path.name}" for name, path in written.items()}, counts


def _load_mappings(paths: Paths, vocabulary: Vocabulary, ontology: str, cache: Cache
                   ) -> list[Mapping]:
    """The SSSOM mappings, checked; cached by the tables' bytes and the ontology's digest, so
    a build with neither changed does not import the Bioregistry (seconds) to expand them."""
    folder = paths.ontology / "mappings"
    key = digest("mappings", code_digest(), ontology, paths.ontology.name,
                 folder_digest(folder, "*.sssom.tsv") if folder.is_dir() else "")
    return cache.fetch("mappings", key,
                       lambda: load_mappings(folder, paths.ontology.parent, vocabulary))


def _corpus_triples(
    resolution: Resolution, curations: Curations, designs: dict[str, str | None],
    mappings: list[Mapping], ontology: Iterable[Triple],
    text_of: Callable[[Document], str], cited: bool, remembered: Remembered,
    contributing: Contributions,
) -> Corpus:
    """The triples made from the whole corpus every build, the ontology's included: the rest
    are the works', documents' and studies' blocks (:mod:`graph.build.blocks`)."""
    def triples(evidence: EvidenceSummary) -> Iterator[Triple]:
        return chain(
            classification_triples() if cited else (),
            report_comparison_triples(resolution, curations, evidence, text_of),
            pooling_triples(resolution, curations, designs, remembered,
                            {p: c.outline.definitions for p, c in curations.held.items()},
                            contributing),
            mapping_triples(mappings),
            ontology,
        )
    return triples


class Outline(NamedTuple):
    """What a build needs of every curation record (kept for each in the cache's index of
    them, :meth:`CorpusCache.curations`): the rest is read for the records whose blocks or
    pooling contribution are made again."""

    design: str | None
    candidates_reviewed: bool
    controlled: bool  # :func:`has_control_group`
    definitions: dict[str, tuple[str, ...]]  # :func:`definitions_of`


def _outline(curation: Curation) -> Outline:
    return Outline(curation.design, curation.candidates_reviewed, has_control_group(curation),
                   definitions_of(curation))


class Contributions:
    """Each curated record's pooling contribution (:func:`contribution`), taken from the last
    build's by a key of everything it is made from (the record's cache key, its document's
    path, its study's key and label, the study's definitions and whether the document is the
    study's own), else made from the record; :attr:`used` is kept for the next build."""

    def __init__(self, last: object, curations: Curations, keys: dict[str, str]) -> None:
        self.last = last if isinstance(last, dict) else {}
        self.curations = curations
        self.keys = keys  # document path -> its record's cache key
        self.used: dict[str, Contribution] = {}

    def __call__(self, path: str, study: Work, defined: dict[str, tuple[str, ...]],
                 stated_by_study: bool) -> Contribution:
        key = digest(CONTRIBUTIONS, self.keys[path], path, study.key, work_label(study),
                     repr(sorted(defined.items())), str(stated_by_study))
        found = self.last.get(key)
        if not isinstance(found, Contribution):
            found = contribution(path, self.curations[path], study, defined, stated_by_study)
        self.used[key] = found
        return found


def _pooled_entry() -> str:
    """The cache entry of the pooled estimates (:class:`Remembered`), by the code and the
    versions of the libraries that compute them."""
    return f"pooled/{digest(code_digest(), *map(version, ('statsmodels', 'scipy', 'numpy')))}" \
        ".pickle"


def _resolve(documents: list[Document], references: dict[str, list[ParsedReference]],
             reports: dict[str, ParsedReference], kept: CorpusCache, ontology: str
             ) -> Outcome:
    """The works, clustered again only where a changed document reaches
    (:mod:`graph.citations.groups`) when the last build kept its groups under this code, this
    strictness and this ontology (else all of them); the groups kept for the next build, in a
    copy of the last build's file changed where the change reaches."""
    cache = kept.cache
    target = None
    if cache.new is not None:
        cache.new.mkdir(parents=True, exist_ok=True)
        target = cache.new / RESOLVED
    last = None if cache.old is None else Kept.reopened(cache.old / RESOLVED, target)
    signatures = {d.path: kept.file_keys[file_of(d.path)] for d in documents}
    context = digest(RESOLVED, code_digest(), str(kept.strict), ontology)
    outcome = resolve_kept(documents, references, reports, signatures, context,
                           last if last is not None else Kept(target, context))
    outcome.kept.close()
    cache.hits[GROUPS] = outcome.reused
    cache.misses[GROUPS] = outcome.made
    return outcome


@young_cycles_only
def write_records(
    paths: Paths, nt: Path, strict: bool, show: bool, detail: Path | None = None,
    cache: Cache | None = None, jobs: int = 1,
) -> tuple[BuildReport, list[dict[str, float | str]], Difference | None]:
    """Documents -> records -> ``nt`` (canonical N-Triples): the part of a build in Python objects.

    ``detail``, if given, is where the opt-in detail goes (canonical N-Triples too). ``cache``
    holds what earlier builds made of each file (:mod:`graph.build.cache`); without one,
    everything is made again. ``jobs`` processes read, mine and parse the files the cache has
    no entries for (:func:`graph.build.workers.each`): the same results with any number.

    Returns the report so far, the stages' records, and the lines ``nt`` lost and gained
    against the last build's when it was that graph changed by the blocks that changed (None
    when it was sorted from every block). :func:`build` runs this in a child process, so the
    records' memory goes back to the system before the store is loaded.
    """
    stages = Stages(show=show)
    stage = stages.stage
    report = BuildReport()
    kept = CorpusCache(cache or Cache(None, None), strict, jobs=jobs)
    with stage("read documents", total=len(corpus_files(paths.documents))) as tick:
        documents = kept.read(paths.documents, paths.corpus, tick)
        kept.keep_identities(documents, identity)  # for add's check against the corpus
        report.warnings += skipped_entries(paths.documents, paths.corpus)
    with stage("ontology and curation"):
        terms = folder_digest(paths.ontology)
        ontology, vocabulary = kept.cache.fetch(
            "ontology", digest("ontology", code_digest(), terms, paths.ontology.name),
            lambda: _read_ontology(paths.ontology))
        curations = kept.curations(paths, documents, vocabulary, terms, _outline)
        kept.keep_stats()
        documents = unique_works(documents, set(curations), report)
        mappings = _load_mappings(paths, vocabulary, terms, kept.cache)
    with stage("mine mentions", total=len(documents)) as tick:
        mined = _mine_all(documents, vocabulary, curations, report, kept, terms, tick)
        contexts, cited = _find_contexts(documents, report, kept)  # needs the texts too
        # the design is read from the text (its head), before the texts are let go
        # a word each, all kept in the entries' index: no entry is opened for them
        inferred = kept.per_file("designs", documents, "",
                                 lambda group: {d.path: infer_design(d) for d in group},
                                 summary=lambda design: design).summaries
    designs = {d.path: _design(inferred[d.path], curations.held.get(d.path), report)
               for d in documents}
    # Mined and checked, the file texts are needed for their lengths only: letting them go
    # before the works are resolved keeps them out of the peak memory.
    documents = kept.let_texts_go(documents, paths.corpus)
    with stage("parse references", total=len(documents)) as tick:
        references, reports = _parse_all(documents, report, strict, kept, tick)
    with stage("resolve works"):
        outcome = _resolve(documents, references, reports, kept, terms)
        resolution = outcome.resolution
        _describe(resolution, outcome.forms, documents, report)
        graded = grades(designs, {path: c.outline.controlled
                                  for path, c in curations.held.items()}, vocabulary)
    report.mappings = len(mappings)
    evidence = EvidenceSummary()
    with stage("triples to N-Triples") as tick:
        by_path = {d.path: d for d in documents if d.path in contexts}
        # each reference entry's index, made for the documents whose block is made again
        entries = FileResults({path: path for path in by_path}, lambda path: {path: {
            r: i for i, r in enumerate(by_path[path].references)}})
        units = chain(work_units(resolution, designs, graded, kept.file_keys),
                      document_units(resolution, mined, curations, contexts, entries,
                                     kept.file_keys, kept.curation_keys, terms),
                      study_units(resolution, mined, kept.file_keys, kept.curation_keys, terms))
        pooled = _pooled_entry()
        last = kept.cache.previous(pooled)
        remembered = Remembered(last if isinstance(last, dict) else {})
        contributing = Contributions(kept.cache.previous(CONTRIBUTIONS), curations,
                                     kept.curation_keys)
        corpus = _corpus_triples(resolution, curations, designs, mappings, ontology,
                                 lambda d: reread(d, paths.corpus), cited, remembered,
                                 contributing)
        change, why = write_graph(units, corpus, kept.cache, nt, paths.out / "graph.nt",
                                   evidence, jobs)
        kept.cache.keep(pooled, remembered.used)
        kept.cache.keep(CONTRIBUTIONS, contributing.used)
        if detail is not None:
            detail.parent.mkdir(parents=True, exist_ok=True)
            write_canonical(chain(reference_detail_triples(resolution),
                                  mention_detail_triples(resolution, mined)), detail, tick)
    report.findings, report.populations = evidence.findings, evidence.populations
    report.discrepancies = evidence.discrepancies
    report.cache = kept.summary()
    patched = change is not None
    report.cache["graph.nt"] = {"reused": int(patched), "made": int(not patched)}
    if why is not None:
        report.warnings.append(f"graph.nt sorted from every block, not changed by the last "
                               f"build's: {why}")
    report.warnings += [f"{u}: no counterpart in the article it reports on"
                        for u in evidence.unmatched]
    left_to_exit(locals())  # every record, work and reference: the child exits next
    return report, stages.records, change


def _store_state() -> dict[str, str]:
    """What decides a store's bytes besides the triples: the engine's version."""
    return {"pyoxigraph": ox.__version__}


def _previous_layers(previous: Path, nt: Path, detail: Path | None
                     ) -> tuple[list[Layer], int | None] | None:
    """The last build's files beside this build's, if its store can be changed into this one,
    and how many quads its store holds in their graphs (None: its build did not say)."""
    try:
        state = json.loads((previous / CACHE / STORE_STATE).read_text(encoding="utf-8"))
        quads = state.pop("quads", None)
    except (OSError, ValueError, AttributeError):
        return None
    if state != _store_state() or not (previous / "store" / "CURRENT").is_file() \
            or not (previous / "graph.nt").is_file():
        return None
    layers: list[Layer] = [(previous / "graph.nt", nt, None)]
    old_detail = previous / DETAIL_FILE if has_detail(previous) else None
    if old_detail is not None or detail is not None:
        layers.append((old_detail, detail, DETAIL_GRAPH))
    return layers, quads if isinstance(quads, int) else None


def _load_store(previous: Path, staging: Path, nt: Path, detail: Path | None,
                change: Difference | None = None) -> tuple[int, bool]:
    """The build's store and its number of triples, and whether it is the last build's changed
    by the difference of the two ``graph.nt`` (else loaded whole, as when the last build's files
    cannot be trusted or the change is large). The store holds the same quads either way
    (tests/test_store_update.py). ``change`` is that difference when the build already knows it
    (``graph.nt`` changed by its blocks, :mod:`graph.build.blocks`): the files are not read
    again to find it. The cache's :data:`STORE_STATE` keeps the engine's version and the quads
    the store holds, counted, so that the next build's :func:`update_store` need not count them
    again."""
    (staging / CACHE).mkdir(parents=True, exist_ok=True)
    last = _previous_layers(previous, nt, detail)
    triples, changed = 0, False
    if last is not None:
        layers, quads = last
        try:
            if change is None:
                changes = differences(layers, DELTA_LIMIT)
            elif len(change) > DELTA_LIMIT:
                raise TooLarge(f"more than {DELTA_LIMIT} lines changed")
            else:
                changes = [(change, None), *differences(layers[1:], DELTA_LIMIT - len(change))]
            triples = update_store(previous / "store", staging / "store", changes, quads)
            changed, quads = True, sum(c.lines for c, _graph in changes)
        except (TooLarge, Unsorted, StoreMismatch, OSError, SyntaxError, ValueError):
            shutil.rmtree(staging / "store", ignore_errors=True)
    if not changed:
        triples = quads = create_store(staging / "store", nt)
        if detail is not None:
            quads += load_named_graph(staging / "store", detail, DETAIL_GRAPH)
    (staging / CACHE / STORE_STATE).write_text(json.dumps({**_store_state(), "quads": quads})
                                               + "\n")
    return triples, changed


def _store_and_files(
    paths: Paths, staging: Path, extra: Path | None, stages: Stages, report: BuildReport,
    change: Difference | None, *, check_shapes: bool, views: bool, serialisations: bool,
    jobs: int, meanwhile: Callable[[], object] = lambda: None,
) -> dict[str, str]:
    """The store, its validation and the files made from it and from ``graph.nt``: the stages
    after the records; the outputs by name, relative to the build.

    They only read what came before them but the enrichment, which is written into the store
    after its validation and before the exports and views. With ``jobs`` above 1 two run at a
    time, each in its process: Turtle and JSON-LD (from ``graph.nt``) beside the store's load
    and validation, then the views beside the exports; the stages' records keep the order of
    one job. A failure in either stops the other and fails the build as in one job.
    ``meanwhile`` runs once the exports are written, before the views are waited for.
    """
    from graph.build.shacl import validate_build
    from graph.build.views import write_views
    from graph.vocabulary.enrichment import load_enrichment

    stage = stages.stage
    nt = staging / "graph.nt"
    alone = stages.show and jobs == 1  # one process shows its bars: two would mix theirs
    running: list[Beside[Any] | InProcess[Any]] = []
    try:
        if serialisations:
            running.append(started(jobs, staged, "Turtle and JSON-LD", alone,
                                   write_serialisations, nt, staging, paths.out, change))
        with stage("load the store"):
            report.triples, changed = _load_store(paths.out, staging, nt, extra, change)
            report.cache["store"] = {"reused": int(changed), "made": int(not changed)}
        if check_shapes:
            with stage("validate (SHACL)"):
                store = ox.Store(str(staging / "store"))
                warnings, report.cache["shacl"] = validate_build(
                    store, paths.shapes, paths.out, staging, report.triples, change)
                del store
                report.warnings += warnings
        outputs = {"ntriples": nt.name}
        if serialisations:
            (files, report.cache["serialisations"], why), records = running[0].result()
            stages.records += records
            outputs.update({name: path.name for name, path in files.items()})
            if why is not None:
                report.warnings.append(f"graph.ttl and graph.jsonld written whole, not "
                                       f"changed from the last build's: {why}")
        else:
            report.pending = list(SERIALISATIONS)
        load_enrichment(staging / "store", paths.corpus / "enrichment")
        if extra is not None:
            outputs["detail"] = DETAIL_FILE
        outputs["store"] = "store/"
        if views:
            running.append(started(jobs, staged, "views", alone, write_views,
                                   EmbeddedStore(staging / "store"), staging / "views",
                                   paths.out, staging, change, jobs))
        with stage("exports (KGX, GraphML)"):
            exported, report.cache["exports"] = _write_exports(
                EmbeddedStore(staging / "store"), paths.out, staging, change)
            outputs.update(exported)
            # the catalogue's description, last: it gives the other files' sizes
            outputs["void"] = write_description(EmbeddedStore(staging / "store"), staging,
                                                staging / "void.ttl", paths.out, change).name
        meanwhile()
        if views:
            (pages, report.cache["views"], _), records = running[-1].result()
            stages.records += records
            outputs.update({f"view: {k}": f"views/{p.name}" for k, p in pages.items()})
        return outputs
    finally:
        for child in running:
            child.stop()


def _after_records() -> None:
    """Import :data:`AFTER_RECORDS`: run while the records' child works, on a core of its own,
    not before the child starts (the child never needs them)."""
    for name in AFTER_RECORDS:
        importlib.import_module(name)


def build(
    paths: Paths, *, strict: bool = False, check_shapes: bool = True, views: bool = True,
    stages: Stages | None = None, detail: bool = False, serialisations: bool = True,
    jobs: int | None = None,
) -> BuildReport:
    """Build the graph from ``paths.corpus`` into ``paths.out``; the old output survives failure.

    See :func:`build_changed`, which also gives what changed in ``graph.nt``."""
    return build_changed(paths, strict=strict, check_shapes=check_shapes, views=views,
                         stages=stages, detail=detail, serialisations=serialisations,
                         jobs=jobs)[0]


def build_changed(
    paths: Paths, *, strict: bool = False, check_shapes: bool = True, views: bool = True,
    stages: Stages | None = None, detail: bool = False, serialisations: bool = True,
    remove_later: bool = False, jobs: int | None = None,
) -> tuple[BuildReport, Difference | None]:
    """Build the graph from ``paths.corpus`` into ``paths.out``; the old output survives failure.
    Returns the report, and the lines of the last build's ``graph.nt`` the new one lost and
    gained when it was changed from them (None when it was sorted whole).

    ``detail`` adds the per-mention annotations and reference-list structure
    (:data:`DETAIL_FILE`, the store's :data:`DETAIL_GRAPH`). ``serialisations`` False leaves
    Turtle and JSON-LD pending (:mod:`graph.build.pending`). ``remove_later`` leaves the removal
    of the last build's folder to a process of its own (:func:`graph.build.publish.discard_later`).
    ``jobs`` is how many processes may work at once (:func:`_store_and_files`; default: the
    cores this process may use, 1: one process as before); the outputs are the same bytes with
    any number.

    ``stages`` shows a progress bar per stage on a terminal and keeps each stage's time and
    peak memory, which ``build-report.json`` records and the benchmark reads. The stages up to
    ``graph.nt`` run in a child process (:func:`write_records`, forked on Linux, so its peak
    memory counts what it shares with this one); the store, validation, exports and views run
    here, without the records' memory, which Python would otherwise keep after freeing them.
    """
    stages = stages or Stages()
    with build_lock(paths.out):
        recover(paths.out)
        abandoned = settle_if_abandoned(paths)
        staging = staging_dir(paths.out)
        try:
            nt = staging / "graph.nt"
            extra = staging / DETAIL_FILE if detail else None
            jobs = available_cores() if jobs is None else jobs
            report, records, change = run_in_child(
                write_records, paths, nt, strict, stages.show, extra,
                Cache(paths.out / CACHE, staging / CACHE), jobs, meanwhile=_after_records)
            stages.records += records
            report.warnings += [f"{path}: removed, an add was stopped before its build finished"
                                for path in abandoned]
            ahead: dict[str, str] = {}  # the report's text but what the views can still change
            outputs = _store_and_files(
                paths, staging, extra, stages, report, change, check_shapes=check_shapes,
                views=views, serialisations=serialisations, jobs=jobs,
                meanwhile=lambda: ahead.update(report_entries(
                    report.__dict__, [k for k in report.__dict__ if k not in LATE])))
            report.outputs = {k: str(paths.out / v) for k, v in outputs.items()}
            report.stages = stages.records
            (staging / REPORT).write_text(report_text(report.__dict__, ahead))
            swap_into_place(staging, paths.out, remove_later=remove_later)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return report, change
