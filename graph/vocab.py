"""RDF namespaces: the standard vocabularies this graph reuses, and the project's own.

The project namespace (``MAILD``) holds only what no standard vocabulary has; ``ontology/maild.ttl``
documents every term in it. Instance IRIs live under :data:`BASE`.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/ma-ild/"
MAILD = Namespace(BASE + "ontology#")
VOCAB = Namespace(BASE + "vocab/")

BIBO = Namespace("http://purl.org/ontology/bibo/")
BIRO = Namespace("http://purl.org/spar/biro/")
C4O = Namespace("http://purl.org/spar/c4o/")
CITO = Namespace("http://purl.org/spar/cito/")
CO = Namespace("http://purl.org/co/")
FABIO = Namespace("http://purl.org/spar/fabio/")
FRBR = Namespace("http://purl.org/vocab/frbr/core#")
MESH = Namespace("http://id.nlm.nih.gov/mesh/")
OA = Namespace("http://www.w3.org/ns/oa#")
OBO = Namespace("http://purl.obolibrary.org/obo/")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, Namespace] = {
    "maild": MAILD,
    "vocab": VOCAB,
    "bibo": BIBO,
    "biro": BIRO,
    "c4o": C4O,
    "cito": CITO,
    "co": CO,
    "dcterms": Namespace(str(DCTERMS)),
    "fabio": FABIO,
    "foaf": Namespace(str(FOAF)),
    "frbr": FRBR,
    "mesh": MESH,
    "oa": OA,
    "obo": OBO,
    "owl": Namespace(str(OWL)),
    "prism": PRISM,
    "prov": Namespace(str(PROV)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "skos": Namespace(str(SKOS)),
    "xsd": Namespace(str(XSD)),
}
