"""The library of named questions in ``queries/``: each ``.rq`` file with its header parsed.

A header is the file's leading comment: the question in plain words on the first line, a
description, then a ``Parameters:`` block of lines ``name (type[, required|optional|default X]):
description``, a ``Columns:`` block, and an ``Examples:`` block of parameter sets the query is
shown and tested with, one a line, as ``name=value`` pairs joined by ``; `` (``-`` for none).
Types: ``entity [kind]`` (a vocabulary concept by id, label or synonym), ``work`` (a work by IRI,
DOI, PMID, PMCID, key, "Author Year" or a unique piece of its title), ``integer``, ``string``,
``iri`` and ``choice a|b|c`` (one of the words listed, bound as a string).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.errors import QueryError
from graph.query.binding import Term, bind
from graph.query.endpoints import Target
from graph.query.texts import internal_query
from graph.rdf.iri_text import iri_text

if TYPE_CHECKING:  # the vocabulary (and rdflib) is loaded only for queries that need it
    from graph.vocabulary.concepts import Vocabulary

_PARAM = re.compile(r"^\s*(?P<name>[A-Za-z]\w*) \((?P<spec>[^)]*)\):\s*(?P<text>.*)$")
_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_PMID = re.compile(r"^(?:pmid:\s*)?(\d{1,9})$", re.IGNORECASE)
_PMCID = re.compile(r"^(?:pmcid:\s*)?(PMC\d{1,9})$", re.IGNORECASE)
_KEY = re.compile(r"^[a-z0-9][a-z0-9./-]*$")
_AUTHOR_YEAR = re.compile(r"^(?P<family>[^\W\d_][^\s,]*(?:[ -][^\W\d_][^\s,]*)??)"
                          r"(?:\s+(?:et al\.?|(?:and|&)\s+\S+))?,?\s+(?P<year>(?:1[5-9]|20)\d\d)"
                          r"[a-z]?$")

# (text, whether titles may hold it) -> [(work IRI, title)]: see :func:`titles`
WorkLookup = Callable[[str, bool], list[tuple[str, str]]]
WORK_LOOKUP = internal_query("lookup/works-by-title")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query."""

    name: str
    type: str
    kind: str | None
    required: bool
    default: str | None
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A named question: its file, its header and its SPARQL text."""

    name: str
    path: Path
    question: str
    description: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    text: str
    examples: tuple[dict[str, str], ...] = ()


def _parameter(line: str, path: Path) -> Parameter:
    match = _PARAM.match(line)
    if match is None:
        raise QueryError(f"{path}: cannot read the parameter line {line.strip()!r}")
    type_part, *flags = (part.strip() for part in match["spec"].split(","))
    type_name, _, kind = type_part.partition(" ")
    default = next((f[len("default "):] for f in flags if f.startswith("default ")), None)
    if type_name == "choice" and (not kind or (default is not None
                                               and default not in kind.split("|"))):
        raise QueryError(f"{path}: the choice parameter {match['name']!r} lists its words as "
                         "'choice a|b', its default one of them")
    return Parameter(match["name"], type_name, kind or None, "required" in flags, default,
                     match["text"].strip())


def _example(line: str, path: Path, known: set[str]) -> dict[str, str]:
    """One ``Examples:`` line as parameters.

    >>> _example("from=10.3899/jrheum.161217; to=bohan-1975", Path("x.rq"), {"from", "to"})
    {'from': '10.3899/jrheum.161217', 'to': 'bohan-1975'}
    """
    if line.strip() == "-":
        return {}
    example = {}
    for pair in line.split("; "):
        name, sep, value = pair.strip().partition("=")
        if not sep or name not in known:
            raise QueryError(f"{path}: the example {line.strip()!r} names no parameter of the "
                             f"query ({', '.join(sorted(known)) or 'it has none'})")
        example[name] = value
    return example


def parse_query_file(path: Path) -> NamedQuery:
    """Read a ``.rq`` file and its header."""
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line[1:].strip() if line.startswith("# ") or line == "#" else line[1:])
    if not header or not header[0]:
        raise QueryError(f"{path}: a named query starts with a comment stating its question")
    sections: dict[str, list[str]] = {"description": []}
    current = "description"
    for line in header[1:]:
        if line.rstrip(":").lower() in ("parameters", "columns", "examples") and line.endswith(":"):
            current = line.rstrip(":").lower()
            sections[current] = []
        else:
            sections[current].append(line)
    parameters = tuple(_parameter(line, path) for line in sections.get("parameters", []) if line)
    listed = " ".join(sections.get("columns", [])).split(",")
    columns = tuple(c.strip() for c in listed if c.strip())
    known = {p.name for p in parameters}
    examples = tuple(_example(line, path, known) for line in sections.get("examples", []) if line)
    required = {p.name for p in parameters if p.required}
    if not examples and required:
        raise QueryError(f"{path}: a query with required parameters needs an Examples: block")
    for example in examples:
        if not required <= set(example):
            raise QueryError(f"{path}: the example {example} lacks a required parameter")
    return NamedQuery(path.stem, path, header[0], " ".join(sections["description"]).strip(),
                      parameters, columns, text, examples or ({},))


def catalog(folder: Path) -> dict[str, NamedQuery]:
    """Every named query of ``folder``, by name."""
    return {p.stem: parse_query_file(p) for p in sorted(folder.glob("*.rq"))}


def find(folder: Path, name: str) -> NamedQuery:
    """The named query ``name``; an unknown name lists the known ones."""
    known = catalog(folder)
    if name not in known:
        raise QueryError(f"no query is named {name!r}; known queries: {', '.join(known)}")
    return known[name]


def _author_year(text: str) -> str | None:
    """ "Bohan 1975", "Bohan & Peter 1975", "Ge et al. 2015" as the lookup's "family year".

    >>> _author_year("Bohan & Peter 1975"), _author_year("Ge et al., 2015b"), _author_year("x")
    ('bohan 1975', 'ge 2015', None)
    """
    match = _AUTHOR_YEAR.match(text.strip())
    return f"{match['family'].lower()} {match['year']}" if match else None


def _by_words(text: str, lookup: WorkLookup) -> list[tuple[str, str]]:
    """Works whose title holds every word of ``text``, in any order."""
    words = [w for w in re.split(r"\W+", text.casefold()) if w]
    if len(words) < 2:
        return []
    found = lookup(max(words, key=len), True)
    return [(w, t) for w, t in found if all(word in t.casefold() for word in words)]


def resolve_work(text: str, lookup: WorkLookup) -> ox.NamedNode:
    """A work IRI from the ways people name a work: IRI, DOI, PMID, PMCID, key, "Author Year",
    a piece of its title or its title words.

    ``lookup`` finds works by a title piece, an IRI or its end, an identifier stored on the
    work (``bibo:doi``, ``bibo:pmid``, ``fabio:hasPubMedCentralId``, so a DOI that arrived with a
    later record is found too) or a "family year" pair. Several matches list the candidates (the
    two Bohan & Peter 1975 parts); a work that is not in the graph is an error, not an empty
    answer.
    """
    doi, pmid, pmcid = _DOI.match(text), _PMID.match(text), _PMCID.match(text)
    if doi:
        wanted, needle = iri_text("work", "doi", doi.group(1).lower()), doi.group(1).lower()
    elif pmid:
        wanted, needle = iri_text("work", "pmid", pmid.group(1)), pmid.group(1)
    elif pmcid:
        wanted, needle = None, pmcid.group(1).upper()
    elif text.startswith(("http://", "https://")):
        wanted = needle = ox.NamedNode(text).value  # a malformed IRI fails here, as a bad parameter
    elif _KEY.match(text):
        wanted, needle = iri_text("work", text), text
    else:
        wanted, needle = None, _author_year(text) or text
    candidates = lookup(needle, not (doi or pmid or pmcid))
    if not candidates and not (doi or pmid or pmcid):
        candidates = _by_words(text, lookup)
    exact = [w for w, _ in candidates if w == wanted]
    if exact:
        return ox.NamedNode(exact[0])
    if len(candidates) == 1:
        return ox.NamedNode(candidates[0][0])
    if not candidates:
        raise QueryError(f"no work matches {text!r} "
                         "(give an IRI, DOI, PMID, PMCID, key, \"Author Year\" or title words)")
    listed = "; ".join(f"{w} ({t[:60]})" for w, t in candidates[:8])
    raise QueryError(f"{text!r} matches {len(candidates)} works: {listed}")


def choice(param: Parameter, value: str) -> str:
    """``value`` if it is one of the words of the choice parameter ``param``.

    >>> choice(Parameter("include", "choice", "curated|candidates", False, None, ""), "all")
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: parameter include='all': choose one of curated, candidates
    """
    words = (param.kind or "").split("|")
    if value not in words:
        raise QueryError(f"parameter {param.name}={value!r}: choose one of {', '.join(words)}")
    return value


def _term(param: Parameter, value: str, vocabulary: Vocabulary | None, lookup: WorkLookup
          ) -> Term:
    try:
        if param.type == "entity":
            if vocabulary is None:
                raise LookupError("a concept parameter needs the vocabulary to resolve it")
            kinds = (param.kind,) if param.kind else ()
            return ox.NamedNode(str(vocabulary.resolve(value, kinds).iri))
        if param.type == "work":
            return resolve_work(value, lookup)
        if param.type == "integer":
            number = int(value)
            if not -(2**63) <= number < 2**63:  # past this, the engine compares it as nothing
                raise ValueError("beyond the 64-bit integers a SPARQL engine compares")
            return ox.Literal(number)
        if param.type == "iri":
            return ox.NamedNode(value)
        if param.type == "string":
            return ox.Literal(value)
        if param.type == "choice":
            return ox.Literal(choice(param, value))
    except (LookupError, ValueError) as exc:
        raise QueryError(f"parameter {param.name}={value!r}: {exc}") from None
    raise QueryError(f"parameter {param.name} has an unknown type {param.type!r}")


def prepare(
    query: NamedQuery, values: Mapping[str, str], vocabulary: Vocabulary | None,
    lookup: WorkLookup,
) -> str:
    """The query's text with every parameter bound as an RDF term in an inline VALUES block."""
    known = {p.name for p in query.parameters}
    unknown = sorted(set(values) - known)
    if unknown:
        raise QueryError(
            f"query {query.name!r} has no parameter {', '.join(unknown)}; "
            f"its parameters: {', '.join(sorted(known)) or 'none'}"
        )
    bindings: dict[str, Term] = {}
    for param in query.parameters:
        value = values.get(param.name, param.default)
        if value is None:
            if param.required:
                raise QueryError(
                    f"query {query.name!r} needs parameter {param.name!r} ({param.type}): "
                    f"{param.description}; pass --param {param.name}=VALUE"
                )
            continue
        bindings[param.name] = _term(param, value, vocabulary, lookup)
    return bind(query.text, bindings)


def titles(target: Target, piece: str, in_titles: bool = True) -> list[tuple[str, str]]:
    """Works whose IRI is or ends in ``piece``, whose DOI, PMID or PMCID is it, whose first
    author and year it is ("bohan 1975"), or, with ``in_titles``, whose title contains it."""
    found = target.select(bind(WORK_LOOKUP, {"needle": ox.Literal(piece),
                                             "titles": ox.Literal(in_titles)}), "<work lookup>")
    return [(row["work"]["value"], row["title"]["value"]) for row in found.rows]


def work_lookup(target: Target) -> WorkLookup:
    """The :data:`WorkLookup` of a store: :func:`titles` asked of ``target``."""
    return lambda piece, in_titles: titles(target, piece, in_titles)
