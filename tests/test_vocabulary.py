"""The controlled vocabulary: drugs, autoantibodies, diseases, ILD patterns, outcomes, characteristics.

Each kind of concept has its own SKOS concept scheme and Turtle file in ``ontology/vocabulary``.
The ids, kinds and hierarchy below are the specification; the Turtle files must match them. Labels
(preferred and alternative) are what text matching looks names up by, so no label may name two
concepts.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from graph.vocabulary.namespaces import MAILD, VOCAB

FOLDER = Path(__file__).resolve().parent.parent / "ontology" / "vocabulary"

# kind class -> (scheme id, file name, concept ids)
SPEC: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "Drug": ("drugs", "drugs.ttl", (
        "immunosuppressant", "glucocorticoid", "prednisone", "prednisolone", "methylprednisolone",
        "calcineurin-inhibitor", "tacrolimus", "cyclosporine", "conventional-dmard", "azathioprine",
        "methotrexate", "mycophenolate-mofetil", "cyclophosphamide", "biologic-agent", "rituximab",
        "infliximab", "ivig", "plasma-exchange", "leukapheresis",
    )),
    "Autoantibody": ("antibodies", "antibodies.ttl", (
        "autoantibody", "antinuclear-antibody", "myositis-specific-antibody",
        "anti-synthetase-antibody", "anti-jo-1", "anti-pl-7", "anti-pl-12", "anti-ej", "anti-oj",
        "anti-mda5", "anti-mi-2", "anti-srp", "anti-tif1-gamma", "anti-nxp2",
        "myositis-associated-antibody", "anti-ssa-ro", "anti-ro52", "anti-ro60", "anti-ku",
    )),
    "Disease": ("diseases", "diseases.ttl", (
        "idiopathic-inflammatory-myopathy", "polymyositis", "dermatomyositis",
        "clinically-amyopathic-dermatomyositis", "juvenile-dermatomyositis",
        "anti-synthetase-syndrome", "inclusion-body-myositis", "overlap-myositis",
        "cancer-associated-myositis", "interstitial-lung-disease", "myositis-associated-ild",
        "idiopathic-pulmonary-fibrosis", "acute-respiratory-distress-syndrome",
        "respiratory-failure", "myasthenia-gravis",
    )),
    "IldPattern": ("ild-patterns", "ild-patterns.ttl", (
        "organizing-pneumonia", "cryptogenic-organizing-pneumonia",
        "nonspecific-interstitial-pneumonia", "usual-interstitial-pneumonia",
        "diffuse-alveolar-damage", "hypersensitivity-pneumonitis", "honeycombing",
        "other-ild-histopathology",
    )),
    "Outcome": ("outcomes", "outcomes.ttl", (
        "treatment-response", "ild-response", "myositis-response", "muscle-strength",
        "physical-function", "pulmonary-function-test", "fvc", "tlc", "dlco", "creatine-kinase",
        "aldolase", "lactate-dehydrogenase", "glucocorticoid-dose", "dmard-dose",
        "drug-discontinuation", "hospitalisation", "survival", "mortality", "disease-control",
        "respiratory-symptoms", "adverse-event", "nephrotoxicity", "hypomagnesemia", "tremor",
        "hypertension", "fev1", "ild-extent", "infection",
    )),
    "Antigen": ("antigens", "antigens.ttl", (
        "histidyl-trna-synthetase", "threonyl-trna-synthetase", "alanyl-trna-synthetase",
        "glycyl-trna-synthetase", "isoleucyl-trna-synthetase", "mda5-protein", "mi-2-protein",
        "signal-recognition-particle", "tif1-gamma-protein", "nxp2-protein", "ro52-protein",
        "ro60-protein", "ku-protein",
    )),
    "Characteristic": ("characteristics", "characteristics.ttl", (
        "age-at-onset", "female-sex", "male-sex", "race-black", "race-white", "race-hispanic",
        "race-asian", "smoking-never", "smoking-former", "smoking-active",
    )),
}

# child -> parents: every "<" of the specification.
BROADER: dict[str, tuple[str, ...]] = {
    "glucocorticoid": ("immunosuppressant",),
    "prednisone": ("glucocorticoid",),
    "prednisolone": ("glucocorticoid",),
    "methylprednisolone": ("glucocorticoid",),
    "calcineurin-inhibitor": ("immunosuppressant",),
    "tacrolimus": ("calcineurin-inhibitor",),
    "cyclosporine": ("calcineurin-inhibitor",),
    "conventional-dmard": ("immunosuppressant",),
    "azathioprine": ("conventional-dmard",),
    "methotrexate": ("conventional-dmard",),
    "mycophenolate-mofetil": ("conventional-dmard",),
    "cyclophosphamide": ("immunosuppressant",),
    "biologic-agent": ("immunosuppressant",),
    "rituximab": ("biologic-agent",),
    "infliximab": ("biologic-agent",),
    "antinuclear-antibody": ("autoantibody",),
    "myositis-specific-antibody": ("autoantibody",),
    "anti-synthetase-antibody": ("myositis-specific-antibody",),
    "anti-jo-1": ("anti-synthetase-antibody",),
    "anti-pl-7": ("anti-synthetase-antibody",),
    "anti-pl-12": ("anti-synthetase-antibody",),
    "anti-ej": ("anti-synthetase-antibody",),
    "anti-oj": ("anti-synthetase-antibody",),
    "anti-mda5": ("myositis-specific-antibody",),
    "anti-mi-2": ("myositis-specific-antibody",),
    "anti-srp": ("myositis-specific-antibody",),
    "anti-tif1-gamma": ("myositis-specific-antibody",),
    "anti-nxp2": ("myositis-specific-antibody",),
    "myositis-associated-antibody": ("autoantibody",),
    "anti-ssa-ro": ("myositis-associated-antibody",),
    "anti-ro52": ("anti-ssa-ro",),
    "anti-ro60": ("anti-ssa-ro",),
    "anti-ku": ("myositis-associated-antibody",),
    "polymyositis": ("idiopathic-inflammatory-myopathy",),
    "dermatomyositis": ("idiopathic-inflammatory-myopathy",),
    "clinically-amyopathic-dermatomyositis": ("dermatomyositis",),
    "juvenile-dermatomyositis": ("dermatomyositis",),
    "anti-synthetase-syndrome": ("idiopathic-inflammatory-myopathy",),
    "inclusion-body-myositis": ("idiopathic-inflammatory-myopathy",),
    "overlap-myositis": ("idiopathic-inflammatory-myopathy",),
    "cancer-associated-myositis": ("idiopathic-inflammatory-myopathy",),
    "myositis-associated-ild": ("interstitial-lung-disease", "idiopathic-inflammatory-myopathy"),
    "idiopathic-pulmonary-fibrosis": ("interstitial-lung-disease",),
    "cryptogenic-organizing-pneumonia": ("organizing-pneumonia",),
    "ild-response": ("treatment-response",),
    "myositis-response": ("treatment-response",),
    "fvc": ("pulmonary-function-test",),
    "tlc": ("pulmonary-function-test",),
    "dlco": ("pulmonary-function-test",),
    "fev1": ("pulmonary-function-test",),
    "ild-extent": ("ild-response",),
    "infection": ("adverse-event",),
    "nephrotoxicity": ("adverse-event",),
    "hypomagnesemia": ("adverse-event",),
    "tremor": ("adverse-event",),
    "hypertension": ("adverse-event",),
}

# Labels that may name more than one concept, each with the reason it cannot be avoided.
# Empty: every abbreviation in the vocabulary names one concept. (PSL and PDS, often confused,
# are kept apart: PSL is prednisolone, as in Japanese papers, and PDS is prednisone.)
SHARED_LABELS: dict[str, str] = {}

KIND_CLASSES = [MAILD[kind] for kind in SPEC]
ALL_IDS = [(kind, concept) for kind, (_, _, ids) in SPEC.items() for concept in ids]


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    graph = Graph()
    for path in sorted(FOLDER.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def concepts(graph: Graph) -> set[URIRef]:
    """Everything typed with a kind of concept: the six kinds here and the study designs."""
    kinds = [*KIND_CLASSES, MAILD.StudyDesign]
    return {s for kind in kinds for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}


def labels(graph: Graph, concept: URIRef) -> list[Literal]:
    return [
        label
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
        for label in graph.objects(concept, prop)
        if isinstance(label, Literal)
    ]


def resolve(graph: Graph, text: str) -> set[str]:
    """The ids of the concepts having ``text`` as a label, ignoring case."""
    wanted = text.casefold()
    return {
        str(concept).removeprefix(str(VOCAB))
        for concept in concepts(graph)
        if any(str(label).casefold() == wanted for label in labels(graph, concept))
    }


def is_under(graph: Graph, child: str, ancestor: str) -> bool:
    return graph.query(
        "ASK { ?child skos:broader+ ?ancestor }",
        initNs={"skos": SKOS},
        initBindings={"child": VOCAB[child], "ancestor": VOCAB[ancestor]},
    ).askAnswer


# --- files and kinds ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [file for _, file, _ in SPEC.values()] + ["kinds.ttl"])
def test_each_vocabulary_file_is_valid_turtle(name: str) -> None:
    assert len(Graph().parse(FOLDER / name, format="turtle")) > 0


@pytest.mark.parametrize("kind", list(SPEC))
def test_each_kind_is_a_class_of_skos_concepts_with_a_label_and_definition(
    vocabulary: Graph, kind: str
) -> None:
    cls = MAILD[kind]
    assert (cls, RDF.type, OWL.Class) in vocabulary
    assert (cls, RDFS.subClassOf, SKOS.Concept) in vocabulary
    assert len(list(vocabulary.objects(cls, RDFS.label))) == 1
    assert len(list(vocabulary.objects(cls, SKOS.definition))) == 1


def test_lower_is_better_is_a_documented_boolean_property(vocabulary: Graph) -> None:
    prop = MAILD.lowerIsBetter
    assert (prop, RDF.type, OWL.DatatypeProperty) in vocabulary
    assert (prop, RDFS.range, XSD.boolean) in vocabulary
    assert list(vocabulary.objects(prop, RDFS.label))
    assert list(vocabulary.objects(prop, SKOS.definition))


def test_response_outcome_is_a_documented_property_from_disease_to_outcome(
        vocabulary: Graph) -> None:
    """The response of a disease (read by graph.mining.study) lives in the vocabulary."""
    prop = MAILD.responseOutcome
    assert (prop, RDF.type, OWL.ObjectProperty) in vocabulary
    assert (prop, RDFS.domain, MAILD.Disease) in vocabulary
    assert (prop, RDFS.range, MAILD.Outcome) in vocabulary
    assert list(vocabulary.objects(prop, SKOS.definition))
    pairs = set(vocabulary.subject_objects(prop))
    assert (VOCAB["interstitial-lung-disease"], VOCAB["ild-response"]) in pairs
    assert (VOCAB["idiopathic-inflammatory-myopathy"], VOCAB["myositis-response"]) in pairs
    for disease, outcome in pairs:
        assert (disease, RDF.type, MAILD.Disease) in vocabulary
        assert (outcome, RDF.type, MAILD.Outcome) in vocabulary


@pytest.mark.parametrize(("kind", "concept"), ALL_IDS)
def test_every_specified_id_exists_with_its_kind(
    vocabulary: Graph, kind: str, concept: str
) -> None:
    assert (VOCAB[concept], RDF.type, MAILD[kind]) in vocabulary


@pytest.mark.parametrize("kind", list(SPEC))
def test_each_file_holds_one_kind_in_one_scheme(kind: str) -> None:
    scheme, file, ids = SPEC[kind]
    graph = Graph().parse(FOLDER / file, format="turtle")
    assert (VOCAB[scheme], RDF.type, SKOS.ConceptScheme) in graph
    assert list(graph.objects(VOCAB[scheme], SKOS.prefLabel))
    in_file = {s for s in graph.subjects(SKOS.inScheme, None)}
    assert in_file >= {VOCAB[i] for i in ids}
    for concept in in_file:
        assert set(graph.objects(concept, RDF.type)) == {MAILD[kind]}, concept
        assert set(graph.objects(concept, SKOS.inScheme)) == {VOCAB[scheme]}, concept


def test_every_vocabulary_subject_is_a_typed_concept_or_a_scheme(vocabulary: Graph) -> None:
    schemes = set(vocabulary.subjects(RDF.type, SKOS.ConceptScheme))
    subjects = {s for s in vocabulary.subjects() if str(s).startswith(str(VOCAB))}
    assert subjects - schemes - concepts(vocabulary) == set()


# --- labels and definitions -----------------------------------------------------------------------


def test_every_concept_has_one_english_preferred_label_and_one_definition(
    vocabulary: Graph,
) -> None:
    for concept in concepts(vocabulary):
        pref = list(vocabulary.objects(concept, SKOS.prefLabel))
        definition = list(vocabulary.objects(concept, SKOS.definition))
        assert len(pref) == 1 and pref[0].language == "en", concept
        assert len(definition) == 1 and definition[0].language == "en", concept


def test_every_concept_is_in_exactly_one_scheme(vocabulary: Graph) -> None:
    for concept in concepts(vocabulary):
        schemes = list(vocabulary.objects(concept, SKOS.inScheme))
        assert len(schemes) == 1, concept
        assert (schemes[0], RDF.type, SKOS.ConceptScheme) in vocabulary, concept


def test_definitions_are_sentences(vocabulary: Graph) -> None:
    for concept in concepts(vocabulary):
        text = str(vocabulary.value(concept, SKOS.definition))
        assert text[0].isupper() and text.endswith("."), concept
        assert len(text.split()) >= 6, concept


def test_labels_are_english_and_tidy(vocabulary: Graph) -> None:
    for concept in concepts(vocabulary):
        for label in labels(vocabulary, concept):
            assert label.language == "en", (concept, label)
            text = str(label)
            assert text == text.strip() and "  " not in text, (concept, label)


def test_no_label_names_two_concepts(vocabulary: Graph) -> None:
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for concept in concepts(vocabulary):
        for label in labels(vocabulary, concept):
            owners[str(label).casefold()].add(concept)
    shared = {label for label, named in owners.items() if len(named) > 1}
    assert shared == set(SHARED_LABELS), {label: owners[label] for label in shared}


SYNONYMS = [
    ("FK506", "tacrolimus"), ("FK-506", "tacrolimus"), ("Prograf", "tacrolimus"),
    ("cyclosporin A", "cyclosporine"), ("ciclosporin", "cyclosporine"), ("CsA", "cyclosporine"),
    ("PDS", "prednisone"), ("PSL", "prednisolone"),
    ("AZA", "azathioprine"), ("azathioprin", "azathioprine"), ("MTX", "methotrexate"),
    ("MMF", "mycophenolate-mofetil"), ("CYC", "cyclophosphamide"), ("IVCY", "cyclophosphamide"),
    ("IVIG", "ivig"), ("intravenous immune globulin", "ivig"), ("plasmapheresis", "plasma-exchange"),
    ("corticosteroids", "glucocorticoid"), ("steroid", "glucocorticoid"), ("GCs", "glucocorticoid"),
    ("DMARD", "conventional-dmard"),
    ("disease-modifying antirheumatic drugs", "conventional-dmard"),
    ("Jo-1", "anti-jo-1"), ("Jo1", "anti-jo-1"), ("anti-Jo1", "anti-jo-1"),
    ("anti-Jo-1", "anti-jo-1"), ("anti-histidyl-tRNA synthetase", "anti-jo-1"),
    ("PL-7", "anti-pl-7"), ("PL-12", "anti-pl-12"), ("EJ", "anti-ej"), ("OJ", "anti-oj"),
    ("anti-CADM-140", "anti-mda5"), ("Mi-2", "anti-mi-2"), ("SRP", "anti-srp"),
    ("TIF1-γ", "anti-tif1-gamma"), ("anti-p155/140", "anti-tif1-gamma"), ("anti-MJ", "anti-nxp2"),
    ("SSA", "anti-ssa-ro"), ("Ro", "anti-ssa-ro"), ("anti-Ro/SSA", "anti-ssa-ro"),
    ("Ro52", "anti-ro52"), ("anti-TRIM21", "anti-ro52"), ("Ro60", "anti-ro60"),
    ("Ku", "anti-ku"), ("ANA", "antinuclear-antibody"),
    ("CADM", "clinically-amyopathic-dermatomyositis"),
    ("amyopathic dermatomyositis", "clinically-amyopathic-dermatomyositis"),
    ("PM", "polymyositis"), ("DM", "dermatomyositis"), ("myositis", "idiopathic-inflammatory-myopathy"),
    ("ASS", "anti-synthetase-syndrome"), ("antisynthetase syndrome", "anti-synthetase-syndrome"),
    ("ILD", "interstitial-lung-disease"), ("MA-ILD", "myositis-associated-ild"),
    ("PM/DM-ILD", "myositis-associated-ild"),
    ("myositis-related interstitial lung disease", "myositis-associated-ild"),
    ("OP", "organizing-pneumonia"), ("COP", "cryptogenic-organizing-pneumonia"),
    ("NSIP", "nonspecific-interstitial-pneumonia"), ("UIP", "usual-interstitial-pneumonia"),
    ("FVC", "fvc"), ("functional vital capacity", "fvc"), ("TLC", "tlc"), ("DLCO", "dlco"),
    ("diffusing capacity of the lungs for carbon monoxide", "dlco"),
    ("diffusing capacity for carbon monoxide", "dlco"),
    ("CK", "creatine-kinase"), ("CPK", "creatine-kinase"), ("serum CK", "creatine-kinase"),
    ("LDH", "lactate-dehydrogenase"), ("tremors", "tremor"), ("African American", "race-black"),
]


@pytest.mark.parametrize(("text", "concept"), SYNONYMS)
def test_synonyms_from_the_literature_resolve_to_one_concept(
    vocabulary: Graph, text: str, concept: str
) -> None:
    assert resolve(vocabulary, text) == {concept}


# --- hierarchy ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("child", "parents"), list(BROADER.items()))
def test_every_specified_broader_link_is_stated(
    vocabulary: Graph, child: str, parents: tuple[str, ...]
) -> None:
    assert set(vocabulary.objects(VOCAB[child], SKOS.broader)) == {VOCAB[p] for p in parents}


@pytest.mark.parametrize(
    ("child", "ancestor"),
    [(a, "anti-synthetase-antibody") for a in ("anti-jo-1", "anti-pl-7", "anti-pl-12", "anti-ej",
                                                "anti-oj")]
    + [(a, "myositis-specific-antibody") for a in ("anti-jo-1", "anti-mda5", "anti-mi-2",
                                                  "anti-srp", "anti-tif1-gamma", "anti-nxp2")]
    + [(a, "myositis-associated-antibody") for a in ("anti-ssa-ro", "anti-ro52", "anti-ro60",
                                                    "anti-ku")]
    + [(d, "calcineurin-inhibitor") for d in ("tacrolimus", "cyclosporine")]
    + [(d, "conventional-dmard") for d in ("azathioprine", "methotrexate",
                                          "mycophenolate-mofetil")]
    + [(d, "glucocorticoid") for d in ("prednisone", "prednisolone", "methylprednisolone")]
    + [(d, "immunosuppressant") for d in ("tacrolimus", "azathioprine", "cyclophosphamide",
                                         "rituximab")]
    + [("clinically-amyopathic-dermatomyositis", "dermatomyositis"),
       ("clinically-amyopathic-dermatomyositis", "idiopathic-inflammatory-myopathy"),
       ("myositis-associated-ild", "interstitial-lung-disease"),
       ("myositis-associated-ild", "idiopathic-inflammatory-myopathy")],
)
def test_concept_lies_under_its_ancestor(vocabulary: Graph, child: str, ancestor: str) -> None:
    assert is_under(vocabulary, child, ancestor)


@pytest.mark.parametrize(
    ("child", "ancestor"),
    [(a, "anti-synthetase-antibody") for a in ("anti-mda5", "anti-mi-2", "anti-srp",
                                                "anti-tif1-gamma", "anti-nxp2")]
    + [(a, "myositis-specific-antibody") for a in ("anti-ssa-ro", "anti-ro52", "anti-ku",
                                                  "antinuclear-antibody")]
    + [("ivig", "immunosuppressant"), ("plasma-exchange", "immunosuppressant"),
       ("polymyositis", "dermatomyositis"), ("dermatomyositis", "interstitial-lung-disease")],
)
def test_concept_does_not_lie_under_another_branch(
    vocabulary: Graph, child: str, ancestor: str
) -> None:
    assert not is_under(vocabulary, child, ancestor)


def test_the_hierarchy_has_no_cycles(vocabulary: Graph) -> None:
    cyclic = vocabulary.query("SELECT ?c WHERE { ?c skos:broader+ ?c }", initNs={"skos": SKOS})
    assert list(cyclic) == []


def test_every_broader_target_is_a_concept_of_the_same_scheme(vocabulary: Graph) -> None:
    known = concepts(vocabulary)
    for child, parent in vocabulary.subject_objects(SKOS.broader):
        assert parent in known, (child, parent)
        assert vocabulary.value(child, SKOS.inScheme) == vocabulary.value(parent, SKOS.inScheme)


@pytest.mark.parametrize(("kind", "concept"), ALL_IDS)
def test_top_concepts_are_exactly_those_without_a_broader_concept(
    vocabulary: Graph, kind: str, concept: str
) -> None:
    scheme = VOCAB[SPEC[kind][0]]
    is_top = (VOCAB[concept], SKOS.topConceptOf, scheme) in vocabulary
    has_parent = vocabulary.value(VOCAB[concept], SKOS.broader) is not None
    assert is_top != has_parent


# --- direction of outcomes ------------------------------------------------------------------------

LOWER_IS_BETTER = {
    True: ("glucocorticoid-dose", "dmard-dose", "creatine-kinase", "aldolase",
           "lactate-dehydrogenase", "mortality", "hospitalisation", "adverse-event",
           "nephrotoxicity", "hypomagnesemia", "tremor", "hypertension", "respiratory-symptoms"),
    False: ("fvc", "tlc", "dlco", "pulmonary-function-test", "muscle-strength",
            "physical-function", "survival", "treatment-response", "ild-response",
            "myositis-response", "disease-control"),
}


@pytest.mark.parametrize(
    ("concept", "lower"), [(c, flag) for flag, ids in LOWER_IS_BETTER.items() for c in ids]
)
def test_outcome_says_whether_a_decrease_is_an_improvement(
    vocabulary: Graph, concept: str, lower: bool
) -> None:
    values = list(vocabulary.objects(VOCAB[concept], MAILD.lowerIsBetter))
    assert values == [Literal(lower)]


def test_outcomes_without_a_direction_are_few_and_deliberate(vocabulary: Graph) -> None:
    outcomes = set(vocabulary.subjects(RDF.type, MAILD.Outcome))
    undirected = {o for o in outcomes if vocabulary.value(o, MAILD.lowerIsBetter) is None}
    assert undirected == {VOCAB["drug-discontinuation"]}


def test_a_verb_that_names_an_outcome_in_a_sentence_is_a_hidden_label_read_as_a_synonym(
    vocabulary: Graph,
) -> None:
    """"stopped" names drug discontinuation in "azathioprine was stopped in 3", but is no name
    of it: a SKOS hidden label (for text search, never shown), which the miner still reads."""
    from graph.vocabulary.concepts import vocabulary_from_graph

    concept = VOCAB["drug-discontinuation"]
    hidden = {str(label) for label in vocabulary.objects(concept, SKOS.hiddenLabel)}
    shown = {str(label) for label in vocabulary.objects(concept, SKOS.altLabel)}
    assert {"stopped", "discontinued"} <= hidden and not hidden & shown
    assert hidden <= set(vocabulary_from_graph(vocabulary).concepts["drug-discontinuation"]
                         .synonyms)
