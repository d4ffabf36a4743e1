"""The evidence gap map (issue 25, point 4): drugs by outcomes, in headless Chromium.

Its counts are checked against direct SPARQL counts of the same findings, its clicks against the
findings' quotes in the graph, and its text against markup put into the graph on purpose.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from graph.build.pipeline import build
from graph.cli import main
from graph.query.endpoints import MemoryStore
from graph.rdf.store import open_store
from graph.settings import Paths
from graph.views._page import render, write
from graph.views.gapmap import DETAILED, DIRECTIONS, LEVELS, carried, contrast, gapmap_page, palette
from tests.checkout import CHECKOUT

sys.path.insert(0, str(CHECKOUT))  # `tests` is no package on the path under importlib mode
from tests.browser import View, open_view, wait_until

ONTOLOGY = CHECKOUT / "ontology"
V = "https://w3id.org/ma-ild/vocab/"
TACROLIMUS, ILD_RESPONSE, JO1 = V + "tacrolimus", V + "ild-response", V + "anti-jo-1"
READY = "window.maild !== undefined && maild.state.ready"
PREFIXES = """PREFIX maild: <https://w3id.org/ma-ild/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
# the findings of a cell: an outcome finding with its quote in which the drug was studied or
# added on (the roles that make it evidence about the drug)
EVIDENCE = """?f a maild:Finding ; maild:findingKind "outcome" ; maild:intervention ?i ;
       maild:outcome ?outcome .
    ?i maild:drug <%s> ; maild:role ?role . FILTER(?role IN ("studied", "add-on"))
    FILTER EXISTS { ?f maild:quote/oa:hasSelector/oa:exact ?exact }"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    paths = Paths(corpus=CHECKOUT / "corpus", ontology=ONTOLOGY,
                  out=tmp_path_factory.mktemp("gap") / "build")
    build(paths, check_shapes=False)
    return paths


def select(paths: Paths, query: str) -> list[tuple[str, ...]]:
    return [tuple(t.value for t in row)
            for row in open_store(paths.out / "store").query(PREFIXES + query)]


def row_of(view: View, drug: str) -> dict[str, tuple[int, int]]:
    """The drug's cells as drawn: outcome IRI -> (findings, patients)."""
    cells = view.evaluate("""(drug) => Array.from(
        document.querySelectorAll(`#gapmap td[data-drug="${drug}"] button`),
        b => [b.parentNode.dataset.outcome, b.querySelector(".count").textContent,
              b.querySelector(".patients").textContent])""", drug)
    return {o: (int(count.split(" ")[1]), int(re.sub(r"^n[=\u2265]", "", patients).replace("?", "0")))
            for o, count, patients in cells}


def test_the_build_draws_tacrolimus_against_its_outcomes_with_the_counts_sparql_gives(
    browser: object, built: Paths
) -> None:
    findings = dict(select(built, "SELECT ?outcome (COUNT(DISTINCT ?f) AS ?n) WHERE { "
                                  + EVIDENCE % TACROLIMUS + " } GROUP BY ?outcome"))
    patients = dict(select(built, "SELECT ?outcome (SUM(?n) AS ?total) WHERE { "
                                  "SELECT DISTINCT ?outcome ?pop ?n WHERE { "
                                  + EVIDENCE % TACROLIMUS + " ?f maild:population ?pop . "
                                  "?pop maild:size ?n } } GROUP BY ?outcome"))
    expected = {o: (int(n), int(patients.get(o, 0))) for o, n in findings.items()}
    assert len(expected) >= 8 and sum(n for n, _p in expected.values()) == 33
    with open_view(browser, built.out / "views" / "gapmap.html") as view:  # type: ignore[arg-type]
        wait_until(view.page, READY)
        assert row_of(view, TACROLIMUS) == expected
        # every outcome of the vocabulary is a column, empty where nothing was found: a gap
        columns = view.evaluate("""(drug) => Array.from(document.querySelectorAll(
            `#gapmap td[data-drug="${drug}"]`), td => td.dataset.outcome)""", TACROLIMUS)
        vocabulary = {o for (o,) in select(built, "SELECT ?o WHERE { ?o a maild:Outcome }")}
        assert len(vocabulary) >= 20 and vocabulary <= set(columns)
        assert view.problems() == []


