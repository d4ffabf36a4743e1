"""Each stage of a full build profiled on its own, in one process (issue 26).

``python benchmarks/profile_stages.py CORPUS OUT PROFILES [--top 25]``

Runs ``ma-ild build`` of ``CORPUS`` into ``OUT`` (from nothing) with the records' stages in this
process instead of a child, and a ``cProfile`` profiler per stage: ``PROFILES/<stage>.prof``
for ``python -m pstats`` or snakeviz, and the ``--top`` functions by own time of each stage
printed, with the stage's seconds. Profiling two sizes (say 2,000 and 8,000) and comparing a
function's share says which part of a stage grows faster than the documents.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import pstats
import shutil
from collections.abc import Iterator
from pathlib import Path

from graph.build import pipeline
from graph.build.progress import Stages
from graph.settings import Paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("profiles", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--jobs", type=int, default=None,
                        help="1 profiles the blocks and files the workers would make")
    args = parser.parse_args(argv)
    args.profiles.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(args.out, ignore_errors=True)
    plain = Stages.stage

    @contextlib.contextmanager
    def profiled(self: Stages, name: str, total: int | None = None) -> Iterator[object]:
        profile = cProfile.Profile()
        with plain(self, name, total) as tick:
            profile.enable()
            try:
                yield tick
            finally:
                profile.disable()
        profile.dump_stats(args.profiles / f"{name.replace(' ', '_')}.prof")
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(args.top)
        print(f"=== {name}: {self.records[-1]['seconds']} s\n{text.getvalue()}", flush=True)

    in_child = pipeline.run_in_child
    Stages.stage = profiled  # type: ignore[assignment,method-assign]
    pipeline.run_in_child = (  # type: ignore[assignment]
        lambda function, *a, meanwhile=None, **k: function(*a, **k))
    try:
        pipeline.build(Paths(corpus=args.corpus, out=args.out), stages=Stages(), jobs=args.jobs)
    finally:  # as they were, for whatever runs next in this process
        Stages.stage = plain  # type: ignore[method-assign]
        pipeline.run_in_child = in_child


if __name__ == "__main__":
    main()
