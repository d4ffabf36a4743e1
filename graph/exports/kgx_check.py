"""Reading a KGX export back: its rows one at a time, and the problems a consumer would meet.

:func:`check_kgx` reports structural problems (and, given the Biolink model from the
``biolink-model`` package, categories or predicates that are not Biolink's). The ``kgx`` and
``bmt`` packages are not used: they fetch the model from the network at run time. Files are read
a row at a time, so checking millions of edges never holds the graph.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

EDGE_ENDS = ("id", "subject", "predicate", "object")  # the columns every KGX edge needs


def tsv_cells(path: Path, problems: list[str], required: tuple[str, ...] = ()
              ) -> Iterator[tuple[int, list[str], list[str]]]:
    """The rows of a TSV file as (line number, header, cells), read one at a time; a missing
    ``required`` column, or a line with the wrong number of fields, is a problem."""
    with path.open(newline="", encoding="utf-8") as handle:
        lines = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(lines, None)
        if header is None:
            problems.append(f"{path.name}: empty file")
            return
        problems += [f"{path.name}: no {name} column" for name in required if name not in header]
        for number, values in enumerate(lines, start=2):
            if len(values) != len(header):
                problems.append(f"{path.name}:{number}: {len(values)} fields, the header has "
                                f"{len(header)}")
                continue
            yield number, header, values


def tsv_rows(path: Path, problems: list[str], required: tuple[str, ...] = (),
             only: Collection[str] | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a TSV file with their line numbers, by column (:func:`tsv_cells`); with
    ``only``, just those columns (a row of millions need not be a dict of all 47)."""
    places: list[tuple[str, int]] | None = None
    for number, header, values in tsv_cells(path, problems, required):
        if places is None:
            at = {name: place for place, name in enumerate(header)}  # a name twice: its last
            places = [(name, place) for name, place in at.items() if only is None or name in only]
        yield number, {name: values[place] for name, place in places}


def biolink_names(model: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """CURIEs of the model's classes and slots, mapped to their YAML keys.

    >>> biolink_names({"classes": {"RNA product": {}}, "slots": {"studied to treat": {}}})
    ({'biolink:RNAProduct': 'RNA product'}, {'biolink:studied_to_treat': 'studied to treat'})
    """
    classes = {"biolink:" + "".join(w[:1].upper() + w[1:] for w in name.split()): name
               for name in model.get("classes") or {}}
    slots = {"biolink:" + name.replace(" ", "_"): name for name in model.get("slots") or {}}
    return classes, slots


def _is_predicate(slots: dict[str, Any], name: str) -> bool:
    """Whether a slot descends from ``related to`` (so it can be an edge's predicate)."""
    seen: set[str] = set()
    while name and name not in seen:
        if name == "related to":
            return True
        seen.add(name)
        name = (slots.get(name) or {}).get("is_a", "")
    return False


def _allowed_values(model: dict[str, Any]) -> dict[str, set[str]]:
    """The Biolink values of the edge columns that take one from an enumeration."""
    enums = model.get("enums") or {}
    return {column: set((enums.get(enum) or {}).get("permissible_values") or {})
            for column, enum in (("knowledge_level", "KnowledgeLevelEnum"),
                                 ("agent_type", "AgentTypeEnum"))}


def _category_problems(categories: set[str], model: dict[str, Any]) -> list[str]:
    classes, _ = biolink_names(model)
    problems = []
    for category in sorted(categories):
        definition = model["classes"].get(classes.get(category, ""))
        if definition is None:
            problems.append(f"category {category} is not a Biolink class")
        elif definition.get("abstract") or definition.get("mixin"):
            problems.append(f"category {category} is an abstract class or a mixin")
        elif definition.get("deprecated"):
            problems.append(f"category {category} is deprecated")
    return problems


def _predicate_problems(predicates: set[str], model: dict[str, Any]) -> list[str]:
    _, slots = biolink_names(model)
    problems = []
    for predicate in sorted(p for p in predicates if p):
        name = slots.get(predicate)
        if name is None:
            problems.append(f"predicate {predicate} is not a Biolink slot")
        elif not _is_predicate(model["slots"], name):
            problems.append(f"predicate {predicate} is not a kind of biolink:related_to")
        elif model["slots"][name].get("deprecated") or model["slots"][name].get("abstract"):
            problems.append(f"predicate {predicate} is deprecated or abstract")
    return problems


def check_kgx(nodes: Path, edges: Path, model: dict[str, Any] | None = None,
              beside: Collection[str] = frozenset()) -> list[str]:
    """Problems of a KGX export: nodes without exactly one category, edges to no node, and, given
    the Biolink model, categories and predicates that are not (usable) Biolink classes and slots.
    ``beside``: ids of nodes not in ``nodes`` that the edges may end at (a patched export checks
    the rows it made, beside the last build's).

    Both files are read a row at a time and only the node and edge ids are kept, so checking
    millions of edges takes the memory of their ids, not of the graph.
    """
    problems: list[str] = []
    ids: set[str] = set()
    categories: set[str] = set()
    for line, row in tsv_rows(nodes, problems, ("id", "category"), ("id", "category")):
        node = row.get("id", "")
        found = [c for c in row.get("category", "").split("|") if c]
        if not node:
            problems.append(f"{nodes.name}:{line}: node without an id")
            continue
        if node in ids:
            problems.append(f"{nodes.name}:{line}: node {node} appears twice")
        if len(found) != 1:
            problems.append(f"{nodes.name}:{line}: node {node} has {len(found)} "
                            "categories; it needs exactly one")
        ids.add(node)
        categories.update(found)
    allowed = _allowed_values(model) if model is not None else {}
    seen: set[str] = set()
    predicates: set[str] = set()
    values: list[str] = []
    for line, row in tsv_rows(edges, problems, EDGE_ENDS, {*EDGE_ENDS, *allowed}):
        if not row.get("predicate"):
            problems.append(f"{edges.name}:{line}: edge without a predicate")
        if row.get("id") in seen:
            problems.append(f"{edges.name}:{line}: edge id {row['id']} appears twice")
        seen.add(row.get("id", ""))
        missing = [f"{end} {row.get(end) or '(empty)'}" for end in ("subject", "object")
                   if row.get(end, "") not in ids and row.get(end, "") not in beside]
        if missing:
            problems.append(f"{edges.name}:{line}: edge {row.get('id', '')}: "
                            f"{' and '.join(missing)} is not a node")
            continue
        predicates.add(row.get("predicate", ""))
        values += [f"edge {row.get('id')}: {column} {row[column]!r} is not one of Biolink's"
                   for column, permitted in allowed.items()
                   if permitted and row.get(column) and row[column] not in permitted]
    if model is not None:
        problems += [*_category_problems(categories, model), *values,
                     *_predicate_problems(predicates, model)]
    return problems


def biolink_model() -> dict[str, Any] | None:
    """The Biolink model shipped in the ``biolink-model`` package, or None if not installed."""
    try:
        from importlib.resources import files

        text = files("biolink_model").joinpath("schema/biolink_model.yaml").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)