def test_on_a_phone_the_grid_takes_the_width_and_scrolls_inside_its_box(
    browser: object, built: Paths
) -> None:
    with open_view(browser, built.out / "views" / "gapmap.html", 390, 844) as view:  # type: ignore[arg-type]
        wait_until(view.page, READY)
        area = view.evaluate("""(() => { const a = document.getElementById("grid-area");
            const r = a.getBoundingClientRect();
            return {left: r.left, width: r.width, height: r.height,
                    wide: a.scrollWidth > a.clientWidth, tall: a.scrollHeight > a.clientHeight}; })()""")
        assert view.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sideways
        assert area["left"] == 0 and area["width"] >= 385 and area["height"] > 300
        assert area["wide"] and area["tall"]  # the grid scrolls both ways inside its box
        # the drug names and outcome headings stay in view when the grid is scrolled
        view.evaluate("document.getElementById('grid-area').scrollTo(300, 300)")
        assert view.evaluate("""(() => {
            const a = document.getElementById("grid-area").getBoundingClientRect();
            const drug = document.querySelector("#gapmap tbody th").getBoundingClientRect();
            const head = document.querySelector("#gapmap thead tr.names th").getBoundingClientRect();
            return drug.left >= a.left - 1 && head.top >= a.top - 1; })()""")
        assert view.problems() == []


