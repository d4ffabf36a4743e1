"""SHACL validation of the built graph, run as SPARQL inside the store.

Each constraint of ``shapes.ttl`` is compiled to one SPARQL SELECT that returns the focus nodes
violating it, and Oxigraph answers it from its indexes. pyshacl walks an rdflib graph node by
node and took a quarter of the build at 200k triples; the compiled queries grow with the graph
the way the store's joins do. The compiler covers SHACL Core's value-type, cardinality, value-
range, string, property-pair and ``sh:in``/``sh:hasValue`` components, every kind of property
path, the four target kinds, and SPARQL-based constraints; a shape that uses anything else is
refused by name rather than silently passed. tests/test_validate.py checks every component
against pyshacl on graphs built to break it.

Each check also compiles to the same query over given focus nodes, with what a change must touch
to concern it (:class:`Reach`): after an add, :mod:`graph.rdf.focus` runs the checks on the
nodes the change concerns only.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from graph.errors import ValidationError
from graph.vocabulary.namespaces import PREFIXES

MAX_LINES = 25
MAX_THREADS = 4  # checks run at once; memory grows with each
# Oxigraph stores every type derived from xsd:integer as xsd:integer (its value encoding), so in
# the store sh:datatype on one of these is checked as "an xsd:integer in the type's range". The
# published files keep the exact datatype: they are written from graph.nt, not from the store.
INTEGER_RANGES: dict[URIRef, tuple[int | None, int | None]] = {
    XSD.nonNegativeInteger: (0, None), XSD.positiveInteger: (1, None),
    XSD.nonPositiveInteger: (None, 0), XSD.negativeInteger: (None, -1),
    XSD.long: (-(2**63), 2**63 - 1), XSD.int: (-(2**31), 2**31 - 1),
    XSD.short: (-(2**15), 2**15 - 1), XSD.byte: (-128, 127),
    XSD.unsignedLong: (0, 2**64 - 1), XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 2**16 - 1), XSD.unsignedByte: (0, 255),
}
RDF_TYPE_OF = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/" \
              "<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
SHAPE_KEYS = {RDF.type, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
              SH.property, SH.sparql, SH.message, SH.severity, SH.deactivated, SH.name,
              SH.description, SH.path, SH.order, SH.group}
NODE_KINDS = {
    SH.IRI: "isIRI(?v)", SH.Literal: "isLiteral(?v)", SH.BlankNode: "isBlank(?v)",
    SH.BlankNodeOrIRI: "(isBlank(?v) || isIRI(?v))",
    SH.BlankNodeOrLiteral: "(isBlank(?v) || isLiteral(?v))",
    SH.IRIOrLiteral: "(isIRI(?v) || isLiteral(?v))",
}


FOCI = "__FOCI__"  # in a check's ``focused`` query: the focus nodes it is run on


@dataclass(frozen=True)
class Reach:
    """Which changed triples can change a check's verdict on a node, and on which node.

    A node's verdict reads its target membership (its ``rdf:type``, or the triples of a
    ``sh:targetSubjectsOf``/``sh:targetObjectsOf`` predicate it is in), the values the path
    reaches from it, the types of those values (``sh:class``) and, for the property-pair
    components, its values of the other predicate. :mod:`graph.rdf.focus` walks a changed triple
    back along the path to the nodes it can concern.
    """

    steps: tuple[tuple[str, bool], ...]  # the path: (predicate IRI, inverse)
    pairs: tuple[str, ...]  # predicates compared with the path's values (sh:lessThan, ...)
    classes: bool  # targets by class: a changed type of the node matters
    value_types: bool  # sh:class: a changed type of a value matters
    subjects_of: tuple[str, ...]
    objects_of: tuple[str, ...]


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query whose ``?focus`` rows are violations.

    ``focused`` is the same query run on the nodes that replace :data:`FOCI`, and ``reach``
    says which nodes a change concerns; a check without them is always run whole.
    """

    shape: str
    path: str | None
    message: str
    severity: str
    query: str
    focused: str | None = None
    reach: Reach | None = None

    @property
    def key(self) -> str:
        """What identifies the check between builds: everything that decides its lines."""
        text = "\n".join([self.shape, self.path or "", self.message, self.severity, self.query])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def line(self, focus: str) -> str:
        """The report's line for one violating focus node (its value)."""
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: {focus}{where}: {self.message}"


