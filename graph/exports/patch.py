"""The KGX export after a change: the last build's files with the rows the change touches made
again, the same bytes as exporting the whole store (tests/test_export_patch.py).

A KGX node row is one node, and an edge row one edge. After an ``add`` or a ``remove`` the
build knows the ``graph.nt`` lines removed and added (:class:`graph.rdf.delta.Difference`);
from each export query's pattern follows which of its rows such a line can change:

* a work's node row (``exports/works``, ``exports/designs``): the subject and object of a
  ``cito:cites`` line (a work is in the export because it cites or is cited), the object of a
  ``maild:study``/``maild:reportedIn`` line and the works a finding whose ``a maild:Finding``
  line changed names (or because a finding names it), the subject of a bibliographic field's
  line, of a ``maild:studyDesign`` line and of an ``a maild:CorpusDocument`` line, and the works
  of a study design whose ``skos:prefLabel`` line changed (``exports/works-near``);
* a citation edge (``exports/citations``): the edge of a changed ``cito:cites`` line (made from
  the line: an edge's row is its two works' node ids), and the citations of every work whose
  node id changed (edges name works by node id);
* every other row (concepts, their hierarchy and antigens, the findings' edges) is a few per
  document or per concept: made again whole, as are the concept nodes.

Only those rows are asked of the store (their works bound in a ``VALUES`` block), and spliced
into the last build's sorted files. Their old rows are found by node id, kept with the CURIEs
the Bioregistry gave the concepts' mappings (loading it costs seconds) in the build's cache
(:data:`STATE`). A change past :data:`CHANGE_LIMIT` lines, an unknown one (``None``), a missing
or damaged state, or node ids two nodes share export the whole store, as a first build does.
"""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox

from graph.cache_keys import FOLDER as CACHE
from graph.cache_keys import code_digest, digest
from graph.errors import ExportError
from graph.exports.graphml import (
    Kinds,
    Splice,
    element_offsets,
    graphml_kinds,
    patch_graphml,
    splice_graphml,
)
from graph.exports.kgx import (
    CITATIONS,
    DESIGNS,
    EDGE_COLUMNS,
    FINDING_QUERIES,
    NODE_COLUMNS,
    WORKS,
    CitationLines,
    Treats,
    affects_edges,
    concept_edges,
    concept_nodes,
    external_curie,
    keyed_lines,
    node_ids,
    node_line,
    treats_edges,
    work_nodes,
    write_kgx,
    write_tsv,
)
from graph.exports.kgx_check import check_kgx
from graph.query.binding import bind_rows_within
from graph.query.endpoints import Target
from graph.query.texts import internal_query
from graph.rdf.delta import Difference
from graph.vocabulary.prefixes import PREFIXES

FILES = ("kgx_nodes.tsv", "kgx_edges.tsv", "graph.graphml")  # in the build's exports/
STATE = "exports.pickle"  # in the cache folder: ExportState
MADE = (".made_nodes.tsv", ".made_edges.tsv")  # a patch's rows, checked, then deleted
CHANGE_LIMIT = 20_000  # changed lines past which the whole store is exported
WORKS_NEAR = internal_query("exports/works-near")
FINDINGS_NEAR = internal_query("exports/findings-near")
CITES = PREFIXES["cito"] + "cites"
_MAILD = PREFIXES["maild"]
_TYPE = PREFIXES["rdf"] + "type"
# Predicates whose line's subject is a work whose node row it changes (exports/works, designs).
_WORK_FIELDS = frozenset({
    PREFIXES["dcterms"] + "title", PREFIXES["dcterms"] + "issued",
    PREFIXES["dcterms"] + "abstract", PREFIXES["prism"] + "publicationName",
    PREFIXES["bibo"] + "doi", PREFIXES["bibo"] + "pmid", _MAILD + "studyDesign"})
