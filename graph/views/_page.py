"""Render a view: pyvis assembles the network, our template makes it a self-contained page.

pyvis's own template links Bootstrap from a CDN, prints its heading unescaped and switches
tooltips to ``innerHTML`` when a title contains "href". So pyvis builds the nodes, edges and
options, and :func:`render` writes them into ``templates/view.html``, which inlines vis-network
from pyvis's package, escapes every text (Jinja autoescape, ``tojson`` in scripts) and builds
tooltips and details with ``textContent``. A Content-Security-Policy forbids any request.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyvis
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

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
    data: dict[str, Any] = field(default_factory=dict)
    """More data for the page's scripts, as ``PAGE.data``."""
    extras: tuple[str, ...] = ()
    """Templates of the view's own: ``NAME.css`` and ``NAME.js``, inlined before ``view.js``."""
    template: str = "view.html"


def network() -> Network:
    """An empty directed pyvis network with options that settle and stay responsive."""
    return Network(directed=True, height="100%", width="100%", cdn_resources="in_line")


def options(node_count: int) -> dict[str, Any]:
    """vis-network options: physics that stabilises then stops; none at all for big graphs."""
    physics = node_count <= PHYSICS_NODE_LIMIT
    return {
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120,
                                 "avoidOverlap": 0.4},
            "stabilization": {"enabled": physics, "iterations": 300, "updateInterval": 50},
        },
        "layout": {"improvedLayout": node_count <= 150, "randomSeed": 7},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "font": {"size": 10, "align": "horizontal", "strokeWidth": 3}},
        "nodes": {"font": {"size": 12}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": node_count > 500},
    }


def _environment() -> Environment:
    loader = ChoiceLoader([FileSystemLoader(TEMPLATES), FileSystemLoader(PYVIS_TEMPLATES)])
    return Environment(loader=loader, autoescape=select_autoescape(default=True))


def render(page: Page, net: Network | None) -> str:
    """The page's HTML: one file, vis-network inlined (for a network), no external resource."""
    nodes, edges = net.get_network_data()[:2] if net is not None else ([], [])
    data = {
        "kind": page.kind,
        "controls": list(page.controls),
        "choices": {k: [list(pair) for pair in v] for k, v in page.choices.items()},
        "initial": page.initial,
        "physics": len(nodes) <= PHYSICS_NODE_LIMIT,
        "data": page.data,
    }
    template = _environment().get_template(page.template)
    html = template.render(page=page, nodes=nodes, edges=edges, options=options(len(nodes)),
                           page_data=data, SCRIPT_HASHES=HASHES_PLACEHOLDER)
    return with_script_hashes(html)


HASHES_PLACEHOLDER = "'none'"  # replaced by the hashes of the page's own scripts
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


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
               for body in _SCRIPT.findall(html)]
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
    """The data a node or edge carries for its tooltip and details panel (shown as text)."""
    shown = [[name, str(value)] for name, value in lines if value not in (None, "")]
    return {"kind": kind, "heading": heading, "lines": shown, "links": links or [], **extra}
