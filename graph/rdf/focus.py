"""SHACL on a change: the nodes whose verdict a changed triple can change, per check.

After an add, most of the graph is what the last build validated. A check's verdict on a node
reads the node's target membership, the triples its path follows from the node, the types of
the values it reaches (``sh:class``) and its values of a compared predicate; a triple added or
removed can change the verdict only of the nodes from which the path reaches that triple. Those
are found by walking the path back from the triple, in the new graph: a node whose path to a
removed triple is itself broken is reached from the first removed triple on that path.

Each check is then run on its own nodes (:data:`graph.rdf.validate.FOCI`), and the last build's
verdicts on every other node are kept. A check whose path this cannot walk back (alternatives,
repetition), a SPARQL constraint, a change of the class hierarchy, or a check with more than
:data:`FOCUS_LIMIT` nodes to look at is run whole.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from graph.rdf.validate import Check, Reach, Verdicts

FOCUS_LIMIT = 2_000  # past this many nodes, one check over the whole graph is quicker
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


class Whole(Exception):
    """The check must be run over the whole graph."""


def _back(store: ox.Store, steps: tuple[tuple[str, bool], ...], nodes: set[ox.Term]
          ) -> set[ox.Term]:
    """The nodes from which ``steps`` reach one of ``nodes``, in the store's graph."""
    graph = ox.DefaultGraph()
    for predicate, inverse in reversed(steps):
        p = ox.NamedNode(predicate)
        previous: set[ox.Term] = set()
        for node in nodes:
            if isinstance(node, ox.Literal):
                raise Whole  # the store may spell a literal otherwise than graph.nt
            if inverse:
                previous.update(q.object for q in store.quads_for_pattern(node, p, None, graph))
            else:
                previous.update(q.subject for q in store.quads_for_pattern(None, p, node, graph))
        nodes = previous
    return nodes


def _nodes(store: ox.Store, reach: Reach, changes: Iterable[ox.Triple]) -> set[ox.Term]:
    """The nodes whose verdict under a check of ``reach`` the changed triples can change."""
    found: set[ox.Term] = set()
    for triple in changes:
        predicate = triple.predicate.value
        if predicate == SUBCLASS and (reach.classes or reach.value_types):
            raise Whole
        if predicate == TYPE:
            if reach.classes:
                found.add(triple.subject)
            if reach.value_types:
                found |= _back(store, reach.steps, {triple.subject})
        if predicate in reach.subjects_of:
            found.add(triple.subject)
        if predicate in reach.objects_of:
            found.add(triple.object)
        if predicate in reach.pairs:
            found.add(triple.subject)
        for i, (step, inverse) in enumerate(reach.steps):
            if step == predicate:
                found |= _back(store, reach.steps[:i],
                               {triple.object if inverse else triple.subject})
        if len(found) > FOCUS_LIMIT:
            raise Whole
    if any(isinstance(node, ox.Literal) for node in found):
        raise Whole  # a literal focus node: see _back
    return found


def foci(store: ox.Store, checks: list[Check], changes: list[ox.Triple]
         ) -> dict[str, set[str] | None]:
    """Each check's nodes to look at (N-Triples terms), or None: run it whole."""
    chosen: dict[str, set[str] | None] = {}
    for check in checks:
        try:
            if check.reach is None:
                raise Whole
            chosen[check.key] = {str(node) for node in _nodes(store, check.reach, changes)}
        except Whole:
            chosen[check.key] = None
    return chosen


def merge(previous: Verdicts, checks: list[Check], looked_at: dict[str, set[str] | None],
          found: Verdicts) -> Verdicts:
    """The new verdicts: a check run whole as found; one run on some nodes keeps the last
    build's verdicts on every other node."""
    merged: Verdicts = {}
    for check in checks:
        nodes = looked_at[check.key]
        if nodes is None:
            merged[check.key] = found[check.key]
            continue
        kept = {row for row in map(tuple, previous[check.key]) if row[0] not in nodes}
        merged[check.key] = sorted(kept | set(found[check.key]))  # type: ignore[arg-type]
    return merged