def _sparql(term: URIRef | Literal) -> str:
    return term.n3()


def _path(graph: Graph, node: URIRef | BNode) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(node, URIRef):
        return node.n3()
    if (node, RDF.first, None) in graph:
        return "(" + "/".join(_path(graph, step) for step in Collection(graph, node)) + ")"
    for key, shape in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                       (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = graph.value(node, key)
        if inner is not None:
            return "(" + shape.format(_path(graph, inner)) + ")"
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(graph, a) for a in Collection(graph, alternatives)) + ")"
    raise ValidationError(f"unsupported SHACL path {node!r}")


def _steps(graph: Graph, node: URIRef | BNode) -> tuple[tuple[str, bool], ...] | None:
    """A path of predicates and inverse predicates in sequence as its steps; None for any other
    path (alternatives, repetition), which :mod:`graph.rdf.focus` does not walk back."""
    if isinstance(node, URIRef):
        return ((str(node), False),)
    if (node, RDF.first, None) in graph:
        parts = [_steps(graph, step) for step in Collection(graph, node)]
        if any(part is None for part in parts):
            return None
        return tuple(step for part in parts for step in part)  # type: ignore[union-attr]
    inner = graph.value(node, SH.inversePath)
    steps = None if inner is None else _steps(graph, inner)
    if steps is None:
        return None
    return tuple((predicate, not inverse) for predicate, inverse in reversed(steps))


def _reach(graph: Graph, shape: URIRef | BNode, node: URIRef | BNode) -> Reach | None:
    """What a change must touch to concern the checks of one property shape."""
    steps = _steps(graph, graph.value(node, SH.path))
    if steps is None:
        return None
    pairs = tuple(sorted(str(o) for key in (SH.lessThan, SH.lessThanOrEquals, SH.equals,
                                            SH.disjoint) for o in graph.objects(node, key)))
    return _targets_reach(graph, shape, steps, pairs, (node, SH["class"], None) in graph)


