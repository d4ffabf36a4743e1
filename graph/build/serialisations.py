"""Turtle and JSON-LD in a build: written whole, or after a change by the runs it touches.

A build keeps the index of its ``graph.ttl`` and ``graph.jsonld`` (:class:`graph.rdf.syntaxes.
Index`) in its cache (:data:`STATE`). The next build into the same folder, when it changed
``graph.nt`` by its blocks (it then knows the lines that left and came in), writes again only
the runs of subjects those lines fall in and copies the rest from the last files: the same bytes
as writing whole (tests/test_incremental.py). No index, one of another code or engine version,
or no known change writes whole, as a first build does; an index the last files disagree with
writes whole too, and the build report says why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.build.cache import Cache
from graph.cache_keys import FOLDER as CACHE
from graph.cache_keys import code_digest
from graph.rdf.delta import Difference
from graph.rdf.serialize import jsonld_context
from graph.rdf.syntaxes import SYNTAXES, Index, Stale, write_changed, write_whole

STATE = "serialisations.pickle"  # in the cache folder: the index of graph.ttl and graph.jsonld


@dataclass(frozen=True)
class Kept:
    """The index of a build's files, with what wrote them."""

    version: tuple[str, str]
    index: Index


def _version() -> tuple[str, str]:
    return ox.__version__, code_digest()


def write_serialisations(nt: Path, folder: Path, previous: Path | None = None,
                         change: Difference | None = None
                         ) -> tuple[dict[str, Path], dict[str, int], str | None]:
    """Write ``graph.ttl``, ``graph.jsonld`` and ``context.jsonld`` into ``folder`` from ``nt``,
    and keep their index in ``folder``'s cache.

    ``previous`` is the last build's folder and ``change`` what ``nt`` changed from its
    ``graph.nt``: with both, and the last build's index, only the runs the change touches are
    written again. Returns the files by name; whether they were changed from the last files
    ("reused") or written whole ("made"); and why they were written whole though the last
    build left an index (None: they were not, or there was none to use)."""
    cache = Cache(None if previous is None else previous / CACHE, folder / CACHE)
    last = cache.previous(STATE)
    why, index = None, None
    if previous is not None and change is not None and isinstance(last, Kept) \
            and last.version == _version():
        try:
            index = write_changed(nt, folder, previous, last.index, change)
        except Stale as exc:
            why = str(exc)
    changed = int(index is not None)
    if index is None:
        index = write_whole(nt, folder)
    cache.keep(STATE, Kept(_version(), index))
    paths = {syntax.name: folder / syntax.file for syntax in SYNTAXES}
    paths["context"] = folder / "context.jsonld"
    paths["context"].write_text(json.dumps(jsonld_context(), indent=2, sort_keys=True) + "\n")
    return paths, {"reused": changed, "made": 1 - changed}, why

