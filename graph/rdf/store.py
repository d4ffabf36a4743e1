"""The embedded Oxigraph store: built once from the canonical N-Triples, then queried.

The store lives on disk (RocksDB) inside the build folder, so queries need no server and no
re-parsing; :func:`open_store` opens it read-only so several readers can share it.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox


def create_store(folder: Path, ntriples: Path) -> int:
    """Bulk-load ``ntriples`` into a new store at ``folder``; returns the number of triples."""
    store = ox.Store(str(folder))
    store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    count = len(store)
    del store
    return count


def load_named_graph(folder: Path, ntriples: Path, graph: str) -> None:
    """Bulk-load ``ntriples`` into the named graph ``graph`` of the store at ``folder``."""
    store = ox.Store(str(folder))
    store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(graph))
    store.flush()
    del store


def open_store(folder: Path) -> ox.Store:
    """Open a built store read-only."""
    return ox.Store.read_only(str(folder))
