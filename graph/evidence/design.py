"""Study design of a corpus document, recognised from what the document says about itself.

The title, the abstract, the head of the text and the printed publication type are read in
that order, each first for a design it names ("A Randomized, Placebo-Phase Trial", "this
multicentre, open-label phase II study", "a retrospective case series"), then, for the abstract
and the head, for what its methods reveal ("randomly assigned", "patients treated between 1993
and 2002", "consecutive patients"). Within a tier the strongest design wins; the publication type
comes last, as PubMed types a case series "Case Reports". A study whose text reveals nothing is
:data:`UNKNOWN` (``unknown-design``: it has no evidence level and still appears wherever studies
are listed). A curation record may state the design explicitly, which then takes precedence (see
:mod:`graph.evidence.curation`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.records import Document

UNKNOWN = "unknown-design"
HEAD = 6000  # characters of the text read for a design the title and abstract do not name


@dataclass(frozen=True)
class DesignRule:
    """A design (its vocabulary id), the phrases that name it and the ones that reveal it."""

    design: str
    named: re.Pattern[str]
    revealed: re.Pattern[str] | None = None


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_YEAR = r"(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d"
RULES: tuple[DesignRule, ...] = (
    DesignRule("systematic-review", _rx(r"systematic(?:al)?\s+review|meta-?analys[ie]s"),
               _rx(r"\b(?:searched|search\s+of)\s+(?:the\s+)?(?:PubMed|MEDLINE|Embase|Cochrane)")),
    DesignRule("randomized-controlled-trial",
               _rx(r"\brandomi[sz]ed(?:,)?\s+(?:\w+[\s,-]+){0,3}(?:trial|study)|\bRCT\b"
                   r"|placebo-controlled"),
               _rx(r"\brandomly\s+(?:assigned|allocated)|\bwere\s+randomi[sz]ed|\brandomi[sz]ation\b")),
    DesignRule("single-arm-trial",
               _rx(r"\bopen-label\b(?!\s+extension)|\bsingle-arm\b|\bphase\s+(?:I{1,3}|[123])(?:/I{1,3}|/[23])?\b"
                   r"|\bnon-?randomi[sz]ed\s+(?:\w+\s+)?trial|\buncontrolled\s+trial"
                   r"|\bpilot\s+trial|\bprospective\s+(?:\w+\s+){0,2}trial")),
    DesignRule("post-marketing-surveillance",
               _rx(r"post-?marketing\s+surveillance|all-case\s+surveillance|pharmacovigilance")),
    DesignRule("prospective-cohort-study",
               _rx(r"\bprospective(?:ly)?\s+(?:\w+\s+){0,2}(?:cohort|study|registry|follow-up)"),
               _rx(r"\bprospectively\s+(?:followed|enrolled|recruited|collected)")),
    DesignRule("retrospective-cohort-study",
               _rx(r"\bretrospective(?:ly)?\s+(?:\w+\s+){0,2}(?:cohort|study|review|analysis"
                   r"|chart)|\bchart\s+review"),
               _rx(r"\bretrospectively\b|\blook(?:s|ed|ing)?\s+back\b|\bmedical\s+records\s+of\b"
                   rf"|\b(?:treated|seen|admitted|diagnosed|followed)\s+(?:at\s+[^.;]{{0,60}}?)?"
                   rf"between\s+{_YEAR}\s+and\s+{_YEAR}")),
    DesignRule("case-series", _rx(r"\bcase\s+series\b"),
               _rx(r"\bconsecutive\s+patients\b|\bwe\s+(?:describe|report|present)\s+"
                   r"(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:\w+\s+)?patients")),
    DesignRule("case-report", _rx(r"\bcase\s+reports?\b|^an?\s+case\s+of\b"),
               _rx(r"\bwe\s+(?:report|describe|present)\s+(?:here\s+)?(?:on\s+)?an?\s+"
                   r"(?:case|patient|\d{1,3}-year-old)\b|\ba\s+case\s+of\b")),
)


def _head(document: Document) -> str:
    if document.spans:
        return " ".join(document.text[a:b] for a, b in document.spans)[:HEAD]
    return document.text[:HEAD]


def infer_design(document: Document) -> str:
    """The design id of a document, or :data:`UNKNOWN` when its text does not say.

    A secondary report (a news summary of an article) is a ``news-report`` whatever it describes.
    """
    if document.reports_on is not None:
        return "news-report"
    title, abstract, head = document.meta.title or "", document.abstract or "", _head(document)
    tiers = ((title, "named"), (abstract, "named"), (abstract, "revealed"), (head, "named"),
             (head, "revealed"), (document.publication_type or "", "named"))
    for text, which in tiers:
        for rule in RULES:
            pattern = rule.named if which == "named" else rule.revealed
            if text and pattern is not None and pattern.search(text):
                return rule.design
    return UNKNOWN
