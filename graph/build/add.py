"""Add new literature to the corpus and rebuild, reporting what the new files brought.

A file is checked by reading it before it is copied (an unknown format, an empty, binary or
non-UTF-8 file, or a record without a title is refused with the file and the reason). A file whose
bytes, or all of whose records (by DOI or PMID), are already in the corpus changes nothing. If the
rebuild fails, the copied files are removed again: the corpus and the last build stay as they were.

The report names the works that are new to the graph, and the works already in it that a new
record enriched (facts they did not have, such as a DOI or an issue): a fuller record of a cited
work keeps that work's IRI (see :func:`graph.citations.works.mint_key`), so it is never reported as
new.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.build.pipeline import BuildReport, build, identity
from graph.inputs.read import corpus_files, read_corpus, read_documents
from graph.query.binding import bind
from graph.query.endpoints import EmbeddedStore
from graph.query.texts import internal_query
from graph.rdf.iris import iri
from graph.settings import Paths

EDGES = internal_query("add/citations")
WORKS = internal_query("add/work-facts")

Facts = dict[str, set[tuple[str, str]]]  # work IRI -> its (predicate, literal) pairs


@dataclass
class AddReport:
    """What an ``add`` did."""

    added: list[str] = field(default_factory=list)  # corpus paths of copied files
    skipped: list[str] = field(default_factory=list)  # why a file changed nothing
    new_works: list[str] = field(default_factory=list)
    enriched: dict[str, list[str]] = field(default_factory=dict)  # work -> predicates it gained
    new_citations: int = 0
    mentions: int = 0
    candidates: int = 0
    build: BuildReport | None = None

    def summary(self) -> str:
        lines = [f"skipped: {s}" for s in self.skipped]
        if not self.added:
            return "\n".join([*lines, "nothing changed"])
        lines += [f"added {path}" for path in self.added]
        lines.append(f"{len(self.new_works)} new works, {self.new_citations} new citation edges, "
                     f"{self.mentions} entity mentions, {self.candidates} candidate findings")
        lines += [f"  new work {w}" for w in self.new_works]
        lines += [f"  enriched work {w}: {', '.join(gained)}"
                  for w, gained in sorted(self.enriched.items())]
        return "\n".join(lines)


def _snapshot(store: Path) -> tuple[Facts, set[tuple[str, str]]]:
    if not (store / "CURRENT").exists():
        return {}, set()
    target = EmbeddedStore(store)
    rows = target.select(EDGES, "<snapshot>").rows
    edges = {(r["a"]["value"], r["b"]["value"]) for r in rows}
    works = target.select(bind(WORKS, {"base": ox.Literal(str(iri("work")) + "/")}), "<works>")
    facts: Facts = {}
    for r in works.rows:
        facts.setdefault(r["w"]["value"], set()).add((r["p"]["value"], r["o"]["value"]))
    return facts, edges


def _short(predicate: str) -> str:
    """ "http://purl.org/ontology/bibo/doi" -> "doi"."""
    return predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _enriched(before: Facts, after: Facts) -> dict[str, list[str]]:
    """Works of both snapshots that gained facts: the predicates of the facts they gained."""
    gained = {w: after[w] - before[w] for w in before.keys() & after.keys()}
    return {w: sorted({_short(p) for p, _o in new}) for w, new in gained.items() if new}


def _target(folder: Path, name: str) -> Path:
    """``folder/name``, or a numbered variant when that name is taken by other bytes."""
    target, number = folder / name, 1
    while target.exists():
        number += 1
        target = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
    return target


def add(files: list[Path], paths: Paths) -> AddReport:
    """Copy ``files`` into the corpus and rebuild; see the module docstring."""
    report = AddReport()
    existing = read_corpus(paths.documents, paths.corpus) if paths.documents.is_dir() else []
    known_ids = {identity(d) for d in existing} - {None}
    known_bytes = {hashlib.sha256(p.read_bytes()).hexdigest(): p
                   for p in (corpus_files(paths.documents) if paths.documents.is_dir() else [])}
    plan: list[tuple[Path, Path]] = []
    for file in files:
        documents = read_documents(file.resolve(), file.resolve().parent)
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        if digest in known_bytes:
            report.skipped.append(f"{file}: already in the corpus as {known_bytes[digest].name}")
            continue
        ids = [identity(d) for d in documents]
        if ids and all(i in known_ids for i in ids):
            report.skipped.append(f"{file}: every record is already in the corpus "
                                  f"({', '.join(i for i in ids if i)})")
            continue
        known_ids.update(i for i in ids if i)
        known_bytes[digest] = file
        plan.append((file, _target(paths.documents, file.name)))
    if not plan:
        return report
    works_before, edges_before = _snapshot(paths.out / "store")
    paths.documents.mkdir(parents=True, exist_ok=True)
    for source, target in plan:
        shutil.copyfile(source, target)
    try:
        report.build = build(paths)
    except BaseException:
        for _source, target in plan:
            target.unlink(missing_ok=True)
        raise
    works_after, edges_after = _snapshot(paths.out / "store")
    report.added = [target.relative_to(paths.corpus).as_posix() for _s, target in plan]
    report.new_works = sorted(works_after.keys() - works_before.keys())
    report.enriched = _enriched(works_before, works_after)
    report.new_citations = len(edges_after - edges_before)
    added = set(report.added)
    per_file = report.build.per_file if report.build else {}
    report.mentions = sum(v[0] for k, v in per_file.items() if k in added)
    report.candidates = sum(v[1] for k, v in per_file.items() if k in added)
    return report
