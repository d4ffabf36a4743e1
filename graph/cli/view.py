"""``ma-ild view``: draw any registered view as one offline HTML file.

The views and their options come from the registry (:data:`graph.views.VIEWS`): a new view needs
no change here. An option two views share (``--depth``) is offered once.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from graph.cli.target import add_target_options, target_of
from graph.errors import QueryError
from graph.query.catalog import resolve_work, work_lookup
from graph.query.endpoints import Target
from graph.settings import Paths
from graph.views import VIEWS
from graph.views._page import render, write
from graph.views._view import Option
from graph.vocabulary.concepts import Vocabulary, load_vocabulary


class Resolver:
    """What the user typed, as IRIs: concepts through the vocabulary, works through the store."""

    def __init__(self, vocabulary: Vocabulary, target: Target) -> None:
        self.vocabulary, self.target = vocabulary, target

    def concept(self, text: str | None, kind: str = "") -> str | None:
        if not text:
            return None
        try:
            return str(self.vocabulary.resolve(text, (kind,) if kind else ()).iri)
        except LookupError as exc:
            raise QueryError(str(exc)) from None

    def work(self, text: str | None) -> str | None:
        if not text:
            return None
        return resolve_work(text, work_lookup(self.target)).value


def run(args: argparse.Namespace) -> int:
    target = target_of(args)
    view = VIEWS.get(args.kind)
    options = {o.dest: getattr(args, o.dest) for o in view.options}
    page, net = view.draw(target, options, Resolver(load_vocabulary(args.ontology / "vocabulary"),
                                                    target))
    out = write(render(page, net), args.out or Path(f"{args.kind}.html"))
    print(f"wrote {out}")
    return 0


def _merged_options() -> dict[str, tuple[Option, list[str]]]:
    """Each option flag once, with the help each view gives it."""
    merged: dict[str, tuple[Option, list[str]]] = {}
    for view in VIEWS.all():
        for option in view.options:
            first, helps = merged.setdefault(option.flag, (option, []))
            if (first.type, first.default, first.choices) != (
                    option.type, option.default, option.choices):
                raise TypeError(f"views disagree on {option.flag}: {first} and {option}")
            helps.append(f"{view.name}: {option.help}")
    return merged


def configure(p: argparse.ArgumentParser, paths: Paths) -> None:
    p.add_argument("kind", choices=VIEWS.names(),
                   help="; ".join(f"{v.name}: {v.description}" for v in VIEWS.all()))
    p.add_argument("--out", type=Path, help="the HTML file to write (default: KIND.html)")
    for flag, (option, helps) in _merged_options().items():
        p.add_argument(flag, type=option.type, default=option.default, choices=option.choices,
                       help="; ".join(helps))
    add_target_options(p, paths, "with --endpoint: the named graph to use as default graph")
    p.set_defaults(run=run)
