"""Start-up cost of the command line, side by side with a ten-line pyoxigraph script.

``python benchmarks/startup.py --store build/store`` runs, in pairs whose order flips each round,
(1) ``ma-ild --help`` against the script with nothing to ask, and (2) ``ma-ild query most-cited``
against the script answering the same query text on the same store. It prints the median wall and
CPU seconds of each and their ratio, and with ``--notes FILE`` writes that table as Markdown.
A script, never a timed test: machines are noisy, so only ratios taken side by side are reported.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

SCRIPT = '''\
import sys
import pyoxigraph as ox

if len(sys.argv) > 1:
    store = ox.Store.read_only(sys.argv[1])
    query = open(sys.argv[2], encoding="utf-8").read()
    for row in store.query(query):
        print("\\t".join(term.value if term is not None else "" for term in row))
'''


def _measure(command: Sequence[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the child's) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def pair(ours: Sequence[str], floor: Sequence[str], rounds: int) -> dict[str, float]:
    """Medians of ``rounds`` runs of each command, run in turn, the order flipped each round."""
    taken: dict[str, list[tuple[float, float]]] = {"ours": [], "floor": []}
    for command in (ours, floor):  # warm the page cache for both
        _measure(command)
    for number in range(rounds):
        order = (("ours", ours), ("floor", floor))
        for name, command in order if number % 2 == 0 else reversed(order):
            taken[name].append(_measure(command))
    medians = {f"{name} {kind}": statistics.median(run[i] for run in runs)
               for name, runs in taken.items() for i, kind in enumerate(("wall", "cpu"))}
    medians["wall ratio"] = medians["ours wall"] / medians["floor wall"]
    medians["cpu ratio"] = medians["ours cpu"] / medians["floor cpu"]
    return medians


def measure(store: Path, queries: Path, rounds: int) -> dict[str, dict[str, float]]:
    """Both comparisons: the command line's help, and one named query on ``store``."""
    ma_ild = shutil.which("ma-ild") or str(Path(sys.executable).parent / "ma-ild")
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "floor.py"
        script.write_text(SCRIPT, encoding="utf-8")
        floor = [sys.executable, str(script)]
        return {
            "ma-ild --help": pair([ma_ild, "--help"], floor, rounds),
            "ma-ild query most-cited": pair(
                [ma_ild, "query", "most-cited", "--store", str(store), "--queries", str(queries)],
                [*floor, str(store), str(queries / "most-cited.rq")], rounds),
        }


def markdown(results: dict[str, dict[str, float]], rounds: int) -> str:
    """The results as the table in ``benchmarks/STARTUP.md``."""
    lines = [
        "# Start-up of the command line",
        "",
        "Written by `python benchmarks/startup.py --store build/store --notes "
        "benchmarks/STARTUP.md` on the five-document build. Each command is timed beside a "
        "ten-line pyoxigraph script (the floor: start Python, import pyoxigraph, open the store "
        f"read-only, answer the same query text), {rounds} runs each in pairs whose order flips "
        "every round; medians. Target (issue 19): each ratio within 4x.",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        "| command | wall (s) | floor wall (s) | wall ratio | CPU (s) | floor CPU (s) "
        "| CPU ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, m in results.items():
        lines.append(f"| `{name}` | {m['ours wall']:.3f} | {m['floor wall']:.3f} | "
                     f"{m['wall ratio']:.2f}x | {m['ours cpu']:.3f} | {m['floor cpu']:.3f} | "
                     f"{m['cpu ratio']:.2f}x |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path("build/store"))
    parser.add_argument("--queries", type=Path, default=Path("queries"))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--notes", type=Path, help="write the table here as Markdown")
    args = parser.parse_args(argv)
    if not (args.store / "CURRENT").is_file():
        parser.error(f"no built store at {args.store}: run `python build_graph.py` first")
    table = markdown(measure(args.store, args.queries, args.rounds), args.rounds)
    print(table)
    if args.notes:
        args.notes.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
