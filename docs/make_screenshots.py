"""Screenshots of the four views for the documentation, taken in headless Chromium.

    python3 docs/make_screenshots.py                  # build the graph afresh into a temp folder
    python3 docs/make_screenshots.py --views build/views

writes docs/screenshots/citations.png (on its year axis, the systematic review and what builds
on it, two steps), evidence.png (filtered to tacrolimus, one finding clicked: its numbers on the
arrow, its quote in the panel, its row marked in the list) and entity.png (anti-Jo-1's
neighbourhood two steps out, its Table 3 finding clicked), gapmap.png (the evidence gap map,
the tacrolimus by ILD response cell clicked), each 1400x900, and phone.png (the
evidence view on a 390x844 phone: the graph the full width, its columns as bands down the page,
the panel below) with phone-citations.png, phone-entity.png and phone-gapmap.png, each view as it
opens on the phone (whole pages: the drawing grows down the page to keep its labels legible).
The controls are used as a reader would: options chosen, buttons and the canvas clicked. Fails
if a page makes a request or logs an error.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from graph.build.pipeline import build
from graph.settings import Paths
from tests.checkout import CHECKOUT

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZE = {"width": 1400, "height": 900}
W, V = "https://w3id.org/ma-ild/work/", "https://w3id.org/ma-ild/vocab/"
REVIEW = W + "ge-2015-34-2097"
TACROLIMUS, JO1 = V + "tacrolimus", V + "anti-jo-1"
TABLE_3_JO1 = ("https://w3id.org/ma-ild/finding/sharma-2017-cohort-article-markdown/"
               "tacrolimus-response-anti-jo1")
CLICK_POINT = """([id, isEdge]) => {
    const r = document.querySelector("#mynetwork canvas").getBoundingClientRect();
    const at = isEdge
        ? [0.5, 0.4, 0.6, 0.3, 0.7].map(t => network.body.edges[id].edgeType.getPoint(t))
        : [network.getPositions([id])[id]];
    for (const c of at) {
        const p = network.canvasToDOM(c);
        const hit = isEdge ? network.getNodeAt(p) === undefined && network.getEdgeAt(p) === id
                           : network.getNodeAt(p) === id;
        if (hit) { return [r.left + p.x, r.top + p.y]; }
    }
    return null;
}"""
EMIT_CLICK = """([id, isEdge]) => {
    const hit = {nodes: isEdge ? [] : [id], edges: isEdge ? [id] : []};
    network.setSelection(hit);
    network.emit("click", hit);
}"""


def wait_until(page: Page, expression: str, timeout: float = 30.0) -> None:
    """Poll ``expression`` (the pages forbid eval, so no wait_for_function)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise SystemExit(f"not true within {timeout:g} s: {expression}")
        time.sleep(0.05)


def click(page: Page, item: str, edge: bool = False) -> None:
    """A mouse click on a node or an edge where nothing covers it; if something does, the same
    click handler is called through vis-network's event (a note says so)."""
    point = page.evaluate(CLICK_POINT, [item, edge])
    if point is not None:
        page.mouse.click(*point)
        return
    print(f"note: {item} is covered by another node; its click is emitted instead",
          file=sys.stderr)
    page.evaluate(EMIT_CLICK, [item, edge])


def citations(page: Page) -> None:
    page.select_option("#lineage-work", value=REVIEW)
    page.select_option("#lineage-direction", value="built-upon")
    page.fill("#lineage-depth", "2")
    page.click("#lineage-go")
    click(page, REVIEW)  # its details; then unselect, so the highlight shows, not the selection
    page.evaluate("network.unselectAll()")


def evidence(page: Page) -> None:
    page.select_option("#filter-drug", value=TACROLIMUS)
    [edge] = page.evaluate("edges.get({filter: e => !e.hidden && e.label === '17/18 (94%)'"
                           " && e.id.indexOf('cohort-article') >= 0}).map(e => e.id)")
    click(page, edge, edge=True)


def entity(page: Page) -> None:
    page.select_option("#focus-entity", value=JO1)
    page.fill("#focus-depth", "2")
    page.click("#focus-go")
    click(page, TABLE_3_JO1)


def gapmap(page: Page) -> None:
    page.click(f'#gapmap td[data-drug="{TACROLIMUS}"][data-outcome="{V}ild-response"] button')


def as_it_opens(page: Page) -> None:
    """A view as it opens (on a phone: fitted to the width, its labels legible)."""


PHONE = {"width": 390, "height": 844}
SHOTS = {"citations": ("citations", citations, SIZE), "evidence": ("evidence", evidence, SIZE),
         "entity": ("entity", entity, SIZE), "gapmap": ("gapmap", gapmap, SIZE),
         "phone": ("evidence", as_it_opens, PHONE),
         "phone-citations": ("citations", as_it_opens, PHONE),
         "phone-entity": ("entity", as_it_opens, PHONE),
         "phone-gapmap": ("gapmap", as_it_opens, PHONE)}


def shoot(browser: Browser, html: Path, png: Path, act: object, size: dict[str, int]
          ) -> list[str]:
    """Open ``html``, let it settle, act on it, save ``png``; every request and error seen."""
    problems: list[str] = []
    context = browser.new_context(viewport=size)
    page = context.new_page()

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        if url.startswith(("file:", "data:", "blob:")):
            r.continue_()  # type: ignore[attr-defined]
        else:
            problems.append(f"request: {url}")
            r.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.on("console",
            lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    try:
        page.goto(html.resolve().as_uri())
        wait_until(page, "window.maild !== undefined"
                         " && (maild.state.stabilized || maild.state.ready)")  # network or grid
        act(page)  # type: ignore[operator]
        # rest the mouse on an empty corner of the canvas: vis-network then hides its tooltip
        corner = page.evaluate("""(() => { const c = document.querySelector("#mynetwork canvas");
            const r = c ? c.getBoundingClientRect() : {left: 0, bottom: 3};
            return [r.left + 3, r.bottom - 3]; })()""")
        page.mouse.move(*corner, steps=5)
        time.sleep(0.5)  # the last redraw
        png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(png), full_page=size is PHONE)
    finally:
        context.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--views", type=Path, help="use these built views instead of building")
    parser.add_argument("--out", type=Path, default=CHECKOUT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        views = args.views
        if views is None:
            build(Paths(out=Path(temporary) / "build"))
            views = Path(temporary) / "build" / "views"
        problems: list[str] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                for name, (view, act, size) in SHOTS.items():
                    png = args.out / f"{name}.png"
                    problems += [f"{name}: {p}" for p in shoot(browser, views / f"{view}.html",
                                                               png, act, size)]
                    print(f"wrote {png}")
            finally:
                browser.close()
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
