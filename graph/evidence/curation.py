"""Load a curation record (YAML), check it against the schema, its document and the vocabulary.

Every problem is reported with the YAML file, the line and the finding it concerns, all at once,
so a curator can fix a record in one pass. Run ``python -m graph.evidence.curation FILE...`` to
check records without building.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml

from graph.errors import CurationError, GraphError
from graph.evidence.consistency import (
    direction_problems,
    population_problems,
    result_problems,
    size_problems,
    spread_problems,
)
from graph.evidence.findings import (
    RESULT_NUMBERS,
    Criterion,
    Curation,
    Effect,
    Finding,
    Group,
    Intervention,
    Population,
    Quote,
    Result,
    Statement,
    field_values,
)
from graph.evidence.numbers import numbers_in, parse_p_value, parse_timepoint, stated
from graph.evidence.quotes import locate
from graph.evidence.schema_check import SchemaCheck
from graph.inputs.lines import line_at
from graph.inputs.read import read_corpus
from graph.inputs.text import load_source
from graph.records import Document
from graph.settings import Paths, bundled
from graph.vocabulary.concepts import Vocabulary, load_vocabulary

SCHEMA = bundled("ontology") / "curation.schema.json"  # generated from curation.linkml.yaml
ANY_ENTITY = ("drug", "antibody", "disease", "ild-pattern", "outcome", "characteristic")


class LineDict(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader whose mappings are :class:`LineDict` and whose duplicate keys are errors.

    libyaml's parser when PyYAML has it (ten times faster on a large curated corpus).
    """


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    pairs = loader.construct_pairs(node, deep=True)
    key_lines: dict[str, int] = {}
    for (key, _), (key_node, _) in zip(pairs, node.value, strict=True):
        if key in key_lines:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        key_lines[key] = key_node.start_mark.line + 1
    mapping = LineDict(pairs)
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = key_lines
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

# YAML aliases share one node, so a "billion laughs" file is small and cheap to read, but anything
# that walks the record (the schema check, the checks, the triples) walks every expansion.
MAX_EXPANDED_NODES = 200_000  # a large curated article is about 5,000


def expanded_size(node: yaml.Node) -> int:
    """How many nodes ``node`` holds with every alias expanded, computed once per shared node.

    >>> expanded_size(yaml.compose("a: &x [1, 2]\\nb: *x\\nc: *x"))
    13
    """
    sizes: dict[int, int] = {}

    def size(current: yaml.Node) -> int:
        known = sizes.get(id(current))
        if known is not None:
            return known
        children: list[yaml.Node] = []
        if isinstance(current, yaml.SequenceNode):
            children = current.value
        elif isinstance(current, yaml.MappingNode):
            children = [n for pair in current.value for n in pair]
        sizes[id(current)] = total = 1 + sum(size(child) for child in children)
        return total

    return size(node)


@cache
def _schema_document() -> dict[str, Any]:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@cache
def _schema() -> SchemaCheck:
    return SchemaCheck(_schema_document())


@cache
def _key_pattern() -> re.Pattern[str]:
    """What a population's key must look like: the model's identifier pattern.

    JSON Schema checks a mapping's values, not its keys' shape, so the generated schema carries
    the pattern on the population's key slot and the check reads it from there.
    """
    key = _schema_document()["$defs"]["Population"]["properties"]["key"]
    return re.compile(key["pattern"])


def _line_of(data: Any, path: Iterable[Any]) -> int:
    """The line of the innermost key or mapping on ``path`` inside ``data``."""
    line = getattr(data, "line", 1)
    node = data
    for step in path:
        if isinstance(node, LineDict) and isinstance(step, str):
            line = node.line_of(step)
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        line = getattr(node, "line", line)
    return line


def _where(data: Any, path: list[Any]) -> str:
    """A schema error's place, naming the finding (or population) it is in."""
    where = "/".join(str(p) for p in path) or "(top)"
    if len(path) >= 2 and path[0] in ("findings", "statements"):
        try:
            ident = data[path[0]][path[1]].get("id")
        except (IndexError, KeyError, TypeError, AttributeError):
            ident = None
        if ident:
            return f"{path[0][:-1]} {ident!r} ({where})"
    if len(path) >= 2 and path[0] == "populations":
        return f"population {path[1]!r} ({where})"
    return where


