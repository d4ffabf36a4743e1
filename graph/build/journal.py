"""An ``add`` as one step: the corpus copy and the build land together, or neither does.

An ``add`` holds the add lock for its whole run, so two adds never choose the same name or
build over each other: the second waits. Before the first byte is copied it writes a journal
naming every file it is about to copy (as the file's final name and the hidden name it is copied
under first), then renames each copy into place and builds. When it ends, by success, error, or
a signal it caught, the journal is settled; when it is killed outright (SIGKILL, power loss) the
journal stays, and the next ``add`` or build settles it: a journaled file that the last build
took in stays, one it did not is removed, so the corpus always matches the build.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graph.build.publish import discard_later
from graph.settings import Paths


def _beside_output(paths: Paths, what: str) -> Path:
    """A hidden file beside the output folder, like its build lock (the corpus holds documents)."""
    return paths.out.parent / f".{paths.out.name}.{what}"


def journal_path(paths: Paths) -> Path:
    return _beside_output(paths, "add-journal.json")


def last_graph_path(paths: Paths) -> Path:
    return _beside_output(paths, "add-last-graph.nt")


def keep_last_graph(paths: Paths) -> Path | None:
    """The last build's ``graph.nt``, kept beside the output while an add runs (a hard link,
    not a copy, where the file system has them); None if there is no last build.

    The build replaces the output folder; the add's report diffs this against the new
    ``graph.nt`` when the build could not say what it changed. :func:`settle` drops it.
    """
    source, kept = paths.out / "graph.nt", last_graph_path(paths)
    kept.unlink(missing_ok=True)
    try:
        os.link(source, kept)
    except FileNotFoundError:
        return None
    except OSError:
        shutil.copyfile(source, kept)
    return kept


@contextmanager
def add_lock(paths: Paths, wait: bool = True) -> Iterator[bool]:
    """Hold the add lock (waiting for another add to finish); yields whether it is held.

    With ``wait=False`` the lock is only tried: a build uses that to learn whether an add is
    running (then its journal is live, not left by a killed add).
    """
    lock = _beside_output(paths, "add.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Copy:
    """One planned copy: the corpus path it lands at, the hidden path it is written to first."""

    target: Path
    partial: Path
    sha256: str


def plan_copy(target: Path, sha256: str) -> Copy:
    """A copy to ``target``, written first under a hidden name no build reads."""
    return Copy(target, target.with_name(f".{target.name}.partial-{os.getpid()}"), sha256)


def begin(paths: Paths, copies: list[Copy]) -> None:
    """Record ``copies`` before any is made (written whole, by rename, or not at all)."""
    entries = [{"target": c.target.relative_to(paths.corpus).as_posix(),
                "partial": c.partial.relative_to(paths.corpus).as_posix(),
                "sha256": c.sha256} for c in copies]
    journal = journal_path(paths)
    temporary = journal.with_name(f"{journal.name}.{os.getpid()}")
    temporary.write_text(json.dumps(entries, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, journal)


def _built_files(out: Path) -> set[str]:
    """The corpus files the build in ``out`` read (from its report), empty if there is none."""
    try:
        report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return files_read(report.get("documents", []))


def files_read(documents: list[dict[str, object]]) -> set[str]:
    """The corpus files of a build report's documents ("file#record" -> "file")."""
    return {str(d["path"]).partition("#")[0] for d in documents}


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def settle(paths: Paths, built: set[str] | None = None) -> list[str]:
    """Make the corpus match the build after an add: journaled files the build lacks go.

    Returns the corpus paths removed (a file whose bytes are not the journaled ones is
    another's and stays); the last build's graph kept for the report goes too. Without a
    journal, nothing else to do. ``built``: the corpus files the build in the output read, if
    the caller holds its report (else read from ``build-report.json``: seconds at 10,000
    documents).
    """
    kept = last_graph_path(paths)
    if kept.exists():  # often the last link to the old graph.nt: freeing it takes a while
        discard_later(kept, paths.out, "-last-graph")
    journal = journal_path(paths)
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except ValueError:  # never written whole (begin renames it into place): no copy was made
        entries = []
    built = _built_files(paths.out) if built is None else built
    removed = []
    for entry in entries:
        (paths.corpus / entry["partial"]).unlink(missing_ok=True)
        target = paths.corpus / entry["target"]
        if entry["target"] not in built and _sha256(target) == entry["sha256"]:
            target.unlink()
            removed.append(entry["target"])
    journal.unlink()
    return removed


def settle_if_abandoned(paths: Paths) -> list[str]:
    """:func:`settle` a journal left by a killed add; a running add's journal is its own."""
    if not journal_path(paths).exists():
        return []
    with add_lock(paths, wait=False) as held:
        return settle(paths) if held else []
