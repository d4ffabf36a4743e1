"""After a change to the graph, the last build's KGX files, GraphML and ``void.ttl`` patched by
the difference are, byte for byte, those exported from the whole store (graph.exports.patch).

Each case changes the corpus build's ``graph.nt`` where one export query reads it: a row added,
a row taken out, or a label a joined row shows changed. The changed lines are loaded into a
store of their own, and its exports are made both ways from the same store.
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.build.pipeline import build
from graph.exports.graphml import element_offsets, graphml_kinds, patch_graphml
from graph.exports.kgx_check import check_kgx
from graph.exports.patch import STATE, load_state, write_exports
from graph.exports.release import write_description
from graph.query.endpoints import EmbeddedStore
from graph.rdf.delta import difference
from graph.rdf.store import create_store
from graph.settings import Paths
from graph.vocabulary.prefixes import PREFIXES
from tests.checkout import CHECKOUT

MAILD, SKOS = PREFIXES["maild"], PREFIXES["skos"]
CITES, TITLE = f"<{PREFIXES['cito']}cites>", f"<{PREFIXES['dcterms']}title>"
PMID = f"<{PREFIXES['bibo']}pmid>"
Lines = list[str]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("patch") / "build"
    build(Paths(corpus=CHECKOUT / "corpus", ontology=CHECKOUT / "ontology", out=out),
          check_shapes=False, views=False)
    return out


def _parts(line: str) -> tuple[str, str, str]:
    subject, predicate, rest = line.split(" ", 2)
    return subject, predicate, rest.removesuffix(" .")


def _with(predicate: str, lines: Lines) -> list[int]:
    return [n for n, line in enumerate(lines) if _parts(line)[1] == predicate]


def _objects(predicate: str, lines: Lines) -> set[str]:
    return {_parts(lines[n])[2] for n in _with(predicate, lines)}


def _drop(predicate: str) -> Callable[[Lines], Lines]:
    """The first line of ``predicate`` taken out."""
    def edit(lines: Lines) -> Lines:
        gone = _with(predicate, lines)[0]
        return lines[:gone] + lines[gone + 1:]
    return edit


def _relabel(predicate: str, of: str | None = None) -> Callable[[Lines], Lines]:
    """The first ``predicate`` line (of a subject that is an object of ``of``) given another
    text."""
    def edit(lines: Lines) -> Lines:
        subjects = _objects(of, lines) if of else None
        at = next(n for n in _with(predicate, lines)
                  if subjects is None or _parts(lines[n])[0] in subjects)
        subject, _, _ = _parts(lines[at])
        return [*lines[:at], f'{subject} {predicate} "a changed text" .', *lines[at + 1:]]
    return edit


def _add_citation(lines: Lines) -> Lines:
    """A citation between two works that are in citations, where there was none."""
    pairs = {_parts(lines[n])[:3:2] for n in _with(CITES, lines)}
    citing = sorted({c for c, _ in pairs})
    cited = sorted({c for _, c in pairs})
    new = next((a, b) for a in citing for b in cited if a != b and (a, b) not in pairs)
    return [*lines, f"{new[0]} {CITES} {new[1]} ."]


def _add_pmid(lines: Lines) -> Lines:
    """A PMID for a cited work: its node id, and its citations' ends, change."""
    work = sorted(_objects(CITES, lines))[0]
    return [*lines, f'{work} {PMID} "12345678" .']


def _add_disease(lines: Lines) -> Lines:
    """Another disease for the first population with one: studied_to_treat edges change."""
    disease = f"<{MAILD}disease>"
    first = _parts(lines[_with(disease, lines)[0]])
    other = sorted(_objects(disease, lines) - {first[2]})[0]
    return [*lines, f"{first[0]} {disease} {other} ."]


def _drop_finding(lines: Lines) -> Lines:
    """Every line of the first outcome finding."""
    kind = f"<{MAILD}findingKind>"
    finding = next(_parts(lines[n])[0] for n in _with(kind, lines)
                   if _parts(lines[n])[2] == '"outcome"')
    return [line for line in lines if not line.startswith(finding + " ")]


CASES = {  # name: (the edit, whether the GraphML's attributes stay as they were)
    "citation removed (citations, works)": (_drop(CITES), True),
    "citation added (citations, works)": (_add_citation, True),
    "work's title changed (works)": (_relabel(TITLE), True),
    "work given a PMID: a new node id (works, citations, findings)": (_add_pmid, False),
    "study design's label changed (designs)": (
        _relabel(f"<{SKOS}prefLabel>", f"<{MAILD}studyDesign>"), True),
    "intervention removed (outcome-findings)": (_drop(f"<{MAILD}intervention>"), True),
    "population's label changed (outcome-findings)": (
        _relabel(f"<{PREFIXES['rdfs']}label>", f"<{MAILD}population>"), True),
    "finding's direction changed (finding-values)": (_relabel(f"<{MAILD}direction>"), True),
    "quote's text changed (quotes)": (_relabel(f"<{PREFIXES['oa']}exact>"), True),
    "disease removed (diseases)": (_drop(f"<{MAILD}disease>"), True),
    "disease added (diseases)": (_add_disease, True),
    "population's parent removed (diseases)": (_drop(f"<{MAILD}subsetOf>"), True),
    "outcome finding removed (every finding query)": (_drop_finding, True),
    "concept's label changed (concepts)": (_relabel(f"<{SKOS}prefLabel>"), True),
    "broader concept removed (broader)": (_drop(f"<{SKOS}broader>"), True),
    "antigen removed (antigens)": (_drop(f"<{MAILD}targetAntigen>"), True),
}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "exports").iterdir()) if p.is_file()}


