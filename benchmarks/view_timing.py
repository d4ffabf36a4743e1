"""Code both views benchmarks run in their child process to time each view's drawing, and the
rounds the stage benchmarks (``views_stage_add.py``, ``exports_stage_add.py``) run side by side
in two checkouts.

``views_add.py`` and ``views_stage_add.py`` run their measured part with ``python -c`` (in
another checkout's environment for the second), so what they share is source text, not an
import: ``TIME_EACH_VIEW`` wraps every registered view's ``draw`` to record its seconds in a dict
named ``drawn`` (its rows read and patched inside the drawing).
``run_child`` runs such code and reads the JSON it prints.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TIME_EACH_VIEW = """
drawn = {}
for view in VIEWS.all():
    def draw(target, options, resolve, _draw=view.draw, _name=view.name):
        start = time.perf_counter()
        try:
            return _draw(target, options, resolve)
        finally:
            drawn[_name] = round(time.perf_counter() - start, 2)
    object.__setattr__(view, "draw", draw)
"""


def run_child(python: str, code: str, *args: str | Path, cwd: Path) -> dict[str, object]:
    """Run ``code`` in a fresh ``python`` (fresh memory, the checkout's own environment)."""
    done = subprocess.run([python, "-c", code, *map(str, args)],
                          capture_output=True, text=True, check=True, cwd=cwd)
    return json.loads(done.stdout)


Runs = dict[str, list[dict[str, object]]]  # "other" and "this": each round's JSON


def side_by_side(description: str, child: str, checkout: Path, argv: list[str] | None
                 ) -> tuple[argparse.Namespace, dict[str, tuple[str, Path]], Runs]:
    """Read BEFORE, AFTER, ``--other``, ``--other-python``, ``--rounds`` and ``--jobs`` from
    ``argv``, and run ``child`` (with BEFORE, AFTER, a scratch folder beside AFTER and the jobs)
    in a fresh process of
    each checkout every round, the order flipped each round. Returns the arguments, each
    side's Python and checkout, and each side's rounds."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--other", type=Path, required=True, help="the other checkout (main)")
    parser.add_argument("--other-python", required=True,
                        help="a Python whose environment is installed from that checkout")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=1,
                        help="the stage's jobs, for a checkout whose stage takes them")
    args = parser.parse_args(argv)
    sides = {"other": (args.other_python, args.other), "this": (sys.executable, checkout)}
    runs: Runs = {"other": [], "this": []}
    for round_ in range(args.rounds):
        for side in ("other", "this") if round_ % 2 == 0 else ("this", "other"):
            python, where = sides[side]
            with tempfile.TemporaryDirectory(dir=args.after.parent) as scratch:
                runs[side].append(run_child(python, child, args.before, args.after, scratch,
                                            args.jobs, cwd=where))
            print(f"round {round_ + 1}, {side}: {runs[side][-1]['seconds']} s", file=sys.stderr)
    return args, sides, runs


def ratios(runs: Runs, fields: tuple[str, ...]) -> dict[str, float]:
    """The other side's median over this side's, for each of ``fields``."""
    def median(side: str, field: str) -> float:
        return statistics.median(float(r[field]) for r in runs[side])  # type: ignore[arg-type]

    return {f: round(median("other", f) / median("this", f), 2) for f in fields}
