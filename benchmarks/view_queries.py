"""How much of drawing each view, and of the exports, is their SPARQL queries, query by query
(issue 26: which queries to make faster).

``python benchmarks/view_queries.py BUILD`` and
``python benchmarks/view_queries.py BUILD --before REV``

Each registered view is drawn from BUILD's store as the build draws it (through the rows the views
share, ``graph.views._shared``), through a target that times every query (its rows read in
full); then rendered to HTML. The KGX export is written the
same way into a temporary folder. Prints, per view and for the exports, the seconds of drawing,
of its queries and of rendering, and each internal query's seconds (by its file under
``queries/internal/``), as JSON.

With ``--before REV``, every internal query whose text differs between git revision ``REV`` and
this checkout is run both ways on BUILD's store on disk, side by side in rounds that flip their
order (``run_benchmark.rounds``); it refuses to report when the two texts answer different rows
(compared sorted: the views and exports that need an order sort or ask for it in both); a query
whose columns changed (one moved to another query) is listed as such, not timed. Prints a
Markdown table of the medians and their ratio. The machine is shared: read the ratios.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from graph.exports.kgx import kgx_export
from graph.query.endpoints import Binding, EmbeddedStore, Results
from graph.settings import bundled
from graph.views import VIEWS
from graph.views._page import render
from graph.views._shared import Shared
from graph.views._view import Unresolved

sys.path.insert(0, str(Path(__file__).parent))
from run_benchmark import BUDGET_S, LEAST_RUNS, rounds

CHECKOUT = Path(__file__).resolve().parents[1]


def _names() -> dict[str, str]:
    """Each internal query's text, to its name (``views/gapmap-axes``)."""
    root = bundled("queries") / "internal"
    return {p.read_text(encoding="utf-8"): str(p.relative_to(root).with_suffix(""))
            for p in root.rglob("*.rq")}


NAMES = _names()


class Timed:
    """A target that adds up the seconds its queries take, in all and per query."""

    def __init__(self, target: EmbeddedStore) -> None:
        self.target, self.seconds, self.queries = target, 0.0, 0
        self.each: dict[str, float] = defaultdict(float)

    def _add(self, query: str, seconds: float) -> None:
        self.seconds += seconds
        self.queries += 1
        self.each[NAMES.get(query, "(bound) " + query.split("WHERE")[0][-60:].strip())] += seconds

    def select(self, query: str, source: str, timeout: float | None = None) -> Results:
        start = time.perf_counter()
        try:
            return self.target.select(query, source, timeout)
        finally:
            self._add(query, time.perf_counter() - start)

    def stream(self, query: str, source: str) -> Iterator[dict[str, Binding]]:
        start = time.perf_counter()
        rows = list(self.target.stream(query, source))
        self._add(query, time.perf_counter() - start)
        return iter(rows)


def _report(timed: Timed, drawn: float, **more: float) -> dict[str, object]:
    return {"draw_s": round(drawn, 2), "queries_s": round(timed.seconds, 2),
            "queries": timed.queries, **{k: round(v, 2) for k, v in more.items()},
            "each_s": {k: round(v, 2) for k, v in sorted(timed.each.items(),
                                                         key=lambda kv: -kv[1])}}


def _text_at(revision: str, path: str) -> str | None:
    """The file ``path`` of the checkout at git revision ``revision`` (None if it had none)."""
    shown = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=CHECKOUT,
                           capture_output=True, text=True)
    return shown.stdout if shown.returncode == 0 else None


def before_after(build: Path, revision: str) -> str:
    """Each changed internal query, before and after, side by side on ``build``'s store."""
    target = EmbeddedStore(build / "store")

    def rows(text: str) -> list[tuple[tuple[str, str], ...]]:
        return [tuple(sorted((k, v["value"]) for k, v in row.items()))
                for row in target.stream(text, "<before and after>")]

    lines = ["| query | rows | before, ms | after, ms | before / after |", "|---|---|---|---|---|"]
    root = CHECKOUT / "queries" / "internal"
    for path in sorted(root.rglob("*.rq")):
        new = path.read_text(encoding="utf-8")
        old = _text_at(revision, str(path.relative_to(CHECKOUT)))
        if old is None or old == new:
            continue
        name = str(path.relative_to(root).with_suffix(""))
        before, after = (set(target.select(t, "<variables>").variables) for t in (old, new))
        if before != after:  # columns moved to another query: the pages are compared instead
            lines.append(f"| {name} | | | | columns changed: {sorted(before - after)} left, "
                         f"{sorted(after - before)} came |")
            continue
        if sorted(rows(old)) != sorted(rows(new)):
            raise SystemExit(f"{name}: the two texts answer different rows")
        print(f"  {name}", file=sys.stderr, flush=True)
        timing = rounds({"before": lambda t=old: rows(t), "after": lambda t=new: rows(t)},
                        BUDGET_S, LEAST_RUNS)
        b, a = timing["before"]["median"], timing["after"]["median"]
        lines.append(f"| {name} | {timing['after']['rows']} | {b:.0f} | {a:.0f} | {b / a:.1f}x |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path)
    parser.add_argument("--before", help="git revision of the earlier query texts")
    args = parser.parse_args(argv)
    if args.before:
        print(before_after(args.build, args.before))
        return
    result = {}
    timed = Timed(EmbeddedStore(args.build / "store"))
    # through the rows the views share, as the build draws them: a view reading rows an earlier
    # view asked for is timed without them
    shared = Shared(timed, (query for view in VIEWS.all() for query in set(view.reads)))
    for view in VIEWS.all():
        timed.seconds, timed.queries, timed.each = 0.0, 0, defaultdict(float)
        start = time.perf_counter()
        page, net = view.draw(shared, {}, Unresolved())
        drawn = time.perf_counter() - start
        start = time.perf_counter()
        render(page, net)
        result[view.name] = _report(timed, drawn, render_s=time.perf_counter() - start)
    timed = Timed(EmbeddedStore(args.build / "store"))
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        kgx_export(timed, Path(folder))
        result["exports (KGX)"] = _report(timed, time.perf_counter() - start)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
