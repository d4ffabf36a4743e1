"""Render a view: pyvis assembles the network, our template makes it a self-contained page.

pyvis's own template links Bootstrap from a CDN, prints its heading unescaped and switches
tooltips to ``innerHTML`` when a title contains "href". So pyvis builds the nodes, edges and
options, and :func:`render` writes them into ``templates/view.html``, which inlines vis-network
from pyvis's package, escapes every text (Jinja autoescape, ``tojson`` in scripts) and builds
tooltips and details with ``textContent``. A Content-Security-Policy forbids any request.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyvis
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from jinja2.meta import find_referenced_templates
from pyvis.network import Network

from graph.views._style import readable

TEMPLATES = Path(__file__).parent / "templates"
PYVIS_TEMPLATES = Path(pyvis.__file__).parent / "templates"
PHYSICS_NODE_LIMIT = 1500


@dataclass
class Page:
    """What a view shows besides its network: words, legend, controls and initial state."""

    kind: str
    title: str
    explanation: str
    legend: list[dict[str, str]] = field(default_factory=list)
    note: str | None = None
    controls: tuple[str, ...] = ()
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    initial: dict[str, Any] | None = None
    layout: str = "network"
    """How nodes are placed: ``year`` (x = publication year), ``columns`` (a node's ``column``
    number, or for the entity view its signed distance from the entity in focus) or
    ``network`` (forces settle, then stop)."""
    table: tuple[tuple[str, str], ...] = ()
    """The list beside the graph: (key in each listed item's ``meta.row``, or ``heading`` for its
    ``meta.heading``; the column's heading)."""
    listing: str = "nodes"
    """What the list beside the graph holds: ``nodes`` or ``edges`` (those with a ``row``)."""
    data: dict[str, Any] = field(default_factory=dict)
    """More data for the page's scripts, as ``PAGE.data``."""
    extras: tuple[str, ...] = ()
    """Templates of the view's own: ``NAME.css`` and ``NAME.js``, inlined before ``view.js``."""
    template: str = "view.html"


class _NodeIds(list[str]):
    """pyvis's list of node ids, with a set beside it to say what it holds: pyvis asks for
    every node it adds, and twice for every edge, whether an id is in the list (a page of 2,000
    nodes and 16,000 edges spent a second there)."""

    def __init__(self) -> None:
        super().__init__()
        self.held: set[str] = set()

    def append(self, n_id: str) -> None:
        super().append(n_id)
        self.held.add(n_id)

    def __contains__(self, n_id: object) -> bool:
        return n_id in self.held


def network() -> Network:
    """An empty directed pyvis network with options that settle and stay responsive."""
    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    net.node_ids = _NodeIds()
    return net


def options(node_count: int, layout: str = "network") -> dict[str, Any]:
    """vis-network options: physics that stabilises then stops, only for the ``network`` layout
    of a graph that is not too big (the page places the nodes of every other layout itself).
    Node labels are 14 px at scale 1; edge labels are drawn only on hover or selection (the page
    sets their size then), so they never cover one another at the first fit."""
    physics = layout == "network" and node_count <= PHYSICS_NODE_LIMIT
    return {
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120,
                                 "avoidOverlap": 0.4},
            "stabilization": {"enabled": physics, "iterations": 300, "updateInterval": 50},
        },
        "layout": {"improvedLayout": physics and node_count <= 150, "randomSeed": 7},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "font": {"size": 0, "align": "horizontal", "strokeWidth": 4,
                           "color": "#000000"}},
        "nodes": {"font": {"size": 14, "face": "arial"}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": node_count > 500},
    }


@functools.cache
def _environment() -> Environment:
    """The templates' environment, made once: it keeps each template compiled (compiling the
    four pages' templates again for each page took a second of a build's views)."""
    loader = ChoiceLoader([FileSystemLoader(TEMPLATES), FileSystemLoader(PYVIS_TEMPLATES)])
    return Environment(loader=loader, autoescape=select_autoescape(default=True))


