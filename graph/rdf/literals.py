"""Literals made once per distinct value and datatype.

A build writes millions of literals, most of them values it has written before (a line number,
a count, a year, a journal's name), and rdflib checks and converts each one it makes: a typed
literal cost about as much as the rest of its triple. An rdflib ``Literal`` cannot change once
made, so one object serves every triple with that value (issue 26).
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Literal, URIRef


@lru_cache(maxsize=1 << 16, typed=True)
def literal(value: str | int | bool, datatype: URIRef | None = None) -> Literal:
    """``Literal(value, datatype=datatype)``, the same object for the same value, its Python
    type (``1``, ``True`` and ``"1"`` are three literals) and datatype.

    >>> from rdflib import XSD
    >>> literal(3, XSD.nonNegativeInteger) is literal(3, XSD.nonNegativeInteger)
    True
    >>> literal(1) == Literal(1), literal(True) == Literal(True), literal("1") == Literal("1")
    (True, True, True)
    """
    return Literal(value, datatype=datatype)
