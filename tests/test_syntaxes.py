"""Turtle and JSON-LD written a run of subjects at a time are Oxigraph's own files of the whole
graph, read back as the graph; changed by the runs a difference touches, they are the files
written whole; and where the last files and their index disagree, they are written whole.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graph.build.serialisations import write_serialisations
from graph.rdf import syntaxes
from graph.rdf.delta import Difference
from graph.rdf.syntaxes import SYNTAXES, Stale, write_changed, write_whole
from graph.vocabulary.namespaces import PREFIXES

EX = "https://example.org/"
MAILD = str(PREFIXES["maild"])
TEXTS = ['plain', 'a "quoted"\nline\r\n', "tab\there", "Abdì-Alì", "anti–MDA5 😷", "\\back", ""]


def _object(rng: random.Random) -> str:
    text = rng.choice(TEXTS)
    return str(rng.choice([
        ox.Literal(text), ox.Literal(text, language=rng.choice(["en", "en-GB", "fr"])),
        ox.Literal(str(rng.randint(-5, 50)), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")),
        ox.Literal(text, datatype=ox.NamedNode(f"{MAILD}code")),
        ox.NamedNode(f"{EX}o{rng.randint(0, 30)}"), ox.NamedNode(f"{MAILD}Thing")]))


def lines(seed: int, subjects: int = 120) -> set[str]:
    """N-Triples lines: subjects prefixed and not, whose IRIs extend one another (``s1``,
    ``s1/x``), escapes, language tags, datatypes; some subjects with many lines."""
    rng = random.Random(seed)
    made = set()
    for _ in range(subjects * 4):
        s = rng.choice([f"<{EX}s{rng.randint(0, subjects)}>", f"<{EX}s{rng.randint(0, 9)}/x>",
                        f"<{MAILD}t{rng.randint(0, 9)}>"])
        made.add(f"{s} <{EX}p{rng.randint(0, 3)}> {_object(rng)} .")
    return made


def write_nt(folder: Path, graph: set[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    nt = folder / "graph.nt"
    nt.write_text("".join(f"{line}\n" for line in sorted(graph)), encoding="utf-8")
    return nt


def files(folder: Path) -> dict[str, bytes]:
    return {s.file: (folder / s.file).read_bytes() for s in SYNTAXES}


def test_runs_of_any_size_give_oxigraphs_files_of_the_whole_graph(tmp_path: Path) -> None:
    graph = lines(1) | {f"<{EX}b> <{EX}p0> _:b1 .", f"_:b1 <{EX}p1> \"in a blank node\"@en ."}
    nt = write_nt(tmp_path, graph)
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    for syntax in SYNTAXES:
        whole = ox.serialize(ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES),
                             format=syntax.format, prefixes=prefixes)
        for size in (1, 300, 1 << 20):  # a run per subject, a few subjects, one run
            folder = tmp_path / f"{syntax.name}-{size}"
            folder.mkdir()
            index = write_whole(nt, folder, size)
            assert (folder / syntax.file).read_bytes() == whole
            assert (len(index.keys) > 100) == (size == 1)


def test_both_files_read_back_as_the_graph_by_rdflib_and_pyoxigraph(tmp_path: Path) -> None:
    nt = write_nt(tmp_path, lines(2))
    write_whole(nt, tmp_path, 200)
    expected = Graph().parse(nt, format="nt")
    assert len(expected) == len(lines(2))
    for syntax, rdflib_format in zip(SYNTAXES, ("turtle", "json-ld"), strict=True):
        path = tmp_path / syntax.file
        assert isomorphic(Graph().parse(path, format=rdflib_format), expected), syntax.name
        read = ox.parse(path=str(path), format=syntax.format)
        assert {f"{t} ." for t in read} == lines(2), syntax.name


def _changed(graph: set[str], rng: random.Random) -> set[str]:
    """``graph`` with lines and whole subjects gone, and lines of new and old subjects added
    (before the first and after the last subject too)."""
    subjects = sorted({line.split(" ", 1)[0] for line in graph})
    gone = set(rng.sample(subjects, 3)) | {subjects[0]}
    kept = {line for line in graph if line.split(" ", 1)[0] not in gone and rng.random() > 0.05}
    new = lines(rng.randint(100, 999), 10)
    return kept | set(rng.sample(sorted(new), 15)) | {
        f"<{EX}a0> <{EX}p0> \"first\" .", f"<{EX}zz> <{EX}p0> \"last\" ."}


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_files_changed_by_the_runs_a_difference_touches_are_the_files_written_whole(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    before = lines(seed)
    last = tmp_path / "last"
    index = write_whole(write_nt(last, before), last, 400)
    for step in range(3):  # each build changed from the one before
        after = _changed(before, rng)
        new, whole = tmp_path / f"new{step}", tmp_path / f"whole{step}"
        nt = write_nt(new, after)
        change = Difference(removed=sorted(before - after), added=sorted(after - before))
        index = write_changed(nt, new, last, index, change, 400)
        write_whole(write_nt(whole, after), whole, 400)
        assert files(new) == files(whole)
        before, last = after, new


def test_a_line_added_writes_its_run_again_and_copies_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = lines(6, 400)
    last = tmp_path / "last"
    index = write_whole(write_nt(last, graph), last, 300)
    line = f"<{EX}s200> <{EX}p9> \"one more\" ."
    written: list[bytes] = []
    made = syntaxes.bodies

    def bodies(text: bytes) -> tuple[bytes, ...]:
        written.append(text)
        return made(text)

    monkeypatch.setattr(syntaxes, "bodies", bodies)
    new = tmp_path / "new"
    write_changed(write_nt(new, graph | {line}), new, last, index, Difference(added=[line]), 300)
    again = b"".join(written)  # the run of the new line (cut in two if it grew past the size)
    ends = [*index.nt[1:], index.sizes["graph.nt"]]
    longest = max(b - a for a, b in zip(index.nt, ends, strict=True))
    assert len(index.keys) > 50 and line.encode() in again
    assert len(again) <= longest + len(line) + 1


def test_last_files_their_index_does_not_describe_are_written_whole_and_said_so(
    tmp_path: Path
) -> None:
    graph = lines(7, 3000)  # runs of the default size: several
    last = tmp_path / "last"
    write_nt(last, graph)
    write_serialisations(last / "graph.nt", last)
    line = f"<{EX}s5> <{EX}p9> \"one more\" ."
    change = Difference(added=[line])
    new = tmp_path / "new"
    write_nt(new, graph | {line})
    write_whole(new / "graph.nt", new)
    whole = files(new)

    _, counts, why = write_serialisations(new / "graph.nt", new, last, change)
    assert (counts, why) == ({"reused": 1, "made": 0}, None) and files(new) == whole

    turtle = (last / "graph.ttl").read_bytes()
    (last / "graph.ttl").write_bytes(turtle[:-1])  # cut short
    _, counts, why = write_serialisations(new / "graph.nt", new, last, change)
    assert counts == {"reused": 0, "made": 1} and "graph.ttl" in str(why)
    assert files(new) == whole

    (last / "graph.ttl").write_bytes(b" " + turtle[:-1])  # the same size, the runs moved
    _, counts, why = write_serialisations(new / "graph.nt", new, last, change)
    assert counts == {"reused": 0, "made": 1} and "not where its index says" in str(why)
    assert files(new) == whole

    shutil.rmtree(last / "cache")  # no index: written whole, nothing to say
    assert write_serialisations(new / "graph.nt", new, last, change)[1:] == (
        {"reused": 0, "made": 1}, None)


def test_a_difference_the_new_graph_does_not_match_is_refused(tmp_path: Path) -> None:
    graph = lines(8)
    last = tmp_path / "last"
    index = write_whole(write_nt(last, graph), last)
    new = tmp_path / "new"
    nt = write_nt(new, graph | {f"<{EX}s5> <{EX}p9> \"one more\" ."})
    with pytest.raises(Stale, match="not the last one changed"):
        write_changed(nt, new, last, index, Difference(added=[f"<{EX}s5> <{EX}p9> \"x\" ."]))


def test_an_empty_graph_is_oxigraphs_empty_files(tmp_path: Path) -> None:
    write_whole(write_nt(tmp_path, set()), tmp_path)
    assert files(tmp_path) == {"graph.ttl": b"", "graph.jsonld": b"[]"}