def compiled() -> None:
    """Compile now every template of :data:`TEMPLATES` and the files they include by name
    (vis-network's): processes forked after this have them compiled (each compiled them again,
    a tenth of a second of CPU each, most of it lexing vis-network's half megabyte)."""
    environment = _environment()
    names = set(FileSystemLoader(TEMPLATES).list_templates())
    for name in sorted(names):
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        names.update(n for n in find_referenced_templates(environment.parse(source))
                     if n is not None)
    for name in sorted(names):
        environment.get_template(name)


def render(page: Page, net: Network | None) -> str:
    """The page's HTML: one file, vis-network inlined (for a network), no external resource."""
    nodes, edges = net.get_network_data()[:2] if net is not None else ([], [])
    data = {
        "kind": page.kind,
        "controls": list(page.controls),
        "choices": {k: [list(pair) for pair in v] for k, v in page.choices.items()},
        "initial": page.initial,
        "physics": len(nodes) <= PHYSICS_NODE_LIMIT,
        "layout": page.layout,
        "table": [list(pair) for pair in page.table],
        "listing": page.listing,
        "data": page.data,
    }
    template = _environment().get_template(page.template)
    html = template.render(page=page, nodes=nodes, edges=edges,
                           options=options(len(nodes), page.layout),
                           page_data=data, SCRIPT_HASHES=HASHES_PLACEHOLDER)
    return with_script_hashes(html)


HASHES_PLACEHOLDER = "'none'"  # replaced by the hashes of the page's own scripts
_OPEN, _CLOSE = "<script>", "</script>"


def _scripts(html: str) -> Iterator[str]:
    """The body of each ``<script>`` of ``html``, up to the first ``</script>`` after it (what
    ``re.findall(r"<script>(.*?)</script>", html, re.DOTALL)`` finds: that lazy match tried
    ``</script>`` at every character of a page of megabytes, most of the time of hashing it).

    >>> list(_scripts("<script>a</script> <script>b<script>c</script><script>d"))
    ['a', 'b<script>c']
    """
    start = html.find(_OPEN)
    while start != -1:
        end = html.find(_CLOSE, start + len(_OPEN))
        if end == -1:
            return
        yield html[start + len(_OPEN):end]
        start = html.find(_OPEN, end + len(_CLOSE))


def with_script_hashes(html: str) -> str:
    r"""The page with its Content-Security-Policy allowing exactly its own inline scripts, by
    their SHA-256 (no ``'unsafe-inline'``): a script that text from a document managed to
    smuggle into the page would not run. Text from documents is JSON-escaped inside scripts
    (``tojson`` writes ``<`` as ``\u003c``), so no ``</script>`` ends one early.

    >>> page = '<meta content="script-src ' + HASHES_PLACEHOLDER + '"><script>go()</script>'
    >>> with_script_hashes(page).split('"')[1]
    "script-src 'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='"
    """
    digests = [base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
               for body in _scripts(html)]
    allowed = " ".join(f"'sha256-{d}'" for d in dict.fromkeys(digests)) or "'none'"
    return html.replace(f"script-src {HASHES_PLACEHOLDER}", f"script-src {allowed}", 1)


def write(html: str, path: Path) -> Path:
    """Write ``html`` to ``path`` atomically (a reader never sees half a page)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(html)
    os.chmod(temporary, 0o644)  # mkstemp makes it private; a page is for anyone to open
    os.replace(temporary, path)
    return path


def meta(kind: str, heading: str, lines: list[tuple[str, object]],
         links: list[tuple[str, str]] | None = None, **extra: object) -> dict[str, object]:
    """The data a node or edge carries for its tooltip and details panel (shown as text, made
    readable: LaTeX math written out, HTML entities decoded once)."""
    shown = [[name, readable(str(value))] for name, value in lines if value not in (None, "")]
    return {"kind": kind, "heading": readable(heading), "lines": shown, "links": links or [],
            **extra}
