"""Study design of a corpus document, recognised from what the document says about itself.

The rules read the title, the abstract and the printed publication type; they are tried from the
strongest design down, and the first that matches wins. A curation record may state the design
explicitly, which then takes precedence (see :mod:`graph.evidence.curation`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.records import Document


@dataclass(frozen=True)
class DesignRule:
    """A design (its vocabulary id) and the phrases that reveal it in a title or an abstract."""

    design: str
    title: re.Pattern[str]
    abstract: re.Pattern[str]


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


RULES: tuple[DesignRule, ...] = (
    DesignRule("systematic-review", _rx(r"systematic review|meta-analys"),
               _rx(r"\b(this|a|our) (systematic review|meta-analysis)\b")),
    DesignRule("randomized-controlled-trial", _rx(r"randomi[sz]ed"),
               _rx(r"\b(we|were|was) randomi[sz]ed|\bthis randomi[sz]ed")),
    DesignRule("retrospective-cohort-study", _rx(r"retrospective cohort"),
               _rx(r"\b(a|this|our) retrospective cohort")),
    DesignRule("prospective-cohort-study", _rx(r"prospective cohort"),
               _rx(r"\b(a|this|our) prospective cohort")),
    DesignRule("case-series", _rx(r"case series"),
               _rx(r"\b(our|this|a) case series\b|\bconsecutive patients\b")),
    DesignRule("case-report", _rx(r"\bcase report\b|^an? case of\b"),
               _rx(r"\bwe report (here )?(on )?an? case\b|\ba case of\b")),
)


def infer_design(document: Document) -> str | None:
    """The design id of a document, or None when its text does not say.

    A secondary report (a news summary of an article) is a ``news-report`` whatever it describes.
    """
    if document.reports_on is not None:
        return "news-report"
    title = document.meta.title or ""
    abstract = document.abstract or ""
    for rule in RULES:
        if rule.title.search(title) or rule.abstract.search(abstract):
            return rule.design
    return None
