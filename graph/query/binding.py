"""Bind query parameters as RDF terms in inline ``VALUES`` blocks, never as pasted text.

The binding goes in a block at the top of the outermost ``WHERE`` group, so it constrains the
pattern before any ``GROUP BY`` (a trailing ``VALUES`` clause is joined after aggregation, where
it would not restrict an aggregated query at all). Each nested group that uses a parameter
(``UNION`` branches, ``OPTIONAL``, ``EXISTS``) gets a block of its own at its start as well:
Oxigraph evaluates a ``UNION`` branch without the outer binding, which made
``citations-of-work`` walk every citation path of the graph (27 s at 1M triples, 0.7 s with the
blocks). The meaning is the same, since a group's rows join the outer binding anyway
(tests/test_queries.py compares every named query's rows both ways). ``MINUS`` groups and
subqueries, whose variables are their own, are left as written, except that a subquery which
projects a parameter gets its block too: its rows join the outer binding anyway, and so an
aggregate inside it (Virtuoso needs one for a computed ``ORDER BY`` or more than 20 group keys)
counts only what the parameter selects. Values are serialised by the RDF
library (IRIs checked, literals escaped), and blocks are placed by a lexer that skips comments,
strings and IRIs, so a parameter can never change the query's structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

import pyoxigraph as ox

from graph.errors import QueryError

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_OTHER = re.compile(
    r"(?P<space>\s+)|(?P<comment>#[^\n]*)|(?P<var>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]+)"
    r"|(?P<word>[A-Za-z_][\w.\-]*(?::[^\s{}()\[\],;<>\"'#]*)?|:[^\s{}()\[\],;<>\"'#]*)"
)
READ_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")

Term = ox.NamedNode | ox.Literal


class Token(NamedTuple):
    """One lexical piece of a query: its kind, its text and where it starts."""

    kind: str  # space, comment, string, iri, var, word or punct
    text: str
    start: int


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


def lex(query: str) -> Iterator[Token]:
    """The pieces of ``query``, enough of SPARQL's grammar to tell keywords, variables and braces
    from what comments, strings and IRIs merely contain.

    >>> [t.text for t in lex('SELECT ?s { ?s <http://x/#?s> "?s {" } # ?s') if t.kind != "space"]
    ['SELECT', '?s', '{', '?s', '<http://x/#?s>', '"?s {"', '}', '# ?s']
    """
    i = 0
    while i < len(query):
        ch = query[i]
        if ch in "'\"":
            end = _skip_string(query, i)
            yield Token("string", query[i:end], i)
            i = end
            continue
        match = (_IRIREF if ch == "<" else _OTHER).match(query, i)
        if match is None:
            yield Token("punct", ch, i)
            i += 1
            continue
        yield Token(match.lastgroup or "iri", match.group(), i)
        i = match.end()


def _significant(query: str) -> list[Token]:
    return [t for t in lex(query) if t.kind not in ("space", "comment")]


MAX_NESTING = 100  # groups and brackets; oxigraph's stack gave out near 4,000 (no query needs 20)


def vet(query: str, source: str, services: frozenset[str] = frozenset()) -> None:
    """Refuse, before any engine sees it, a query nested deeper than :data:`MAX_NESTING` (which
    overflows the engine's stack and kills the process) or one that names a ``SERVICE`` outside
    ``services`` (a query would otherwise make this machine send requests wherever it says).

    >>> vet("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "q")
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: q: SERVICE <http://example.org/sparql> is refused: this query path \
allows no remote SERVICE (name one with --allow-service URL)
    >>> vet("SELECT * { ?s ?p 'SERVICE <x>' } # SERVICE <y>", "q")  # words in strings, comments
    """
    depth = 0
    tokens = _significant(query)
    for n, token in enumerate(tokens):
        if token.kind == "punct" and token.text in "{(":
            depth += 1
            if depth > MAX_NESTING:
                raise QueryError(f"{source}: the query nests groups more than {MAX_NESTING} deep")
        elif token.kind == "punct" and token.text in "})":
            depth -= 1
        elif token.kind == "word" and token.text.upper() == "SERVICE":
            rest = [t for t in tokens[n + 1:n + 3] if t.text.upper() != "SILENT"]
            named = rest[0].text if rest else ""
            if named.strip("<>") not in services:
                allowed = ", ".join(sorted(services)) or "no remote SERVICE"
                raise QueryError(f"{source}: SERVICE {named} is refused: this query path allows "
                                 f"{allowed} (name one with --allow-service URL)")


def query_form(query: str) -> str | None:
    r"""The form of a query (SELECT, CONSTRUCT, ASK, DESCRIBE), or None for anything else.

    Words in comments, strings and IRIs do not count, and an update is not a query.

    >>> query_form("PREFIX a: <http://x/#ask>  # added\nSELECT * WHERE { ?s ?p 'DROP' }")
    'SELECT'
    >>> query_form("DROP ALL") is None
    True
    """
    words = [t.text.upper() for t in _significant(query) if t.kind != "punct"]
    while words and words[0] in ("PREFIX", "BASE"):
        words = words[3:] if words[0] == "PREFIX" else words[2:]
    return words[0] if words and words[0] in READ_FORMS else None


def _outer_brace(tokens: Sequence[Token]) -> int:
    """Index in ``tokens`` of the ``{`` that opens the query's outermost WHERE group."""
    depth, seen_form, seen_where, first_brace = 0, False, False, None
    for n, token in enumerate(tokens):
        word = token.text.upper() if token.kind == "word" else ""
        if depth == 0 and not seen_form and word in READ_FORMS:
            seen_form = True
        elif depth == 0 and seen_form and word == "WHERE":
            seen_where = True
        elif token.text == "{" and token.kind == "punct":
            if depth == 0 and seen_form and (seen_where or first_brace is None):
                if seen_where:
                    return n
                first_brace = n
            depth += 1
        elif token.text == "}" and token.kind == "punct":
            depth -= 1
    if first_brace is None:
        raise ValueError("the query has no WHERE group to bind parameters in")
    return first_brace


def outer_group_start(query: str) -> int:
    """Index just inside the ``{`` that opens the query's outermost WHERE group.

    >>> q = 'PREFIX x: <http://x/#a> SELECT * WHERE { ?s ?p "{" }  # }'
    >>> q[outer_group_start(q):].strip()
    '?s ?p "{" }  # }'
    """
    tokens = _significant(query)
    return tokens[_outer_brace(tokens)].start + 1


def _projected(tokens: Sequence[Token], select: int) -> set[str]:
    """The variables the subquery whose ``SELECT`` is ``tokens[select]`` projects: those named
    bare or after ``AS`` (a variable inside an expression is not projected).

    >>> sorted(_projected(_significant("SELECT ?a (MIN(?b) AS ?c) WHERE { }"), 0))
    ['a', 'c']
    """
    names, depth = set(), 0
    for n in range(select + 1, len(tokens)):
        token = tokens[n]
        if depth == 0 and (token.text == "{" or token.text.upper() == "WHERE"):
            break
        if token.kind == "punct" and token.text in "()":
            depth += 1 if token.text == "(" else -1
        elif token.kind == "var" and (depth == 0 or tokens[n - 1].text.upper() == "AS"):
            names.add(token.text[1:])
    return names


def _groups_using(query: str, names: Iterable[str]) -> dict[int, list[str]]:
    """Where each nested group of the WHERE pattern that uses one of ``names`` starts (just
    inside its brace), and which of them it uses, in order of first use.

    A use is the variable where a term may stand: not ``AS ?v``, ``BOUND(?v)`` or a ``VALUES``
    clause, and not inside a ``MINUS`` group or a subquery that does not project it. A subquery
    that projects one of ``names`` gets a block for it at the top of its WHERE group, since its
    rows join the outer binding anyway (a parameter then restricts an aggregate inside it).

    >>> q = "SELECT * WHERE { ?w ?p ?o { ?w ?q ?o BIND(?o AS ?v) } MINUS { ?v ?p ?w } }"
    >>> {q[at:]: used for at, used in _groups_using(q, ["w", "v"]).items()}
    {' ?w ?q ?o BIND(?o AS ?v) } MINUS { ?v ?p ?w } }': ['w']}
    >>> q = "SELECT * { { SELECT ?w (COUNT(?v) AS ?n) { ?w ?p ?v } GROUP BY ?w } }"
    >>> {q[at:]: used for at, used in _groups_using(q, ["w", "v"]).items()}
    {' ?w ?p ?v } GROUP BY ?w } }': ['w']}
    """
    tokens = _significant(query)
    groups: dict[int, list[str]] = {}
    starts: list[int] = []  # the start of each open group, innermost last
    scopes: list[tuple[int, set[str]]] = [(0, set(names))]  # (depth opened at, names bound there)
    heads: set[int] = set()  # depths of subquery groups: their own level is a projection
    in_values = False
    for n in range(_outer_brace(tokens), len(tokens)):
        token, before = tokens[n], [t.text.upper() for t in tokens[max(n - 2, 0):n]]
        if token.kind == "punct" and token.text == "{":
            starts.append(token.start + 1)
            following = tokens[n + 1] if n + 1 < len(tokens) else token
            if before[-1:] == ["MINUS"]:
                scopes.append((len(starts), set()))
            elif following.text.upper() == "SELECT":
                scopes.append((len(starts), _projected(tokens, n + 1) & scopes[-1][1]))
                heads.add(len(starts))
            elif len(starts) - 1 in heads and scopes[-1][1]:  # the WHERE group of a subquery
                groups[starts[-1]] = sorted(scopes[-1][1])
        elif token.kind == "punct" and token.text == "}":
            if scopes[-1][0] == len(starts):
                scopes.pop()
            heads.discard(len(starts))
            starts.pop()
            in_values = False
            if not starts:
                break
        elif token.kind == "word" and token.text.upper() == "VALUES":
            in_values = True
        elif (
            token.kind == "var" and token.text[1:] in scopes[-1][1] and len(starts) > 1
            and len(starts) not in heads and not in_values
            and before[-1:] != ["AS"] and before != ["BOUND", "("]
        ):
            used = groups.setdefault(starts[-1], [])
            if token.text[1:] not in used:
                used.append(token.text[1:])
    return groups


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


def _insert(query: str, block: str, at: int | None = None) -> str:
    """``query`` with ``block`` at the top of its outermost WHERE group (which starts at ``at``
    when the caller knows it: a query already holding large blocks is not read again)."""
    at = outer_group_start(query) if at is None else at
    return f"{query[:at]} {block} {query[at:]}"  # no newline: lines stay true


def bind(query: str, bindings: Mapping[str, Term]) -> str:
    """``query`` with ``bindings`` fixed for its whole WHERE pattern and in each nested group that
    uses them.

    >>> bind("SELECT * { ?s ?p ?o { ?o ?q ?s } }", {"s": ox.NamedNode("urn:x")})
    'SELECT * { VALUES (?s) { (<urn:x>) }  ?s ?p ?o { VALUES (?s) { (<urn:x>) }  ?o ?q ?s } }'
    """
    if not bindings:
        return query
    outer = outer_group_start(query)  # before the nested groups, which start after it
    for at, used in sorted(_groups_using(query, bindings).items(), reverse=True):
        block = values_block({name: bindings[name] for name in used})
        query = f"{query[:at]} {block} {query[at:]}"
    return _insert(query, values_block(bindings), outer)


def bind_rows(query: str, variable: str, terms: Sequence[Term]) -> str:
    """``query`` run once for each of ``terms`` as ``variable``, in one request (no terms: no rows).

    >>> bind_rows("SELECT * WHERE { ?e ?p ?o }", "e", [ox.NamedNode("http://x/a")])
    'SELECT * WHERE { VALUES (?e) { (<http://x/a>) }  ?e ?p ?o }'
    """
    return _insert(query, rows_block([variable], ([term] for term in terms)))


def bind_rows_within(query: str, variable: str, terms: Sequence[Term]) -> str:
    """:func:`bind_rows`, the rows also joined inside each nested group (a union's branch, a
    subquery) that uses ``variable``: Oxigraph otherwise evaluates such a group whole before it
    joins the rows (a few bound works of the exports' queries took as long as all of them).

    >>> bind_rows_within("SELECT * { { ?e ?p ?o } UNION { ?o ?p ?e } }", "e",
    ...                  [ox.NamedNode("http://x/a")])  # doctest: +NORMALIZE_WHITESPACE
    'SELECT * { VALUES (?e) { (<http://x/a>) }  {  VALUES (?e) { (<http://x/a>) }  ?e ?p ?o }
     UNION {  VALUES (?e) { (<http://x/a>) }  ?o ?p ?e } }'
    """
    block = rows_block([variable], ([term] for term in terms))
    outer = outer_group_start(query)  # read before the blocks go in: they may be megabytes
    for at in sorted(_groups_using(query, [variable]), reverse=True):
        query = f"{query[:at]} {block} {query[at:]}"
    return _insert(query, block, outer)
