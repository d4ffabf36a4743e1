"""SHACL on a change: the nodes whose verdict a changed triple can change, per check.

After an add, most of the graph is what the last build validated. A check's verdict on a node
reads the node's target membership, the triples its path follows from the node, the types of
the values it reaches (``sh:class``) and its values of a compared predicate; a triple added or
removed can change the verdict only of the nodes from which the path reaches that triple. Those
are found by walking the path back from the triple, in the new graph: a node whose path to a
removed triple is itself broken is reached from the first removed triple on that path.

Each check is then run on its own nodes (:data:`graph.rdf.validate.FOCI`), and the last build's
verdicts on every other node are kept. A SPARQL constraint whose patterns all start at its focus
node with fixed predicates is followed as those predicates' values of the node
(:func:`graph.rdf.validate.compile_shapes`). A check whose path this cannot walk back
(alternatives, repetition), any other SPARQL constraint, a change of the class hierarchy, or a
check with more nodes to look at than :func:`node_limit` allows is run whole.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from graph.rdf.validate import Check, Reach, Verdicts

# Every check run on n nodes of the 600,000-triple graph of 1,000 documents took 0.19 of
# validating it whole at n=500, 0.7 at 2,000, 1.2 at 5,000 (docs/benchmark.md); the whole
# graph's cost grows with its triples, the nodes' cost with n.
LIMIT_FLOOR = 1_000
TRIPLES_PER_NODE = 600


def node_limit(triples: int) -> int:
    """The most nodes a check is run on, in a graph of ``triples``, before it is run whole.

    >>> node_limit(50_000), node_limit(6_000_000)
    (1000, 10000)
    """
    return max(LIMIT_FLOOR, triples // TRIPLES_PER_NODE)
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


def _nodes(store: ox.Store, reach: Reach, changes: Iterable[ox.Triple], limit: int
           ) -> set[ox.Term]:
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
        if len(found) > limit:
            raise Whole
    if any(isinstance(node, ox.Literal) for node in found):
        raise Whole  # a literal focus node: see _back
    return found


def foci(store: ox.Store, checks: list[Check], changes: list[ox.Triple], limit: int = LIMIT_FLOOR
         ) -> dict[str, set[str] | None]:
    """Each check's nodes to look at (N-Triples terms), or None: run it whole (more than
    ``limit`` nodes, or a change it cannot follow)."""
    chosen: dict[str, set[str] | None] = {}
    walked: dict[Reach, set[str] | None] = {}  # the checks of a shape share its path: walk once
    for check in checks:
        if check.reach is not None and check.reach not in walked:
            try:
                walked[check.reach] = {str(node)
                                       for node in _nodes(store, check.reach, changes, limit)}
            except Whole:
                walked[check.reach] = None
        nodes = None if check.reach is None else walked[check.reach]
        chosen[check.key] = None if nodes is None else set(nodes)
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
