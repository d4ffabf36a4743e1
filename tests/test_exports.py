"""The KGX TSV and GraphML exports: Biolink-conformant, complete, faithful and deterministic."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from graph.build.pipeline import BuildReport, build
from graph.errors import ExportError
from graph.exports import patch as export_module
from graph.exports.graphml import write_graphml
from graph.exports.kgx import kgx_export
from graph.exports.kgx_check import biolink_model, biolink_names, check_kgx
from graph.query.endpoints import EmbeddedStore
from graph.settings import Paths
from tests.checkout import CHECKOUT

CORPUS = CHECKOUT / "corpus"
ONTOLOGY = CHECKOUT / "ontology"
PREFIXES = """
PREFIX maild: <https://w3id.org/ma-ild/ontology#>
PREFIX cito: <http://purl.org/spar/cito/>
"""
COHORT_ILD = ("https://w3id.org/ma-ild/finding/sharma-2017-cohort-article-markdown/"
              "tacrolimus-ild-improvement")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, BuildReport]:
    paths = Paths(corpus=CORPUS, ontology=ONTOLOGY, out=tmp_path_factory.mktemp("x") / "build")
    return paths, build(paths, views=False)


@pytest.fixture(scope="module")
def kgx(built: tuple[Paths, BuildReport]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    paths, _ = built
    return _rows(paths.out / "exports" / "kgx_nodes.tsv"), _rows(
        paths.out / "exports" / "kgx_edges.tsv")


@pytest.fixture(scope="module")
def model() -> dict:
    pytest.importorskip("biolink_model", reason="the biolink-model package is not installed")
    found = biolink_model()
    assert found is not None
    return found


def node_ids(nodes: list[dict[str, str]]) -> dict[str, str]:
    """Each node's id by the project's own id, which is its id or one of its xrefs."""
    found = {}
    for node in nodes:
        for own in [node["id"], *node["xref"].split("|")]:
            if own.startswith(("maild.vocab:", "maild.work:")):
                found[own] = node["id"]
    return found


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _count(paths: Paths, query: str) -> int:
    store = ox.Store.read_only(str(paths.out / "store"))
    [row] = list(store.query(PREFIXES + query))
    return int(row[0].value)


def _yaml_name(curie: str) -> str:
    """biolink:PhenotypicFeature -> "phenotypic feature"; biolink:studied_to_treat -> ..."""
    local = curie.removeprefix("biolink:")
    if "_" in local or local.islower():
        return local.replace("_", " ")
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*", local)
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)


def test_the_build_writes_and_reports_the_exports(built: tuple[Paths, BuildReport]) -> None:
    paths, report = built
    for name, file in (("kgx nodes", "kgx_nodes.tsv"), ("kgx edges", "kgx_edges.tsv"),
                       ("graphml", "graph.graphml")):
        path = paths.out / "exports" / file
        assert path.stat().st_size > 0
        assert report.outputs[name] == str(path)


def test_every_node_and_predicate_is_biolink(built: tuple, kgx: tuple, model: dict) -> None:
    paths, _ = built
    nodes, edges = kgx
    exports = paths.out / "exports"
    assert check_kgx(exports / "kgx_nodes.tsv", exports / "kgx_edges.tsv", model) == []
    categories = {n["category"] for n in nodes}
    assert all("|" not in c and c for c in categories)
    for category in categories:
        definition = model["classes"][_yaml_name(category)]
        assert not definition.get("abstract") and not definition.get("mixin"), category
    for predicate in {e["predicate"] for e in edges}:
        assert _yaml_name(predicate) in model["slots"], predicate
    for edge in edges:
        assert edge["knowledge_level"] in model["enums"]["KnowledgeLevelEnum"]["permissible_values"]
        assert edge["agent_type"] in model["enums"]["AgentTypeEnum"]["permissible_values"]
    ids = {n["id"] for n in nodes}
    assert len(ids) == len(nodes)
    assert all(e["subject"] in ids and e["object"] in ids for e in edges)


def test_works_and_citations_are_all_there(built: tuple, kgx: tuple) -> None:
    paths, _ = built
    nodes, edges = kgx
    works = [n for n in nodes if n["category"] in ("biolink:Article", "biolink:Publication")]
    cited = _count(paths, """SELECT (COUNT(DISTINCT ?w) AS ?n) WHERE {
        { ?w cito:cites ?o } UNION { ?o cito:cites ?w } }""")
    assert len(works) == cited == 63
    citations = [e for e in edges if e["original_predicate"] == "cito:cites"]
    assert len(citations) == _count(paths, "SELECT (COUNT(*) AS ?n) WHERE { ?a cito:cites ?b }")
    assert len(citations) == 74
    assert {e["predicate"] for e in citations} == {"biolink:related_to"}
    cohort = next(n for n in works if n["id"] == "doi:10.3899/jrheum.161217")
    assert cohort["year"] == "2017"
    assert cohort["category"] == "biolink:Article"
    assert cohort["study_design"] == "retrospective cohort study"
    assert all(n["id"].startswith(("PMID:", "doi:", "maild.work:")) for n in works)
    # a work is named by its PMID, else its DOI; its own id stays an xref
    assert cohort["xref"] == "maild.work:doi/10.3899/jrheum.161217"
    assert all(n["xref"] == "" for n in works if n["id"].startswith("maild.work:"))


def test_one_affects_edge_per_outcome_finding_and_drug(built: tuple, kgx: tuple) -> None:
    paths, _ = built
    _, edges = kgx
    affects = [e for e in edges if e["predicate"] == "biolink:affects"]
    expected = _count(paths, """SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?f ?d WHERE {
        ?f a maild:Finding ; maild:findingKind "outcome" ; maild:outcome ?o ;
           maild:intervention/maild:drug ?d } }""")
    assert len(affects) == expected > 0
    assert len({(e["finding"], e["subject"]) for e in affects}) == expected
    assert all(e["knowledge_level"] == "knowledge_assertion" for e in affects)
    curated = [e for e in affects if "/candidate-" not in e["finding"]]
    assert all(e["agent_type"] == "manual_agent" for e in curated)
    assert all(e["agent_type"] == "text_mining_agent" for e in affects if e not in curated)
    assert all(e["publications"] and e["supporting_text"] for e in affects)


def test_the_cohorts_ild_response_carries_its_numbers_and_quote(kgx: tuple) -> None:
    _, edges = kgx
    [edge] = [e for e in edges if e["finding"] == COHORT_ILD]
    assert (edge["subject"], edge["predicate"], edge["object"]) == (
        "RXCUI:42316", "biolink:affects", "maild.vocab:ild-response")
    # Biolink's slots for n of N; improvement is the finding's own direction, not a qualifier
    assert (edge["has_total"], edge["has_count"], edge["direction"]) == ("18", "17", "improved")
    assert edge["object_direction_qualifier"] == ""
    assert edge["publications"] == "doi:10.3899/jrheum.161217"
    assert "17 patients (94%) had improvement in ILD" in edge["supporting_text"].split("|")


def test_drugs_are_linked_to_the_diseases_they_were_studied_in(kgx: tuple) -> None:
    nodes, edges = kgx
    ids = node_ids(nodes)
    treats = {(e["subject"], e["object"]): e for e in edges
              if e["predicate"] == "biolink:studied_to_treat"}
    assert len(treats) == len([e for e in edges if e["predicate"] == "biolink:studied_to_treat"])
    edge = treats[ids["maild.vocab:tacrolimus"], ids["maild.vocab:myositis-associated-ild"]]
    assert "doi:10.3899/jrheum.161217" in edge["publications"].split("|")
    assert COHORT_ILD in edge["finding"].split("|")
    broader = {(e["subject"], e["object"]) for e in edges if e["predicate"] == "biolink:subclass_of"}
    assert (ids["maild.vocab:tacrolimus"], ids["maild.vocab:calcineurin-inhibitor"]) in broader


def _tacrolimus_exact_matches() -> set[str]:
    found = set()
    for path in sorted((ONTOLOGY / "mappings").glob("*.sssom.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if len(fields) > 3 and fields[0] == "vocab:tacrolimus" \
                    and fields[2] == "skos:exactMatch":
                found.add(fields[3].strip().lower())
    return found


def test_tacrolimus_carries_its_external_identifiers(kgx: tuple) -> None:
    nodes, _ = kgx
    node = next(n for n in nodes if n["id"] == node_ids(nodes)["maild.vocab:tacrolimus"])
    assert node["category"] == "biolink:Drug"
    assert node["name"] == "tacrolimus"
    assert "FK506" in node["synonym"].split("|")
    matches = _tacrolimus_exact_matches()
    # named by its RxNorm concept id (Biolink's first id prefix for a drug), every other exact
    # match and the project's own id kept as xrefs, all with Biolink's prefixes
    assert node["id"] == "RXCUI:42316"
    assert node["xref"].split("|") == ["CHEBI:61049", "CHEMBL.COMPOUND:CHEMBL269732",
                                       "DRUGBANK:DB00864", "MESH:D016559",
                                       "maild.vocab:tacrolimus"]
    assert len(node["xref"].split("|")) == len(matches)


def test_graphml_holds_the_same_graph(built: tuple, kgx: tuple) -> None:
    paths, _ = built
    nodes, edges = kgx
    graph = nx.read_graphml(paths.out / "exports" / "graph.graphml", force_multigraph=True)
    assert graph.number_of_nodes() == len(nodes)
    assert graph.number_of_edges() == len(edges)
    row = next(n for n in nodes if n["id"] == "RXCUI:42316")
    expected = {k: v for k, v in row.items() if v and k != "id"} | {"label": row["name"]}
    assert {k: str(v) for k, v in graph.nodes["RXCUI:42316"].items()} == expected
    cohort = graph.nodes["doi:10.3899/jrheum.161217"]
    assert cohort["year"] == 2017
    [edge] = [d for *_, d in graph.edges(data=True) if d.get("finding") == COHORT_ILD]
    assert (edge["has_count"], edge["has_total"], edge["predicate"]) == (17, 18, "biolink:affects")


def test_exporting_twice_gives_identical_bytes(built: tuple, tmp_path: Path) -> None:
    paths, _ = built
    target = EmbeddedStore(paths.out / "store")

    def export(folder: Path) -> list[Path]:
        kgx = kgx_export(target, folder)
        return [*kgx, write_graphml(*kgx, folder / "g.xml")]

    first, second = export(tmp_path / "a"), export(tmp_path / "b")
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name
    for name in ("kgx_nodes.tsv", "kgx_edges.tsv"):
        assert (tmp_path / "a" / name).read_bytes() == (paths.out / "exports" / name).read_bytes()


def test_edges_sorted_on_disk_give_the_bytes_of_one_sort_in_memory(
    built: tuple, tmp_path: Path
) -> None:
    paths, _ = built
    nodes, edges = kgx_export(EmbeddedStore(paths.out / "store"), tmp_path, run_size=7)
    for path in (nodes, edges):
        assert path.read_bytes() == (paths.out / "exports" / path.name).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kgx_edges.tsv", "kgx_nodes.tsv"]


def test_graphml_types_each_column_and_escapes_every_text(tmp_path: Path) -> None:
    nodes = _write(tmp_path / "nodes.tsv", [
        ["id", "category", "name", "year"],
        ["x:1", "biolink:Drug", 'a <b> & "c"', "2017"],
        ["x:2", "biolink:Disease", "", "in press"],
        ["x:3", "biolink:Disease", "x3", "1999"],
    ])
    edges = _write(tmp_path / "edges.tsv", [
        ["id", "subject", "predicate", "object", "has_total", "p_value", "timepoint"],
        ["e1", "x:1", "biolink:affects", "x:3", "18", "0.001", "12 months"],
        ["e2", "x:1", "biolink:affects", "x:9", "", "1e-05", ""],
    ])
    path = write_graphml(nodes, edges, tmp_path / "g.graphml")
    text = path.read_text(encoding="utf-8")
    assert 'a &lt;b&gt; &amp; "c"' in text and "<b>" not in text
    graph = nx.read_graphml(path, force_multigraph=True)
    assert graph.nodes["x:1"] == {"label": 'a <b> & "c"', "name": 'a <b> & "c"',
                                  "category": "biolink:Drug", "year": "2017"}  # text: mixed
    assert graph.nodes["x:2"]["label"] == "x:2"  # no name: the id
    assert graph.nodes["x:9"] == {}  # an edge's end that is no node is added bare
    first, second = (d for *_, d in sorted(graph.edges(keys=True, data=True),
                                           key=lambda edge: edge[2]))  # by edge id
    assert (first["has_total"], first["p_value"], first["timepoint"]) == (18, 0.001, "12 months")
    assert second["p_value"] == 1e-05 and "has_total" not in second
    assert first["label"] == "affects" and first["predicate"] == "biolink:affects"


def test_a_citations_line_is_the_line_of_its_edge_row() -> None:
    """Citation lines are made from their works' cells, not from a row each: the same line,
    key and id as the row's, whatever a work's id holds (a ``|``, runs of white space)."""
    from graph.exports.kgx import CitationLines, _keyed, citation_edge

    works = {"w/1": "doi:10.1/a|b", "w/2": "PMID:2", "w/3": "maild.work:x  y"}
    lines = CitationLines(works)
    for citing, cited in (("w/1", "w/2"), ("w/2", "w/3"), ("w/3", "w/1"), ("w/1", "w/3")):
        assert lines.line(citing, cited) == _keyed(citation_edge(citing, cited, works))


TRICKY = ['a <b> & "c"', "it's", "]]> end", "x\ry", "é \u2028 \x7f \x85", "&amp;", "plain"]


@pytest.mark.parametrize("text", TRICKY)
def test_graphml_elements_are_the_bytes_lxml_makes(text: str) -> None:
    """Elements are written as text, not through lxml: the same bytes, escapes and all, in
    an attribute (an edge's ends and id) as in element text."""
    from lxml import etree

    from graph.exports.graphml import Plan

    columns = ["id", "subject", "predicate", "object", "name", "label", "p_value", "year"]
    cells = [f"e{text}", f"s{text}", "biolink:affects", f"o{text}", text, "", "0.5", ""]
    keys = {"edge": {name: (f"e{i}", "string") for i, name in enumerate(
        ["label", "name", "p_value", "predicate"])}}
    expected = etree.Element("edge", source=cells[1], target=cells[3], id=cells[0])
    for name, text_ in (("label", "affects"), ("name", text), ("p_value", "0.5"),
                        ("predicate", "biolink:affects")):
        etree.SubElement(expected, "data", key=keys["edge"][name][0]).text = text_
    made = Plan("edge", columns).element(cells, keys)
    assert made.encode("utf-8") == etree.tostring(expected, encoding="utf-8")


def test_graphml_refuses_a_character_xml_cannot_hold() -> None:
    from graph.exports.graphml import Plan

    with pytest.raises(ExportError, match="XML cannot hold"):
        Plan("node", ["id", "name"]).element(["x:1", "bell\x07"], {"node": {
            "label": ("n0", "string"), "name": ("n1", "string")}})


def test_graphml_is_not_written_from_broken_files(tmp_path: Path) -> None:
    """Each problem named with its file and line, and no half-written GraphML left behind."""
    nodes = _write(tmp_path / "nodes.tsv", [["id", "name"], ["x:1", "one"], ["x:2"],
                                            ["x:3", "three", "extra"]])
    edges = _write(tmp_path / "edges.tsv", [["id", "subject", "object"], ["e1", "x:1", "x:2"]])
    target = tmp_path / "out" / "g.graphml"
    with pytest.raises(ExportError) as raised:
        write_graphml(nodes, edges, target)
    assert str(raised.value).splitlines()[1:] == [
        "  nodes.tsv:3: 1 fields, the header has 2", "  nodes.tsv:4: 3 fields, the header has 2",
        "  edges.tsv: no predicate column"]
    assert str(nodes) in str(raised.value) and not target.parent.exists()


def _write(path: Path, lines: list[list[str]]) -> Path:
    path.write_text("".join("\t".join(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_check_kgx_reports_broken_files(tmp_path: Path, model: dict) -> None:
    nodes = _write(tmp_path / "nodes.tsv", [
        ["id", "category", "name"],
        ["x:1", "biolink:Drug", "good"],
        ["x:2", "", "no category"],
        ["x:3", "biolink:Drug|biolink:Disease", "two categories"],
        ["x:4", "biolink:Entity", "abstract"],
        ["x:5", "biolink:NoSuchThing", "unknown"],
    ])
    edges = _write(tmp_path / "edges.tsv", [
        ["id", "subject", "predicate", "object"],
        ["e1", "x:1", "biolink:affects", "x:2"],
        ["e2", "x:1", "biolink:affects", "x:99"],
        ["e3", "x:1", "biolink:cites", "x:4"],
        ["e4", "x:1", "biolink:affects"],
        ["e3", "x:1", "", "x:5"],
    ])
    structural = check_kgx(nodes, edges, None)
    assert any("x:2 has 0 categories" in p for p in structural)
    assert any("x:3 has 2 categories" in p for p in structural)
    assert any("e2" in p and "object x:99 is not a node" in p for p in structural)
    assert "edges.tsv:5: 3 fields, the header has 4" in structural
    assert "edges.tsv:6: edge without a predicate" in structural
    assert "edges.tsv:6: edge id e3 appears twice" in structural
    assert len(structural) == 6
    assert check_kgx(_write(tmp_path / "n.tsv", [["id", "name"], ["x:1", "one"]]),
                     _write(tmp_path / "e.tsv", [["id", "subject", "object"]]), None) == [
        "n.tsv: no category column", "n.tsv:2: node x:1 has 0 categories; it needs exactly one",
        "e.tsv: no predicate column"]
    empty = tmp_path / "empty.tsv"
    empty.write_text("")
    assert check_kgx(empty, empty, None) == ["empty.tsv: empty file"] * 2
    problems = check_kgx(nodes, edges, model)
    assert problems[:6] == structural
    assert "category biolink:Entity is an abstract class or a mixin" in problems
    assert "category biolink:NoSuchThing is not a Biolink class" in problems
    assert "predicate biolink:cites is not a Biolink slot" in problems


def test_a_malformed_export_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_module, "check_kgx", lambda *a, **k: ["kgx_nodes.tsv:2: bad"])
    paths = Paths(corpus=CORPUS, ontology=ONTOLOGY, out=tmp_path / "build")
    with pytest.raises(ExportError, match=r"kgx_nodes\.tsv:2: bad"):
        build(paths, check_shapes=False, views=False)
    assert not (paths.out / "graph.nt").exists()


# --- KGX that merges: Biolink ids, slots and qualifiers, checked with the kgx library ---------

def test_the_kgx_library_validates_the_export_offline(built: tuple, kgx: tuple) -> None:
    """kgx's validator (on the packaged Biolink model, no network) finds no fault in categories,
    predicates, required properties or value types; what it flags is only ids it cannot take:
    the project's own ids, of nodes with no external identifier, and DOIs (kgx's CURIE pattern
    refuses the "/" every DOI has)."""
    pytest.importorskip("kgx", reason="the kgx library is not installed")
    from tests.kgx_offline import validate

    paths, _ = built
    nodes, _ = kgx
    exports = paths.out / "exports"
    version, errors = validate(exports / "kgx_nodes.tsv", exports / "kgx_edges.tsv")
    assert version == biolink_model()["version"]
    assert set(errors) <= {"ERROR"}
    assert set(errors.get("ERROR", {})) <= {"INVALID_NODE_PROPERTY_VALUE",
                                            "INVALID_EDGE_PROPERTY_VALUE"}
    local = {n["id"] for n in nodes if n["id"].startswith(("maild.vocab:", "maild.work:"))}
    dois = {n["id"] for n in nodes if n["id"].startswith("doi:")}
    flagged = set()  # the ids named in the messages, else the nodes they are about
    for found in errors.get("ERROR", {}).values():
        for message, about in found.items():
            value = re.search(r"has a value '([^']*)'", message)
            flagged |= {value.group(1)} if value else set(about)
    assert flagged and flagged <= local | dois
    assert local <= flagged


def test_biolink_prefixes_are_biolinks_and_name_the_same_resource() -> None:
    import json
    from importlib.resources import files

    import bioregistry

    from graph.exports.kgx import BIOLINK_PREFIXES

    prefix_map = json.loads(files("biolink_model").joinpath(
        "prefixmaps/biolink-model-prefix-map.json").read_text("utf-8"))
    for resource, prefix in BIOLINK_PREFIXES.items():
        assert prefix in prefix_map, prefix
        assert bioregistry.normalize_prefix(prefix) == resource, prefix


def test_id_prefixes_are_the_models_in_its_order(model: dict) -> None:
    from graph.exports.kgx import BIOLINK_PREFIXES, ID_PREFIXES, KINDS

    classes, _ = biolink_names(model)
    assert set(ID_PREFIXES) == set(KINDS.values())
    for category, order in ID_PREFIXES.items():
        declared = model["classes"][classes[category]].get("id_prefixes") or []
        assert [p for p in declared if p in BIOLINK_PREFIXES.values()] == list(order), category


def test_a_concept_is_named_by_an_exact_match_where_one_exists(kgx: tuple) -> None:
    from graph.exports.kgx import BIOLINK_PREFIXES

    nodes, _ = kgx
    ids = node_ids(nodes)
    assert ids["maild.vocab:histidyl-trna-synthetase"] == "UniProtKB:P12081"  # HGNC: an xref
    assert ids["maild.vocab:anti-synthetase-syndrome"].startswith("MONDO:")
    assert ids["maild.vocab:glucocorticoid"] == "CHEBI:24261"
    hars1 = next(n for n in nodes if n["id"] == "UniProtKB:P12081")
    assert "HGNC:4816" in hars1["xref"].split("|")
    external = tuple(f"{p}:" for p in BIOLINK_PREFIXES.values())
    named = [n for n in nodes if n["id"].startswith(external)]
    assert len(named) > 60
    # a concept keeps its own id only when none of its exact matches is Biolink's to give
    for node in nodes:
        if node["id"].startswith("maild.vocab:"):
            assert not [x for x in node["xref"].split("|") if x.startswith(external)], node


def test_a_measure_that_went_up_or_down_carries_biolinks_direction_qualifier(kgx: tuple) -> None:
    _, edges = kgx
    affects = [e for e in edges if e["predicate"] == "biolink:affects"]
    qualified = [e for e in affects if e["object_direction_qualifier"]]
    assert qualified
    for edge in affects:
        summary = next((s for s in ("mean", "median")  # means, else medians
                        if edge[f"{s}_before"] and edge[f"{s}_after"]), None)
        if summary:
            went = float(edge[f"{summary}_after"]) - float(edge[f"{summary}_before"])
            expected = "increased" if went > 0 else "decreased" if went < 0 else ""
            assert edge["object_direction_qualifier"] == expected, edge["finding"]
        else:
            assert edge["object_direction_qualifier"] == "", edge["finding"]
    percents = [float(e["has_percentage"]) for e in affects if e["has_percentage"]]
    assert percents and all(0 <= p <= 100 for p in percents)
    assert all(float(e["p_value"]) <= 1 for e in affects if e["p_value"])
