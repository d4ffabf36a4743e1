"""Numbers bound where the sentence binds them, CIs in the graph, quotes free of markup (issue 22).

Each sentence here is made up and shows one general mechanism: a number goes to the drug, outcome
and population of its own clause (clauses split at semicolons, "whereas", "while", "but", a
coordinated clause with its own subject, a bracket naming a subgroup); a p-value goes to the
comparison it qualifies; a percent's confidence interval is written to the graph like an effect
size's; a quote mined from XML begins and ends in words, never in a tag.
"""

from __future__ import annotations

import re

import pytest

from graph.evidence.numbers import PValue
from graph.inputs.markup import blank_markup
from graph.inputs.read import read_documents
from graph.mining import candidates as extract
from graph.mining.candidates import extract_candidates
from graph.mining.corpus import mine
from graph.vocabulary.concepts import Vocabulary
from tests.checkout import CHECKOUT

DEVSET = CHECKOUT / "tests" / "fixtures" / "devset"


@pytest.fixture(autouse=True)
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "SAFE", False)


# --- point 4: quotes mined from XML are verbatim words, never markup ------------------------------

def test_markup_is_read_as_blank_with_the_same_offsets(vocabulary: Vocabulary) -> None:
    text = ("<sec><title>Results</title><p>With MMF, FVC rose by 6.3% at 52 weeks "
            "(<italic>p</italic> &lt; 0.01).</p></sec>")
    assert len(blank_markup(text)) == len(text)
    [c] = extract_candidates(text, vocabulary)
    assert c.quote.exact == "With MMF, FVC rose by 6.3% at 52 weeks (<italic>p</italic> &lt; 0.01)."
    assert text[c.quote.start:c.quote.end] == c.quote.exact  # cut from the text as printed
    assert (c.result.percent_change, c.result.p_value) == (6.3, PValue("<", 0.01))
    assert (c.drugs, c.outcome, c.section) == (("mycophenolate-mofetil",), "fvc", "results")
    # a plain text's angle brackets are no markup
    assert blank_markup("p <0.05 in a <b and c> group") == "p <0.05 in a <b and c> group"


@pytest.mark.parametrize("name", ["fischer-2013-pmc.xml", "huapaya-2019-pmc.xml"])
def test_quotes_mined_from_jats_begin_and_end_in_words(name: str, vocabulary: Vocabulary) -> None:
    [document] = read_documents(DEVSET / name, DEVSET)
    mined = mine(document, vocabulary, None)
    assert mined.candidates
    for c in mined.candidates:
        assert document.text[c.quote.start:c.quote.end] == c.quote.exact
        assert not re.search(r"^\s*<|>\s*$", c.quote.exact), c.quote.exact
    for m in mined.mentions:
        assert document.text[m.start:m.end] == m.text
