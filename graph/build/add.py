"""Add new literature to the corpus and rebuild, reporting what each file brought.

Each file is checked by reading it before it is copied (an unknown format, an empty, binary or
non-UTF-8 file, or a record without a title is refused with the file and the reason); a refused
file does not keep the others out. A file whose bytes, or all of whose records (by DOI or PMID),
are already in the corpus changes nothing. A rebuild that fails on one file refuses that file
and keeps the others; the corpus and the last build never hold half of an ``add``, even when it is
killed: see :mod:`graph.build.journal` (two adds at once run one after the other).

The report names the works that are new to the graph, and the works already in it that a new
record enriched (facts they did not have, such as a DOI or an issue): a fuller record of a cited
work keeps that work's IRI (see :func:`graph.citations.works.mint_key`), so it is never reported as
new.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from graph.build.cache import corpus_identities
from graph.build.journal import (
    Copy,
    add_lock,
    begin,
    files_read,
    keep_last_graph,
    plan_copy,
    settle,
)
from graph.build.pipeline import BuildReport, build_changed, has_detail, identity
from graph.build.work_changes import WorkChanges, since_last, works_of
from graph.errors import GraphError, InputError
from graph.inputs.read import is_document_name, read_documents
from graph.rdf.delta import Difference
from graph.settings import Paths


@dataclass
class Outcome:
    """What ``add`` did with one file: added, enriched, unchanged or refused, and why."""

    file: str  # as the user named it
    status: str  # "added" | "enriched" | "unchanged" | "refused"
    detail: str = ""
    target: str | None = None  # its corpus path, once copied
    unread: dict[str, list[str]] = field(default_factory=dict)  # record -> fields not found

    def line(self) -> str:
        name = self.target or self.file
        return f"{self.status} {name}" + (f": {self.detail}" if self.detail else "")


@dataclass
class AddReport:
    """What an ``add`` did: one outcome a file, and what the added files brought together."""

    outcomes: list[Outcome] = field(default_factory=list)
    new_works: list[str] = field(default_factory=list)
    enriched: dict[str, list[str]] = field(default_factory=dict)  # work -> predicates it gained
    merged: list[str] = field(default_factory=list)  # works the new records merged into others
    new_citations: int = 0
    mentions: int = 0
    candidates: int = 0
    build: BuildReport | None = None
    rolled_back: list[str] = field(default_factory=list)  # left by an add that was killed

    @property
    def added(self) -> list[str]:
        """Corpus paths of the files copied in."""
        return [o.target for o in self.outcomes if o.target is not None]

    @property
    def refused(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "refused"]

    def summary(self) -> str:
        lines = [f"removed {path}: an earlier add was stopped before its build finished"
                 for path in self.rolled_back]
        lines += [o.line() for o in self.outcomes if o.target is None]
        if not self.added:
            return "\n".join([*lines, "nothing changed"])
        lines += [f"added {path}" for path in self.added]
        lines.append(f"{len(self.new_works)} new works, {self.new_citations} new citation edges, "
                     f"{self.mentions} entity mentions, {self.candidates} candidate findings")
        lines += [f"  new work {w}" for w in self.new_works]
        lines += [f"  enriched work {w}: {', '.join(gained)}"
                  for w, gained in sorted(self.enriched.items())]
        lines += [f"  merged work {w}: now one work with another (build-report.json: merged)"
                  for w in self.merged]
        for outcome in self.outcomes:
            if outcome.target is None:
                continue
            lines.append(outcome.line())
            lines += [f"  not found in {record}: {', '.join(fields)}"
                      for record, fields in outcome.unread.items() if fields]
            documents = self.build.documents if self.build else []
            lines += [f"  reference not parsed in {d['path']}, line {u}" for d in documents
                      if str(d["path"]).partition("#")[0] == outcome.target
                      for u in d["unparsed"]]  # type: ignore[attr-defined]
        return "\n".join(lines)


def _target(folder: Path, name: str, planned: set[Path]) -> Path:
    """``folder/name``, or a numbered variant when that name is taken (or planned for another)."""
    target, number = folder / name, 1
    while target.exists() or target in planned:
        number += 1
        target = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
    return target


Plan = list[tuple[Outcome, Path, Copy]]  # each file's outcome, its source and its copy


def _check(files: list[Path], paths: Paths, strict: bool, report: AddReport) -> Plan:
    """Read every file; refuse the unreadable, pass over what the corpus holds; plan the rest."""
    known_ids, known_bytes = corpus_identities(paths.documents, paths.corpus, paths.out,
                                               identity)
    plan: Plan = []
    for file in files:
        outcome = Outcome(str(file), "unchanged")
        report.outcomes.append(outcome)
        if not is_document_name(file.name):  # it would be copied, then never built
            outcome.status = "refused"
            outcome.detail = ("a corpus never reads hidden files or READMEs as documents: "
                              "rename the file")
            continue
        try:
            documents = read_documents(file.resolve(), file.resolve().parent, strict)
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
        except InputError as exc:
            outcome.status = "refused"
            outcome.detail = f"line {exc.line}: {exc.reason}" if exc.line else exc.reason
            continue
        except OSError as exc:
            outcome.status, outcome.detail = "refused", f"cannot read file: {exc.strerror}"
            continue
        if digest in known_bytes:
            outcome.detail = f"already in the corpus as {known_bytes[digest].name}"
            continue
        ids = [identity(d) for d in documents]
        if ids and all(i in known_ids for i in ids):
            outcome.detail = ("every record is already in the corpus "
                              f"({', '.join(i for i in ids if i)})")
            continue
        known_ids.update(i for i in ids if i)
        known_bytes[digest] = file
        target = _target(paths.documents, file.name, {c.target for _o, _s, c in plan})
        outcome.unread = {
            f"{target.relative_to(paths.corpus).as_posix()}{d.path[len(d.path.partition('#')[0]):]}":
            list(d.unread()) for d in documents}
        plan.append((outcome, file, plan_copy(target, digest)))
    return plan


# What went in, the last build's report, and the change of graph.nt since before the add when
# one build made it and knows it (None: the report diffs the graph the add kept).
Built = tuple[Plan, BuildReport | None, Difference | None]


def _build_with(plan: Plan, paths: Paths, strict: bool, **options: bool) -> Built:
    """Copy the planned files and rebuild; a build one file breaks refuses that file alone.

    All files go in one build; if it fails with a graph error (a SHACL violation, a curation
    problem), each file is tried on its own, so one bad file does not keep the others out. An
    unexpected error (or a signal) removes every copy and is raised: the corpus stays as it was.
    Each file is copied under a hidden name and renamed into place, so no build ever reads half a
    copy.
    """
    paths.documents.mkdir(parents=True, exist_ok=True)
    try:
        for _o, source, copy in plan:
            shutil.copyfile(source, copy.partial)
            os.replace(copy.partial, copy.target)
        return (plan, *build_changed(paths, strict=strict, **options))
    except GraphError as exc:
        for _o, _s, copy in plan:
            copy.target.unlink(missing_ok=True)
        if len(plan) == 1:
            plan[0][0].status, plan[0][0].detail = "refused", f"the build failed: {exc}"
            return [], None, None
    except BaseException:
        for _o, _s, copy in plan:
            copy.partial.unlink(missing_ok=True)
            copy.target.unlink(missing_ok=True)
        raise
    kept: Plan = []
    last: BuildReport | None = None
    changes: list[Difference | None] = []
    for step in plan:
        built, report, change = _build_with([step], paths, strict, **options)
        kept += built
        last = report or last
        changes += [change] if built else []
    return kept, last, changes[0] if len(changes) == 1 else None  # two builds: two changes


def _report(report: AddReport, plan: Plan, paths: Paths, changes: WorkChanges) -> None:
    """Fill ``report`` with what the built ``plan`` brought: the works, each file's outcome."""
    report.new_works, report.enriched = changes.new, changes.enriched
    report.merged, report.new_citations = changes.gone, changes.citations
    targets = {copy.target.relative_to(paths.corpus).as_posix() for _o, _s, copy in plan}
    documents = report.build.documents if report.build else []
    embodied = works_of(paths.out / "store", [str(d["path"]) for d in documents
                                              if str(d["path"]).partition("#")[0] in targets])
    for outcome, _source, copy in plan:
        outcome.target = copy.target.relative_to(paths.corpus).as_posix()
        mine = embodied.get(outcome.target, set())
        new = sorted(mine & set(report.new_works))
        richer = sorted(mine & set(report.enriched))
        if new:
            outcome.status, outcome.detail = "added", f"new works {', '.join(new)}"
        elif richer:
            outcome.status, outcome.detail = "enriched", ", ".join(richer)
        else:
            outcome.detail = "its works were in the graph with these facts already"
    per_file = report.build.per_file if report.build else {}
    added = set(report.added)
    report.mentions = sum(v[0] for k, v in per_file.items() if k in added)
    report.candidates = sum(v[1] for k, v in per_file.items() if k in added)


