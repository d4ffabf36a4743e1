"""An IRI's parts are quoted as ``urllib.parse.quote`` quotes them, whichever path a part takes."""

from __future__ import annotations

import random
from urllib.parse import quote

from graph.rdf.iri_text import SAFE, iri_text
from graph.vocabulary.prefixes import BASE


def test_every_character_is_quoted_as_urllib_quotes_it() -> None:
    characters = [chr(c) for c in range(0x3000)] + ["\U0001F600", "\U00010000", "\uffff"]
    for character in characters:
        for part in (character, f"key-{character}-2019", f"{character}/x"):
            assert iri_text(part) == BASE + quote(part, safe=SAFE), repr(part)


def test_random_parts_give_the_iri_urllib_gives() -> None:
    alphabet = "abcXYZ019/.-_()~ %#?&é中\n\t\"<>|"
    chance = random.Random(26)
    for _ in range(2000):
        parts = ["".join(chance.choices(alphabet, k=chance.randint(0, 12)))
                 for _ in range(chance.randint(1, 4))]
        assert iri_text(*parts) == BASE + "/".join(quote(p, safe=SAFE) for p in parts)


def test_a_part_of_safe_characters_is_kept_as_it_is() -> None:
    assert iri_text("work", "doi", "10.1016/s0140-6736(75)90001-3") == \
        f"{BASE}work/doi/10.1016/s0140-6736(75)90001-3"
