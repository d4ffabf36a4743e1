"""Markup in a text read as prose, blanked character for character so offsets still hold.

The record formats (JATS, PubMed XML) keep the file's text and point their prose spans into it,
tags and all: "<p>... (p = 0.01).</p>". :func:`blank_markup` gives the same text with every tag
made blank, so sentences, mentions and numbers are read from the words alone and a quote cut
from the file at their offsets begins and ends in the words, never in a tag. A tag that closes or
opens a block (a paragraph, a title, a section, a table cell) becomes a blank line, so no sentence
runs from a heading into the paragraph under it; an inline tag (italic, a superscript, a
citation link) becomes spaces. An escaped character ("&lt;", "&#x2013;") becomes the character,
padded before with spaces ("p &lt; 0.05" reads as "p    < 0.05").

Only well-formed tags are touched (a name, then ``name="value"`` attributes), so a plain text's
"p <0.05 and >3" is left alone.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"</?(?P<name>[A-Za-z][\w:.\-]*)"
                  r"(?:\s+[\w:.\-]+\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'))*"
                  r"\s*/?>|<!--.*?-->|<\?.*?\?>|<!\[CDATA\[|\]\]>", re.DOTALL)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# tags within a line of text; every other tag ends a block
INLINE = frozenset({
    "italic", "bold", "sup", "sub", "sc", "underline", "monospace", "roman", "sans-serif",
    "xref", "ext-link", "uri", "named-content", "styled-content", "inline-formula", "abbrev",
    "email", "i", "b", "em", "strong", "span", "a", "u", "small", "mark", "abbr", "cite", "code",
    "tex-math", "mml:math", "math",
})


def has_markup(text: str) -> bool:
    """Whether ``text`` holds a well-formed tag or an escaped character."""
    return _TAG.search(text) is not None or _ENTITY.search(text) is not None


def _blank(match: re.Match[str]) -> str:
    tag = match.group()
    name = match.group("name")
    if name is not None and name.lower() not in INLINE and name not in INLINE and len(tag) >= 2:
        return "\n\n" + " " * (len(tag) - 2)
    return " " * len(tag)


def _character(match: re.Match[str]) -> str:
    written = match.group()
    character = html.unescape(written)
    if len(character) != 1:  # an unknown name stays as written
        return written
    return " " * (len(written) - 1) + character


def blank_markup(text: str) -> str:
    """``text`` with its tags blanked and escaped characters written out; same length.

    >>> blank_markup("<p>FVC rose (<italic>p</italic> &lt; 0.01).</p>")
    '\\n\\n FVC rose (        p             < 0.01).\\n\\n  '
    """
    if not has_markup(text):
        return text
    return _ENTITY.sub(_character, _TAG.sub(_blank, text))