def _targets_reach(graph: Graph, shape: URIRef | BNode, steps: tuple[tuple[str, bool], ...],
                   pairs: tuple[str, ...], value_types: bool) -> Reach:
    """:class:`Reach` with what ``shape``'s targets read."""
    classes = (any(graph.objects(shape, SH.targetClass))
               or (shape, RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")) in graph)
    return Reach(steps, pairs, bool(classes), value_types,
                 tuple(sorted(str(p) for p in graph.objects(shape, SH.targetSubjectsOf))),
                 tuple(sorted(str(p) for p in graph.objects(shape, SH.targetObjectsOf))))


class _NotStar(Exception):
    """A SPARQL constraint reads more than its focus node's own values."""


THIS = Variable("this")
# parts of a query that may read beyond the focus node's own triples (another graph, another
# service, a subquery whose ``$this`` is a variable of its own, a limit over every node's rows)
_BEYOND = {"Graph", "GraphGraphPattern", "Service", "ServiceGraphPattern", "SubSelect", "Project",
           "Slice"}
_AROUND = {"Distinct", "Reduced", "OrderBy"}  # what may wrap the query's projection


def _star_predicates(part: object) -> Iterator[str]:
    """The predicates of the triple patterns in ``part`` (a query's algebra or parse tree), all
    of which must start at ``$this``; :class:`_NotStar` otherwise."""
    if isinstance(part, CompValue):
        if part.name in _BEYOND:
            raise _NotStar(part.name)
        for key, value in part.items():
            if key == "triples":
                flat = [term for triple in value for term in triple]
                for subject, predicate, thing in zip(*[iter(flat)] * 3, strict=True):
                    if subject != THIS or not isinstance(predicate, URIRef) or thing == THIS:
                        raise _NotStar(f"{subject} {predicate} {thing}")
                    yield str(predicate)
            elif not key.startswith("_"):
                yield from _star_predicates(value)
    elif isinstance(part, list | tuple):
        for item in part:
            yield from _star_predicates(item)


def _parsed(text: str) -> Query | None:
    """``text`` parsed by rdflib, or None if it cannot be; run in a thread of its own.

    The parser's errors, raised and caught as it tries each rule, keep in reference cycles the
    frames they passed through, and Python 3.11 keeps the callers of such a frame too: parsed on
    the build's own thread, the SHACL stage's frames, and the store they hold open, lived on
    until a full collection, and a second build into the same folder in that process could not
    open its store. In a thread of its own, the cycles hold that thread's frames only.
    """
    try:
        return prepareQuery(text)
    except ParseException:
        return None


def _star(select: str, prefixes: str) -> tuple[tuple[str, ...], str] | None:
    """For a SPARQL constraint whose every triple pattern starts at ``$this`` with a fixed
    predicate (its verdict on a node reads that node's own values of those predicates only):
    those predicates, and its SELECT run on the nodes of :data:`FOCI` only (a ``VALUES`` block
    opening its WHERE). None for any other query: it is run whole."""
    with ThreadPoolExecutor(1) as pool:
        query = pool.submit(_parsed, f"{prefixes}\n{select}").result()
    if query is None:
        return None
    try:
        projection = query.algebra["p"]
        while projection.name in _AROUND:
            projection = projection["p"]
        if projection.name != "Project":
            return None
        predicates = tuple(sorted(set(_star_predicates(projection["p"]))))
    except (_NotStar, KeyError, TypeError, ValueError):
        return None
    projected = query.algebra.get("PV")
    opening = select.find("{")
    head = select[:opening]
    if query.algebra.name != "SelectQuery" or projected != [THIS] or opening < 0 or any(
            mark in head for mark in "#'\""):
        return None  # the WHERE's brace is found by text: nothing before it may hide one
    return predicates, f"{head}{{ VALUES $this {{ {FOCI} }} {select[opening + 1:]}"


def _shown_path(path: str) -> str:
    """A compiled path in the project's prefixes, for the report a person reads.

    >>> _shown_path("(<http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact>)")
    'oa:hasSelector/oa:exact'
    """
    shown = path[1:-1] if path.startswith("(") and path.endswith(")") else path
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        shown = shown.replace(f"<{namespace}", f"{prefix}:")
    return shown.replace(">", "")


def _targets(graph: Graph, shape: URIRef | BNode, var: str = "?focus", foci: bool = False) -> str:
    """A group pattern binding ``var`` to every target of ``shape`` (``foci``: of those in
    :data:`FOCI`; inside the subquery, so Oxigraph looks each one up instead of listing all)."""
    classes = graph.objects(shape, SH.targetClass)
    parts = [f"{{ {var} {RDF_TYPE_OF} {_sparql(c)} }}" for c in classes]
    if (shape, RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")) in graph:
        parts.append(f"{{ {var} {RDF_TYPE_OF} {_sparql(shape)} }}")
    parts += [f"{{ VALUES {var} {{ {_sparql(n)} }} }}" for n in graph.objects(shape, SH.targetNode)]
    parts += [f"{{ {var} {_sparql(p)} [] }}" for p in graph.objects(shape, SH.targetSubjectsOf)]
    parts += [f"{{ [] {_sparql(p)} {var} }}" for p in graph.objects(shape, SH.targetObjectsOf)]
    if not parts:
        return ""
    values = f"VALUES {var} {{ {FOCI} }} " if foci else ""
    return f"{{ SELECT DISTINCT {var} WHERE {{ {values}" + " UNION ".join(parts) + " } }"


def _value_filter(
    graph: Graph, node: URIRef | BNode, key: URIRef, value: URIRef | Literal | BNode
) -> str | None:
    """The FILTER that is true of a value ``?v`` violating one value constraint, or None."""
    if key == SH.datatype:
        if value in INTEGER_RANGES:  # the store keeps these as xsd:integer: check the range
            low, high = INTEGER_RANGES[value]
            bounds = "".join(f" || ?v {op} {bound}" for op, bound in (("<", low), (">", high))
                             if bound is not None)
            return f"!isLiteral(?v) || datatype(?v) != {_sparql(XSD.integer)}{bounds}"
        return f"!isLiteral(?v) || datatype(?v) != {_sparql(value)}"
    if key == SH["class"]:
        return f"NOT EXISTS {{ ?v {RDF_TYPE_OF} {_sparql(value)} }}"
    if key == SH.nodeKind:
        return f"!{NODE_KINDS[value]}"
    if key == SH["in"]:
        members = " || ".join(f"sameTerm(?v, {_sparql(m)})" for m in Collection(graph, value))
        return f"!({members or 'false'})"
    if key == SH.pattern:
        flags = graph.value(node, SH.flags)
        options = f", {_sparql(Literal(str(flags)))}" if flags else ""
        return f"isBlank(?v) || !REGEX(STR(?v), {_sparql(Literal(str(value)))}{options})"
    if key == SH.minLength:
        return f"isBlank(?v) || STRLEN(STR(?v)) < {int(value)}"
    if key == SH.maxLength:
        return f"isBlank(?v) || STRLEN(STR(?v)) > {int(value)}"
    for bound, compare in ((SH.minInclusive, ">="), (SH.maxInclusive, "<="),
                           (SH.minExclusive, ">"), (SH.maxExclusive, "<")):
        if key == bound:
            return f"!COALESCE(?v {compare} {_sparql(value)}, false)"
    return None


def _values(graph: Graph, path: URIRef | BNode) -> str:
    """A pattern binding ``?focus`` and ``?v`` to each node and a value ``path`` reaches from
    it, over the whole graph (duplicates aside, ``?focus path ?v``).

    A sequence of predicates is a join of one scan per step, each its own subquery: Oxigraph
    then joins them by a hash table, where it follows a path, or a pattern of the same query,
    by one lookup per row (4x slower at 45,000 rows). Other paths are left to Oxigraph."""
    steps = _steps(graph, path)
    if steps is None or len(steps) == 1:
        return f"?focus {_path(graph, path)} ?v ."
    names = ["?focus", *(f"?step{i}" for i in range(1, len(steps))), "?v"]
    scans = []
    for (predicate, inverse), start, end in zip(steps, names[:-1], names[1:], strict=True):
        subject, thing = (end, start) if inverse else (start, end)
        scans.append(f"{{ SELECT {start} {end} WHERE {{ {subject} <{predicate}> {thing} }} }}")
    return " ".join(scans)


def _property_checks(graph: Graph, node: URIRef | BNode, targets: str, focused: str
                     ) -> Iterator[tuple[str, str]]:
    """Each constraint of one property shape as the WHERE body (after its opening brace) of its
    query over the whole graph and of its query on the nodes of :data:`FOCI` (``focused``: those
    nodes' targets pattern).

    On a few nodes, the targets come first and each one's values are looked up. Over the whole
    graph, a lookup per target made each check a pass over every target (0.3-1.3 s each at
    1.2M triples): there, the path's values are scanned and the few nodes failing the check
    (none, in a graph that conforms) are joined with the targets, and what a node must lack
    (a value, a typed value) is taken away by ``MINUS``, which Oxigraph answers with one hash
    table instead of a lookup per row. Both find the same nodes (tests/test_validate.py)."""
    path = _path(graph, graph.value(node, SH.path))
    values = _values(graph, graph.value(node, SH.path))
    pairs = sorted(graph.predicate_objects(node), key=lambda kv: (str(kv[0]), str(kv[1])))
    for key, value in pairs:
        if key in SHAPE_KEYS or key == SH.flags:
            continue
        if key == SH.minCount:
            counted = (f"OPTIONAL {{ ?focus {path} ?v }} }} GROUP BY ?focus "
                       f"HAVING (COUNT(DISTINCT ?v) < {int(value)})")
            none = f"MINUS {{ {values} }} }}"  # a bound of one: no value at all
            yield f"{targets} {none if int(value) == 1 else counted}", f"{focused} {counted}"
        elif key == SH.maxCount:
            yield (f"{{ SELECT ?focus WHERE {{ {values} }} GROUP BY ?focus "
                   f"HAVING (COUNT(DISTINCT ?v) > {int(value)}) }} {targets} }}",
                   f"{focused} ?focus {path} ?v }} GROUP BY ?focus "
                   f"HAVING (COUNT(DISTINCT ?v) > {int(value)})")
        elif key == SH.hasValue:
            yield (f"{targets} MINUS {{ ?focus {path} {_sparql(value)} }} }}",
                   f"{focused} FILTER NOT EXISTS {{ ?focus {path} {_sparql(value)} }} }}")
        elif key in (SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint):
            other = _sparql(value)
            test = {SH.lessThan: "!COALESCE(?v < ?w, false)",
                    SH.lessThanOrEquals: "!COALESCE(?v <= ?w, false)",
                    SH.disjoint: "sameTerm(?v, ?w)"}.get(key)
            if test is None:  # sh:equals: each value of one is a value of the other
                one = f"{{ ?focus {path} ?v FILTER NOT EXISTS {{ ?focus {other} ?v }} }}"
                two = f"{{ ?focus {other} ?v FILTER NOT EXISTS {{ ?focus {path} ?v }} }}"
                body = f"{one} UNION {two} }}"
            else:
                body = f"?focus {path} ?v . ?focus {other} ?w FILTER({test}) }}"
            yield f"{targets} {body}", f"{focused} {body}"
        else:
            condition = _value_filter(graph, node, key, value)
            if condition is None:
                raise ValidationError(f"the property shape on {_shown_path(path)} uses "
                                      f"{key.n3(graph.namespace_manager)}, which the store "
                                      "validator does not implement")
            fails = (f"MINUS {{ ?v {RDF_TYPE_OF} {_sparql(value)} }}" if key == SH["class"]
                     else f"FILTER({condition})")
            yield (f"{{ SELECT DISTINCT ?focus WHERE {{ {values} {fails} }} }} "
                   f"{targets} }}",
                   f"{focused} ?focus {path} ?v FILTER({condition}) }}")


def _declared_prefixes(graph: Graph, constraint: URIRef | BNode) -> str:
    lines = []
    for holder in graph.objects(constraint, SH.prefixes):
        for declaration in graph.objects(holder, SH.declare):
            prefix = graph.value(declaration, SH.prefix)
            namespace = graph.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(lines))


def compile_shapes(shapes: Path) -> list[Check]:
    """Every constraint of the shapes file as a SPARQL check, in a stable order."""
    graph = Graph().parse(shapes, format="turtle")
    checks = []
    node_shapes = set(graph.subjects(RDF.type, SH.NodeShape))
    for shape in sorted(node_shapes, key=str):
        if graph.value(shape, SH.deactivated) == Literal(True):
            continue
        unknown = {k for k in graph.predicates(shape, None)} - SHAPE_KEYS
        if unknown:
            names = ", ".join(sorted(k.n3(graph.namespace_manager) for k in unknown))
            raise ValidationError(f"{shapes.name}: shape {shape} uses {names}, "
                                  "which the store validator does not implement")
        targets = _targets(graph, shape)
        focused = _targets(graph, shape, foci=True)
        if not targets:
            continue
        name = str(shape).rsplit("#", 1)[-1]
        severity = str(graph.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        properties = graph.objects(shape, SH.property)
        for node in sorted(properties, key=lambda n: (_path(graph, graph.value(n, SH.path)),
                                                      str(graph.value(n, SH.message)))):
            if graph.value(node, SH.deactivated) == Literal(True):
                continue
            path = _path(graph, graph.value(node, SH.path))
            message = str(graph.value(node, SH.message) or f"violates a constraint on {path}")
            level = str(graph.value(node, SH.severity) or severity).rsplit("#", 1)[-1]
            reach = _reach(graph, shape, node)
            for body, near in _property_checks(graph, node, targets, focused):
                checks.append(Check(name, _shown_path(path), message, level,
                                    f"SELECT DISTINCT ?focus WHERE {{ {body}",
                                    f"SELECT DISTINCT ?focus WHERE {{ {near}", reach))
        for constraint in graph.objects(shape, SH.sparql):
            select = str(graph.value(constraint, SH.select))
            message = str(graph.value(constraint, SH.message) or "violates a SPARQL constraint")
            prefixes = _declared_prefixes(graph, constraint)
            query = (f"{prefixes}\nSELECT DISTINCT (?this AS ?focus) WHERE {{ "
                     f"{_targets(graph, shape, '?this')} {{ {select} }} }}")
            star = _star(select, prefixes)
            if star is None:
                checks.append(Check(name, None, message, severity, query))
                continue
            predicates, near = star
            checks.append(Check(name, None, message, severity, query,
                                f"{prefixes}\nSELECT DISTINCT (?this AS ?focus) WHERE {{ "
                                f"{_targets(graph, shape, '?this', foci=True)} {{ {near} }} }}",
                                _targets_reach(graph, shape, (), predicates, False)))
    return checks


Verdicts = dict[str, list[tuple[str, str]]]  # check key -> violating nodes (N-Triples, value)


def _run(store: ox.Store, check: Check, foci: set[str] | None) -> list[tuple[str, str]]:
    """The focus nodes violating ``check``: among ``foci`` (N-Triples terms), or all (None)."""
    if foci is None or check.focused is None:
        query = check.query
    elif not foci:
        return []
    else:
        query = check.focused.replace(FOCI, " ".join(sorted(foci)))
    return sorted({(str(s["focus"]), s["focus"].value) for s in store.query(query)})


def verdicts(store: ox.Store, checks: list[Check],
             foci: dict[str, set[str] | None] | None = None) -> Verdicts:
    """Each check's violating nodes; a check with a set in ``foci`` is run on those nodes only.

    The queries run on a thread per core, up to ``MAX_THREADS``: Oxigraph lets go of Python's
    lock while it evaluates, so two cores validate a large graph in about 0.6 of the time of one
    (docs/benchmark.md). Each running query holds its joins in memory (over 113M triples, two
    at once took the stage to 6.5 GiB), hence the cap.
    """
    chosen = foci or {}
    with ThreadPoolExecutor(max_workers=min(MAX_THREADS, os.cpu_count() or 1)) as pool:
        found = pool.map(lambda check: _run(store, check, chosen.get(check.key)), checks)
        return {check.key: nodes for check, nodes in zip(checks, found, strict=True)}


def lines(checks: list[Check], found: Verdicts) -> list[str]:
    """Every result as "Severity: focus path: message", sorted."""
    return sorted({check.line(value) for check in checks for _nt, value in found[check.key]})


def results(store: ox.Store, checks: list[Check]) -> list[str]:
    """Every result as "Severity: focus path: message", sorted, of every check run whole."""
    return lines(checks, verdicts(store, checks))


def conform(found: list[str], shapes: Path) -> list[str]:
    """Raise with a readable report if ``found`` holds a violation; else its warnings and infos."""
    violations = [line for line in found if line.startswith("Violation")]
    if violations:
        shown = violations[:MAX_LINES]
        more = len(violations) - len(shown)
        tail = f"\n  ... and {more} more" if more else ""
        raise ValidationError(
            f"the graph does not conform to {shapes.name} ({len(violations)} violations):\n  "
            + "\n  ".join(shown) + tail
        )
    return [line for line in found if not line.startswith("Violation")]


def validate(store: ox.Store, shapes: Path) -> list[str]:
    """Check the store's graph against the shapes; raise with a readable report on a violation.

    Returns the warnings (results of severity Warning or Info), which do not fail a build.
    """
    return conform(results(store, compile_shapes(shapes)), shapes)

