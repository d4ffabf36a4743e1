"""What ``ma-ild add`` spends outside the build's stages, step by step (issue 26).

``python benchmarks/add_outside.py --size 2000 --keep /tmp/out --repeat 2 --profile /tmp/o.prof``

A synthetic corpus of N+1 records (:func:`incremental.corpus`, the last one held out) is built
with ``ma-ild build --no-shacl --no-views --no-serialisations`` in a fresh process. Then the
held-out paper is added with :func:`graph.build.add.add` in this process, ``--repeat`` times,
each from a fresh copy of that build (which is never changed) and with the same options (the
stages the options leave out cost the same with or without the work measured here). Each step
of ``add()`` outside the build's stages is timed by wrapping the function that does it: the
check of the files against the corpus (of it, reading the corpus's records and hashing its
files), the store's snapshots, the journal's settling, and, inside ``build()``, the time neither
a stage nor the records' child accounts for. The time to start the command (``import
graph.cli.add`` in a fresh interpreter) is measured apart. The seconds move with the machine's
load; compare runs side by side.
"""

from __future__ import annotations

import cProfile
import json
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))
sys.path.insert(0, str(Path(__file__).parent))

from one_paper import held_out, options  # noqa: E402

import graph.build.add as adding  # noqa: E402
import graph.build.pipeline as pipeline  # noqa: E402
from graph.settings import Paths  # noqa: E402

RECORDS = ("read documents", "ontology and curation", "mine mentions", "parse references",
           "resolve works", "triples to N-Triples")  # the stages of the records' child
# Wrapped where the module has them (the code before issue 26's report from the change has
# ``snapshot`` and ``build``; after it, ``_work_changes``, ``works_of``, ``build_changed``).
TIMED = {adding: ("read_corpus_cached", "_check", "snapshot", "_work_changes", "works_of",
                  "keep_last_graph", "settle", "build", "build_changed"),
         pipeline: ("run_in_child", "swap_into_place")}


def timed(spent: dict[str, float], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, adding the seconds each call takes to ``spent[name]``."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - start
    return wrapper


def start_up() -> float:
    """Seconds for a fresh interpreter to import the ``add`` command."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import graph.cli, graph.cli.add"], cwd=CHECKOUT,
                   check=True)
    return time.perf_counter() - start


def one_add(new: Path, folder: Path, profile: Path | None) -> dict[str, Any]:
    """Add ``new`` to a fresh copy of the build in ``folder/out``; each step's seconds."""
    out = folder / "out-add"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(folder / "out", out, symlinks=True)
    spent: dict[str, float] = defaultdict(float)
    originals = {(m, n): getattr(m, n) for m, names in TIMED.items() for n in names
                 if hasattr(m, n)}
    for (module, name), function in originals.items():
        setattr(module, name, timed(spent, f"{module.__name__.rsplit('.', 1)[-1]}.{name}",
                                     function))
    profiler = cProfile.Profile() if profile else None
    paths = Paths(corpus=folder / "corpus", out=out)
    try:
        if profiler:
            profiler.enable()
        start = time.perf_counter()
        report = adding.add([new], paths, check_shapes=False, views=False, serialisations=False)
        total = time.perf_counter() - start
        if profiler and profile:
            profiler.disable()
            profiler.dump_stats(profile)
    finally:
        for (module, name), function in originals.items():
            setattr(module, name, function)
        for path in report.added if "report" in locals() else []:
            (paths.corpus / path).unlink()
    stages = sum(float(s["seconds"]) for s in report.build.stages) if report.build else 0.0
    records = sum(float(s["seconds"]) for s in report.build.stages
                  if s["stage"] in RECORDS) if report.build else 0.0
    result = {"add": round(total, 3), "stages": round(stages, 3),
              "outside the stages": round(total - stages, 3)}
    result.update({k: round(v, 3) for k, v in sorted(spent.items())})
    built = spent["add.build"] + spent["add.build_changed"]
    result["build outside its stages"] = round(built - stages, 3)
    result["records' child beyond its stages"] = round(spent["pipeline.run_in_child"] - records, 3)
    result["summary"] = report.summary().splitlines()[:3]
    shutil.rmtree(out, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> None:
    args = options(__doc__.splitlines()[0]).parse_args(argv)
    folder = args.keep
    new = held_out(args)
    if not args.reuse:
        subprocess.run([sys.executable, "-m", "graph.cli", "build", "--corpus",
                        str(folder / "corpus"), "--out", str(folder / "out"), "--no-shacl",
                        "--no-views", "--no-serialisations"],
                       cwd=CHECKOUT, check=True, stdout=subprocess.DEVNULL)
    results: dict[str, Any] = {"size": args.size, "start-up": [round(start_up(), 3)
                                                             for _ in range(args.repeat)]}
    results["adds"] = []
    for n in range(args.repeat):
        results["adds"].append(one_add(new, folder, args.profile if n == 0 else None))
        print(json.dumps(results["adds"][-1], indent=1), file=sys.stderr, flush=True)
    print(json.dumps(results, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
