"""RDF namespaces: the standard vocabularies this graph reuses, and the project's own.

The project namespace (``MAILD``) holds only what no standard vocabulary has; ``ontology/maild.ttl``
documents every term in it. Instance IRIs live under ``BASE``; the
prefixes themselves are :mod:`graph.vocabulary.prefixes`.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef

from graph.vocabulary.prefixes import PREFIXES as PREFIX_IRIS


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


MAILD = Terms(PREFIX_IRIS["maild"])
VOCAB = Terms(PREFIX_IRIS["vocab"])

BIBO = Terms(PREFIX_IRIS["bibo"])
BIRO = Terms(PREFIX_IRIS["biro"])
C4O = Terms(PREFIX_IRIS["c4o"])
CITO = Terms(PREFIX_IRIS["cito"])
CO = Terms(PREFIX_IRIS["co"])
FABIO = Terms(PREFIX_IRIS["fabio"])
FRBR = Terms(PREFIX_IRIS["frbr"])
MESH = Terms(PREFIX_IRIS["mesh"])
OA = Terms(PREFIX_IRIS["oa"])
OBO = Terms(PREFIX_IRIS["obo"])
PRISM = Terms(PREFIX_IRIS["prism"])
SH = Terms("http://www.w3.org/ns/shacl#")

# The project's prefixes (graph.vocabulary.prefixes) as rdflib namespaces, in the same order.
PREFIXES: dict[str, Namespace] = {
    name: {"maild": MAILD, "vocab": VOCAB}.get(name, Namespace(iri))
    for name, iri in PREFIX_IRIS.items()
}
