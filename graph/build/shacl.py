"""SHACL in a build: over the whole graph, or after a change over the nodes it concerns.

A build keeps each check's violating nodes in its cache (:data:`STATE`). The next build into
the same folder (an ``add``, a ``remove``, a rebuild after an edit) diffs the two ``graph.nt``
and runs each check on the nodes the difference concerns (:mod:`graph.rdf.focus`), keeping
the last verdicts on every other node: the same lines as validating everything
(tests/test_validate_focus.py). A missing or damaged state, a difference of more than
:data:`CHANGE_LIMIT` lines or a changed shape validates whole, as a first build does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from graph.cache_keys import FOLDER as CACHE
from graph.rdf.delta import Difference, TooLarge, Unsorted, difference
from graph.rdf.focus import foci, merge, node_limit
from graph.rdf.validate import Verdicts, compile_shapes, conform, lines, verdicts

STATE = "shacl.json"  # in the cache folder: each check's violating nodes
CHANGE_LIMIT = 20_000  # changed lines past which the whole graph is validated


def _previous(folder: Path) -> Verdicts | None:
    try:
        state = json.loads((folder / CACHE / STATE).read_text(encoding="utf-8"))
        return {key: [tuple(row) for row in rows] for key, rows in state.items()}  # type: ignore[misc]
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def _changes(old: Path, new: Path, known: Difference | None) -> list[ox.Triple] | None:
    """The triples removed from and added to ``old`` in ``new``, or None: too many, or unknown.

    ``known`` is that difference when the build already has it (``graph.nt`` changed by its
    blocks): the two files are then not read again."""
    try:
        change = known if known is not None else difference(old, new, CHANGE_LIMIT)
    except (TooLarge, Unsorted, OSError):
        return None
    if len(change) > CHANGE_LIMIT:
        return None
    text = "\n".join(change.removed + change.added) + "\n"
    return list(ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))


def validate_build(store: ox.Store, shapes: Path, previous: Path, staging: Path, triples: int,
                   change: Difference | None = None) -> tuple[list[str], dict[str, int]]:
    """Validate the staged build (``triples`` in its graph) against ``shapes``, from the build
    in ``previous`` if it can (``change``: the difference of the two ``graph.nt``, if known).

    Returns the warnings (a violation raises) and how many checks were run on the nodes the
    change concerns ("reused") and over the whole graph ("made").
    """
    checks = compile_shapes(shapes)
    old = _previous(previous)
    looked_at = None
    if old is not None:
        changes = _changes(previous / "graph.nt", staging / "graph.nt", change)
        if changes is not None:
            looked_at = foci(store, checks, changes, node_limit(triples))
            looked_at.update({c.key: None for c in checks if c.key not in old})
    found = verdicts(store, checks, looked_at)
    if old is not None and looked_at is not None:
        found = merge(old, checks, looked_at, found)
    warnings = conform(lines(checks, found), shapes)
    (staging / CACHE).mkdir(parents=True, exist_ok=True)
    (staging / CACHE / STATE).write_text(json.dumps(found, sort_keys=True) + "\n",
                                         encoding="utf-8")
    focused = sum(1 for nodes in (looked_at or {}).values() if nodes is not None)
    return warnings, {"reused": focused, "made": len(checks) - focused}
