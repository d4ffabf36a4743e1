"""Release metadata: the build describes the graph in VoID and DCAT, the ontology has a version
IRI, and CHANGELOG.md and CITATION.cff say the same version and licence as the package."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

import graph
from graph.build.pipeline import build
from graph.exports.release import (
    DATASET,
    LICENSE,
    describe,
    release_date,
    write_description,
)
from graph.query.endpoints import EmbeddedStore
from graph.settings import Paths
from tests.checkout import CHECKOUT

ONTOLOGY_IRI = URIRef("https://w3id.org/ma-ild/ontology")
MAILD = "https://w3id.org/ma-ild/ontology#"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    paths = Paths(corpus=CHECKOUT / "corpus", ontology=CHECKOUT / "ontology",
                  out=tmp_path_factory.mktemp("release") / "build")
    build(paths, views=False, check_shapes=False)
    return paths


@pytest.fixture(scope="module")
def void(built: Paths) -> Graph:
    return Graph().parse(built.out / "void.ttl", format="turtle")


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_the_graph_is_described_as_a_void_and_dcat_dataset(void: Graph) -> None:
    assert {VOID.Dataset, DCAT.Dataset} <= set(void.objects(DATASET, RDF.type))
    assert void.value(DATASET, DCTERMS.license) == LICENSE
    assert void.value(DATASET, OWL.versionInfo) == Literal(graph.__version__)
    assert void.value(DATASET, URIRef(str(DCAT) + "version")) == Literal(graph.__version__)
    assert void.value(DATASET, DCTERMS.title)


def test_the_counts_are_the_graphs(built: Paths, void: Graph) -> None:
    triples = lines(built.out / "graph.nt")
    assert void.value(DATASET, VOID.triples).toPython() == len(triples)
    subjects = {t.split(" ", 1)[0] for t in triples}
    assert void.value(DATASET, VOID.distinctSubjects).toPython() == len(subjects)
    partitions = {void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()
                  for p in void.objects(DATASET, VOID.classPartition)}
    assert void.value(DATASET, VOID.classes).toPython() == len(partitions) > 20
    typed = f"<{RDF.type}> <{MAILD}Finding> ."
    assert partitions[URIRef(MAILD + "Finding")] == sum(t.endswith(typed) for t in triples) > 0


def test_the_sources_and_the_ontology_version_are_named(void: Graph) -> None:
    sources = set(void.objects(DATASET, DCTERMS.source))
    assert URIRef("https://w3id.org/ma-ild/work/doi/10.3899/jrheum.161217") in sources
    assert len(sources) == 5  # the five corpus documents
    version = URIRef(f"{ONTOLOGY_IRI}/{graph.__version__}")
    assert version in set(void.objects(DATASET, DCTERMS.conformsTo))
    assert ONTOLOGY_IRI in set(void.objects(DATASET, VOID.vocabulary))


def test_each_distribution_has_its_media_type_and_true_size(built: Paths, void: Graph) -> None:
    sizes = {}
    for distribution in void.objects(DATASET, DCAT.distribution):
        assert void.value(distribution, DCAT.mediaType)
        sizes[str(void.value(distribution, DCTERMS.title))] = void.value(
            distribution, DCAT.byteSize).toPython()
    assert {"graph.nt", "graph.ttl", "exports/kgx_nodes.tsv"} <= set(sizes)
    assert all(sizes[name] == (built.out / name).stat().st_size for name in sizes)


def test_no_date_unless_given_and_the_same_bytes_each_time(
        built: Paths, void: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert void.value(DATASET, DCTERMS.issued) is None  # no clock in a deterministic build
    store = EmbeddedStore(built.out / "store")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    again = write_description(store, built.out, tmp_path / "void.ttl")
    assert again.read_bytes() == (built.out / "void.ttl").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765065600")  # 2025-12-07T00:00:00Z
    dated = Graph().parse(write_description(store, built.out, tmp_path / "dated.ttl"))
    assert dated.value(DATASET, DCTERMS.issued) == Literal("2025-12-07", datatype=XSD.date)
    assert len(describe(store, built.out, "2025-12-07")) == len(dated)


def test_the_sources_put_in_as_text_are_where_and_as_rdflib_writes_them(
        built: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = EmbeddedStore(built.out / "store")
    for epoch in ("", "1765065600"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        written = write_description(store, built.out, tmp_path / "void.ttl").read_text()
        whole = describe(store, built.out, release_date())  # each source added to rdflib's graph
        assert len(set(whole.objects(DATASET, DCTERMS.source))) > 2
        assert written == whole.serialize(format="turtle")


def test_the_ontology_has_a_version_iri_for_this_version() -> None:
    ontology = Graph().parse(CHECKOUT / "ontology" / "maild.ttl")
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal(graph.__version__)
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(
        f"{ONTOLOGY_IRI}/{graph.__version__}")


def test_the_changelog_has_this_version_and_records_the_mention_count_move() -> None:
    text = (CHECKOUT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## \[([^\]]+)\]", text, flags=re.MULTILINE)
    assert versions[0] == "Unreleased" and graph.__version__ in versions
    moved = [entry for entry in text.split("\n- ") if "maild:timesMentioned" in entry]
    assert moved and "maild:count" in moved[0] and "**Breaking**" in moved[0]


def test_citation_cff_says_the_packages_version_and_licence() -> None:
    citation = yaml.safe_load((CHECKOUT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert {"message", "title", "authors"} <= set(citation)  # required by CFF 1.2.0
    assert all("name" in a or "family-names" in a for a in citation["authors"])
    assert citation["version"] == graph.__version__
    assert citation["license"] == project["project"]["license"]["text"] == "MIT"


def test_each_mapping_table_is_a_subset_under_its_own_licence(built: Paths, void: Graph) -> None:
    subsets = set(void.objects(DATASET, VOID.subset))
    assert subsets == {URIRef("https://w3id.org/ma-ild/mappings/antibodies-diseases"),
                       URIRef("https://w3id.org/ma-ild/mappings/drugs-outcomes-designs")}
    cc_by = URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert all(void.value(s, DCTERMS.license) == cc_by for s in subsets)
    # in the graph, each table is an sssom:MappingSet holding its mappings' axioms
    holds = f"<{subsets.pop()}> <https://w3id.org/sssom/mappings> "
    assert sum(t.startswith(holds) for t in lines(built.out / "graph.nt")) > 50
