"""How much of drawing each view is its SPARQL queries (issue 26 point 1: what keeping a view
whose query results did not change could save).

``python benchmarks/view_queries.py BUILD``

Each registered view is drawn from BUILD's store as the build draws it, through a target that
times every query (its rows read in full); then rendered to HTML. Prints, per view, the
seconds of drawing, of its queries and of rendering, as JSON.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from pathlib import Path

from graph.query.endpoints import Binding, EmbeddedStore, Results
from graph.views import VIEWS
from graph.views._page import render
from graph.views._view import Unresolved


class Timed:
    """A target that adds up the seconds its queries take."""

    def __init__(self, target: EmbeddedStore) -> None:
        self.target, self.seconds, self.queries = target, 0.0, 0

    def select(self, query: str, source: str, timeout: float | None = None) -> Results:
        start = time.perf_counter()
        try:
            return self.target.select(query, source, timeout)
        finally:
            self.seconds += time.perf_counter() - start
            self.queries += 1

    def stream(self, query: str, source: str) -> Iterator[dict[str, Binding]]:
        start = time.perf_counter()
        rows = list(self.target.stream(query, source))
        self.seconds += time.perf_counter() - start
        self.queries += 1
        return iter(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path)
    args = parser.parse_args(argv)
    result = {}
    for view in VIEWS.all():
        timed = Timed(EmbeddedStore(args.build / "store"))
        start = time.perf_counter()
        page, net = view.draw(timed, {}, Unresolved())
        drawn = time.perf_counter() - start
        start = time.perf_counter()
        render(page, net)
        result[view.name] = {"draw_s": round(drawn, 2), "queries_s": round(timed.seconds, 2),
                             "queries": timed.queries,
                             "render_s": round(time.perf_counter() - start, 2)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
