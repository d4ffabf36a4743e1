"""Take documents back out of the corpus and rebuild: the graph is as if they never came.

The build is a function of the corpus (sorted, canonical N-Triples, IRIs from the inputs), so
removing a file that ``add`` copied in gives back, byte for byte, the ``graph.nt`` of before. A
file the build still needs (its curation record names it) is put back and refused with the
reason; a name that is no corpus document is refused too. Nothing is half done: the files are
restored whenever the rebuild fails.

The report's works no longer in the graph come from the change of ``graph.nt`` as an add's do
(:func:`graph.build.work_changes.since_last`): the last ``graph.nt`` is kept beside the output
by a hard link while the rebuild runs. ``remove`` holds the add lock, so an add never rebuilds
under it, and first settles the journal of an add that was killed, as the next add would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graph.build.add import Outcome
from graph.build.journal import add_lock, keep_last_graph, last_graph_path, settle
from graph.build.pipeline import BuildReport, build_changed, has_detail
from graph.build.work_changes import since_last
from graph.errors import GraphError
from graph.rdf.delta import Difference
from graph.settings import Paths


@dataclass
class RemoveReport:
    """One outcome a name given (removed or refused), and the works the graph no longer has."""

    outcomes: list[Outcome] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  # works no longer in the graph
    build: BuildReport | None = None
    rolled_back: list[str] = field(default_factory=list)  # left by an add that was killed

    @property
    def refused(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "refused"]

    def summary(self) -> str:
        lines = [f"removed {path}: an earlier add was stopped before its build finished"
                 for path in self.rolled_back]
        lines += [o.line() for o in self.outcomes]
        if not any(o.status == "removed" for o in self.outcomes):
            return "\n".join([*lines, "nothing changed"])
        lines.append(f"{len(self.gone)} works no longer in the graph")
        lines += [f"  gone {w}" for w in self.gone]
        return "\n".join(lines)


def corpus_document(name: str, paths: Paths) -> Path | None:
    """The corpus document ``name`` means: a corpus path, a path in the documents folder, or a
    file name there; None when it is none of them."""
    folder = paths.documents.resolve()
    for candidate in (paths.corpus / name, paths.documents / name,
                      paths.documents / Path(name).name):
        resolved = candidate.resolve()
        if resolved.is_file() and resolved.parent == folder:
            return resolved
    return None


Rebuilt = tuple[BuildReport, Difference | None]  # the report, the change of graph.nt if known


def _rebuild_without(files: list[tuple[Outcome, Path]], paths: Paths) -> Rebuilt:
    """Move ``files`` out and rebuild; put them back if the build fails (then raise)."""
    kept = {path: path.read_bytes() for _o, path in files}
    for _o, path in files:
        path.unlink()
    try:
        return build_changed(paths, detail=has_detail(paths.out))
    except BaseException:
        for path, data in kept.items():
            path.write_bytes(data)
        raise


def remove(names: list[str], paths: Paths) -> RemoveReport:
    """Remove the corpus documents ``names`` and rebuild; see the module docstring."""
    report = RemoveReport()
    with add_lock(paths):
        report.rolled_back = settle(paths)
        planned = _plan(names, paths, report)
        if not planned:
            return report
        last = keep_last_graph(paths)
        try:
            changes = _rebuild(planned, paths, report)
            if changes:  # two builds: two changes, diffed from the graph kept
                change = changes[0] if len(changes) == 1 else None
                report.gone = since_last(paths.out, change, last).gone
        finally:
            last_graph_path(paths).unlink(missing_ok=True)
    return report


def _plan(names: list[str], paths: Paths, report: RemoveReport) -> list[tuple[Outcome, Path]]:
    """The corpus documents ``names`` mean, each with its outcome (refused until removed)."""
    planned: list[tuple[Outcome, Path]] = []
    for name in names:
        outcome = Outcome(name, "refused")
        report.outcomes.append(outcome)
        path = corpus_document(name, paths)
        if path is None:
            outcome.detail = f"no such document in {paths.documents}"
        elif any(path == p for _o, p in planned):
            outcome.status, outcome.detail = "unchanged", "named twice"
        else:
            outcome.target = path.relative_to(paths.corpus.resolve()).as_posix()
            planned.append((outcome, path))
    return planned


def _rebuild(planned: list[tuple[Outcome, Path]], paths: Paths, report: RemoveReport
             ) -> list[Difference | None]:
    """Rebuild without the ``planned`` files, all at once, else one at a time (a file the
    graph still needs is refused and put back); the change of each build that succeeded."""
    try:
        report.build, change = _rebuild_without(planned, paths)
        for outcome, _path in planned:
            outcome.status = "removed"
        return [change]
    except GraphError:
        pass
    changes: list[Difference | None] = []
    for step in planned:  # one at a time: one file the build needs keeps no other in
        try:
            report.build, change = _rebuild_without([step], paths)
            step[0].status = "removed"
            changes.append(change)
        except GraphError as exc:
            step[0].detail = f"the graph still needs it: {exc}"
    return changes
