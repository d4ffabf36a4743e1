"""Citation-network analytics with networkx: centrality, degrees, co-citation, coupling, paths.

The citation graph is read from the store (any SPARQL target), so the same analytics serve the
views, the command line and Python users::

    from graph.query.network import citation_graph, pagerank
    g = citation_graph(EmbeddedStore(Path("build/store")))
    top = sorted(pagerank(g).items(), key=lambda kv: -kv[1])[:10]
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, combinations
from types import ModuleType

import networkx as nx
import numpy as np
from scipy.sparse import coo_array, csr_matrix, dia_array

from graph.query.endpoints import Target
from graph.query.texts import internal_query

WORKS = internal_query("network/works")
EDGES = internal_query("network/citations")


def citation_graph(target: Target) -> nx.DiGraph:
    """Works as nodes (with their bibliographic fields), ``cites`` as directed edges."""
    def rows(query: str) -> Iterator[dict[str, str]]:
        return ({k: v["value"] for k, v in row.items()}
                for row in target.stream(query, "<citation graph>"))

    return graph_of(rows(WORKS), rows(EDGES))


def graph_of(works: Iterable[dict[str, str]], edges: Iterable[dict[str, str]]) -> nx.DiGraph:
    """The citation graph of the rows of :data:`WORKS` and :data:`EDGES` (as their values'
    texts), its nodes and edges in the rows' order."""
    graph = nx.DiGraph()
    for row in works:
        attrs = {k: v for k, v in row.items() if k != "work"}
        attrs["corpus"] = attrs.get("corpus") == "true"
        graph.add_node(row["work"], **attrs)
    graph.add_edges_from((row["citing"], row["cited"]) for row in edges)
    return graph


@dataclass(frozen=True)
class Indexed:
    """The citation graph as arrays, for the analytics that count over every citation: its
    works sorted (``nodes``, numbered by ``index``) and, for each citation in the graph's order,
    the numbers of the citing and the cited work. Made once for a page (:func:`indexed`), it
    spares each of them a walk of networkx's dictionaries (236,005 citations at 10,000
    documents)."""

    nodes: list[str]
    index: dict[str, int]
    citing: np.ndarray
    cited: np.ndarray


def indexed(graph: nx.DiGraph) -> Indexed:
    """``graph`` as :class:`Indexed` arrays."""
    nodes = sorted(graph)
    index = {n: i for i, n in enumerate(nodes)}
    ends = np.fromiter((index[n] for edge in graph.edges for n in edge), dtype=np.int64,
                       count=2 * graph.number_of_edges()).reshape(-1, 2)
    return Indexed(nodes, index, ends[:, 0], ends[:, 1])


def nodes_and_arrays(works: Iterable[dict[str, str]], edges: Iterable[dict[str, str]]
                     ) -> tuple[nx.DiGraph, Indexed]:
    """What :func:`graph_of` and :func:`indexed` of it give, without networkx's edges: the
    graph's nodes (with their fields, in its order) and its citations as :class:`Indexed`
    arrays, in its edge order. A page that counts over every citation with the arrays need not
    have networkx add each of them to its dictionaries first (236,005 citations at 10,000
    documents: 1.6 s of an add's views), nor walk them back out.

    >>> nodes, at = nodes_and_arrays([{"work": "b", "corpus": "true"}],
    ...                              [{"citing": "c", "cited": "b"}, {"citing": "b", "cited": "a"}])
    >>> list(nodes.nodes(data="corpus")), nodes.number_of_edges()
    ([('b', True), ('c', None), ('a', None)], 0)
    >>> at.nodes, at.citing.tolist(), at.cited.tolist()
    (['a', 'b', 'c'], [1, 2], [0, 1])
    """
    graph = graph_of(works, ())
    pairs = [(row["citing"], row["cited"]) for row in edges]
    # networkx adds an edge's citing work, then its cited work, when it has not got them
    graph.add_nodes_from(n for n in dict.fromkeys(chain.from_iterable(pairs)) if n not in graph)
    nodes = sorted(graph)
    index = {n: i for i, n in enumerate(nodes)}
    ends = np.fromiter((index[n] for n in chain.from_iterable(pairs)), dtype=np.int64,
                       count=2 * len(pairs)).reshape(-1, 2)
    # each citation once (its first row), then in networkx's order: by its citing work's place
    # among the nodes, each work's citations in the order they came
    _, first = np.unique(ends[:, 0] * max(len(nodes), 1) + ends[:, 1], return_index=True)
    ends = ends[np.sort(first)]
    place = np.empty(len(nodes), dtype=np.int64)
    place[np.fromiter((index[n] for n in graph), dtype=np.int64, count=len(nodes))] = (
        np.arange(len(nodes)))
    ends = ends[np.argsort(place[ends[:, 0]], kind="stable")]
    return graph, Indexed(nodes, index, ends[:, 0], ends[:, 1])


