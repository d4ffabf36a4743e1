"""Instance IRIs as text, for code that needs an IRI but not rdflib (a one-shot query's path).

:func:`graph.rdf.iris.iri` gives the same IRI as an rdflib term.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from graph.vocabulary.prefixes import BASE

SAFE = "/.-_()~"  # kept as they are in a part, with ASCII letters and digits
# A part made of those characters only is what ``quote`` would give back: most parts (slugs,
# keys, DOIs) are, and a build makes IRIs of millions of parts (issue 26).
_UNQUOTED = re.compile(r"[A-Za-z0-9/.\-_()~]*")


def _quoted(part: str) -> str:
    return part if _UNQUOTED.fullmatch(part) else quote(part, safe=SAFE)


def iri_text(*parts: str) -> str:
    """An IRI under the project base, each part percent-encoded where IRIs forbid it.

    >>> iri_text("work", "doi", "10.3899/jrheum.161217")
    'https://w3id.org/ma-ild/work/doi/10.3899/jrheum.161217'
    >>> iri_text("population", "a b", "Chérin")
    'https://w3id.org/ma-ild/population/a%20b/Ch%C3%A9rin'
    """
    return BASE + "/".join(map(_quoted, parts))
