"""Records pickle as the tuple of their fields (graph.records.pickled_by_fields): the build cache
reads back what it kept exactly, and refuses a pickle made with other fields."""

import dataclasses
import importlib
import pickle
import pkgutil

import pytest

import graph
from graph.citations.references import parse_reference
from graph.citations.works import resolve
from graph.mining.corpus import mine
from graph.records import Bibliographic, Document, pickled_by_fields
from graph.vocabulary.concepts import Vocabulary


def _frozen_slotted_classes() -> list[type]:
    found = []
    for module in pkgutil.walk_packages(graph.__path__, "graph."):
        if module.name.endswith(".__main__"):  # runs the command line
            continue
        loaded = importlib.import_module(module.name)
        found += [c for c in vars(loaded).values()
                  if isinstance(c, type) and c.__module__ == loaded.__name__
                  and dataclasses.is_dataclass(c) and c.__dataclass_params__.frozen
                  and "__slots__" in c.__dict__]
    return found


def test_every_frozen_record_with_slots_pickles_by_its_fields() -> None:
    classes = _frozen_slotted_classes()
    assert classes
    slow = [c.__qualname__ for c in classes
            if c.__setstate__ is dataclasses._dataclass_setstate]  # type: ignore[attr-defined]
    assert slow == []


def test_cached_records_come_back_equal(documents: dict[str, Document],
                                        vocabulary: Vocabulary) -> None:
    docs = list(documents.values())
    references = {d.path: [parse_reference(r, d.path) for r in d.references[:5]] for d in docs}
    mined = {d.path: mine(d, vocabulary, None) for d in docs}
    resolution = resolve(docs, references)
    for value in (docs, references, mined, resolution.citations):
        assert pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) == value
    assert any(m.candidates for m in mined.values())  # candidates, quotes, numbers round trip


@pickled_by_fields
@dataclasses.dataclass(frozen=True, slots=True)
class Pair:
    left: int
    right: int = 0


def test_a_pickle_of_other_fields_is_refused() -> None:
    assert pickle.loads(pickle.dumps(Pair(1, 2))) == Pair(1, 2)
    with pytest.raises(TypeError, match="Pair pickled with 3 fields, not 2"):
        Pair.__new__(Pair).__setstate__((1, 2, 3))  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="1 fields, not 12"):
        Bibliographic.__new__(Bibliographic).__setstate__(("title",))  # type: ignore[attr-defined]
