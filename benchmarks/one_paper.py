"""What the benchmarks of one added paper share: their options and the held-out paper.

``add_upstream.py`` and ``add_outside.py`` both build a synthetic corpus of N+1 records with the
last one held out in ``KEEP/new-paper``, and take the same options for its size, seed, repeats,
profile and JSON output.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from incremental import corpus


def options(description: str) -> argparse.ArgumentParser:
    """The options every one-paper benchmark takes; a script adds its own."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, required=True, help="folder to build in")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--profile", type=Path, help="cProfile the first add into this file")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the corpus and full build already in --keep")
    return parser


def held_out(args: argparse.Namespace) -> Path:
    """The paper to add, kept in ``KEEP/new-paper``: a new corpus of ``--size`` records is made
    first unless ``--reuse`` keeps the one already there."""
    held = args.keep / "new-paper"
    if not args.reuse:
        shutil.rmtree(args.keep, ignore_errors=True)
        args.keep.mkdir(parents=True)
        new = corpus(args.size, args.seed, args.keep)
        held.mkdir()
        new.replace(held / new.name)
    return next(held.iterdir())
