"""The digest of each corpus file, read again only when its stat says it may have changed.

A build keys what it makes of a file by the file's bytes (:mod:`graph.build.cache`); reading
and hashing every document and curation record to learn that they did not change is what an
add cost for every document of the corpus. As git's index does, a build keeps each file's
stat (size, modification and change times in nanoseconds, inode) beside the sha256 of its
bytes, and the next one takes the digest back when the stat is the same, reading the file
only when it differs.

A stat is trusted only if the file was last changed well before the build looked at it
(:data:`SETTLED`, "racy git"): a file written again within one tick of the file system's clock
keeps its size and times, so a file changed shortly before or while a build read it is hashed
again by the next build too. The change time cannot be set back by a program (``touch -d``
sets the modification time only), so an edit that keeps the size and restores the
modification time is still seen.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

STATS = "file-stats.pickle"  # in the cache folder
# How long before the build looked a file must have been changed for its stat to be trusted:
# above the coarsest clock tick of common file systems (FAT's 2 s) and the kernel's coarse clock
SETTLED = 3_000_000_000  # nanoseconds

Stat = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device


def _stat(path: Path) -> Stat:
    s = os.stat(path)
    return s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino, s.st_dev


@dataclass
class FileStats:
    """The digests of the files a build reads, by name, from the last build's (``last``) where
    a file's stat is the same and was settled when it was taken."""

    last: FileIndex | None = None
    index: FileIndex = field(default_factory=lambda: FileIndex(time.time_ns()))
    read: int = 0  # files read and hashed (the others' digests were taken back)

    def sha256(self, name: str, path: Path) -> str:
        """The sha256 of the bytes of ``path`` (``name``: its path in the corpus)."""
        stat = _stat(path)
        known = None if self.last is None else self.last.trusted(name, stat)
        if known is None:  # the stat kept is the one before reading: a change since is seen
            known = hashlib.sha256(path.read_bytes()).hexdigest()
            self.read += 1
        self.index.files[name] = (stat, known)
        return known


@dataclass
class FileIndex:
    """Each file's stat and digest, and when the build began looking (``seen``, ns)."""

    seen: int
    files: dict[str, tuple[Stat, str]] = field(default_factory=dict)

    def trusted(self, name: str, stat: Stat) -> str | None:
        """The digest kept for ``name`` if its stat is ``stat`` and was settled when taken."""
        kept = self.files.get(name)
        if kept is None or kept[0] != stat:
            return None
        _size, modified, changed, _inode, _device = stat
        if max(modified, changed) > self.seen - SETTLED:
            return None
        return kept[1]
