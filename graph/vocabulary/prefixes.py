"""The project's prefixes, as plain strings: the one set every serialisation and query uses.

Kept free of rdflib so that answering a query does not import it: :mod:`graph.vocabulary.
namespaces` makes rdflib namespaces of these, and every ``.rq`` file declares exactly the
prefixes it uses, as :func:`prologue` writes them (tests/test_sparql_home.py checks each file).
"""

from __future__ import annotations

import re

BASE = "https://w3id.org/ma-ild/"

PREFIXES: dict[str, str] = {
    "maild": BASE + "ontology#",
    "vocab": BASE + "vocab/",
    "bibo": "http://purl.org/ontology/bibo/",
    "biro": "http://purl.org/spar/biro/",
    "c4o": "http://purl.org/spar/c4o/",
    "cito": "http://purl.org/spar/cito/",
    "co": "http://purl.org/co/",
    "dcterms": "http://purl.org/dc/terms/",
    "fabio": "http://purl.org/spar/fabio/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "frbr": "http://purl.org/vocab/frbr/core#",
    "mesh": "http://id.nlm.nih.gov/mesh/",
    "oa": "http://www.w3.org/ns/oa#",
    "obo": "http://purl.obolibrary.org/obo/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prism": "http://prismstandard.org/namespaces/basic/2.0/",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

_DECLARED = re.compile(r"^\s*PREFIX\s+([\w-]*):\s*<([^>]*)>\s*$", re.MULTILINE | re.IGNORECASE)
_STRINGS_AND_IRIS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|<[^<>\s]*>|#[^\n]*')


def declared(query: str) -> dict[str, str]:
    """The prefixes a query declares, in order.

    >>> declared("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\\nSELECT * {}")
    {'skos': 'http://www.w3.org/2004/02/skos/core#'}
    """
    return {m.group(1): m.group(2) for m in _DECLARED.finditer(query)}


def used(query: str) -> list[str]:
    """The project prefixes the query's body uses (outside strings, IRIs and comments), in order.

    >>> used('SELECT ?t { ?w dcterms:title ?t FILTER(?t != "skos:x") } # rdfs:label')
    ['dcterms']
    """
    body = _STRINGS_AND_IRIS.sub(" ", _DECLARED.sub("", query))
    return [p for p in PREFIXES if re.search(rf"(?<![\w:?$]){re.escape(p)}:", body)]


def prologue(query: str) -> str:
    """The PREFIX lines for the prefixes ``query`` uses, in the project's order."""
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used(query))