_NAMED_WORK = frozenset({_MAILD + "study", _MAILD + "reportedIn"})  # the object is a work
_CORPUS_DOCUMENT, _FINDING = _MAILD + "CorpusDocument", _MAILD + "Finding"
_PREF_LABEL = PREFIXES["skos"] + "prefLabel"


def _state_key() -> str:
    """What the state's node ids and CURIEs are made with: the code and the Bioregistry."""
    return digest(code_digest(), version("bioregistry"))


@dataclass
class ExportState:
    """The last export's node ids (by concept and work IRI) and the CURIEs of its mappings."""

    key: str = field(default_factory=_state_key)
    curies: dict[str, str] = field(default_factory=dict)
    concepts: dict[str, str] = field(default_factory=dict)
    works: dict[str, str] = field(default_factory=dict)
    treats: Treats = field(default_factory=dict)  # as graph.exports.kgx.finding_edges keeps it
    kinds: Kinds = field(default_factory=Counter)  # the GraphML's attribute types, counted
    elements: bytes = b""  # where the GraphML's elements start (graphml.element_offsets)

    def curie(self, iri: str) -> str:
        """:func:`graph.exports.kgx.external_curie`, answered from the last build's if known."""
        if iri not in self.curies:
            self.curies[iri] = external_curie(iri)
        return self.curies[iri]


def load_state(folder: Path) -> ExportState | None:
    """The state a build in ``folder`` kept, if it is there, whole and made as this code would."""
    try:
        with (folder / CACHE / STATE).open("rb") as handle:
            state = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    return state if isinstance(state, ExportState) and state.key == _state_key() else None


def _save_state(state: ExportState, folder: Path) -> None:
    (folder / CACHE).mkdir(parents=True, exist_ok=True)
    with (folder / CACHE / STATE).open("wb") as handle:
        pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _unique(*ids: dict[str, str]) -> bool:
    """Whether no two nodes share an id (else their rows cannot be told apart by it)."""
    every = [i for found in ids for i in found.values()]
    return len(every) == len(set(every))


def _triples(change: Difference) -> list[ox.Quad]:
    """The changed lines, parsed (as quads of the default graph)."""
    text = "\n".join(change.removed + change.added) + "\n"
    return list(ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))


def _cited(lines: list[str]) -> set[tuple[str, str]]:
    """The (citing, cited) works of the ``cito:cites`` lines among ``lines``."""
    text = "\n".join(lines) + "\n"
    return {(t.subject.value, t.object.value)
            for t in ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
            if t.predicate.value == CITES}


def _iri(term: object) -> str | None:
    return term.value if isinstance(term, ox.NamedNode) else None


def _bound(target: Target, query: str, variable: str, iris: Iterable[str]) -> Iterator[str]:
    """The ``variable`` values of ``query`` with ``?node`` bound to ``iris`` (none: no rows)."""
    nodes = [ox.NamedNode(i) for i in sorted(set(iris))]
    if nodes:
        for row in target.stream(bind_rows_within(query, "node", nodes), "<exports>"):
            yield row[variable]["value"]


Pair = tuple[str, str]  # a citing and a cited work


def touched_works(target: Target, triples: list[ox.Quad]) -> tuple[set[str], set[Pair]]:
    """The works whose node rows the changed ``triples`` can change, and the (citing, cited)
    works of the changed ``cito:cites`` lines (see the module's docstring)."""
    works: set[str] = set()
    cites: set[Pair] = set()
    near: set[str] = set()
    for t in triples:
        subject, predicate, object_ = _iri(t.subject), t.predicate.value, _iri(t.object)
        if predicate == CITES:
            works.update(w for w in (subject, object_) if w)
            if subject and object_:
                cites.add((subject, object_))
        elif predicate in _NAMED_WORK and object_:
            works.add(object_)
        elif subject and (predicate in _WORK_FIELDS or (predicate, object_) == (_TYPE,
                                                                              _CORPUS_DOCUMENT)):
            works.add(subject)
        if subject and ((predicate, object_) == (_TYPE, _FINDING) or predicate == _PREF_LABEL):
            near.add(subject)
    return works | set(_bound(target, WORKS_NEAR, "work", near)), cites


