"""The embedded Oxigraph store: built from the canonical N-Triples, then queried.

The store lives on disk (RocksDB) inside the build folder, so queries need no server and no
re-parsing; :func:`open_store` opens it read-only so several readers can share it. A build that
changes a few lines of a large graph (``add`` of one paper) does not load it again:
:func:`update_store` takes a checkpoint of the last build's store (hard links to its immutable
files) and applies the difference of the two ``graph.nt`` files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from graph.rdf.delta import Difference, difference

# A layer of the store: the graph's N-Triples in the last build (None: it had none), in this
# build (None: it has none), and the graph (None: the default graph).
Layer = tuple[Path | None, Path | None, str | None]


class StoreMismatch(Exception):
    """The updated store does not hold what the new files say: load it from them instead."""


# The build's N-Triples files hold only terms Oxigraph itself wrote and checked
# (:func:`graph.rdf.serialize.term_text` makes each through ``ox.NamedNode``/``ox.Literal``):
# loading them leniently skips checking every IRI a second time (0.85-0.9 of the load's time).
LENIENT = True


def create_store(folder: Path, ntriples: Path) -> int:
    """Bulk-load ``ntriples`` (a build's own file) into a new store at ``folder``; returns the
    number of triples."""
    store = ox.Store(str(folder))
    store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES, lenient=LENIENT)
    store.flush()
    count = len(store)
    del store
    return count


def load_named_graph(folder: Path, ntriples: Path, graph: str) -> int:
    """Bulk-load ``ntriples`` (a build's own file) into the named graph ``graph`` of the store
    at ``folder``; returns the number of quads in that graph."""
    store = ox.Store(str(folder))
    name = ox.NamedNode(graph)
    store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES, to_graph=name,
                    lenient=LENIENT)
    store.flush()
    count = sum(1 for _ in store.quads_for_pattern(None, None, None, name))
    del store
    return count


def open_store(folder: Path) -> ox.Store:
    """Open a built store read-only."""
    return ox.Store.read_only(str(folder))


def _quads(lines: list[str], graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
    if not lines:
        return []
    triples = ox.parse(input="\n".join(lines) + "\n", format=ox.RdfFormat.N_TRIPLES)
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]


def differences(layers: Sequence[Layer], limit: int) -> list[tuple[Difference, str | None]]:
    """Each layer's difference and graph; :class:`graph.rdf.delta.TooLarge` past ``limit``
    changed lines in all, :class:`graph.rdf.delta.Unsorted` for a file out of order."""
    found = []
    for old, new, graph in layers:
        found.append((difference(old, new, limit), graph))
        limit -= len(found[-1][0])
    return found


def update_store(previous: Path, folder: Path, changes: Sequence[tuple[Difference, str | None]],
                 quads: int | None = None) -> int:
    """The store of the last build at ``previous``, copied to ``folder`` and changed by each
    graph's difference (:func:`differences`); returns the number of triples, as
    :func:`create_store`.

    Every named graph without a difference is dropped (the enrichment graphs are loaded after,
    as after a full load). Raises ``OSError`` for a store that cannot be read, and
    :class:`StoreMismatch` when a removed line is not in the store, an added one already is, or
    the quads counted do not match the new files: the caller then loads from scratch.
    ``quads`` is how many quads the last store holds in the graphs of ``changes`` (its files'
    lines, as its build counted them): the new count is then that, less the quads removed, plus
    those added, where counting the store's quads again is a pass over all of them (1 s of an
    add's 1.2 s at 2,000 documents); None counts them.
    """
    ox.Store.read_only(str(previous)).backup(str(folder))
    store = ox.Store(str(folder))
    try:
        kept = {graph for _change, graph in changes if graph is not None}
        for name in list(store.named_graphs()):
            if isinstance(name, ox.NamedNode) and name.value in kept:
                continue
            store.remove_graph(name)
        default = 0
        for change, graph in changes:
            target = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
            for quad in _quads(change.removed, target):
                if quad not in store:
                    raise StoreMismatch(f"the last build's store lacks {quad}")
                store.remove(quad)
            added = set(_quads(change.added, target))
            if any(quad in store for quad in added):
                raise StoreMismatch("the last build's store holds a line its file lacks")
            store.extend(added)
            default += change.lines if graph is None else 0
            if quads is not None:
                quads += len(added) - len(change.removed)
        store.flush()
        counted = len(store) if quads is None else quads
        if counted != sum(change.lines for change, _graph in changes):
            raise StoreMismatch("the store's quads do not add up to the new files' lines")
        return default
    finally:
        del store
