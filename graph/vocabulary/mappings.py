"""Mappings of the vocabulary to external ontologies, from SSSOM TSV in ``ontology/mappings/``.

Each table is read as SSSOM defines it: its YAML metadata block (the ``#`` lines) declares a
``curie_map``, and every CURIE of the entity columns (subject, predicate, object, justification)
is expanded through that map with ``curies``, so a prefix the table does not declare stops the
build with file and line (a tool reading the table would have no IRI for it). The object's local
identifier is also checked against the Bioregistry's pattern for its resource; ``see_also`` holds
URIs only, as SSSOM requires.

Each mapping becomes a SKOS mapping triple between the concept and the expanded IRI, plus an
``owl:Axiom`` carrying its justification, confidence and where it was checked (SSSOM's RDF form).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import curies
import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from graph.errors import InputError
from graph.inputs.text import load_source
from graph.rdf.iris import iri, slug
from graph.vocabulary.concepts import Vocabulary
from graph.vocabulary.namespaces import VOCAB

COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
           "mapping_justification", "confidence", "object_source", "see_also", "comment")
PREDICATES = {
    "skos:exactMatch": SKOS.exactMatch,
    "skos:closeMatch": SKOS.closeMatch,
    "skos:broadMatch": SKOS.broadMatch,
    "skos:narrowMatch": SKOS.narrowMatch,
    "skos:relatedMatch": SKOS.relatedMatch,
}
URI_PRIORITY = ["rdf", "obofoundry", "miriam.legacy", "biocontext", "default"]
SSSOM = "https://w3id.org/sssom/"


class MappingError(InputError):
    """A mapping row that cannot be used: bad CURIE, unknown prefix or subject, bad predicate."""


@dataclass(frozen=True)
class Mapping:
    """One row of a mapping table, with its object expanded to an IRI."""

    subject: str  # vocabulary id
    predicate: str  # skos:exactMatch ...
    object_curie: str  # as the Bioregistry normalises it, e.g. chebi:61049
    object_iri: str  # expanded with the table's curie_map
    object_label: str
    justification: str  # IRI of the justification (a semapv term)
    confidence: float | None
    source: str
    see_also: tuple[str, ...]  # URIs
    comment: str
    file: str
    line: int
    mapping_set: str = ""  # the table's mapping_set_id (an IRI), if it declares one
    license: str = ""  # the table's licence (an IRI), if it declares one


@cache
def _bioregistry():  # type: ignore[no-untyped-def]
    """The Bioregistry (imported on first use: it takes a few seconds)."""
    import bioregistry

    return bioregistry


@cache
def _registry():  # type: ignore[no-untyped-def]
    """The Bioregistry and its converter of every prefix (built on first use: it takes several
    seconds more; compressing an IRI needs it, expanding a CURIE does not)."""
    bioregistry = _bioregistry()
    return bioregistry, bioregistry.get_converter(uri_prefix_priority=URI_PRIORITY)


@cache
def _uri_prefix(prefix: str) -> str | None:
    """The IRI prefix the converter of :func:`_registry` expands a normalised ``prefix`` with,
    read from its one Bioregistry record (the converter is made of these, prefix by prefix)."""
    return _bioregistry().get_resource(prefix).get_uri_prefix(priority=URI_PRIORITY)


def expand_curie(curie: str) -> tuple[str, str]:
    """(normalised CURIE, RDF IRI) of ``curie``; ``ValueError`` says what is wrong with it.

    >>> expand_curie("CHEBI:61049")
    ('chebi:61049', 'http://purl.obolibrary.org/obo/CHEBI_61049')
    >>> expand_curie("rxnorm:42316")[1]
    'http://purl.bioontology.org/ontology/RXNORM/42316'
    """
    bioregistry = _bioregistry()
    prefix, sep, local = curie.partition(":")
    if not sep or not prefix or not local:
        raise ValueError(f"{curie!r} is not a CURIE (prefix:identifier)")
    norm = bioregistry.normalize_prefix(prefix)
    if norm is None:
        raise ValueError(f"{prefix!r} is not a prefix the Bioregistry knows")
    if not bioregistry.is_valid_identifier(norm, local):
        pattern = bioregistry.get_pattern(norm)
        raise ValueError(f"{local!r} is not a valid {norm} identifier (pattern {pattern})")
    uri_prefix = _uri_prefix(norm)
    if uri_prefix is None:
        raise ValueError(f"the Bioregistry has no IRI form for {norm}")
    return f"{norm}:{local}", uri_prefix + local


def _metadata(lines: list[str]) -> dict[str, Any]:
    """The SSSOM metadata block: the leading ``#`` lines, without their ``#``, as YAML."""
    header = [line[1:] for line in lines if line.startswith("#")]
    metadata = yaml.safe_load("\n".join(header)) if header else None
    if not isinstance(metadata, dict) or not isinstance(metadata.get("curie_map"), dict):
        raise ValueError("its metadata block declares no curie_map")
    return metadata


