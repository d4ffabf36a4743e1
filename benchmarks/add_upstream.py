"""An add's stages up to the store, against the full build's, side by side in one run (issue 26).

``python benchmarks/add_upstream.py --size 2000 --keep /tmp/up --repeat 2 --profile /tmp/up.prof``

A synthetic corpus of N+1 records (:func:`incremental.corpus`, the last one held out) is built
with ``ma-ild build --no-shacl --no-views --no-serialisations`` in a fresh process: the full
build, its stages up to the store from its report. The held-out paper is then copied into the
corpus, as ``ma-ild add`` copies it, and the add's stages up to the store (:func:`write_records`
and the store changed by its difference) run in this process, ``--repeat`` times, each into a
fresh staging folder from the same last build (which is never changed), under ``cProfile`` if
asked (the first run). The add's stages and their ratio to the full build's are printed and
written as JSON. The seconds move with the machine's load; the ratios of one run are the claim.
"""

from __future__ import annotations

import cProfile
import filecmp
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))
sys.path.insert(0, str(Path(__file__).parent))

from one_paper import held_out, options  # noqa: E402

from graph.build.cache import Cache  # noqa: E402
from graph.build.pipeline import _load_store, write_records  # noqa: E402
from graph.cache_keys import FOLDER  # noqa: E402
from graph.settings import Paths  # noqa: E402

UPSTREAM = ("read documents", "ontology and curation", "mine mentions", "parse references",
            "resolve works", "triples to N-Triples", "load the store")


def full_build(folder: Path, out: Path) -> dict[str, float]:
    """The full build's stages up to the store, from a fresh ``ma-ild build``."""
    subprocess.run([sys.executable, "-m", "graph.cli", "build", "--corpus", str(folder / "corpus"),
                    "--out", str(out), "--no-shacl", "--no-views", "--no-serialisations"],
                   cwd=CHECKOUT, check=True, stdout=subprocess.DEVNULL)
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    return {s["stage"]: s["seconds"] for s in report["stages"] if s["stage"] in UPSTREAM}


def add_stages(paths: Paths, staging: Path, profile: Path | None) -> dict[str, float | str]:
    """One add's stages up to the store into ``staging``, from the last build ``paths.out``."""
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    nt = staging / "graph.nt"
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    report, records, change = write_records(paths, nt, False, False, None,
                                            Cache(paths.out / FOLDER, staging / FOLDER))
    start = time.perf_counter()
    _triples, changed = _load_store(paths.out, staging, nt, None, change)
    store = time.perf_counter() - start
    if profiler and profile:
        profiler.disable()
        profiler.dump_stats(profile)
    stages: dict[str, float | str] = {str(r["stage"]): float(r["seconds"]) for r in records}
    stages["load the store"] = round(store, 3)
    stages["patched"] = f"graph.nt {change is not None}, store {changed}"
    stages["merged"] = len(report.merged)
    return stages


def main(argv: list[str] | None = None) -> None:
    parser = options(__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="also write graph.nt of the N+1 records from scratch and compare")
    args = parser.parse_args(argv)
    folder, out = args.keep, args.keep / "out"
    new = held_out(args)
    copied = folder / "corpus" / "documents" / new.name
    copied.unlink(missing_ok=True)
    start = time.perf_counter()
    full = full_build(folder, out) if not args.reuse or not out.is_dir() else {}
    print(f"full build {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    shutil.copyfile(new, copied)
    paths = Paths(corpus=folder / "corpus", out=out)
    adds = []
    try:
        for n in range(args.repeat):
            adds.append(add_stages(paths, folder / "staging", args.profile if n == 0 else None))
            print(json.dumps(adds[-1]), file=sys.stderr, flush=True)
        if args.check:
            scratch = folder / "scratch"
            shutil.rmtree(scratch, ignore_errors=True)
            scratch.mkdir()
            write_records(paths, scratch / "graph.nt", False, False, None, Cache(None, None))
            add_stages(paths, folder / "staging", None)
            same = filecmp.cmp(scratch / "graph.nt", folder / "staging" / "graph.nt",
                               shallow=False)
            print(f"graph.nt of the add equals the build from scratch: {same}", file=sys.stderr)
            adds[-1]["equals_build_from_scratch"] = same
            shutil.rmtree(scratch)
    finally:
        copied.unlink()
        shutil.rmtree(folder / "staging", ignore_errors=True)
    results = {"size": args.size, "full": full, "adds": adds}
    for name in UPSTREAM:
        seconds = [a[name] for a in adds]
        ratio = (f"{min(seconds) / full[name]:.3f}"  # type: ignore[operator]
                 if full.get(name) else "")
        print(f"{name:24} full {full.get(name, ''):>8}  add {seconds}  {ratio}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
