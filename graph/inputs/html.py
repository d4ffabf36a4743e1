"""The article in a saved HTML page, as plain text, through lxml.html.

A page's bibliographic ``<meta>`` tags (``citation_title``, ``citation_author``,
``citation_journal_title``, ``citation_doi``, ... the Highwire/Google Scholar tags most publishers
and PubMed Central print; ``dc.*`` as a fallback) become labelled lines ("Title:", "Authors:",
"Journal:", ...) at the top; the article follows: the ``<article>`` (else ``<main>``, else the
body) with scripts, styles, menus, headers, footers, asides and forms dropped, one paragraph a
block element, headings on lines of their own and list items numbered as printed. The generic
article reader then reads that text. lxml is a dependency already and reads the page's declared
character set; nothing is fetched.
"""

from __future__ import annotations

import re

from lxml import etree, html

from graph.errors import InputError

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button",
         "svg", "iframe", "template", "select")
_BLOCKS = frozenset({"p", "div", "section", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
                     "blockquote", "pre", "table", "tr", "dl", "dt", "dd", "figcaption",
                     "caption", "address", "article", "main", "br", "hr"})
_LABELS = (  # label, meta names in order of preference
    ("Title", ("citation_title", "dc.title")),
    ("Journal", ("citation_journal_title", "prism.publicationname", "dc.source")),
    ("Year", ("citation_publication_date", "citation_date", "citation_year", "dc.date",
              "prism.publicationdate")),
    ("Volume", ("citation_volume", "prism.volume")),
    ("Issue", ("citation_issue", "prism.number")),
    ("DOI", ("citation_doi", "dc.identifier", "prism.doi")),
    ("PMID", ("citation_pmid",)),
    ("PMCID", ("citation_pmcid",)),
)
_BLANKS = re.compile(r"\n\s*\n\s*")
_CITATION_NUMBERS = re.compile(r"\s*\d{1,4}(?:\s*[,;\u2010-\u2014-]\s*\d{1,4})*\s*")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def is_html(data: bytes) -> bool:
    """A saved web page: an HTML doctype or ``<html>`` near the start."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]


def _metas(page: html.HtmlElement) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in page.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = " ".join((meta.get("content") or "").split())
        if name and content:
            found.setdefault(name, []).append(content)
    return found


def _header(metas: dict[str, list[str]]) -> list[str]:
    """The page's bibliographic meta tags as labelled lines."""
    lines = []
    for label, names in _LABELS:
        value = next((metas[n][0] for n in names if n in metas), None)
        if value:
            lines.append(f"{label}: {value}")
        if label == "Title":
            authors = metas.get("citation_author") or metas.get("dc.creator") or []
            if authors:
                lines.append("Authors: " + "; ".join(authors))
    first, last = metas.get("citation_firstpage"), metas.get("citation_lastpage")
    if first:
        lines.append(f"Pages: {first[0]}" + (f"-{last[0]}" if last else ""))
    return lines


def _article(page: html.HtmlElement) -> html.HtmlElement:
    for path in ("//article", "//main", "//*[@role='main']", "//body"):
        found = page.xpath(path)
        if found:
            return found[0]
    return page


def _prose(element: html.HtmlElement) -> bool:
    """Whether an element stands in a paragraph of sentences (not an author or title line)."""
    paragraph = next(element.iterancestors("p", "li", "td", "dd"), None)
    words = paragraph.text_content().split() if paragraph is not None else []
    return len(words) >= 8 and any(w.endswith((".", ".)", ":")) for w in words)


def _keep_citation_superscripts(root: html.HtmlElement) -> None:
    """A superscript citation marker keeps its tag as text (``ILD<sup>17</sup>``), as markdown
    converted from the same page does, so the citation contexts read it apart from the word."""
    for sup in list(root.iter("sup")):
        inner = sup.text_content()
        if _CITATION_NUMBERS.fullmatch(inner) and _prose(sup):
            tail = sup.tail
            sup.clear()
            sup.text, sup.tail = f"<sup>{inner.strip()}</sup>", tail


def _text(root: html.HtmlElement) -> str:
    """The element's text, one paragraph a block, numbered list items numbered."""
    for element in list(root.iter(*_DROP)):
        if element is not root and element.getparent() is not None:
            element.drop_tree()
    _keep_citation_superscripts(root)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "li" and element.getparent() is not None \
                and element.getparent().tag == "ol":
            number = element.getparent().index(element) + 1
            element.text = f"{number}. " + (element.text or "")
        if element.tag in _BLOCKS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    text = root.text_content()
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def html_text(data: bytes, display: str) -> str:
    """The article of the page ``data`` as text: labelled bibliographic lines, then its text."""
    try:
        page = html.document_fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(display, f"the HTML page cannot be read: {exc}") from None
    header = _header(_metas(page))
    body = _text(_article(page))
    if not body and not header:
        raise InputError(display, "the HTML page holds no text")
    return "\n".join(header) + ("\n\n" if header else "") + body + "\n"