def test_the_antibody_filter_counts_what_drug_outcomes_answers_for_the_subgroup(
    browser: object, built: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["query", "drug-outcomes", "--param", "drug=tacrolimus", "--param",
                 "subgroup=anti-Jo-1", "--format", "csv", "--columns", "role,outcome,finding",
                 "--store", str(built.out / "store"), "--ontology", str(ONTOLOGY)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    expected = Counter(r["outcome"] for r in {r["finding"]: r for r in rows}.values()
                       if r["role"] in ("studied", "add-on"))
    assert expected
    with open_view(browser, built.out / "views" / "gapmap.html") as view:  # type: ignore[arg-type]
        wait_until(view.page, READY)
        view.page.select_option("#filter-antibody", value=JO1)
        labels = dict(view.evaluate("PAGE.data.outcomes.map(o => [o[0], o[1]])"))
        drawn = {labels[o]: n for o, (n, _p) in row_of(view, TACROLIMUS).items()}
        assert drawn == dict(expected)
        assert view.problems() == []


def test_clicking_a_cell_lists_its_findings_with_their_quotes(browser: object, built: Paths) -> None:
    rows = select(built, f"""SELECT ?f ?exact WHERE {{ {EVIDENCE % TACROLIMUS}
        FILTER(?outcome = <{ILD_RESPONSE}>) ?f maild:quote/oa:hasSelector/oa:exact ?exact }}""")
    quotes = {f: [e for g, e in rows if g == f] for f, _e in rows}
    assert len(quotes) >= 2
    with open_view(browser, built.out / "views" / "gapmap.html") as view:  # type: ignore[arg-type]
        wait_until(view.page, READY)
        view.page.click(f'#gapmap td[data-drug="{TACROLIMUS}"][data-outcome="{ILD_RESPONSE}"] button')
        assert view.page.text_content("#details h2") == "tacrolimus \u00d7 ILD response"
        assert sorted(view.evaluate("maild.state.chosen.findings")) == sorted(quotes)
        shown = view.evaluate("Array.from(document.querySelectorAll('#details .quote'), q => q.textContent)")
        assert len(shown) == len(quotes)
        for parts in quotes.values():  # each finding's quotes, in one block
            assert any(all(part in block for part in parts) for block in shown)
        assert view.problems() == []


def test_a_cell_with_a_pooled_estimate_shows_it_above_its_findings(
        browser: object, built: Paths) -> None:
    """The cell of a drug-outcome pair the build pooled gives the stored estimate, its interval
    and how many studies it pools, computed numbers read from the graph."""
    (value, lower, upper, studies), = select(built, f"""SELECT ?v ?lo ?hi ?k WHERE {{
        ?e a maild:PooledEstimate ; maild:drug <{TACROLIMUS}> ; maild:outcome <{ILD_RESPONSE}> ;
           maild:effectValue ?v ; maild:ciLower ?lo ; maild:ciUpper ?hi ; maild:studies ?k }}""")
    with open_view(browser, built.out / "views" / "gapmap.html") as view:  # type: ignore[arg-type]
        wait_until(view.page, READY)
        view.page.click(f'#gapmap td[data-drug="{TACROLIMUS}"][data-outcome="{ILD_RESPONSE}"] button')
        text = view.page.text_content("#details .pooled") or ""
        assert text.startswith("Pooled estimate")
        assert f"Pooled proportion: {100 * float(value):.1f}% (95% CI {100 * float(lower):.1f}" \
               f"\u2013{100 * float(upper):.1f}%); {studies} studies" in text
        html = view.evaluate("document.querySelector('#details').innerHTML")
        assert html.index('class="pooled"') < html.index('class="finding"')
        other = f'#gapmap td[data-drug="{TACROLIMUS}"]:not([data-outcome="{ILD_RESPONSE}"]) button'
        view.page.click(other)
        assert view.page.query_selector("#details .pooled") is None  # only where one was pooled
        assert view.problems() == []


HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> & "q"'


def test_hostile_text_in_labels_quotes_and_titles_is_shown_as_text(
    browser: object, built: Paths, tmp_path: Path
) -> None:
    target = MemoryStore.load(built.out / "store")
    target.store.update(PREFIXES + f"""
        DELETE {{ ?s oa:exact ?e . <{TACROLIMUS}> skos:prefLabel ?l . ?w dcterms:title ?t }}
        INSERT {{ ?s oa:exact '{HOSTILE}' . <{TACROLIMUS}> skos:prefLabel '{HOSTILE}' .
                  ?w dcterms:title '{HOSTILE}' }}
        WHERE {{ ?f maild:outcome <{ILD_RESPONSE}> ; maild:intervention/maild:drug <{TACROLIMUS}> ;
                    maild:quote/oa:hasSelector ?s ; maild:study ?w . ?s oa:exact ?e .
                 <{TACROLIMUS}> skos:prefLabel ?l . ?w dcterms:title ?t }}""")
    page, net = gapmap_page(target)
    out = write(render(page, net), tmp_path / "gapmap.html")
    assert "<img src=x" not in out.read_text()
    with open_view(browser, out) as view:  # type: ignore[arg-type]
        wait_until(view.page, READY)
        view.page.click(f'#gapmap td[data-drug="{TACROLIMUS}"][data-outcome="{ILD_RESPONSE}"] button')
        assert view.page.text_content("#details h2") == f"{HOSTILE} \u00d7 ILD response"
        details = view.page.text_content("#details")
        assert details.count(HOSTILE) >= 3  # the heading, a study title, a quote
        assert view.evaluate("""[typeof window.__pwned, document.images.length,
            document.scripts.length]""") == ["undefined", 0, 2]  # dom.js and gapmap.js only
        assert view.problems() == []


def test_every_cell_colour_reads_at_wcag_aa_and_the_legend_shows_each() -> None:
    fills = [fill for look in palette().values() for fill in look["fill"]]
    assert len(fills) == len(DIRECTIONS) * len(LEVELS)
    assert min(contrast(background, text) for background, text in fills) >= 4.5
    assert len({background for background, _t in fills}) == len(fills)  # no two alike


def test_a_cell_carries_the_quotes_of_its_best_findings_only() -> None:
    """A page of 2,000 documents' findings with every quote took 10 MB: each cell carries the
    quotes of its best findings (evidence first, best level, most patients); the page counts the
    rest and names the question that lists them."""
    rows = [{"drug": "d", "outcome": "o", "finding": f"f{i:02d}", "evidence": i % 2 == 0,
             "level": 3 if i < 6 else 4, "n": i} for i in range(2 * DETAILED + 4)]
    rows.append({"drug": "d", "outcome": "other", "finding": "g", "evidence": False,
                 "level": None, "n": None})
    kept = [rows[i]["finding"] for i in sorted(carried(rows))]
    assert len(kept) == DETAILED + 1 and "g" in kept  # every cell has its own best
    assert all(rows[int(f[1:])]["evidence"] for f in kept if f != "g")
    assert {"f00", "f02", "f04"} <= set(kept)  # level 3 before level 4