def _rows(lines: list[str], start: int) -> Iterator[tuple[int, dict[str, str]]]:
    """The data rows of an SSSOM TSV (header at index ``start``) with their 1-based line numbers."""
    reader = csv.DictReader(io.StringIO("\n".join(lines[start:])), delimiter="\t")
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"line {start + 1}: missing columns {', '.join(missing)}")
    for offset, row in enumerate(reader, start=start + 2):
        if any(value and value.strip() for value in row.values()):
            yield offset, row


def load_mappings(folder: Path, root: Path, vocabulary: Vocabulary) -> list[Mapping]:
    """Every mapping of every ``*.sssom.tsv`` in ``folder``, checked."""
    found: list[Mapping] = []
    for path in sorted(folder.glob("*.sssom.tsv")) if folder.is_dir() else []:
        source = load_source(path, root)
        lines = source.text.splitlines()
        try:
            start = next(i for i, line in enumerate(lines) if not line.startswith("#"))
            metadata = _metadata(lines[:start])
            converter = curies.Converter.from_prefix_map(metadata["curie_map"])
            rows = list(_rows(lines, start))
        except (ValueError, StopIteration, yaml.YAMLError) as exc:
            raise MappingError(source.path, f"not an SSSOM TSV table: {exc}") from None
        table = {"mapping_set": str(metadata.get("mapping_set_id") or ""),
                 "license": str(metadata.get("license") or "")}
        for line, row in rows:
            found.append(replace(_mapping(row, converter, source.path, line, vocabulary),
                                 **table))
    return found


def _mapping(row: dict[str, str], converter: curies.Converter, file: str, line: int,
             vocabulary: Vocabulary) -> Mapping:
    def expand(column: str) -> str:
        curie = row[column].strip()
        try:
            return converter.expand(curie, strict=True)
        except ValueError:
            raise MappingError(file, f"{column} {curie!r}: its prefix is not in the table's "
                               "curie_map", line) from None

    subject = row["subject_id"].strip()
    local = expand("subject_id").removeprefix(str(VOCAB))
    if local not in vocabulary:
        raise MappingError(file, f"subject {subject!r} is not a vocabulary concept", line)
    predicate = {str(iri): curie for curie, iri in PREDICATES.items()}.get(expand("predicate_id"))
    if predicate is None:
        raise MappingError(file, f"predicate {row['predicate_id'].strip()!r} is not one of "
                           f"{', '.join(PREDICATES)}", line)
    try:
        curie, _ = expand_curie(row["object_id"].strip())
    except ValueError as exc:
        raise MappingError(file, f"object of {subject}: {exc}", line) from None
    see_also = tuple(v.strip() for v in row["see_also"].split("|") if v.strip())
    for value in see_also:
        if not value.startswith(("http://", "https://")) or any(c.isspace() for c in value):
            raise MappingError(file, f"see_also {value!r} is not a URI (say it in the comment)",
                               line)
    confidence = row.get("confidence", "").strip()
    return Mapping(
        subject=local, predicate=predicate, object_curie=curie, object_iri=expand("object_id"),
        object_label=row["object_label"].strip(),
        justification=expand("mapping_justification"),
        confidence=float(confidence) if confidence else None,
        source=row["object_source"].strip(), see_also=see_also,
        comment=row["comment"].strip(), file=file, line=line,
    )


def mapping_triples(mappings: list[Mapping]) -> Iterator[tuple[URIRef, URIRef, URIRef | Literal]]:
    """SKOS mapping triples, the target's label, one annotated axiom per mapping, and each
    table as an ``sssom:MappingSet`` with its licence, holding its mappings' axioms."""
    for m in mappings:
        subject, predicate, target = VOCAB[m.subject], PREDICATES[m.predicate], URIRef(m.object_iri)
        yield subject, predicate, target
        if m.object_label:
            yield target, RDFS.label, Literal(m.object_label)
        axiom = iri("mapping", m.subject, slug(m.object_curie))
        yield axiom, RDF.type, OWL.Axiom
        yield axiom, OWL.annotatedSource, subject
        yield axiom, OWL.annotatedProperty, predicate
        yield axiom, OWL.annotatedTarget, target
        yield axiom, URIRef(SSSOM + "mapping_justification"), URIRef(m.justification)
        if m.confidence is not None:
            yield axiom, URIRef(SSSOM + "confidence"), Literal(str(m.confidence),
                                                             datatype=XSD.double)
        for value in m.see_also:
            yield axiom, RDFS.seeAlso, URIRef(value)
        if m.mapping_set:
            mapping_set = URIRef(m.mapping_set)
            yield mapping_set, RDF.type, URIRef(SSSOM + "MappingSet")
            yield mapping_set, URIRef(SSSOM + "mappings"), axiom
            if m.license:
                yield mapping_set, DCTERMS.license, URIRef(m.license)
        if m.comment:
            yield axiom, RDFS.comment, Literal(m.comment)
