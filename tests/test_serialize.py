"""The canonical N-Triples: sorted, without duplicates, the same bytes whatever the memory.

``write_canonical`` holds at most ``run_size`` distinct lines in memory and merges sorted runs
from disk past that; these tests force many runs and compare with the all-in-memory bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graph.rdf.serialize import write_canonical

EX = "https://example.org/"


def triples(seed: int = 5, count: int = 3000) -> list[tuple[URIRef, URIRef, URIRef | Literal]]:
    """Triples with repeats far apart, escapes, non-ASCII text and typed literals."""
    rng = random.Random(seed)
    texts = ['plain', 'a "quoted"\nline', "tab\there", "Abdì-Alì", "anti–MDA5", "\\back"]
    made = []
    for i in range(count):
        subject = URIRef(f"{EX}s{rng.randint(0, 400)}")
        value: URIRef | Literal = rng.choice([
            Literal(rng.choice(texts)), Literal(str(rng.randint(0, 50)), datatype=XSD.integer),
            Literal(rng.choice(texts), lang="en"), URIRef(f"{EX}o{rng.randint(0, 50)}")])
        made.append((subject, URIRef(f"{EX}p{i % 7}"), value))
    return made + made[::3]  # every third triple again, long after its first appearance


def test_runs_merged_from_disk_give_the_bytes_of_one_sort_in_memory(tmp_path: Path) -> None:
    data = triples()
    whole, runs = tmp_path / "whole.nt", tmp_path / "runs.nt"
    count = write_canonical(data, whole)
    assert write_canonical(data, runs, run_size=97) == count
    assert runs.read_bytes() == whole.read_bytes()
    lines = whole.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(set(lines)) and len(lines) == count
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs.nt", "whole.nt"]  # runs removed


def test_the_runs_are_removed_when_the_triples_fail_half_way(tmp_path: Path) -> None:
    def failing() -> object:
        yield from triples()[:500]
        raise ValueError("a bad triple")

    with pytest.raises(ValueError, match="a bad triple"):
        write_canonical(failing(), tmp_path / "graph.nt", run_size=50)  # type: ignore[arg-type]
    assert [p.name for p in tmp_path.iterdir() if ".run" in p.name] == []
