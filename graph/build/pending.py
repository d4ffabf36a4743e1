"""Outputs a build may leave for later, and making them later: Turtle and JSON-LD.

Both are ``graph.nt`` written in another syntax (an ``add`` writes again only the runs of
subjects its change touches, :mod:`graph.build.serialisations`). A build or add with
``serialisations=False`` leaves them out of the folder altogether (never a stale copy beside
the new graph), names them in ``build-report.json`` under ``pending``, and describes in
``void.ttl`` only the files it holds. :func:`make_pending` (``ma-ild build --pending``) writes
them and the description afterwards: the folder is then byte for byte the one a build that
wrote them makes (tests/test_incremental.py).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from graph.build.publish import build_lock
from graph.build.serialisations import STATE, write_serialisations
from graph.cache_keys import FOLDER as CACHE
from graph.exports.release import write_description
from graph.query.endpoints import EmbeddedStore

SERIALISATIONS = ("turtle", "jsonld", "context")  # the names write_serialisations gives
REPORT = "build-report.json"


def _compact(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _entry(key: str, value: object) -> str:
    if isinstance(value, list) and value:
        items = ",\n".join(f"    {_compact(item)}" for item in value)
        return f"  {_compact(key)}: [\n{items}\n  ]"
    return f"  {_compact(key)}: {_compact(value)}"


def report_entries(report: dict[str, object], keys: Iterable[str]) -> dict[str, str]:
    """:func:`report_text`'s text of each of ``keys``, made ahead: a build makes those its last
    stage cannot change while it waits for that stage (at N=10,000, 0.4 s of the add's critical
    path)."""
    return {key: _entry(key, report[key]) for key in keys}


def report_text(report: dict[str, object], made: dict[str, str] | None = None) -> str:
    """``build-report.json``'s text: a line per key, a list a line per item, each in compact
    JSON (keys sorted, what JSON lacks as its ``str``); the keys in ``made``
    (:func:`report_entries`) as made then. Python's JSON encoder indents in pure Python: at
    N=2,000 the report (3.6 MB, most of it the merged works' forms) took 0.36 s to indent and
    0.07 s to write this way, on the critical path of every add.

    >>> print(report_text({"b": [1, {"y": 2, "x": None}], "a": {"k": "v"}, "c": []}))
    {
      "a": {"k": "v"},
      "b": [
        1,
        {"x": null, "y": 2}
      ],
      "c": []
    }
    <BLANKLINE>
    >>> report = {"b": [1, {"y": 2, "x": None}], "a": {"k": "v"}, "c": []}
    >>> report_text(report, report_entries(report, ["b", "c"])) == report_text(report)
    True
    """
    made = made or {}
    return "{\n" + ",\n".join(made[k] if k in made else _entry(k, report[k])
                                for k in sorted(report)) + "\n}\n"


def make_pending(out: Path) -> list[str]:
    """Write the outputs the build in ``out`` left pending, and its description again; their
    names (none: nothing was pending)."""
    with build_lock(out):
        report = json.loads((out / REPORT).read_text(encoding="utf-8"))
        pending = report.get("pending", [])
        if not pending:
            return []
        scratch = out / f".pending-{os.getpid()}"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        try:
            written, _, _ = write_serialisations(out / "graph.nt", scratch)
            for path in written.values():
                os.replace(path, out / path.name)
            os.replace(scratch / CACHE / STATE, out / CACHE / STATE)  # for the next add
            write_description(EmbeddedStore(out / "store"), out, scratch / "void.ttl")
            os.replace(scratch / "void.ttl", out / "void.ttl")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        outputs = {"ntriples": report["outputs"]["ntriples"]}
        outputs |= {name: str(out / path.name) for name, path in written.items()}
        report["outputs"] = outputs | report["outputs"]
        report["pending"] = []
        (out / f".{REPORT}").write_text(report_text(report))
        os.replace(out / f".{REPORT}", out / REPORT)
        return list(pending)
