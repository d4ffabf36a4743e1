"""Instance IRIs as text, for code that needs an IRI but not rdflib (a one-shot query's path).

:func:`graph.rdf.iris.iri` gives the same IRI as an rdflib term.
"""

from __future__ import annotations

from urllib.parse import quote

from graph.vocabulary.prefixes import BASE


def iri_text(*parts: str) -> str:
    """An IRI under the project base, each part percent-encoded where IRIs forbid it.

    >>> iri_text("work", "doi", "10.3899/jrheum.161217")
    'https://w3id.org/ma-ild/work/doi/10.3899/jrheum.161217'
    """
    return BASE + "/".join(quote(p, safe="/.-_()~") for p in parts)
