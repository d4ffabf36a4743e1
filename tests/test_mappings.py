"""Mappings to external ontologies: complete where a term exists, correct in form, clear on error.

Where the curators could not verify a term, or no term exists, the concept is listed below with
the reason: a gap is recorded, never filled with a guessed identifier.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, SKOS

from graph.build import PROJECT_ROOT, Paths, build
from graph.errors import GraphError
from graph.mappings import MappingError, expand_curie, load_mappings, mapping_triples
from graph.vocabulary import load_vocabulary

ONTOLOGY = PROJECT_ROOT / "ontology"
VOCABULARY = load_vocabulary(ONTOLOGY / "vocabulary")
MAPPINGS = load_mappings(ONTOLOGY / "mappings", PROJECT_ROOT, VOCABULARY)

# Concepts with no mapping row at all: no term could be verified from the sources at hand.
UNMAPPED = {
    "plasma-exchange": "MeSH Plasmapheresis id not verified",
    "leukapheresis": "MeSH Leukapheresis id not verified",
    "dlco": "no LOINC/NCIT code verified",
    "nephrotoxicity": "no HPO/MeSH term verified",
    "disease-control": "no standard term for 'disease well controlled'",
    "physical-function": "no standard term verified",
    "respiratory-symptoms": "no standard term verified",
    "glucocorticoid-dose": "a dose of a drug class: no standard term",
    "dmard-dose": "a dose of a drug class: no standard term",
    "drug-discontinuation": "no standard term verified",
}
# Drugs lacking one of the four exact matches expected for a drug, and why.
DRUG_GAPS = {
    "mycophenolate-mofetil": {"chebi", "mesh", "rxnorm"},  # ChEBI id disputed; MeSH only the acid
    "rituximab": {"chebi"},  # an antibody: no ChEBI entity verified
    "infliximab": {"chebi", "rxnorm"},
    "ivig": {"chebi", "drugbank", "mesh", "rxnorm"},  # a blood product: close match only
}
ACTUAL_DRUGS = ("tacrolimus", "cyclosporine", "prednisone", "prednisolone", "methylprednisolone",
                "azathioprine", "methotrexate", "mycophenolate-mofetil", "cyclophosphamide",
                "rituximab", "infliximab", "ivig")
GROUP_ANTIGENS = {"mi-2-protein", "signal-recognition-particle", "ku-protein"}  # narrow matches
# Concepts for which no exact disease term exists in MONDO or DOID (broad or close match only).
NO_EXACT_DISEASE = {"myositis-associated-ild", "cancer-associated-myositis",
                    "clinically-amyopathic-dermatomyositis"}


def by_subject() -> dict[str, list]:
    found = defaultdict(list)
    for m in MAPPINGS:
        found[m.subject].append(m)
    return found


def exact_sources(concept: str) -> set[str]:
    return {m.object_curie.split(":")[0] for m in by_subject()[concept]
            if m.predicate == "skos:exactMatch"}


def test_every_concept_has_a_mapping_or_a_stated_reason() -> None:
    mapped = set(by_subject())
    missing = {c for c in VOCABULARY.concepts if c not in mapped}
    assert missing == set(UNMAPPED)


def test_drugs_have_chebi_drugbank_mesh_and_rxnorm_exact_matches() -> None:
    for drug in ACTUAL_DRUGS:
        expected = {"chebi", "drugbank", "mesh", "rxnorm"} - DRUG_GAPS.get(drug, set())
        assert expected <= exact_sources(drug), drug


def test_tacrolimus_maps_to_the_parent_compound_not_a_salt_or_hydrate() -> None:
    curies = {m.object_curie for m in by_subject()["tacrolimus"]}
    assert {"chebi:61049", "drugbank:DB00864", "mesh:D016559", "rxnorm:42316"} <= curies


def test_every_antigen_has_uniprot_and_hgnc_entries() -> None:
    for antigen in (c for c, k in VOCABULARY.concepts.items() if k.kind == "antigen"):
        kinds = {m.object_curie.split(":")[0]: m.predicate for m in by_subject()[antigen]}
        assert {"uniprot", "hgnc"} <= set(kinds), antigen
        if antigen not in GROUP_ANTIGENS:
            assert {"uniprot", "hgnc"} <= exact_sources(antigen), antigen


def test_anti_jo_1_targets_histidyl_trna_synthetase_hars1() -> None:
    graph = Graph().parse(ONTOLOGY / "vocabulary" / "antigens.ttl")
    assert exact_sources("histidyl-trna-synthetase") >= {"uniprot", "hgnc"}
    curies = {m.object_curie for m in by_subject()["histidyl-trna-synthetase"]}
    assert {"uniprot:P12081", "hgnc:4816"} <= curies
    assert len(list(graph.triples((None, None, None)))) > 0


def test_diseases_have_an_exact_mondo_or_doid_term_unless_none_exists() -> None:
    for disease in (c for c, k in VOCABULARY.concepts.items() if k.kind == "disease"):
        if disease in NO_EXACT_DISEASE:
            assert by_subject()[disease], disease
            assert not ({"mondo", "doid"} & exact_sources(disease)), disease
        else:
            assert {"mondo", "doid"} & exact_sources(disease), disease


def test_ma_ild_has_only_broader_matches_with_the_reason_stated() -> None:
    rows = by_subject()["myositis-associated-ild"]
    assert rows and all(m.predicate == "skos:broadMatch" for m in rows)
    assert all("no dedicated myositis-associated ild term" in m.comment.lower() for m in rows)


def test_every_mapping_says_where_it_was_checked() -> None:
    for m in MAPPINGS:
        assert m.see_also or m.comment, (m.file, m.line)


def test_mapping_triples_use_expanded_iris_and_never_owl_same_as() -> None:
    graph = Graph()
    for triple in mapping_triples(MAPPINGS):
        graph.add(triple)
    targets = {str(o) for o in graph.objects(None, SKOS.exactMatch)}
    assert "http://purl.obolibrary.org/obo/CHEBI_61049" in targets
    assert "http://purl.uniprot.org/uniprot/P12081" in targets
    assert not list(graph.triples((None, OWL.sameAs, None)))


@pytest.mark.parametrize(("curie", "message"), [
    ("CHEBI:sixty", "is not a valid chebi identifier"),
    ("nosuchprefix:123", "is not a prefix the Bioregistry knows"),
    ("CHEBI61049", "is not a CURIE"),
])
def test_a_malformed_curie_is_refused_with_the_reason(curie: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        expand_curie(curie)


def test_a_malformed_curie_fails_the_build_naming_file_and_line(tmp_path: Path) -> None:
    ontology = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, ontology)
    table = ontology / "mappings" / "drugs-outcomes-designs.sssom.tsv"
    text = table.read_text(encoding="utf-8").replace("CHEBI:61049", "CHEBI:61O49", 1)
    table.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "CHEBI:61O49" in row)
    paths = Paths(corpus=PROJECT_ROOT / "corpus", ontology=ontology, out=tmp_path / "build")
    with pytest.raises(MappingError) as caught:
        build(paths, views=False)
    assert str(caught.value).startswith(
        f"ontology/mappings/drugs-outcomes-designs.sssom.tsv:{line}: object of vocab:tacrolimus: "
        "'61O49' is not a valid chebi identifier")
    assert isinstance(caught.value, GraphError)
    assert not paths.out.exists()


def test_an_unknown_subject_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "mappings"
    folder.mkdir()
    (folder / "x.sssom.tsv").write_text(
        "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification"
        "\tconfidence\tobject_source\tsee_also\tcomment\n"
        "vocab:nothing\tx\tskos:exactMatch\tCHEBI:61049\tx\tsemapv:ManualMappingCuration\t0.9"
        "\tbioregistry:chebi\t\t\n", encoding="utf-8")
    with pytest.raises(MappingError, match=r"mappings/x\.sssom\.tsv:2: subject 'vocab:nothing'"):
        load_mappings(folder, tmp_path, VOCABULARY)
