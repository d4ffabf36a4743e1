"""Split one reference string into bibliographic fields, whatever citation style it is printed in.

The style is recognised from the string's shape alone, never from the document it came from: each
style is a plug-in of :mod:`graph.citations.styles` (Harvard, Springer, AMA, Vancouver and the
news site's ahead-of-print citation), tried in order; this module cleans the string first and
turns the chosen style's raw parts into fields.

Noise that citation styles glue on (PubMed's `` - PubMed``, Springer's ``CrossRefGoogle Scholar``,
a stray ``crossref``) is removed here, so readers may hand over the entry as printed. Any string
gives a :class:`ParsedReference` or raises :class:`ReferenceParseError`, nothing else.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.citations.styles import STYLES
from graph.citations.styles._shared import ET_AL, Parts
from graph.errors import ReferenceParseError
from graph.records import Bibliographic, ParsedReference, Person, RawReference

MAX_CHARS = 2000  # far beyond any real reference; bounds the regex work on garbage input


_SPACE = re.compile(r"\s+")
_LIST_MARKER = re.compile(r"^(?:[-*\u2022]\s+|\d{1,3}\.\s+)+")
_NOISE = re.compile(
    r"(?:\s+-\s+(?:PubMed|PMC|DOI|Free (?:PMC )?article)"
    r"|\s*(?:PubMed ?Central|CrossRef|PubMed|Google Scholar))+\s*$",
    re.IGNORECASE,
)
_IDENTIFIERS = {
    "doi": re.compile(r"[\s;,]*\b(?:doi:?\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/\S+)", re.I),
    "pmid": re.compile(r"[\s;,]*\bPMID:?\s*(\d+)\.?", re.I),
    "pmcid": re.compile(r"[\s;,]*\bPMCID:?\s*(PMC\d+)\.?", re.I),
}
_NOTES = (
    re.compile(
        r"\s*\[((?:Article in|published online|Epub|Erratum|Retract|Comment)[^\[\]]*)\]", re.I
    ),
    re.compile(r"\s+(Epub\b[^.\[\]]*)\.?$", re.I),
)
_REPEATED_DOTS = re.compile(r"\.(?:\s*\.)+(?=\s|$)")

_ANY_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")

_ITALIC = re.compile(r"\*([^*]*)\*")
_NAME_SEPARATOR = re.compile(r"\s*[,;]\s*")
_INITIALS = r"[A-Z\u00c0-\u00de](?:-?[A-Z\u00c0-\u00de]){0,3}"
_PERSON = re.compile(rf"^(?P<family>\S.*?)\s+(?P<given>{_INITIALS})$")
_PAGE_RANGE = re.compile(
    r"^(?P<p1>[A-Za-z]*)(?P<n1>\d+)(?:\s*[-\u2013\u2014]\s*(?P<p2>[A-Za-z]*)(?P<n2>\d+))?$"
)
_LETTER = re.compile(r"[^\W\d_]")


# --- cleaning the string before any style is tried ---------------------------------------------


def _pull(pattern: re.Pattern[str], text: str) -> tuple[list[str], str]:
    """Captured group 1 of every match, and the text without them: ids and notes sit anywhere.

    >>> _pull(_IDENTIFIERS["doi"], "J Rheumatol. doi:10.3899/JRHEUM.161217")
    (['10.3899/JRHEUM.161217'], 'J Rheumatol.')
    """
    found = [m.group(1) for m in pattern.finditer(text)]
    return found, pattern.sub("", text).strip()


def _identifiers(text: str) -> tuple[dict[str, str], str]:
    """Take DOI, PMID and PMCID out first, so their dots and digits confuse no style pattern."""
    ids: dict[str, str] = {}
    for name, pattern in _IDENTIFIERS.items():
        found, text = _pull(pattern, text)
        if found:
            ids[name] = found[0].rstrip(".,;").lower() if name == "doi" else found[0].upper()
    return ids, _REPEATED_DOTS.sub(".", text)


def _notes(text: str) -> tuple[str | None, str]:
    """Take out editorial notes ("[Article in Japanese]"): they belong to no field."""
    notes: list[str] = []
    for pattern in _NOTES:
        found, text = _pull(pattern, text)
        notes += found
    return "; ".join(notes) or None, _REPEATED_DOTS.sub(".", text)


# --- turning raw parts into fields ---------------------------------------------------------------


def _person(name: str) -> Person:
    """ "Lo Mo Naco A" -> family and initials; a name without initials is a corporate author."""
    m = _PERSON.match(name)
    return Person(m["family"], m["given"]) if m else Person(name)


def _parse_authors(text: str) -> tuple[tuple[Person, ...], bool]:
    """The printed author list, in order, and whether it was cut short with "et al".

    Group authors after "et al;" are kept (as corporate persons) after the individuals.

    >>> _parse_authors("La Corte R, du Bois R et al")
    ((Person(family='La Corte', given='R'), Person(family='du Bois', given='R')), True)
    >>> _parse_authors("Raghu G, et al; ATS/ERS Committee.")[0][-1]
    Person(family='ATS/ERS Committee', given='')
    """
    text = text.strip().rstrip(".")
    m = ET_AL.search(text)
    listed, groups = (text[: m.start()], m["groups"] or "") if m else (text, "")
    persons = [_person(name) for name in _NAME_SEPARATOR.split(listed) if name]
    persons += [Person(name) for name in _NAME_SEPARATOR.split(groups) if name]
    return tuple(persons), m is not None


def _expand_pages(pages: str | None) -> tuple[str | None, str | None]:
    """First and last page, the last written in full ("971-82" means 971 to 982).

    >>> _expand_pages("1762-3"), _expand_pages("971\u201382"), _expand_pages("e98824")
    (('1762', '1763'), ('971', '982'), ('e98824', None))
    """
    m = _PAGE_RANGE.match(pages or "")
    if not m:
        return pages or None, None
    start, end = m["n1"], m["n2"]
    if end is None:
        return m["p1"] + start, None
    if len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    return m["p1"] + start, (m["p2"] or m["p1"]) + end


def _clean_title(title: str | None) -> str | None:
    """Drop italics markers and the closing full stop; "?" and "]" stay."""
    return _ITALIC.sub(r"\1", title or "").strip().rstrip(".").strip() or None


def _clean_journal(journal: str | None) -> str | None:
    """Journal as printed; its closing stop goes, unless it is dotted ("J. Rheumatol.").

    >>> _clean_journal("Lancet."), _clean_journal("J. Rheumatol.")
    ('Lancet', 'J. Rheumatol.')
    """
    journal = _ITALIC.sub(r"\1", journal or "").strip()
    return (journal if ". " in journal else journal.rstrip(".").strip()) or None


def _fields(parts: Parts, ids: dict[str, str]) -> Bibliographic:
    """Build the record from one style's raw parts; cleaning is the same for every style."""
    authors, et_al = _parse_authors(parts.get("authors") or "")
    page_start, page_end = _expand_pages(parts.get("pages"))
    year = parts.get("year")
    return Bibliographic(
        title=_clean_title(parts.get("title")),
        authors=authors,
        et_al=et_al,
        journal=_clean_journal(parts.get("journal")),
        year=int(year) if year else None,
        volume=parts.get("volume"),
        issue=parts.get("issue"),
        page_start=page_start,
        page_end=page_end,
        **ids,
    )


