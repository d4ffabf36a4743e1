"""PubMed abstract page, copied as text from the browser.

The page opens with the NCBI banner, then the publication type, the citation line
(". 2014 Jun;2(2):70-2."), "doi: ..." (and "PMID: ..." when shown), the title, a short author
line ("Amy L Rigby et al. Respirol Case Rep. 2014 Jun."), "Abstract", "Keywords: ...", and after
"PubMed Disclaimer" the numbered "References" (PubMed prints "1." before every item). The rest is
site chrome, which is read past and never copied into a field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graph.inputs.layouts._text import (
    Line,
    block_text,
    blocks_text,
    byline,
    clean_doi,
    expand_pages,
    first_index,
    numbered_item,
    paragraphs,
    person_from_full_name,
    scan_list,
    split_lines,
    split_names,
    squash,
    to_references,
)
from graph.inputs.readers import Layout
from graph.inputs.text import SourceText
from graph.records import Bibliographic, Document, Person, RawReference

NAME = "pubmed-page"

# "<journal>. 2014 Jun;2(2):70-2." (the journal is a link and is often lost in the copy).
_CITATION_RE = re.compile(
    r"^(?P<journal>[^;:]*?)\.\s*(?P<year>(?:19|20)\d\d)\b[^;:]*[;:]\s*"
    r"(?P<volume>[^(:;.]+)?(?:\((?P<issue>[^)]*)\))?(?::\s*(?P<pages>[^.;\s]+))?"
)
# "Amy L Rigby et al. Respirol Case Rep. 2014 Jun." -- names carry no full stops on PubMed.
_AUTHOR_LINE_RE = re.compile(
    r"^(?P<names>[^.]+?)(?P<et_al>\s+et\s+al)?\.\s+(?P<journal>.+?)\.\s+(?:19|20)\d\d\b"
)
_ID_LINE_RE = re.compile(r"^(?:doi:|PMID:|PMCID:|Epub\b|Free (?:PMC )?article|Item in Clipboard)")
_PMID_RE = re.compile(r"\bPMID:\s*(\d+)")
_PMCID_RE = re.compile(r"\bPMCID:\s*(PMC\d+)")
_KEYWORDS_PREFIX = "Keywords:"

_CHROME_LINES = frozenset(
    {
        "Skip to main page content",
        "U.S. flag",
        "An official website of the United States government",
        "Dot gov",
        "Https",
        "The site is secure.",
        "Affiliations",
        "Abstract",
        "PubMed Disclaimer",
        "References",
        "Publication types",
        "MeSH terms",
        "Substances",
        "Grants and funding",
        "LinkOut - more resources",
        "Similar articles",
        "Cited by",
        "Comment in",
        "Full text links",
        "Figures",
        "Conflict of interest statement",
        "Related information",
        "Supplementary info",
        "Associated data",
    }
)
_CHROME_PREFIXES = (
    "Access keys",
    "The .gov means",
    "Federal government websites",
    "The https:// ensures",
)


def _is_chrome(text: str) -> bool:
    """Whether a line is PubMed site furniture rather than content of the article."""
    text = text.strip()
    return text in _CHROME_LINES or text.startswith(_CHROME_PREFIXES)


def recognises(text: str) -> bool:
    """A PubMed page carries NCBI's access-key bar or the "PubMed Disclaimer" link."""
    return any(
        line.strip() == "PubMed Disclaimer" or line.startswith("Access keys NCBI Homepage")
        for line in text.splitlines()
    )


def _heading(lines: Sequence[Line], name: str, start: int = 0) -> int | None:
    return first_index(lines, lambda line: line.stripped == name, start)


def _publication_type(lines: Sequence[Line], citation: int, journal: str | None) -> str | None:
    """The line(s) right above the citation line, below the banner (a journal link is skipped)."""
    found: list[str] = []
    index = citation - 1
    while index >= 0 and not lines[index].blank and not _is_chrome(lines[index].text):
        found.insert(0, squash(lines[index].text))
        index -= 1
    kept = [text for text in found if text != journal]
    return "; ".join(kept) or None


def _title(source: SourceText, lines: Sequence[Line], citation: int, end: int) -> tuple[str, int]:
    """The first paragraph after the citation that is no identifier, author line or chrome,
    with the index of the line after it."""
    for block in paragraphs(lines[citation + 1 : end]):
        if block[0].number == lines[citation].number + 1:
            continue  # lines right under the citation belong to it: doi, Epub, PMID
        first = block[0].stripped
        if _ID_LINE_RE.match(first) or _is_chrome(first) or _AUTHOR_LINE_RE.match(first):
            continue
        return squash(" ".join(line.text for line in block)), block[-1].number
    raise source.error("no title found after the citation line", lines[citation].start)


