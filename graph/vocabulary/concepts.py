"""The project vocabulary (``ontology/vocabulary/*.ttl``) as Python objects.

Curation records name entities by their local id (``tacrolimus``, ``anti-jo-1``); this module is
where such an id is checked to exist and to be of the right kind (a drug where a drug is expected).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from graph.vocabulary.namespaces import MAILD, VOCAB

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_/.]+")
KINDS = {
    "drug": MAILD.Drug,
    "antibody": MAILD.Autoantibody,
    "antigen": MAILD.Antigen,
    "disease": MAILD.Disease,
    "ild-pattern": MAILD.IldPattern,
    "outcome": MAILD.Outcome,
    "characteristic": MAILD.Characteristic,
    "design": MAILD.StudyDesign,
}


@dataclass(frozen=True)
class Concept:
    """One vocabulary concept: its id, kind, labels, parents and (for outcomes) polarity."""

    id: str
    iri: URIRef
    kind: str
    label: str
    synonyms: tuple[str, ...]
    broader: tuple[str, ...]
    lower_is_better: bool | None = None
    evidence_level: int | None = None
    uncontrolled_level: int | None = None  # a design's level without a control group
    response: str | None = None  # a disease's response outcome (maild:responseOutcome)


def label_key(text: str) -> str:
    """A label with case, dashes, spaces and Greek letters folded, so spellings of one name meet.

    >>> label_key("anti-Jo-1") == label_key("Anti Jo1") == label_key("anti\u2013jo 1")
    True
    >>> label_key("TIF1-\u03b3") == label_key("tif1 gamma")
    True
    """
    folded = text.casefold().replace("\u03b3", "gamma").replace("\u03b1", "alpha")
    return _SEPARATORS.sub("", folded)


class Vocabulary:
    """Concepts by id, with ancestry queries and lookup by any label."""

    def __init__(self, concepts: dict[str, Concept]) -> None:
        self.concepts = concepts
        self.by_label: dict[str, set[str]] = {}
        for concept in concepts.values():
            for label in (concept.id, concept.label, *concept.synonyms):
                self.by_label.setdefault(label_key(label), set()).add(concept.id)

    def resolve(self, text: str, kinds: tuple[str, ...] = ()) -> Concept:
        """The concept whose id, label or synonym is ``text``; ``LookupError`` says why not."""
        found = sorted(
            c for c in self.by_label.get(label_key(text), set())
            if not kinds or self.concepts[c].kind in kinds
        )
        wanted = " or ".join(kinds) if kinds else "entity"
        if not found:
            raise LookupError(f"no {wanted} is called {text!r} in the vocabulary")
        if len(found) > 1:
            raise LookupError(f"{text!r} is ambiguous: it names {', '.join(found)}")
        return self.concepts[found[0]]

    def __contains__(self, concept_id: str) -> bool:
        return concept_id in self.concepts

    def __getitem__(self, concept_id: str) -> Concept:
        return self.concepts[concept_id]

    def ancestors(self, concept_id: str) -> set[str]:
        """Every concept above ``concept_id`` through ``skos:broader`` (not itself)."""
        seen: set[str] = set()
        todo = list(self.concepts[concept_id].broader)
        while todo:
            parent = todo.pop()
            if parent not in seen and parent in self.concepts:
                seen.add(parent)
                todo.extend(self.concepts[parent].broader)
        return seen

    def problem(self, concept_id: str, kinds: tuple[str, ...] = ()) -> str | None:
        """Why ``concept_id`` cannot be used where one of ``kinds`` is expected, or None."""
        concept = self.concepts.get(concept_id)
        if concept is None:
            return f"unknown entity {concept_id!r}: it is not in ontology/vocabulary/"
        if kinds and concept.kind not in kinds:
            expected = " or ".join(kinds)
            return (f"{concept_id!r} is {_article(concept.kind)} {concept.kind}, but "
                    f"{_article(expected)} {expected} is expected")
        return None


def _article(noun: str) -> str:
    """ "a" or "an" before ``noun``.

    >>> _article("antibody"), _article("drug")
    ('an', 'a')
    """
    return "an" if noun[:1] in "aeiou" else "a"


def _local(iri: URIRef | None) -> str | None:
    if iri is None:
        return None
    text = str(iri)
    return text[len(str(VOCAB)):] if text.startswith(str(VOCAB)) else None


def _int(value: object) -> int | None:
    return int(value.toPython()) if isinstance(value, Literal) else None


def vocabulary_from_graph(graph: Graph) -> Vocabulary:
    """Read every typed concept of the vocabulary namespace out of ``graph``."""
    concepts: dict[str, Concept] = {}
    for kind, cls in KINDS.items():
        for iri in graph.subjects(RDF.type, cls):
            concept_id = _local(iri)  # type: ignore[arg-type]
            if concept_id is None:
                continue
            polarity = graph.value(iri, MAILD.lowerIsBetter)
            concepts[concept_id] = Concept(
                id=concept_id,
                iri=URIRef(iri),
                kind=kind,
                label=str(graph.value(iri, SKOS.prefLabel) or concept_id),
                # hidden labels are SKOS's words for text search, never shown (a verb such as
                # "stopped" that names an outcome in a sentence but is no name of it)
                synonyms=tuple(sorted(str(a) for label in (SKOS.altLabel, SKOS.hiddenLabel)
                                      for a in graph.objects(iri, label))),
                broader=tuple(sorted(
                    b for b in (_local(p) for p in graph.objects(iri, SKOS.broader)) if b  # type: ignore[arg-type]
                )),
                lower_is_better=None if polarity is None else bool(polarity.toPython()),
                evidence_level=_int(graph.value(iri, MAILD.evidenceLevel)),
                uncontrolled_level=_int(graph.value(iri, MAILD.uncontrolledEvidenceLevel)),
                response=_local(graph.value(iri, MAILD.responseOutcome)),  # type: ignore[arg-type]
            )
    return Vocabulary(concepts)


def load_vocabulary(folder: Path) -> Vocabulary:
    """The vocabulary of every Turtle file under ``folder``."""
    graph = Graph()
    for path in sorted(folder.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return vocabulary_from_graph(graph)
