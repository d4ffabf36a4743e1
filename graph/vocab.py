"""RDF namespaces: the standard vocabularies this graph reuses, and the project's own.

The project namespace (``MAILD``) holds only what no standard vocabulary has; ``ontology/maild.ttl``
documents every term in it. Instance IRIs live under :data:`BASE`.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD


class Terms(Namespace):
    """rdflib's ``Namespace``, minting each attribute term once.

    A build asks for the same few dozen terms (``MAILD.quote``) millions of times; rdflib's
    ``Namespace`` makes and checks a new ``URIRef`` on every access, which was a tenth of the
    triple writers' time. The first access stores the term on the instance, so the next ones
    are plain attribute reads.

    >>> ex = Terms("http://example.org/")
    >>> ex.thing is ex.thing, ex.thing
    (True, rdflib.term.URIRef('http://example.org/thing'))
    """

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        self.__dict__[name] = term
        return term


BASE = "https://w3id.org/ma-ild/"
MAILD = Terms(BASE + "ontology#")
VOCAB = Terms(BASE + "vocab/")

BIBO = Terms("http://purl.org/ontology/bibo/")
BIRO = Terms("http://purl.org/spar/biro/")
C4O = Terms("http://purl.org/spar/c4o/")
CITO = Terms("http://purl.org/spar/cito/")
CO = Terms("http://purl.org/co/")
FABIO = Terms("http://purl.org/spar/fabio/")
FRBR = Terms("http://purl.org/vocab/frbr/core#")
MESH = Terms("http://id.nlm.nih.gov/mesh/")
OA = Terms("http://www.w3.org/ns/oa#")
OBO = Terms("http://purl.obolibrary.org/obo/")
PRISM = Terms("http://prismstandard.org/namespaces/basic/2.0/")
SH = Terms("http://www.w3.org/ns/shacl#")

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