def _spliced(old: Path, gone: set[str], new: list[tuple[str, str]],
             key: Callable[[str], str | None] | None = None,
             splice: Splice | None = None) -> Iterator[str]:
    """The lines of ``old`` (past its header) but those whose key is in ``gone``, merged with
    the ``new`` (key, line) pairs, sorted: a line's key is its first field (a node's id), or
    ``key(line)`` (an edge's sort key; None: the line is made again, so left out). ``splice``
    is given what was kept, left out and put in, for the GraphML (:class:`Splice`)."""
    position, index, first = 0, -1, -1  # first: the first old line of the run being kept
    parts, dropped = (splice.parts, splice.dropped) if splice is not None else ([], [])
    with old.open(encoding="utf-8", newline="\n") as handle:
        next(handle)
        for index, line in enumerate(handle):
            line = line.rstrip("\n")
            found = line.split("\t", 1)[0] if key is None else key(line)
            if found is None or (key is None and found in gone):
                if first >= 0:
                    parts.append((first, index))
                    first = -1
                dropped.append(line)
                continue
            while position < len(new) and new[position][0] < found:
                if first >= 0:
                    parts.append((first, index))
                    first = -1
                parts.append(new[position][1])
                yield new[position][1]
                position += 1
            if first < 0:
                first = index
            yield line
    if first >= 0:
        parts.append((first, index + 1))
    for _, line in new[position:]:
        parts.append(line)
        yield line
    if splice is not None:
        splice.old = index + 1


def _findings(target: Target, triples: list[ox.Quad], moved: set[str]) -> set[str]:
    """The findings whose edges the changed ``triples`` can change: their subjects, and the
    findings that join them or a work whose node id changed (``exports/findings-near``)."""
    subjects = {i for t in triples if (i := _iri(t.subject))}
    return subjects | set(_bound(target, FINDINGS_NEAR, "finding", subjects | moved))


def _treats_changed(treats: Treats, findings: set[str], made: Treats) -> set[tuple[str, str]]:
    """Take ``findings`` out of ``treats``, put in what was ``made`` of them again; the
    (drug, disease) pairs whose edge that changes."""
    changed = set(made)
    for pair, found in list(treats.items()):
        if not findings.isdisjoint(found):
            changed.add(pair)
            for finding in findings & found.keys():
                del found[finding]
            if not found:
                del treats[pair]
    for pair, found in made.items():
        treats.setdefault(pair, {}).update(found)
    return changed


Spliced = tuple[Path, Path, ExportState, tuple[Splice, Splice]]  # the KGX files, their state


