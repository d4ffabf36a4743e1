"""The three language steps mining rests on, behind one interface: where sentences end, whether a
sentence denies a mention, and which abbreviations a text defines.

Mining (mentions, candidates, the corpus pass) calls :func:`sentences`, :func:`negated` and
:func:`definitions` here and nothing else, so one :class:`Components` decides every step. The
default, :data:`PROJECT`, is the project's own rules (:mod:`graph.mining.sentences`,
:mod:`graph.mining.negation`, :mod:`graph.mining.abbreviations`): ``docs/nlp-components.md``
(written by ``benchmarks/nlp_components.py``) measured them against spaCy's sentencizer, pysbd,
negspacy, medspaCy's ConText and scispaCy's AbbreviationDetector on the development set and the
corpus, and kept each where it did measurably better. :func:`using` runs mining with other
components (that comparison does); nothing here imports or downloads a model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from graph.mining import abbreviations, negation
from graph.mining import sentences as segmentation
from graph.mining.sentences import Sentence

Definitions = list[tuple[str, int, int]]  # (short form, long-form start, long-form end)


@dataclass(frozen=True)
class Components:
    """One implementation of each language step, and the name a comparison shows for it."""

    name: str
    sentences: Callable[[str], list[Sentence]]
    negated: Callable[[str, Sentence, int, int], bool]
    definitions: Callable[[str], Definitions]


PROJECT = Components("project", segmentation.sentences, negation.negated,
                     abbreviations.definitions)
_CURRENT: ContextVar[Components] = ContextVar("language_components", default=PROJECT)


@contextmanager
def using(components: Components) -> Iterator[Components]:
    """Mine with ``components`` inside the ``with`` block (the previous ones come back after)."""
    token = _CURRENT.set(components)
    try:
        yield components
    finally:
        _CURRENT.reset(token)


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order; every table row is one (offsets into ``text``)."""
    return _CURRENT.get().sentences(text)


def negated(text: str, sentence: Sentence, start: int, end: int) -> bool:
    """Whether ``sentence`` of ``text`` denies the mention at ``text[start:end]``."""
    return _CURRENT.get().negated(text, sentence, start, end)


def definitions(text: str) -> Definitions:
    """Every "long form (SHORT)" definition of ``text``: short form, long-form start and end."""
    return _CURRENT.get().definitions(text)
