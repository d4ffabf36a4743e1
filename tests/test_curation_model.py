"""The curation model is defined once, in LinkML; everything else is generated from it or checked.

``ontology/curation.linkml.yaml`` is the source. The JSON Schema the build checks records with,
the documentation and the value concepts are generated (and must be current); the SHACL value
lists, the citation styles the shapes allow and the curators' guide must agree with it.
"""

import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, SKOS

from graph.citations.styles import STYLES
from graph.evidence.curation import load_curation
from graph.exports.curation_model import (
    MODEL,
    SCHEMA,
    VALUES,
    docs,
    enum_values,
    json_schema,
    values_turtle,
)
from graph.inputs.read import read_corpus
from graph.settings import Paths
from graph.vocabulary.concepts import load_vocabulary
from tests.checkout import CHECKOUT

ONTOLOGY = CHECKOUT / "ontology"
MODEL_FILE = ONTOLOGY / MODEL
SH = Namespace("http://www.w3.org/ns/shacl#")
MAILD = Namespace("https://w3id.org/ma-ild/ontology#")
STALE = "is stale: run python docs/make_curation_model.py"


def test_the_json_schema_is_generated_from_the_model() -> None:
    assert (ONTOLOGY / SCHEMA).read_text(encoding="utf-8") == json_schema(MODEL_FILE), SCHEMA + STALE


def test_the_value_concepts_are_generated_from_the_model() -> None:
    assert (ONTOLOGY / VALUES).read_text(encoding="utf-8") == values_turtle(MODEL_FILE), VALUES + STALE


def test_the_documentation_is_generated_from_the_model() -> None:
    folder = CHECKOUT / "docs" / "curation-model"
    committed = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}
    assert committed == docs(MODEL_FILE), "docs/curation-model/ " + STALE


def _shacl_values(path: str) -> list[str]:
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")
    [prop] = [p for p in shapes.subjects(SH.path, MAILD[path])
              if shapes.value(p, SH["in"]) is not None]
    return [str(v) for v in Collection(shapes, shapes.value(prop, SH["in"]))]


@pytest.mark.parametrize(("path", "enum"), [
    ("findingKind", "FindingKind"), ("direction", "Direction"), ("statementKind", "StatementKind"),
    ("role", "InterventionRole"),
])
def test_the_shacl_value_lists_are_the_models_enums(path: str, enum: str) -> None:
    assert _shacl_values(path) == enum_values(MODEL_FILE)[enum]


def test_the_shacl_citation_styles_are_the_registered_styles() -> None:
    assert set(_shacl_values("citationStyle")) == set(STYLES.names())


def test_every_enum_value_is_a_concept_with_its_notation_and_definition() -> None:
    values = Graph().parse(ONTOLOGY / VALUES, format="turtle")
    for enum, permitted in enum_values(MODEL_FILE).items():
        for value in permitted:
            [concept] = values.subjects(SKOS.notation, Literal(value))
            assert (concept, RDF.type, SKOS.Concept) in values, (enum, value)
            assert values.value(concept, SKOS.definition) is not None, (enum, value)


def test_the_curators_guide_lists_the_models_values() -> None:
    guide = (CHECKOUT / "corpus" / "CURATION.md").read_text(encoding="utf-8")
    listed = [(field, [v.split("(")[0].strip() for v in comment.split("|")])
              for field, comment in re.findall(r"^\s*(\w+): [\w-]+\s+# (.*\|.*)$", guide, re.M)]
    enums = enum_values(MODEL_FILE)
    assert listed == [("kind", enums["StatementKind"]), ("kind", enums["FindingKind"]),
                      ("direction", enums["Direction"])]


def test_a_population_may_be_written_as_key_and_description(tmp_path: Path) -> None:
    """LinkML's SimpleDict form of an inlined mapping: ``key: description``."""
    paths = Paths(corpus=tmp_path / "corpus", ontology=ONTOLOGY, out=tmp_path / "build")
    shutil.copytree(CHECKOUT / "corpus" / "documents", paths.documents)
    documents = {d.path: d for d in read_corpus(paths.documents, paths.corpus)}
    paths.curation.mkdir()
    record = paths.curation / "rigby.yaml"
    record.write_text(
        "document: documents/rigby-2014-case-series-pubmed-page.txt\n"
        "populations:\n"
        "  patients: consecutive patients with anti-synthetase syndrome treated with tacrolimus\n"
        "findings: []\n", encoding="utf-8")
    curation = load_curation(record, paths.corpus, documents, load_vocabulary(paths.vocabulary))
    assert curation.populations["patients"].description.startswith("consecutive patients")
    assert curation.populations["patients"].n is None
