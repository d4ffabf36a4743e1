"""The sections of an article (Background, Methods, Results, Discussion, ...), from its headings.

Papers print a section's name on a line of its own ("Results", "## Results", "2. Methods",
"<title>Results</title>" in JATS) or as the label of a structured abstract's paragraph
("Results: Of 46 patients ...", "Methods. Adults with ..."). Where a result is printed tells how
much it is the study's own: numbers in the Background or Introduction are other studies'.
Labels within a line ("... antibodies. METHODS: Within ...") count when they follow a sentence.
"""

from __future__ import annotations

import re

NAMES = {
    "abstract": "abstract", "summary": "abstract",
    "background": "background", "introduction": "background", "context": "background",
    "rationale": "background",
    # an objective states what the study set out to do, never other studies' results
    "objective": "objective", "objectives": "objective", "aim": "objective", "aims": "objective",
    "purpose": "objective",
    "methods": "methods", "method": "methods", "patients and methods": "methods",
    "materials and methods": "methods", "study design": "methods", "design": "methods",
    "results": "results", "findings": "results", "measurements and main results": "results",
    "discussion": "discussion", "limitations": "discussion", "comment": "discussion",
    "conclusion": "conclusions", "conclusions": "conclusions", "interpretation": "conclusions",
}
_HEADING = re.compile(
    r"(?:^|(?<=<title>))[ \t]*(?:#{1,6}[ \t]*)?(?:\d{1,2}\.?[ \t]+)?"
    r"(?P<name>[A-Z][a-z]+(?:[ \t]+(?:and|main)[ \t]+[a-z]+)*(?:[ \t]+[a-z]+)?"
    r"|[A-Z]{3,}(?:[ \t]+AND[ \t]+[A-Z]+)?)"
    r"(?=[ \t]*(?:[.:][ \t]|[.:]?[ \t]*$|</title>))",
    re.MULTILINE)
# a structured abstract's label within a line: "... antibodies. METHODS: Within ...",
# "... in 2010. Results: Of 46 ..."
_LABEL = re.compile(r"(?:(?<=[.!?]\s)|(?<=[.!?]\s\s))(?P<name>[A-Z][a-z]+(?:\s+and\s+[a-z]+)?"
                    r"|[A-Z]{4,}(?:\s+AND\s+[A-Z]+)?):\s")


def is_heading_line(line: str) -> bool:
    """Whether ``line`` is a section's name and nothing more: its own block of text, never the
    start of the sentence below it.

    >>> [is_heading_line(t) for t in ("Results", "2. Methods:", "Results: 9 of 12", "Nine")]
    [True, True, False, False]
    """
    match = _HEADING.match(line)
    return (match is not None and not line[match.end():].strip(" \t.:")
            and " ".join(match.group("name").split()).casefold() in NAMES)


def sections(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, section) of every heading of ``text``, in order.

    >>> sections("Abstract\\nObjective. To see.\\nResults: 12 (50%) improved.\\n## Discussion\\n")
    ((0, 'abstract'), (9, 'objective'), (28, 'results'), (56, 'discussion'))
    >>> sections("BACKGROUND: Others saw it [1]. METHODS: We looked. RESULTS: 9 of 12 improved.")
    ((0, 'background'), (31, 'methods'), (51, 'results'))
    """
    found = set()
    for regex in (_HEADING, _LABEL):
        for match in regex.finditer(text):
            name = NAMES.get(" ".join(match.group("name").split()).casefold())
            if name is not None:
                found.add((match.start(), name))
    return tuple(sorted(found))