def add(files: list[Path], paths: Paths, strict: bool = False, *, check_shapes: bool = True,
        views: bool = True, detail: bool | None = None, serialisations: bool = True,
        remove_later: bool = False) -> AddReport:
    """Copy ``files`` into the corpus and rebuild, reporting each file's outcome.

    A file that cannot be read is refused with the reason and the others still go in;
    ``strict`` refuses, as before, a page only the generic reader can read and a reference that
    cannot be parsed. ``check_shapes``, ``views``, ``detail`` and ``serialisations`` are the
    build's options;
    ``detail`` None keeps what the last build had. ``remove_later`` leaves the removal of the
    last build's folder to a process of its own (the command line's ``add`` does).
    """
    report = AddReport()
    with add_lock(paths):
        report.rolled_back = settle(paths)
        plan = _check(files, paths, strict, report)
        if not plan:
            return report
        options = {"check_shapes": check_shapes, "views": views, "serialisations": serialisations,
                   "detail": has_detail(paths.out) if detail is None else detail,
                   "remove_later": remove_later}
        begin(paths, [copy for _o, _s, copy in plan])
        try:
            last = keep_last_graph(paths)
            plan, report.build, change = _build_with(plan, paths, strict, **options)
            if plan:
                _report(report, plan, paths, since_last(paths.out, change, last))
        finally:  # the build in place is the last that succeeded, whose report the add holds
            settle(paths, files_read(report.build.documents) if report.build else None)
    return report
