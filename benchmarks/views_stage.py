"""The build's views stage, this checkout against an earlier revision, side by side on one store
(issue 26: the views made cheaper, the same pages).

``python benchmarks/views_stage.py BUILD --before REV [--rounds 3]``

REV's tree is exported (``git archive``) into a temporary folder. Each round draws and writes
every view of BUILD's store (``graph.build.views.write_views``, as the build's "views" stage
does) once with REV's code and queries and once with this checkout's, each in a fresh process,
the order flipped every round; it refuses to report when the two write pages that differ in a
single byte. Prints each round's wall and CPU seconds (the process's own: the queries run in it,
so CPU time moves less with the machine's load), the medians' ratios and each process's peak
resident memory as JSON. The machine is
shared: read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]

# run in the child: the package's bundled folders (queries, ontology) are the checkout's own (an
# editable install maps graph.resources.* to the installed checkout: for an exported tree, which
# holds them in place, its finder is removed)
CHILD = """
import hashlib, json, resource, sys, time
from pathlib import Path
if (Path(sys.argv[1]) / "graph" / "resources" / "queries").is_dir():
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in type(f).__module__]
sys.path.insert(0, sys.argv[1])
from graph.build.views import write_views
from graph.query.endpoints import EmbeddedStore
import graph.settings
assert str(graph.settings.bundled("queries")).startswith(sys.argv[1]), "queries not the checkout's"
start, cpu = time.perf_counter(), time.process_time()
pages = write_views(EmbeddedStore(Path(sys.argv[2])), Path(sys.argv[3]))
pages = pages[0] if isinstance(pages, tuple) else pages  # (pages, counts, why) since 26's patch
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mib": peak, "pages": {
    name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in pages.items()}}))
"""


def _export(revision: str, folder: Path) -> Path:
    """REV's tree in ``folder``, with the package's bundled folders where the package finds
    them (``graph/resources/queries`` and ``ontology``, as a wheel carries them)."""
    archive = folder / "tree.tar"
    subprocess.run(["git", "archive", "-o", str(archive), revision], cwd=CHECKOUT, check=True)
    tree = folder / "tree"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    for name in ("queries", "ontology"):
        (tree / "graph" / "resources" / name).symlink_to(tree / name)
    return tree


def _draw(checkout: Path, store: Path, out: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(checkout), str(store), str(out)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path)
    parser.add_argument("--before", required=True, help="git revision to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        checkouts = {"before": _export(args.before, folder), "after": CHECKOUT}
        seconds: dict[str, list[float]] = {"before": [], "after": []}
        cpu: dict[str, list[float]] = {"before": [], "after": []}
        peak: dict[str, list[float]] = {"before": [], "after": []}
        pages: dict[str, object] = {}
        for round_ in range(args.rounds):
            order = ["before", "after"] if round_ % 2 == 0 else ["after", "before"]
            for side in order:
                drawn = _draw(checkouts[side], args.build / "store", folder / side)
                seconds[side].append(round(float(drawn["seconds"]), 2))
                cpu[side].append(round(float(drawn["cpu"]), 2))
                peak[side].append(round(float(drawn["peak_mib"]), 1))
                pages.setdefault(side, drawn["pages"])
                if drawn["pages"] != pages[side]:
                    raise SystemExit(f"{side}: the pages changed from one round to the next")
        if pages["before"] != pages["after"]:
            differ = [k for k in pages["before"] if pages["before"][k] != pages["after"].get(k)]
            raise SystemExit(f"the two revisions write different pages: {differ}")
        wall = {side: statistics.median(s) for side, s in seconds.items()}
        used = {side: statistics.median(s) for side, s in cpu.items()}
        print(json.dumps({"rounds_s": seconds, "median_s": wall,
                          "before / after": round(wall["before"] / wall["after"], 2),
                          "rounds_cpu_s": cpu, "median_cpu_s": used,
                          "before / after, CPU": round(used["before"] / used["after"], 2),
                          "rounds_peak_mib": peak,
                          "pages": sorted(pages["after"])}, indent=2))


if __name__ == "__main__":
    main()
