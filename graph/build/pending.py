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
from pathlib import Path

from graph.build.publish import build_lock
from graph.build.serialisations import STATE, write_serialisations
from graph.cache_keys import FOLDER as CACHE
from graph.exports.release import write_description
from graph.query.endpoints import EmbeddedStore

SERIALISATIONS = ("turtle", "jsonld", "context")  # the names write_serialisations gives
REPORT = "build-report.json"


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
        (out / f".{REPORT}").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
        os.replace(out / f".{REPORT}", out / REPORT)
        return list(pending)
