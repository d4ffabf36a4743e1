"""Text mining of every document: entity mentions, candidate findings and the study's number of
patients, with file offsets.

A document's prose (its record spans, or the whole text of an article page) is searched for
vocabulary mentions and for results written in the usual ways. Offsets are shifted back into the
file, so every mention and candidate quotes the file exactly. A candidate whose quote overlaps a
curated quote of the same document is dropped: curated findings take precedence. Abbreviations the
document defines ("cyclosporine (CYC)") hold in all its prose, title and abstract alike. Markup in
the prose (JATS tags) is read as blank (:func:`graph.inputs.markup.blank_markup`), so no quote
begins or ends in a tag.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from graph.evidence.findings import Curation, Quote
from graph.inputs.lines import line_at
from graph.inputs.markup import blank_markup
from graph.mining.candidates import Candidate, extract_candidates
from graph.mining.language import definitions
from graph.mining.mentions import Mention, defined_abbreviations, find_mentions
from graph.mining.size import StudySize, study_size
from graph.records import Document, unpickled_by_slots
from graph.vocabulary.concepts import Vocabulary


@unpickled_by_slots
@dataclass(frozen=True, slots=True)
class Mined:
    """What text mining found in one document."""

    mentions: tuple[Mention, ...]
    candidates: tuple[Candidate, ...]
    # the abbreviations the document defines, "long form (SHORT)": (short, long form) each
    definitions: tuple[tuple[str, str], ...] = ()
    # the study's number of patients as the text states it, when no curated population gives it
    size: StudySize | None = None


def _shift_quote(text: str, quote: Quote, offset: int) -> Quote:
    start, end = quote.start + offset, quote.end + offset
    return replace(quote, start=start, end=end, line=line_at(text, start))


def mine(document: Document, vocabulary: Vocabulary, curation: Curation | None) -> Mined:
    """Mentions and candidate findings of ``document``, curated quotes taking precedence."""
    text = document.text
    curated = [(q.start, q.end) for f in (curation.findings if curation else ())
               for q in f.quotes]
    regions = document.spans or ((0, len(text)),)
    abbreviations: dict[str, str | None] = {}
    defined: dict[tuple[str, str], None] = {}
    for start, end in regions:
        for short, concept in defined_abbreviations(text[start:end], vocabulary).items():
            abbreviations.setdefault(short, concept)
        defined.update(dict.fromkeys((short, text[start + a:start + b])
                                     for short, a, b in definitions(text[start:end])))
    mentions: list[Mention] = []
    candidates: list[Candidate] = []
    for start, end in regions:
        region = text[start:end]
        # read without the markup (same offsets); a mention keeps its text as the file prints it
        found = [replace(m, text=region[m.start:m.end]) for m in find_mentions(
            blank_markup(region), vocabulary, abbreviations=abbreviations)]
        mentions += [replace(m, start=m.start + start, end=m.end + start) for m in found]
        for candidate in extract_candidates(region, vocabulary, found, abbreviations,
                                            document.meta.title or None):
            quote = _shift_quote(text, candidate.quote, start)
            if not any(quote.start < b and a < quote.end for a, b in curated):
                candidates.append(replace(candidate, quote=quote))
    size = None
    if curation is None or not any(p.n for p in curation.populations.values()):
        # the abstract before the title and the body: a size is stated in the abstract first
        size = study_size(text, tuple(sorted(regions, key=lambda r: r != _abstract(document))))
    return Mined(tuple(mentions), tuple(candidates), tuple(defined), size)


def _abstract(document: Document) -> tuple[int, int] | None:
    """The region of ``document``'s prose that holds its abstract, if it has one."""
    if not document.abstract:
        return None
    at = document.text.find(document.abstract[:200])
    return next(((a, b) for a, b in document.spans if a <= at < b), None) if at >= 0 else None
