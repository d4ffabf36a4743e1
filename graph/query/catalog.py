"""The library of named questions in ``queries/``: each ``.rq`` file with its header parsed.

A header is the file's leading comment: the question in plain words on the first line, a
description, then a ``Parameters:`` block of lines ``name (type[, required|optional|default X]):
description``, a ``Columns:`` block, and an ``Examples:`` block of parameter sets the query is
shown and tested with, one a line, as ``name=value`` pairs joined by ``; `` (``-`` for none).
Types: ``entity [kind]`` (a vocabulary concept by id, label or synonym), ``work`` (a work by IRI,
DOI, PMID, key or a unique piece of its title), ``integer``, ``string`` and ``iri``.
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
_KEY = re.compile(r"^[a-z0-9][a-z0-9./-]*$")

WorkLookup = Callable[[str], list[tuple[str, str]]]  # title piece -> [(work IRI, title)]
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


def resolve_work(text: str, lookup: WorkLookup) -> ox.NamedNode:
    """A work IRI from an IRI, DOI, PMID, work key, or a piece of title that names one work.

    ``lookup`` finds works whose title contains a piece of text or whose IRI is or ends in it;
    a work that is not in the graph is an error, not an empty answer.
    """
    doi, pmid = _DOI.match(text), _PMID.match(text)
    if doi:
        wanted = iri_text("work", "doi", doi.group(1).lower())
    elif pmid:
        wanted = iri_text("work", "pmid", pmid.group(1))
    elif text.startswith(("http://", "https://")):
        wanted = ox.NamedNode(text).value  # a malformed IRI fails here, as a bad parameter
    elif _KEY.match(text):
        wanted = iri_text("work", text)
    else:
        wanted = None
    candidates = lookup(wanted or text)
    exact = [w for w, _ in candidates if w == wanted]
    if exact:
        return ox.NamedNode(exact[0])
    if wanted is None and len(candidates) == 1:
        return ox.NamedNode(candidates[0][0])
    if wanted is not None or not candidates:
        titled = lookup(text) if wanted is not None and not text.startswith("http") else []
        if len(titled) == 1:
            return ox.NamedNode(titled[0][0])
        if not titled:
            raise QueryError(f"no work matches {text!r} "
                             "(give an IRI, DOI, PMID, key or title words)")
        candidates = titled
    listed = "; ".join(f"{w} ({t[:60]})" for w, t in candidates[:8])
    raise QueryError(f"{text!r} matches {len(candidates)} works: {listed}")


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


def titles(target: Target, piece: str) -> list[tuple[str, str]]:
    """Works whose title contains ``piece`` (any case) or whose IRI is or ends in it."""
    found = target.select(bind(WORK_LOOKUP, {"needle": ox.Literal(piece)}), "<work lookup>")
    return [(row["work"]["value"], row["title"]["value"]) for row in found.rows]
