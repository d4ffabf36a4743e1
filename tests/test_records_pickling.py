"""Records read back from the build's cache are the records that were kept (issue 26).

Frozen slotted records are unpickled by setting their slots
(:func:`graph.records.unpickled_by_slots`), not by the dataclasses module's ``__setstate__``: the
state is the same list of field values, and every such record class of the package is unpickled
that way.
"""

from __future__ import annotations

import dataclasses
import pickle
import sys

import graph.build.pipeline  # noqa: F401  (every record class, as the build imports them)
from graph.records import Bibliographic, Document, Person, RawReference


def _frozen_slotted() -> list[type]:
    return [value for module in list(sys.modules.values())
            if module is not None and module.__name__.startswith("graph.")
            for value in vars(module).values()
            if isinstance(value, type) and dataclasses.is_dataclass(value)
            and value.__module__ == module.__name__ and "__slots__" in value.__dict__
            and value.__dataclass_params__.frozen]  # type: ignore[attr-defined]


def test_every_frozen_slotted_record_is_unpickled_by_its_slots() -> None:
    classes = _frozen_slotted()
    assert len(classes) >= 20
    assert [c.__name__ for c in classes
            if "unpickled_by_slots" not in c.__setstate__.__qualname__] == []


def test_a_document_read_back_equals_the_one_kept_with_the_dataclasses_state() -> None:
    text = "A cohort\n\nReferences\n\n1. Roe R. Earlier. 2019.\n"
    document = Document(
        path="documents/a.txt", sha256="0" * 64, layout="plain-article", text=text,
        meta=Bibliographic(title="A cohort", authors=(Person("Doe", "J"),), year=2021),
        references=(RawReference(text="1. Roe R. Earlier. 2019.", line=5, span=(22, 46)),))
    assert pickle.loads(pickle.dumps(document)) == document
    assert document.__getstate__() == dataclasses._dataclass_getstate(document)  # type: ignore[attr-defined]
