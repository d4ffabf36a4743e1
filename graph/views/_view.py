"""What a view plug-in is: a name, its own options, and how it draws a page from a SPARQL target.

Each module of :mod:`graph.views` (other than the ``_`` ones) defines ``VIEW``; ``ma-ild view``
offers every registered view and its options, and the build draws each with no options at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from pyvis.network import Network

from graph.query.endpoints import Target
from graph.views._page import Page


@dataclass(frozen=True)
class Option:
    """A command-line option of a view; its value reaches ``draw`` under ``dest``."""

    flag: str
    help: str
    type: type = str
    default: Any = None
    choices: tuple[str, ...] | None = None

    @property
    def dest(self) -> str:
        """
        >>> Option("--trace-from", "").dest
        'trace_from'
        """
        return self.flag.removeprefix("--").replace("-", "_")


class Resolve(Protocol):
    """Turns what a user typed into IRIs: a concept (of a kind) or a work; None stays None."""

    def concept(self, text: str | None, kind: str = "") -> str | None: ...

    def work(self, text: str | None) -> str | None: ...


class Unresolved:
    """The resolver of a view drawn with no options (the build's): nothing was asked for."""

    def concept(self, text: str | None, kind: str = "") -> str | None:
        if text:
            raise LookupError(f"no vocabulary to resolve {text!r} with")
        return None

    def work(self, text: str | None) -> str | None:
        if text:
            raise LookupError(f"no store to resolve {text!r} with")
        return None


Drawing = tuple[Page, Network | None]  # a view that is no network (a grid) has None


@dataclass(frozen=True)
class View:
    """An interactive view: ``draw(target, options, resolve)`` gives its page and network.

    ``reads`` names the internal queries whose rows it reads whole through
    :func:`graph.views._shared.values`: those several views read are asked once in a build.
    """

    name: str
    description: str
    order: int
    options: tuple[Option, ...]
    draw: Callable[[Target, Mapping[str, Any], Resolve], Drawing]
    reads: tuple[str, ...] = ()