def _problem(fields: Bibliographic, style: str, text: str) -> str | None:
    """Why the fields are unusable, or None: a reference needs authors, title, journal, year."""
    required = ("authors", "title", "journal", "year")
    missing = [name for name in required if not getattr(fields, name)]
    if missing:
        hint = " (the tail of an entry broken across lines?)" if text[0].islower() else ""
        return f"{style} reference has no {', '.join(missing)}{hint}: {text[:80]!r}"
    if any(not _LETTER.search(person.family) for person in fields.authors):
        return f"{style} reference has an unreadable author list: {text[:80]!r}"
    return None


def _unrecognised(rest: str, text: str) -> str:
    """The reason given when no style fits: a missing year usually means a cut-off entry."""
    if not rest:
        return f"reference holds only identifiers or notes, no citation: {text[:80]!r}"
    if not _ANY_YEAR.search(rest):
        return f"reference looks truncated (no year or journal found): {text[:80]!r}"
    styles = "Vancouver, AMA, Springer, Harvard, news"
    return f"reference matches no known style ({styles}): {text[:80]!r}"


@lru_cache(maxsize=1 << 16)
def _read(
    text: str, identifiers: tuple[tuple[str, str], ...]
) -> tuple[Bibliographic, str, str | None] | str:
    """The fields, style and note of one reference string, or why it has none.

    Remembered: the classics are cited in the same words by paper after paper, so each such
    string is parsed once and the documents citing it share one record of its fields.
    """
    text = _SPACE.sub(" ", text).strip()
    if len(text) > MAX_CHARS:
        return f"reference is over {MAX_CHARS} characters"
    text = _NOISE.sub("", _LIST_MARKER.sub("", text)).strip()
    if not text:
        return "reference is empty"
    ids, rest = _identifiers(text)
    ids = {**dict(identifiers), **ids}  # identifiers printed beside the string count too
    note, rest = _notes(rest)
    for style, split in ((s.name, s.split) for s in STYLES.all()):
        parts = split(rest, note) if rest else None
        if parts is not None:
            fields = _fields(parts, ids)
            problem = _problem(fields, style, text)
            return problem or (fields, style, note)
    return _unrecognised(rest, text)


def parse_reference(ref: RawReference, path: str = "<reference>") -> ParsedReference:
    """Split ``ref.text`` into fields; errors name ``path`` and ``ref.line``."""
    reading = _read(ref.text, ref.identifiers)
    if isinstance(reading, str):
        raise ReferenceParseError(path, reading, ref.line)
    return ParsedReference(ref, *reading)


# --- rendering -----------------------------------------------------------------------------------


def _sentence(text: str | None) -> str:
    """Close a Vancouver element with a full stop unless it already ends in . ? or !"""
    return text if not text or text[-1] in ".?!" else f"{text}."


def _render_authors(fields: Bibliographic) -> str:
    """Individuals, then "et al", then group authors after a semicolon, as Vancouver prints them."""
    names = [person.display for person in fields.authors]
    if not fields.et_al:
        return _sentence(", ".join(names))
    cut = max((i + 1 for i, person in enumerate(fields.authors) if person.given), default=0)
    cut = cut or len(names)
    listed, groups = ", ".join([*names[:cut], "et al"]), "; ".join(names[cut:])
    return _sentence(f"{listed}; {groups}" if groups else listed)


def render_vancouver(fields: Bibliographic) -> str:
    """Write fields as a Vancouver string (full pages) that :func:`parse_reference` reads back."""
    locator = str(fields.year or "")
    if fields.volume:
        locator += f";{fields.volume}" + (f"({fields.issue})" if fields.issue else "")
        if fields.page_start:
            locator += f":{fields.page_start}" + (f"-{fields.page_end}" if fields.page_end else "")
    ids = [
        f"doi:{fields.doi}" if fields.doi else "",
        f"PMID: {fields.pmid}." if fields.pmid else "",
        f"PMCID: {fields.pmcid}." if fields.pmcid else "",
    ]
    parts = [_render_authors(fields), _sentence(fields.title), _sentence(fields.journal)]
    return " ".join(part for part in [*parts, _sentence(locator), *ids] if part)