def pagerank(graph: nx.DiGraph, at: Indexed | None = None, alpha: float = 0.85,
             max_iter: int = 100, tol: float = 1.0e-6) -> dict[str, float]:
    """PageRank of every work (a work cited by well-cited works ranks high).

    The power iteration of networkx's ``pagerank`` (its scipy one, unweighted, no
    personalisation), the same operations in the same order on the same matrix, so the same
    floats (tests/test_view_scale.py compares them); only the matrix is made from the
    :class:`Indexed` arrays, where networkx reads every edge's attributes in Python (1.5 s of
    the citation page at 10,000 documents).
    """
    n = graph.number_of_nodes()
    if not n:
        return {}
    at = at or indexed(graph)
    nodelist = list(graph)  # networkx's order: the rows of its matrix
    row = np.empty(n, dtype=np.int64)
    row[np.fromiter((at.index[node] for node in nodelist), dtype=np.int64, count=n)] = (
        np.arange(n))
    matrix = coo_array((np.ones(len(at.citing)), (row[at.citing], row[at.cited])),
                       shape=(n, n), dtype=float).asformat("csr")
    out = matrix.sum(axis=1)
    out[out != 0] = 1.0 / out[out != 0]
    matrix = dia_array((out.T, 0), shape=matrix.shape).tocsr() @ matrix
    x = np.repeat(1.0 / n, n)
    p = np.repeat(1.0 / n, n)
    dangling = np.where(out == 0)[0]
    for _ in range(max_iter):
        last = x
        x = alpha * (x @ matrix + sum(x[dangling]) * p) + (1 - alpha) * p
        if np.absolute(x - last).sum() < n * tol:
            return dict(zip(nodelist, map(float, x), strict=True))
    raise nx.PowerIterationFailedConvergence(max_iter)


def degrees(graph: nx.DiGraph, at: Indexed | None = None) -> dict[str, tuple[int, int]]:
    """(times cited, references made) of every work; counted from ``at``'s arrays when given
    (then ``graph`` may hold the nodes only, see :func:`nodes_and_arrays`).

    >>> g = nx.DiGraph([("a", "b"), ("c", "b")])
    >>> degrees(g)["b"], degrees(g, indexed(g))["b"]
    ((2, 0), (2, 0))
    """
    if at is None:
        return {n: (graph.in_degree(n), graph.out_degree(n)) for n in graph}
    cited = np.bincount(at.cited, minlength=len(at.nodes)).tolist()
    cites = np.bincount(at.citing, minlength=len(at.nodes)).tolist()
    return {n: (cited[at.index[n]], cites[at.index[n]]) for n in graph}


def cocitation(graph: nx.DiGraph) -> Counter[tuple[str, str]]:
    """How often each pair of works is cited together by one citing work.

    >>> cocitation(nx.DiGraph([("x", "a"), ("x", "b"), ("y", "a"), ("y", "b")]))
    Counter({('a', 'b'): 2})
    """
    counts: Counter[tuple[str, str]] = Counter()
    for citing in graph:
        counts.update(combinations(sorted(graph.successors(citing)), 2))
    return counts


def coupling(graph: nx.DiGraph) -> Counter[tuple[str, str]]:
    """Bibliographic coupling: how many references each pair of citing works shares.

    >>> coupling(nx.DiGraph([("x", "a"), ("y", "a"), ("x", "b"), ("y", "b")]))
    Counter({('x', 'y'): 2})
    """
    counts: Counter[tuple[str, str]] = Counter()
    for cited in graph:
        counts.update(combinations(sorted(graph.predecessors(cited)), 2))
    return counts


def top_partners(
    graph: nx.DiGraph, works: list[str], kind: str, k: int = 3, chunk: int = 200,
    at: Indexed | None = None,
) -> dict[str, list[tuple[int, str]]]:
    """The ``k`` strongest co-citation (``kind="cocitation"``) or coupling partners of ``works``.

    The same counts as :func:`cocitation` and :func:`coupling`, computed only for the works
    asked about, as sparse matrix products: counting every pair of a whole graph holds a
    Counter of millions of pairs once a work is cited thousands of times (14 GB at 10M triples).
    Ties go to the partner whose IRI sorts first.

    >>> g = nx.DiGraph([("x", "a"), ("x", "b"), ("y", "a"), ("y", "b"), ("y", "c")])
    >>> top_partners(g, ["a"], "cocitation"), top_partners(g, ["x"], "coupling")
    ({'a': [(2, 'b'), (1, 'c')]}, {'x': [(2, 'y')]})
    """
    at = at or indexed(graph)
    if not len(at.citing):
        return {}
    size = len(at.nodes)
    cites = csr_matrix((np.ones(len(at.citing), dtype=np.int32), (at.citing, at.cited)),
                       shape=(size, size))
    matrix = (cites.T if kind == "cocitation" else cites).tocsr()
    found: dict[str, list[tuple[int, str]]] = {}
    for start in range(0, len(works), chunk):
        picked = works[start:start + chunk]
        counts = (matrix[[at.index[w] for w in picked]] @ matrix.T).tocsr()
        for row, work in enumerate(picked):
            begin, end = counts.indptr[row], counts.indptr[row + 1]
            columns, values = counts.indices[begin:end], counts.data[begin:end]
            keep = (columns != at.index[work]) & (values > 0)
            columns, values = columns[keep], values[keep]
            if len(values) > k:  # the k largest counts and their ties: the rest sort after them
                top = values >= np.partition(values, len(values) - k)[len(values) - k]
                columns, values = columns[top], values[top]
            # nodes are sorted, so a lower column is the partner whose IRI sorts first
            best = np.lexsort((columns, -values))[:k]
            if len(best):
                found[work] = [(int(values[i]), at.nodes[columns[i]]) for i in best]
    return found


