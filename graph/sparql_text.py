"""Bind query parameters as RDF terms in an inline ``VALUES`` block, never as pasted text.

The block goes at the top of the query's outermost ``WHERE`` group, so it constrains the pattern
before any ``GROUP BY`` (a trailing ``VALUES`` clause is joined after aggregation, where it would
not restrict an aggregated query at all). Values are serialised by the RDF library (IRIs checked,
literals escaped), so a parameter can never change the query's structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WHERE = re.compile(r"where\b", re.IGNORECASE)
_QUERY_FORM = re.compile(r"(select|construct|ask|describe)\b", re.IGNORECASE)
_KEYWORD = re.compile(r"[A-Za-z]+")
READ_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")

Term = ox.NamedNode | ox.Literal


def _skip_string(text: str, i: int) -> int:
    """Index after the string literal starting at ``i`` (short or long, ' or ")."""
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = text.find(quote * 3, i + 3)
        return len(text) if end == -1 else end + 3
    j = i + 1
    while j < len(text) and text[j] != quote:
        j += 2 if text[j] == "\\" else 1
    return j + 1


def _tokens(query: str) -> list[str]:
    """The bare words of ``query`` outside comments, strings and IRIs, upper-cased."""
    words, i = [], 0
    while i < len(query):
        ch = query[i]
        if ch == "#":
            end = query.find("\n", i)
            i = len(query) if end == -1 else end
        elif ch in "'\"":
            i = _skip_string(query, i)
        elif ch == "<" and _IRIREF.match(query, i):
            i = _IRIREF.match(query, i).end()  # type: ignore[union-attr]
        elif ch.isalpha() and (i == 0 or not (query[i - 1].isalnum() or query[i - 1] in "?$_:")):
            match = _KEYWORD.match(query, i)
            assert match is not None
            words.append(match.group().upper())
            i = match.end()
        else:
            i += 1
    return words


def query_form(query: str) -> str | None:
    r"""The form of a query (SELECT, CONSTRUCT, ASK, DESCRIBE), or None for anything else.

    Words in comments, strings and IRIs do not count, and an update is not a query.

    >>> query_form("PREFIX a: <http://x/#ask>  # added\nSELECT * WHERE { ?s ?p 'DROP' }")
    'SELECT'
    >>> query_form("DROP ALL") is None
    True
    """
    words = _tokens(query)
    while words and words[0] in ("PREFIX", "BASE"):
        words = words[2:] if words[0] == "PREFIX" and len(words) > 1 else words[1:]
    return words[0] if words and words[0] in READ_FORMS else None


def outer_group_start(query: str) -> int:
    """Index just inside the ``{`` that opens the query's outermost WHERE group.

    >>> q = 'PREFIX x: <http://x/#a> SELECT * WHERE { ?s ?p "{" }  # }'
    >>> q[outer_group_start(q):].strip()
    '?s ?p "{" }  # }'
    """
    i, depth, seen_form, seen_where, first_brace = 0, 0, False, False, None
    while i < len(query):
        ch = query[i]
        if ch == "#":
            end = query.find("\n", i)
            i = len(query) if end == -1 else end
            continue
        if ch in "'\"":
            i = _skip_string(query, i)
            continue
        if ch == "<":
            match = _IRIREF.match(query, i)
            if match:
                i = match.end()
                continue
        if depth == 0 and not seen_form and _QUERY_FORM.match(query, i):
            seen_form = True
        elif depth == 0 and seen_form and _WHERE.match(query, i) and (
            i == 0 or not (query[i - 1].isalnum() or query[i - 1] in "?$_")
        ):
            seen_where = True
        elif ch == "{":
            if depth == 0 and seen_form and (seen_where or first_brace is None):
                if seen_where:
                    return i + 1
                first_brace = i + 1
            depth += 1
        elif ch == "}":
            depth -= 1
        i += 1
    if first_brace is None:
        raise ValueError("the query has no WHERE group to bind parameters in")
    return first_brace


def rows_block(variables: Sequence[str], rows: Iterable[Sequence[Term]]) -> str:
    """An inline ``VALUES`` block binding ``variables`` to each row of terms in turn.

    >>> rows_block(["x"], [[ox.NamedNode("http://x/a")], [ox.NamedNode("http://x/b")]])
    'VALUES (?x) { (<http://x/a>) (<http://x/b>) }'
    """
    names = " ".join(f"?{name}" for name in variables)
    body = " ".join("(" + " ".join(str(term) for term in row) + ")" for row in rows)
    return f"VALUES ({names}) {{ {body} }}"


def values_block(bindings: Mapping[str, Term]) -> str:
    """An inline ``VALUES`` block binding each variable to one term.

    >>> values_block({"drug": ox.NamedNode("http://x/tacrolimus"), "n": ox.Literal(2)})
    'VALUES (?drug ?n) { (<http://x/tacrolimus> "2"^^<http://www.w3.org/2001/XMLSchema#integer>) }'
    """
    return rows_block(list(bindings), [list(bindings.values())])


def _insert(query: str, block: str) -> str:
    """``query`` with ``block`` at the top of its outermost WHERE group."""
    at = outer_group_start(query)
    return f"{query[:at]} {block} {query[at:]}"  # no newline: lines stay true


def bind(query: str, bindings: Mapping[str, Term]) -> str:
    """``query`` with ``bindings`` fixed for its whole WHERE pattern."""
    if not bindings:
        return query
    return _insert(query, values_block(bindings))


def bind_rows(query: str, variable: str, terms: Sequence[Term]) -> str:
    """``query`` run once for each of ``terms`` as ``variable``, in one request (no terms: no rows).

    >>> bind_rows("SELECT * WHERE { ?e ?p ?o }", "e", [ox.NamedNode("http://x/a")])
    'SELECT * WHERE { VALUES (?e) { (<http://x/a>) }  ?e ?p ?o }'
    """
    return _insert(query, rows_block([variable], ([term] for term in terms)))