@pytest.mark.parametrize("case", CASES)
def test_the_patched_exports_are_the_whole_stores(built: Path, tmp_path: Path, case: str) -> None:
    edit, same_attributes = CASES[case]
    lines = (built / "graph.nt").read_text(encoding="utf-8").splitlines()
    changed = sorted(set(edit(lines)))
    assert changed != lines
    nt = tmp_path / "graph.nt"
    nt.write_text("\n".join(changed) + "\n", encoding="utf-8")
    create_store(tmp_path / "store", nt)
    target = EmbeddedStore(tmp_path / "store")
    change = difference(built / "graph.nt", nt, 1000)

    patched, whole = tmp_path / "patched", tmp_path / "whole"
    _, counts, why = write_exports(target, built, patched, change)
    assert why is None and counts == {"reused": 2 + same_attributes,
                                      "made": 1 - same_attributes}
    assert write_exports(target, built, whole, None)[2] is not None
    assert _files(patched) == _files(whole)
    # where the next add copies the GraphML's elements from: this file's
    kept = load_state(patched)
    assert kept is not None
    assert kept.elements == element_offsets(patched / "exports" / "graph.graphml")
    for folder, previous in ((patched, built), (whole, None)):
        write_description(target, folder, folder / "void.ttl", previous, change)
    assert (patched / "void.ttl").read_bytes() == (whole / "void.ttl").read_bytes()


def test_graphml_elements_at_offsets_that_do_not_fit_are_not_copied(built: Path,
                                                                     tmp_path: Path) -> None:
    """The last build's GraphML is copied range by range where its kept offsets fit it, else
    made by pairing the KGX lines: the same bytes either way."""
    lines = (built / "graph.nt").read_text(encoding="utf-8").splitlines()
    nt = tmp_path / "graph.nt"
    nt.write_text("\n".join(sorted(set(_add_citation(lines)))) + "\n", encoding="utf-8")
    create_store(tmp_path / "store", nt)
    target = EmbeddedStore(tmp_path / "store")
    change = difference(built / "graph.nt", nt, 1000)
    write_exports(target, built, tmp_path / "whole", None)
    state = load_state(built)
    assert state is not None and state.elements
    for name, elements in (("shifted", bytes(8) + state.elements[8:]),
                           ("short", state.elements[:-8]), ("none", b"")):
        last = tmp_path / name
        shutil.copytree(built / "exports", last / "exports")
        state.elements = elements
        (last / "cache").mkdir()
        with (last / "cache" / STATE).open("wb") as handle:
            pickle.dump(state, handle)
        assert write_exports(target, last, tmp_path / f"{name}-out", change)[1] == {
            "reused": 3, "made": 0}
        assert _files(tmp_path / f"{name}-out") == _files(tmp_path / "whole")


def test_made_rows_are_checked_beside_the_last_builds_nodes(tmp_path: Path) -> None:
    nodes, edges = tmp_path / "nodes.tsv", tmp_path / "edges.tsv"
    nodes.write_text("id\tcategory\nPMID:1\tbiolink:Article\n", encoding="utf-8")
    edges.write_text("id\tsubject\tpredicate\tobject\ne1\tPMID:1\tbiolink:related_to\tPMID:2\n",
                     encoding="utf-8")
    assert check_kgx(nodes, edges, beside={"PMID:2"}) == []
    assert check_kgx(nodes, edges, beside={"PMID:3"}) == [
        "edges.tsv:2: edge e1: object PMID:2 is not a node"]


def test_the_graphml_patched_is_the_whole_one_or_not_made(tmp_path: Path) -> None:
    """The old elements are kept between the changed rows' elements: the bytes of the GraphML
    made whole; where an edge would end at no node, nothing is patched."""
    def kgx(name: str, nodes: list[str], edges: list[str]) -> tuple[Path, Path]:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "n.tsv").write_text("id\tcategory\tname\n" + "".join(
            f"{n}\tbiolink:Article\tWork {n}\n" for n in nodes), encoding="utf-8")
        (folder / "e.tsv").write_text("id\tsubject\tpredicate\tobject\tknowledge_level\n"
                                      + "".join(f"{a}-{b}\t{a}\tbiolink:related_to\t{b}\t"
                                                "knowledge_assertion\n"
                                                for a, b in map(str.split, edges)),
                                      encoding="utf-8")
        return folder / "n.tsv", folder / "e.tsv"

    ids = [f"PMID:{i}" for i in range(1, 9)]
    cites = [f"{a} {b}" for a in ids for b in ids if a < b and (int(a[5:]) + int(b[5:])) % 3]
    old = kgx("old", ids, cites)
    graphml = tmp_path / "old.graphml"
    kinds = graphml_kinds(*old, graphml)
    for name, nodes, edges, patched in (
        ("cites", ids, sorted({*cites[1:-2], "PMID:2 PMID:8", "PMID:1 PMID:3"}), True),
        ("renamed", [*ids[:3], "PMID:40", *ids[4:]], [e for e in cites if "PMID:4 " not in e
                                                      and not e.endswith("PMID:4")], True),
        ("dangling", ids[1:], cites, False),
    ):
        new = kgx(name, sorted(nodes), sorted(edges))
        whole, path = tmp_path / f"{name}-whole.graphml", tmp_path / f"{name}.graphml"
        made = patch_graphml((*old, graphml), new, path, kinds)
        assert (made is not None) == patched == path.exists()
        if patched:
            assert made == graphml_kinds(*new, whole)
            assert path.read_bytes() == whole.read_bytes()