def shortest_citation_path(graph: nx.DiGraph, source: str, target: str) -> list[str] | None:
    """The shortest chain of citations from ``source`` to ``target``, or None."""
    try:
        return nx.shortest_path(graph, source, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None


def citation_chains(
    graph: nx.DiGraph, source: str, target: str, max_steps: int = 6
) -> Iterator[list[str]]:
    """Every chain of citations from ``source`` to ``target`` of at most ``max_steps`` edges."""
    if source in graph and target in graph:
        yield from nx.all_simple_paths(graph, source, target, cutoff=max_steps)


def chain_members(graph: nx.DiGraph, source: str, target: str, max_steps: int) -> list[str]:
    """Every work on a chain of citations of at most ``max_steps`` edges from ``source`` to
    ``target``, nearest the source first; empty when there is none.

    A work is on such a chain when its distance from the source plus its distance to the target
    is at most ``max_steps``: two breadth-first walks, however many chains there are. Where two
    works cite each other this counts too a work reached only by passing another twice (no
    chain, as ``citation-chains`` and the page list them): enough for drawing the chains first.

    >>> chain_members(nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")]), "a", "c", 4)
    ['a', 'b', 'c']
    """
    if source not in graph or target not in graph:
        return []
    ahead = nx.single_source_shortest_path_length(graph, source, cutoff=max_steps)
    behind = nx.single_source_shortest_path_length(graph.reverse(copy=False), target,
                                                   cutoff=max_steps)
    if target not in ahead:
        return []
    on = [n for n in ahead if n in behind and ahead[n] + behind[n] <= max_steps]
    return sorted(on, key=lambda n: (ahead[n], n))


def _igraph() -> ModuleType:
    """igraph, imported when first needed and without matplotlib: igraph's drawing modules
    import ``matplotlib.pyplot`` at import time whenever matplotlib is installed (the test and
    notebook extras install it), 1.0 to 1.7 s of every build's and add's views for a plotting
    library the communities never use. While igraph is imported, ``matplotlib`` is marked as
    not importable (as Python's ``sys.modules`` allows), so igraph's drawing finds none; where
    matplotlib is already imported, igraph finds it as usual."""
    if "igraph" in sys.modules or "matplotlib" in sys.modules:
        import igraph
        return igraph
    sys.modules["matplotlib"] = None  # type: ignore[assignment]
    try:
        import igraph
    finally:
        del sys.modules["matplotlib"]
    return igraph


def communities(graph: nx.DiGraph, seed: int = 7, at: Indexed | None = None
                ) -> list[set[str]]:
    """Citation communities (Louvain modularity on the undirected citation graph), largest first.

    Louvain is igraph's (``community_multilevel``, in C): networkx's, in Python, took 21 of the
    citation view's 28 s at 10,000 documents, which an add draws again (docs/benchmark.md,
    "The views in an add"). Nodes are numbered in sorted order, each undirected edge given
    once in sorted order, and igraph's random numbers come from a generator seeded here, so
    the same graph gives the same communities.

    >>> g = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z")])
    >>> [sorted(c) for c in communities(g)]
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    at = at or indexed(graph)
    nodes = at.nodes
    low, high = np.minimum(at.citing, at.cited), np.maximum(at.citing, at.cited)
    # each undirected pair once, in sorted order (a self-citation is no pair)
    pairs = np.unique(low[low != high] * len(nodes) + high[low != high])
    edges = np.stack((pairs // len(nodes), pairs % len(nodes)), axis=1).tolist()
    igraph = _igraph()
    igraph.set_random_number_generator(random.Random(seed))
    try:
        found = igraph.Graph(n=len(nodes), edges=edges).community_multilevel()
    finally:
        igraph.set_random_number_generator(random)
    return sorted(({nodes[i] for i in members} for members in found),
                  key=lambda c: (-len(c), min(c)))


def lineage(graph: nx.DiGraph, work: str, depth: int, direction: str) -> set[str]:
    """Works within ``depth`` steps: "builds-on" (what it cites), "built-upon" (who cites it).

    >>> sorted(lineage(nx.DiGraph([("a", "b"), ("b", "c"), ("d", "a")]), "a", 2, "builds-on"))
    ['b', 'c']
    """
    view = graph if direction == "builds-on" else graph.reverse(copy=False)
    reached = nx.single_source_shortest_path_length(view, work, cutoff=depth)
    return {n for n in reached if n != work}