def parse_yaml(text: str, display: str) -> LineDict:
    """Parse YAML text into line-aware mappings; a syntax error names its line."""
    loader = _Loader(text)  # a SafeLoader subclass: no arbitrary objects
    try:
        node = loader.get_single_node()
        # an alias is written ``*name``: a text without ``*`` has none, its nodes are a tree
        # that the checks walk once, so it is not walked here (a tenth of reading a record)
        if node is not None and "*" in text and expanded_size(node) > MAX_EXPANDED_NODES:
            raise CurationError(display, "not valid YAML: its aliases expand to more than "
                                f"{MAX_EXPANDED_NODES:,} nodes (an alias bomb?)")
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise CurationError(display, f"not valid YAML: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:  # e.g. a control character the YAML reader refuses
        raise CurationError(display, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise CurationError(display, "not valid YAML: nested too deeply") from None
    finally:
        loader.dispose()
    if not isinstance(data, LineDict):
        raise CurationError(display, "a curation record must be a YAML mapping", 1)
    return data


def schema_problems(data: LineDict) -> list[tuple[int, str]]:
    """Every violation of the generated curation schema as (line, sentence)."""
    problems = []
    for error in sorted(_schema().errors(data), key=lambda e: list(map(str, e.path))):
        path = list(error.absolute_path)
        problems.append((_line_of(data, path), f"{_where(data, path)}: {error.message}"))
    return problems


class _Checker:
    """Turns one schema-valid record into checked records, collecting every problem on the way."""

    def __init__(self, data: LineDict, document: Document, vocabulary: Vocabulary) -> None:
        self.data = data
        self.document = document
        self.vocabulary = vocabulary
        self.problems: list[tuple[int, str]] = []
        # One record of a file of many is quoted from its own prose, not its neighbours'.
        self.within = document.spans if document.record is not None else ()

    def report(self, line: int, where: str, problems: Iterable[str]) -> None:
        self.problems.extend((line, f"{where}: {p}") for p in problems)

    def quotes(self, raw: Any, line: int, where: str) -> tuple[Quote, ...]:
        items = raw if isinstance(raw, list) else [raw]
        found = []
        for number, item in enumerate(items, start=1):
            text, occurrence = (item["text"], item["occurrence"]) if isinstance(item, dict) else (
                item, None)
            try:
                hit = locate(self.document.text, text, occurrence, self.within)
            except LookupError as exc:
                label = f"quote {number}" if len(items) > 1 else "quote"
                self.report(getattr(item, "line", line), where, [f"{label} {text!r}: {exc}"])
                continue
            doc_line = line_at(self.document.text, hit.start)
            found.append(Quote(hit.exact, hit.start, hit.end, hit.prefix, hit.suffix, doc_line))
        return tuple(found)

    def entity(self, value: str | None, kinds: tuple[str, ...], line: int, where: str) -> None:
        if value is not None:
            problem = self.vocabulary.problem(value, kinds)
            self.report(line, where, [problem] if problem else [])

    def numbers(self, values: Mapping[str, float], quotes: tuple[Quote, ...], line: int,
                where: str) -> None:
        printed = numbers_in(" ".join(q.exact for q in quotes))
        missing = [f"{name} {value:g} is not stated in its quotes"
                   for name, value in values.items() if not stated(value, printed)]
        self.report(line, where, missing)

    def population(self, key: str, raw: LineDict | str, line: int) -> Population:
        where = f"population {key!r}"
        if isinstance(raw, str):  # LinkML's SimpleDict form, "key: description"
            raw = LineDict(description=raw)
            raw.line, raw.key_lines = line, {"description": line}  # as a parsed mapping has
        if not _key_pattern().search(key):
            self.report(line, where, [f"{key!r} does not match {_key_pattern().pattern!r}"])
        quotes = self.quotes(raw.get("quote", []), line, where) if "quote" in raw else ()
        if "n" in raw:
            if "quote" not in raw:
                self.report(line, where, ["n needs a quote that states it"])
            self.numbers({"n": raw["n"]}, quotes, line, where)
        for disease in raw.get("diseases", []):
            self.entity(disease, ("disease",), line, where)
        for antibody in (*raw.get("antibodies", []), *raw.get("negative_for", [])):
            self.entity(antibody, ("antibody",), line, where)
        for characteristic in raw.get("characteristics", []):
            self.entity(characteristic, ANY_ENTITY, line, where)
        return Population(
            key=key, description=raw["description"].strip(), n=raw.get("n"), quotes=quotes,
            parent=raw.get("parent"), diseases=tuple(raw.get("diseases", [])),
            antibodies=tuple(raw.get("antibodies", [])),
            negative_for=tuple(raw.get("negative_for", [])), refractory=raw.get("refractory"),
            treatment_naive=raw.get("treatment_naive"),
            characteristics=tuple(raw.get("characteristics", [])),
        )

    def statement(self, raw: LineDict) -> Statement:
        where = f"statement {raw['id']!r}"
        quotes = self.quotes(raw["quote"], raw.line, where)
        self.entity(raw.get("entity"), ANY_ENTITY, raw.line, where)
        needed = {"not-tested": ("entity",), "venue": ("value",),
                  "definition": ("value", "criteria")}[raw["kind"]]
        for name in needed:
            if name not in raw:
                self.report(raw.line, where, [f"a {raw['kind']} statement needs {name!r}"])
        criteria = tuple(
            Criterion(c["id"], self.quotes(c["quote"], getattr(c, "line", raw.line),
                                           f"{where} criterion {c['id']!r}"))
            for c in raw.get("criteria", []))
        return Statement(raw["id"], raw["kind"], quotes, raw.get("entity"), raw.get("value"),
                         raw.line, criteria)

    def finding(self, raw: LineDict, populations: dict[str, Population]) -> Finding:
        where, line = f"finding {raw['id']!r}", raw.line
        quotes = self.quotes(raw["quote"], line, where)
        for i in raw.get("interventions", []):
            self.entity(i["drug"], ("drug",), line, where)
        comparator = raw.get("comparator", {})
        self.entity(comparator.get("drug"), ("drug",), line, where)
        self.entity(raw.get("outcome"), ("outcome",), line, where)
        self.entity(raw.get("dose_of"), ("drug",), line, where)
        self.entity(raw.get("characteristic"), ANY_ENTITY, line, where)
        names = [raw["population"], *(g["population"] for g in raw.get("groups", []))]
        unknown = [n for n in names if n not in populations]
        self.report(line, where, [f"population {n!r} is not defined" for n in unknown])
        result = _result(raw.get("result", {}))
        groups = tuple(Group(**{k: v for k, v in g.items()}) for g in raw.get("groups", []))
        values = result.numbers()
        for index, group in enumerate(groups, start=1):
            values.update({f"group {index} {k}": float(v) for k, v in field_values(group).items()
                           if k != "population" and v is not None})
        self.numbers(values, quotes, line, where)
        finding = Finding(
            key=raw["id"], kind=raw["kind"], quotes=quotes, population=raw["population"],
            direction=raw["direction"],
            # the model's ifabsent: a drug written without a role is the one studied
            interventions=tuple(Intervention(**{"role": "studied", **dict(i)})
                                for i in raw.get("interventions", [])),
            comparator_drug=comparator.get("drug"),
            comparator_description=comparator.get("description"),
            outcome=raw.get("outcome"), dose_of=raw.get("dose_of"),
            characteristic=raw.get("characteristic"), groups=groups, result=result,
            timepoint=parse_timepoint(raw["timepoint"]) if "timepoint" in raw else None,
            note=raw.get("note"), line=line,
        )
        self.report(line, where, result_problems(result))
        for index, group in enumerate(groups, start=1):
            self.report(line, where, spread_problems(field_values(group), f"group {index} "))
        if not unknown:
            self.report(line, where, size_problems(finding, populations))
        if finding.outcome in self.vocabulary:
            self.report(line, where, direction_problems(finding, self.vocabulary))
        return finding

    def curation(self, display: str) -> Curation:
        data = self.data
        self.entity(data.get("design"), ("design",), data.line, "design")
        raw_populations = data.get("populations", LineDict())
        populations = {k: self.population(k, v, raw_populations.line_of(k))
                       for k, v in raw_populations.items()}
        self.report(data.line, "populations", population_problems(populations))
        statements = tuple(self.statement(s) for s in data.get("statements", []))
        findings = []
        seen: set[str] = set()
        for raw in data["findings"]:
            if raw["id"] in seen:
                self.report(raw.line, f"finding {raw['id']!r}", ["id is used twice"])
            seen.add(raw["id"])
            findings.append(self.finding(raw, populations))
        return Curation(display, self.document.path, data.get("design"), populations,
                        tuple(findings), statements, data.get("control_group"),
                        bool(data.get("candidates_reviewed")))


def _result(raw: Mapping[str, Any]) -> Result:
    """A record's ``result`` mapping as a :class:`Result`: its ``before:`` and ``after:``
    summaries become the ``before_*`` and ``after_*`` numbers."""
    numbers = {name: raw[name] for name in RESULT_NUMBERS if name in raw}
    for side in ("before", "after"):
        numbers.update({f"{side}_{name}": value for name, value in raw.get(side, {}).items()})
    effect = raw.get("effect")
    p_text = raw.get("p_value")
    return Result(
        **numbers, unit=raw.get("unit"), effect=Effect(**dict(effect)) if effect else None,
        p_value=parse_p_value(p_text) if p_text else None, p_text=p_text,
    )


def _fail(display: str, problems: list[tuple[int, str]]) -> CurationError:
    problems = sorted(problems)
    first_line, first = problems[0]
    rest = "".join(f"\n  line {line}: {text}" for line, text in problems[1:])
    more = f" ({len(problems)} problems)" if len(problems) > 1 else ""
    return CurationError(display, f"{first}{more}{rest}", first_line)


def load_curation(
    path: Path, corpus: Path, documents: Mapping[str, Document], vocabulary: Vocabulary
) -> Curation:
    """Read and check one curation record; raise :class:`CurationError` listing every problem."""
    source = load_source(path, corpus)
    return check_record(source.text, source.path, documents, vocabulary)


def check_record(
    text: str, display: str, documents: Mapping[str, Document], vocabulary: Vocabulary
) -> Curation:
    """The curation record written in ``text`` (YAML), checked against the schema, its document
    and the vocabulary; :class:`CurationError` lists every problem, ``display`` naming the file."""
    data = parse_yaml(text, display)
    problems = schema_problems(data)
    if problems:
        raise _fail(display, problems)
    document = documents.get(data["document"])
    if document is None:
        raise CurationError(
            display, f"document {data['document']!r} is not in the corpus", data.line
        )
    checker = _Checker(data, document, vocabulary)
    curation = checker.curation(display)
    if checker.problems:
        raise _fail(display, checker.problems)
    return curation


class Record(Protocol):
    """A curation record as a loader gives it: its file and the document it curates."""

    @property
    def path(self) -> str: ...
    @property
    def document(self) -> str: ...


R = TypeVar("R", bound=Record)


def load_curations(
    paths: Paths, documents: list[Document], vocabulary: Vocabulary,
    load: Callable[[Path, Path, Mapping[str, Document], Vocabulary], R] = load_curation,  # type: ignore[assignment]
) -> dict[str, R]:
    """Every curation record, checked, by the path of the document it curates.

    ``load`` reads one record (default :func:`load_curation`; the build's cache gives what it
    keeps of it instead: :meth:`graph.build.cache.CorpusCache.curations`)."""
    if not paths.curation.is_dir():
        return {}
    by_path = {d.path: d for d in documents}
    curations: dict[str, R] = {}
    for file in sorted(paths.curation.glob("*.yaml")):
        curation = load(file, paths.corpus, by_path, vocabulary)
        if curation.document in curations:
            raise CurationError(curation.path, f"{curation.document} is curated twice (also in "
                                f"{curations[curation.document].path})")
        curations[curation.document] = curation
    return curations


def main(argv: list[str]) -> int:
    """Check curation records without building: ``python -m graph.evidence.curation FILE...``."""
    paths = Paths()
    documents = {d.path: d for d in read_corpus(paths.documents, paths.corpus)}
    vocabulary = load_vocabulary(paths.ontology / "vocabulary")
    status = 0
    for name in argv:
        path = Path(name).resolve()
        try:
            if not path.is_relative_to(paths.corpus.resolve()):
                raise CurationError(name, f"is not in the corpus folder {paths.corpus}: a record "
                                    "is checked against the corpus it curates")
            curation = load_curation(path, paths.corpus, documents, vocabulary)
        except GraphError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 2
            continue
        print(f"{curation.path}: ok ({len(curation.populations)} populations, "
              f"{len(curation.findings)} findings, {len(curation.statements)} statements)")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