def _abstract(lines: Sequence[Line], heading: int | None) -> str | None:
    """Paragraphs under "Abstract" up to the keywords line or the next piece of chrome."""
    if heading is None:
        return None
    stop = first_index(
        lines,
        lambda line: line.stripped.startswith(_KEYWORDS_PREFIX) or _is_chrome(line.text),
        heading + 1,
    )
    chosen = lines[heading + 1 : stop]
    return blocks_text([block_text(block) for block in paragraphs(chosen)])


def _keywords(lines: Sequence[Line], start: int) -> tuple[str, ...]:
    """Split "Keywords: a; b; c." into ("a", "b", "c")."""
    index = first_index(lines, lambda line: line.stripped.startswith(_KEYWORDS_PREFIX), start)
    if index is None:
        return ()
    listed = lines[index].stripped[len(_KEYWORDS_PREFIX) :]
    return tuple(squash(item).rstrip(".") for item in listed.split(";") if item.strip())


def _references(source: SourceText, lines: Sequence[Line]) -> tuple[RawReference, ...]:
    heading = _heading(lines, "References")
    if heading is None:
        return ()
    entries, _ = scan_list(lines, heading + 1, numbered_item, ends=_is_chrome)
    return to_references(source, entries)


def _search(pattern: re.Pattern[str], lines: Sequence[Line]) -> str | None:
    return next((m.group(1) for line in lines if (m := pattern.search(line.text))), None)


def _citation(source: SourceText, lines: Sequence[Line]) -> tuple[int, re.Match[str]]:
    """Index and match of the citation line (it stands above the abstract)."""
    for index, line in enumerate(lines):
        if match := _CITATION_RE.match(line.stripped):
            return index, match
    raise source.error('no citation line (". 2014 Jun;2(2):70-2.") before the abstract')


def _author_line(lines: Sequence[Line]) -> tuple[tuple[Person, ...], bool, str | None]:
    """Authors, et-al flag and journal from "Amy L Rigby et al. Respirol Case Rep. 2014 Jun."."""
    for line in lines:
        if match := _AUTHOR_LINE_RE.match(line.stripped):
            names = split_names(match["names"])
            authors = tuple(person_from_full_name(name) for name in names)
            return authors, bool(match["et_al"]), squash(match["journal"])
    return (), False, None


def read(source: SourceText) -> Document:
    """Read a PubMed abstract page."""
    lines = split_lines(source.text)
    abstract_heading = _heading(lines, "Abstract")
    head_end = abstract_heading if abstract_heading is not None else len(lines)
    citation, cited = _citation(source, lines[:head_end])
    title, after_title = _title(source, lines, citation, head_end)
    authors, et_al, short_journal = _author_line(lines[after_title:head_end])
    if not authors:  # no short "Family X et al." line: the full byline under the title
        authors = next((people for block in paragraphs(lines[after_title:head_end])
                        if len(people := byline(block_text(block))) >= 2), ())
    journal = squash(cited["journal"]) or short_journal
    page_start, page_end = expand_pages(cited["pages"] or "")
    head = lines[citation:head_end]
    doi_line = next((line for line in head if line.stripped.lower().startswith("doi:")), None)
    meta = Bibliographic(
        title=title,
        authors=authors,
        et_al=et_al,
        journal=journal,
        year=int(cited["year"]),
        volume=squash(cited["volume"] or "") or None,
        issue=squash(cited["issue"] or "") or None,
        page_start=page_start,
        page_end=page_end,
        doi=clean_doi(doi_line.text) if doi_line else None,
        pmid=_search(_PMID_RE, head),
        pmcid=_search(_PMCID_RE, head),
    )
    return Document(
        path=source.path,
        sha256=source.sha256,
        layout=NAME,
        text=source.text,
        meta=meta,
        publication_type=_publication_type(lines, citation, journal),
        abstract=_abstract(lines, abstract_heading),
        keywords=_keywords(lines, head_end),
        references=_references(source, lines),
    )


LAYOUT = Layout(
    name=NAME,
    description="PubMed abstract page (pubmed.ncbi.nlm.nih.gov) copied as text",
    recognises=recognises,
    read=read,
    order=10,
)