def patch_kgx(target: Target, previous: Path, folder: Path, state: ExportState,
              change: Difference) -> Spliced | str:
    """The last build's KGX files (in ``previous``) changed by ``change`` into ``folder``, with
    the state they leave and how each was spliced; or why they cannot be."""
    triples = _triples(change)
    concepts = concept_nodes(target, state.curie)
    concept_ids = node_ids(concepts)
    if concept_ids != state.concepts:
        return "the concepts' node ids changed"
    touched, cites = touched_works(target, triples)
    bound = [ox.NamedNode(w) for w in sorted(touched)]
    made = work_nodes(target, bind_rows_within(WORKS, "work", bound),
                      bind_rows_within(DESIGNS, "work", bound))
    works = {w: i for w, i in state.works.items() if w not in touched}
    works.update(node_ids(made))
    if not _unique(concept_ids, works) or not _unique(state.concepts, state.works):
        return "two nodes share a node id"
    gone_nodes = {state.works[w] for w in touched if w in state.works} | set(
        state.concepts.values())
    new_nodes = sorted((n["id"], node_line(n)) for n in [*concepts.values(), *made.values()])
    splices = (Splice(), Splice())
    nodes = write_tsv(folder / "kgx_nodes.tsv", NODE_COLUMNS,
                      _spliced(previous / "kgx_nodes.tsv", gone_nodes, new_nodes,
                               splice=splices[0]))

    # the citation edges that change: a changed cites line's (the store says whether it was
    # added: its edge is made from the line), and every citation of a work whose id changed
    moved_ids = {w for w in touched if state.works.get(w) != works.get(w)}
    ends = [ox.NamedNode(w) for w in sorted(moved_ids)]
    added = {(a, b) for a, b in cites if a in works and b in works} & _cited(change.added)
    findings = _findings(target, triples, moved_ids)
    on = [ox.NamedNode(f) for f in sorted(findings)]
    treats = {pair: dict(found) for pair, found in state.treats.items()}
    made_treats: Treats = {}
    citations = CitationLines(works)
    rows = [*affects_edges(target, concept_ids, works, made_treats,
                           tuple(bind_rows_within(q, "finding", on) for q in FINDING_QUERIES)),
            *concept_edges(target, concept_ids)]
    pairs = _treats_changed(treats, findings, made_treats)
    rows += treats_edges({p: treats[p] for p in sorted(pairs) if p in treats}, concept_ids, works)
    keyed = sorted({*citations.of(target, bind_rows_within(CITATIONS, "citing", ends)),
                    *citations.of(target, bind_rows_within(CITATIONS, "cited", ends)),
                    *(citations.line(a, b) for a, b in sorted(added)), *keyed_lines(rows)})
    new_edges = [(k, k.split("\0", 4)[4]) for k in keyed]
    gone_ends = {state.works[w] for w in moved_ids if w in state.works}
    gone_cites = {(state.works[a], state.works[b]) for a, b in cites
                  if a in state.works and b in state.works}
    gone_pairs = {(concept_ids[d], concept_ids[x]) for d, x in pairs}

    def kept(line: str) -> str | None:
        """An old edge's sort key, or None if it is made again: a citation of a work whose
        citations are, an affects edge of a finding whose edges are, a drug and disease whose
        findings changed, and the concepts' edges (made whole)."""
        ident, subject, predicate, object_, rest = line.split("\t", 4)
        if predicate == "biolink:related_to":
            if subject in gone_ends or object_ in gone_ends or (subject, object_) in gone_cites:
                return None
        elif predicate == "biolink:affects":
            if rest.rsplit("\t", 1)[1] in findings:
                return None
        elif predicate != "biolink:studied_to_treat" or (subject, object_) in gone_pairs:
            return None
        return "\0".join((predicate, subject, object_, ident, line))

    edges = write_tsv(folder / "kgx_edges.tsv", EDGE_COLUMNS,
                      _spliced(previous / "kgx_edges.tsv", set(), new_edges, kept, splices[1]))
    # the rows made, to be checked beside the last build's (checked when it was made)
    write_tsv(folder / MADE[0], NODE_COLUMNS, (line for _, line in new_nodes))
    write_tsv(folder / MADE[1], EDGE_COLUMNS, (line for _, line in new_edges))
    return nodes, edges, ExportState(state.key, state.curies, concept_ids, works, treats,
                                     state.kinds, state.elements), splices


def _kgx(target: Target, previous: Path, staging: Path, change: Difference | None,
         state: ExportState | None
         ) -> tuple[Path, Path, ExportState, tuple[Splice, Splice] | None, str | None]:
    """The KGX files of the store ``target`` into ``staging/exports``: the last build's in
    ``previous`` (``state``: the state it kept) patched by ``change`` where it can, else the
    whole store exported. Returns their paths, the state they leave, how they were spliced
    (None: written whole) and why the whole store was exported (None: it was patched)."""
    folder = staging / "exports"
    why = None
    if change is None:
        why = "the change to graph.nt is not known"
    elif len(change) > CHANGE_LIMIT:
        why = f"more than {CHANGE_LIMIT} lines of graph.nt changed"
    elif state is None:
        why = "the last build kept no export state this code can use"
    elif not all((previous / "exports" / name).is_file() for name in FILES):
        why = "the last build has no export files"
    if why is None and state is not None and change is not None:
        patched = patch_kgx(target, previous / "exports", folder, state, change)
        if not isinstance(patched, str):
            return *patched, None
        why = patched
    kept = state or ExportState()
    nodes, edges, concepts, works, treats = write_kgx(target, folder, curie=kept.curie)
    return nodes, edges, ExportState(kept.key, kept.curies, concepts, works, treats), None, why


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return handle.readline().rstrip("\n").split("\t")


