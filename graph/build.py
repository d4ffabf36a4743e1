"""The build: corpus documents -> records -> works and citations -> triples -> files and store.

Everything is written into a staging folder and swapped into place only when the whole build
succeeded, so bad input never costs the previous build.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from graph.bibliography import bibliography_triples, work_iri
from graph.errors import ReferenceParseError
from graph.publish import build_lock, recover, staging_dir, swap_into_place
from graph.records import Document, ParsedReference
from graph.references import parse_reference
from graph.serialize import to_graph, write_all
from graph.sources import read_document
from graph.store import create_store
from graph.validate import validate
from graph.works import Resolution, resolve

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Paths:
    """Where a build reads from and writes to."""

    corpus: Path = PROJECT_ROOT / "corpus"
    ontology: Path = PROJECT_ROOT / "ontology"
    out: Path = PROJECT_ROOT / "build"

    @property
    def documents(self) -> Path:
        return self.corpus / "documents"

    @property
    def shapes(self) -> Path:
        return self.ontology / "shapes.ttl"


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
    triples: int = 0
    outputs: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        """The lines the build prints."""
        lines = [f"read {len(self.documents)} documents:"]
        lines += [f"  {d['path']} ({d['layout']}, {d['references']} references)"
                  for d in self.documents]
        lines.append(
            f"read {self.reference_strings} reference strings; made {self.works} distinct works "
            f"and {self.citations} citation edges; merged {len(self.merged)} works:"
        )
        for work in self.merged:
            lines.append(f"  {work['iri']} <- {len(work['strings'])} strings:")  # type: ignore[arg-type]
            lines += [f"    {s}" for s in work["strings"]]  # type: ignore[attr-defined]
        lines += [f"disagreement: {d}" for d in self.disagreements]
        lines += [f"warning: {w}" for w in self.warnings]
        lines.append(f"wrote {self.triples} triples:")
        lines += [f"  {name}: {path}" for name, path in self.outputs.items()]
        return "\n".join(lines)


def corpus_files(folder: Path) -> list[Path]:
    """The document files of a corpus folder, in a stable order (hidden files and READMEs aside)."""
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.stem.upper() != "README"
    )


def _parse_all(
    documents: list[Document], report: BuildReport, strict: bool
) -> tuple[dict[str, list[ParsedReference]], dict[str, ParsedReference]]:
    references: dict[str, list[ParsedReference]] = {}
    reports: dict[str, ParsedReference] = {}

    def attempt(parse: Callable[[], ParsedReference]) -> ParsedReference | None:
        try:
            return parse()
        except ReferenceParseError as exc:
            if strict:
                raise
            report.warnings.append(f"{exc} (reference skipped)")
            return None

    for doc in documents:
        parsed = [attempt(lambda r=r, d=doc: parse_reference(r, d.path)) for r in doc.references]
        references[doc.path] = [p for p in parsed if p is not None]
        if doc.reports_on is not None:
            cited = attempt(lambda d=doc: parse_reference(d.reports_on, d.path))  # type: ignore[arg-type]
            if cited is not None:
                reports[doc.path] = cited
    return references, reports


def load_ontology(folder: Path) -> Graph:
    """The project's ontology and vocabulary: every Turtle file in ``folder`` except the shapes."""
    graph = Graph()
    for path in sorted(folder.rglob("*.ttl")):
        if path.name != "shapes.ttl":
            graph.parse(path, format="turtle")
    return graph


def _describe(resolution: Resolution, documents: list[Document], report: BuildReport) -> None:
    report.documents = [
        {"path": d.path, "layout": d.layout, "references": len(d.references)} for d in documents
    ]
    report.reference_strings = resolution.reference_count
    report.works = len(resolution.works)
    report.citations = len(resolution.citations)
    for work in resolution.merged:
        strings = [
            f"{m.citing}:{m.reference.source.line}: {m.text}" if m.reference else m.text
            for m in work.mentions
        ]
        report.merged.append({"iri": str(work_iri(work)), "strings": strings})
        for d in work.disagreements:
            values = ", ".join(f"{v!r}" for v, _ in d.values)
            report.disagreements.append(f"{work_iri(work)}: {d.field} printed as {values}")


def build(paths: Paths, *, strict: bool = False, check_shapes: bool = True) -> BuildReport:
    """Build the graph from ``paths.corpus`` into ``paths.out``; the old output survives failure."""
    report = BuildReport()
    with build_lock(paths.out):
        recover(paths.out)
        documents = [read_document(p, paths.corpus) for p in corpus_files(paths.documents)]
        references, reports = _parse_all(documents, report, strict)
        resolution = resolve(documents, references, reports)
        _describe(resolution, documents, report)

        ontology = load_ontology(paths.ontology)
        data = to_graph(bibliography_triples(resolution))
        full = data + ontology
        for prefix, namespace in data.namespaces():
            full.bind(prefix, namespace)
        if check_shapes:
            report.warnings += validate(full, paths.shapes)

        staging = staging_dir(paths.out)
        try:
            written = write_all(full, staging)
            report.triples = create_store(staging / "store", written["ntriples"])
            outputs = {name: path.name for name, path in written.items()}
            outputs["store"] = "store/"
            report.outputs = {k: str(paths.out / v) for k, v in outputs.items()}
            (staging / "build-report.json").write_text(
                json.dumps(report.__dict__, indent=2, sort_keys=True, default=str) + "\n"
            )
            swap_into_place(staging, paths.out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return report
