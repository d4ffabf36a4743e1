"""Write a build somewhere else, then swap it into place: a failed or killed build loses nothing.

The output folder is replaced by two renames (old -> ``.previous``, staging -> output). A build
killed between them leaves ``.previous`` beside a missing output; the next build (or
:func:`recover`) puts it back. A lock file refuses a second build into the same folder meanwhile.

The old output is then removed; an ``add`` may leave that to a process of its own
(:func:`discard_later`): tens of thousands of cache entries take seconds to unlink, and no byte
of them is needed once the new output is in place. A removal that was stopped leaves a
``.discarded-*`` folder beside the output, which the next build removes.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.errors import BuildLockedError


def _sibling(out: Path, suffix: str) -> Path:
    return out.parent / f".{out.name}.{suffix}"


def recover(out: Path) -> None:
    """Undo a swap that was interrupted after its first rename; drop stale staging folders."""
    previous = _sibling(out, "previous")
    if previous.exists():
        if out.exists():
            shutil.rmtree(previous)
        else:
            previous.rename(out)
    for stale in [*out.parent.glob(f".{out.name}.staging-*"),
                  *out.parent.glob(f".{out.name}.discarded-*")]:
        _remove(stale)


def _remove(path: Path) -> None:
    """Remove a folder and what it holds, or a file; what is already gone is no error."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out`` for the whole build, or fail at once."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = _sibling(out, "lock")
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLockedError(
                f"another build is writing {out} (lock {lock_path} is held); wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def staging_dir(out: Path) -> Path:
    """A fresh, empty folder beside ``out`` to build into."""
    staging = _sibling(out, f"staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def discard_later(folder: Path, out: Path, what: str = "") -> None:
    """Remove ``folder`` (an old output beside ``out``, or a file beside it, named by ``what``)
    in a process of its own, not waited for: renamed first to a name :func:`recover` removes,
    should that process be stopped. Where there is no POSIX shell it is removed here."""
    if os.name != "posix":
        _remove(folder)
        return
    discarded = _sibling(out, f"discarded-{os.getpid()}{what}")
    _remove(discarded)  # left by an earlier process of this number
    folder.rename(discarded)
    # the shell puts ``rm`` in the background and ends at once: nothing is left to wait for
    try:
        subprocess.run(["sh", "-c", 'rm -rf -- "$1" </dev/null >/dev/null 2>&1 &', "sh",
                        str(discarded)], check=True)
    except (OSError, subprocess.CalledProcessError):  # no shell to start: the new build stands
        _remove(discarded)


def swap_into_place(staging: Path, out: Path, *, remove_later: bool = False) -> None:
    """Make ``staging`` the new ``out``; the old output survives until the new one is in place,
    then is removed (``remove_later``: by :func:`discard_later`)."""
    previous = _sibling(out, "previous")
    if out.exists():
        out.rename(previous)
    staging.rename(out)
    if previous.exists() and remove_later:
        discard_later(previous, out)
    elif previous.exists():
        shutil.rmtree(previous)
