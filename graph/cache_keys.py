"""What a build's cache is keyed by, and where the cache lives in the build folder.

The build (:mod:`graph.build.cache`) and the stages that keep state between builds (the exports'
patch, the views' rows) key what they keep by the same digests of the code and of their inputs;
this module holds those keys below every stage, so an export need not import the build.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import graph

FOLDER = "cache"  # in the build folder


@cache
def code_digest() -> str:
    """A digest of the package's own source: a new version of the code is a new cache."""
    package = Path(graph.__file__).parent
    h = hashlib.sha256(graph.__version__.encode())
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def digest(*parts: str | bytes) -> str:
    """One key from several parts (each length-prefixed, so no two lists collide)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def folder_digest(folder: Path, pattern: str = "*.ttl") -> str:
    """A digest of the files under ``folder`` matching ``pattern``: names and bytes."""
    return digest(*(part for path in sorted(folder.rglob(pattern))
                    for part in (path.relative_to(folder).as_posix(), path.read_bytes())))