def _graphml_spliced(old: Path, last: ExportState | None, state: ExportState,
                     splices: tuple[Splice, Splice], new: tuple[Path, Path], graphml: Path
                     ) -> tuple[Kinds, bytes] | None:
    """The GraphML made from the last build's (``old``, its export folder, ``last`` its state)
    by copying the elements of the KGX lines the splice kept (:func:`splice_graphml`); None
    where it cannot be: the columns changed, or a node was taken out (a kept edge may end at
    it, and the whole GraphML then holds it as a bare node)."""
    if last is None:
        return None
    columns = {"node": _header(old / FILES[0]), "edge": _header(old / FILES[1])}
    nodes = {*state.concepts.values(), *state.works.values()}
    if columns != {"node": _header(new[0]), "edge": _header(new[1])} or not nodes.issuperset(
            (*last.concepts.values(), *last.works.values())):
        return None
    offsets = last.elements or element_offsets(old / FILES[2])
    return splice_graphml(old / FILES[2], offsets, splices, columns, nodes, graphml, last.kinds)


def write_exports(target: Target, previous: Path, staging: Path, change: Difference | None
                  ) -> tuple[dict[str, Path], dict[str, int], str | None]:
    """The KGX files of the store ``target`` (checked) and their GraphML, into
    ``staging/exports``: the last build's in ``previous`` patched by ``change`` where it can
    (the state that takes kept in ``staging``'s cache). Returns the files by name, how many
    were patched ("reused") and written whole ("made"), and why the whole store was exported
    (None: the KGX files were patched).

    The GraphML is made, in order of preference, from the last build's by copying the
    elements of the lines the KGX splice kept (by their offsets, kept in the state), by
    pairing the old and new KGX lines (:func:`patch_graphml`), or whole."""
    last = load_state(previous)
    nodes, edges, state, splices, why = _kgx(target, previous, staging, change, last)
    if why is None:  # the rows made, beside the last build's nodes
        made_nodes, made_edges = (nodes.parent / name for name in MADE)
        problems = check_kgx(made_nodes, made_edges, model=None,
                             beside={*state.concepts.values(), *state.works.values()})
        made_nodes.unlink()
        made_edges.unlink()
    else:
        problems = check_kgx(nodes, edges, model=None)
    if problems:
        raise ExportError("the KGX export is malformed:\n  " + "\n  ".join(problems))
    graphml = nodes.parent / FILES[2]
    old = previous / "exports"
    kinds, state.elements = None, b""
    if why is None and state.kinds and splices is not None:
        spliced = _graphml_spliced(old, last, state, splices, (nodes, edges), graphml)
        if spliced is not None:
            kinds, state.elements = spliced
        else:
            kinds = patch_graphml((old / FILES[0], old / FILES[1], old / FILES[2]),
                                  (nodes, edges), graphml, state.kinds)
    patched = (2 if why is None else 0) + (kinds is not None)
    state.kinds = kinds if kinds is not None else graphml_kinds(nodes, edges, graphml)
    state.elements = state.elements or element_offsets(graphml)
    _save_state(state, staging)
    return ({"kgx nodes": nodes, "kgx edges": edges, "graphml": graphml},
            {"reused": patched, "made": 3 - patched}, why)
