"""What ``ma-ild remove`` spends on its report of the works gone: two whole snapshots of the
store, against the works of its build's change, side by side in one run (issue 26).

``python benchmarks/remove_report.py --keep /tmp/incr/n10000 --paper /tmp/incr/n10000/new.xml``

``--keep`` holds a corpus (``corpus/``) and a build of it with ``--paper`` added (``out/``, as
``incremental.py --keep`` leaves it after its add; the paper is put back into the corpus's
documents for the run if it is not there). :func:`graph.build.remove.remove` takes the paper out
of a fresh copy of that build (which is never changed), timed whole and in its steps (the build,
and the report from the change: ``since_last``). Then, on the build before and the build after,
each way of reporting the works gone is timed with the peak memory it adds: from the change
(:func:`graph.build.work_changes.from_difference`), from the difference of the two ``graph.nt``
(the fallback when the build could not say what it changed), and the whole computation the
command did before, two :func:`graph.build.work_changes.snapshot` compared; all three must
agree. The seconds move with the machine's load; compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))
sys.path.insert(0, str(Path(__file__).parent))

from add_outside import timed  # noqa: E402

import graph.build.remove as removing  # noqa: E402
from graph.build.work_changes import compare, from_difference, snapshot  # noqa: E402
from graph.rdf.delta import difference  # noqa: E402
from graph.settings import Paths  # noqa: E402

TIMED = ("since_last", "build_changed")


def _peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _step(result: dict[str, Any], name: str, function: Callable[[], Any]) -> Any:
    """``function()``, its seconds and the peak memory it added to this process."""
    before, start = _peak(), time.perf_counter()
    value = function()
    result[name] = {"seconds": round(time.perf_counter() - start, 3),
                    "peak MiB added": round(_peak() - before, 1)}
    return value


def measure(folder: Path, paper: Path) -> dict[str, Any]:
    """Remove ``paper`` from a fresh copy of ``folder/out``; then each report on the two builds."""
    built, out = folder / "out", folder / "out-remove"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(built, out, symlinks=True)
    document = folder / "corpus" / "documents" / paper.name
    if not document.exists():
        shutil.copyfile(paper, document)
    spent: dict[str, float] = defaultdict(float)
    originals = {n: getattr(removing, n) for n in TIMED}
    for name, function in originals.items():
        setattr(removing, name, timed(spent, name, function))
    try:
        start = time.perf_counter()
        report = removing.remove([f"documents/{paper.name}"], Paths(corpus=folder / "corpus",
                                                                    out=out))
        total = time.perf_counter() - start
    finally:
        for name, function in originals.items():
            setattr(removing, name, function)
    result: dict[str, Any] = {
        "remove": round(total, 3), "build": round(spent["build_changed"], 3),
        "report from the change (in the remove)": round(spent["since_last"], 3),
        "gone": report.gone, "summary": report.summary().splitlines()[:3]}
    change = _step(result, "graph.nt diffed (the fallback's first step)",
                   lambda: difference(built / "graph.nt", out / "graph.nt", sys.maxsize))
    result["changed lines"] = len(change)
    from_change = _step(result, "from the change", lambda: from_difference(change, out / "store"))
    whole = _step(result, "two whole snapshots compared (before)", lambda: compare(
        snapshot(built / "store"), snapshot(out / "store")))
    result["all agree"] = from_change == whole and report.gone == whole.gone
    shutil.rmtree(out)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, required=True, help="folder with corpus/ and out/")
    parser.add_argument("--paper", type=Path, required=True, help="the paper out/ added")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = measure(args.keep, args.paper.resolve())
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
