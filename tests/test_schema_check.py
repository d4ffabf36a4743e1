"""Schema checks: the compiled check decides only where draft 7 reads the schema as 2020-12 does.

Agreement with jsonschema on mutated real curation records is a property test
(tests/test_properties.py); these pin the cases where the two drafts differ.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from graph.evidence.curation import SCHEMA
from graph.evidence.schema_check import SchemaCheck

OBJECT = {"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}},
          "required": ["n"], "additionalProperties": False}


def test_the_project_curation_schema_is_checked_by_the_compiled_check() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert SchemaCheck(schema).compiled


@pytest.mark.parametrize("record", [{"n": 3}, {"n": 0}])
def test_a_valid_record_has_no_errors(record: dict[str, Any]) -> None:
    assert SchemaCheck(OBJECT).errors(record) == []


@pytest.mark.parametrize(("record", "message"), [
    ({"n": -1}, "-1 is less than the minimum of 0"),
    ({"n": True}, "True is not of type 'integer'"),
    ({}, "'n' is a required property"),
    ({"n": 1, "m": 2}, "Additional properties are not allowed ('m' was unexpected)"),
])
def test_an_invalid_record_is_explained_by_jsonschema(record: dict[str, Any], message: str) -> None:
    check = SchemaCheck(OBJECT)
    assert check.compiled
    assert [e.message for e in check.errors(record)] == [message]


@pytest.mark.parametrize("schema", [
    {"prefixItems": [{"type": "string"}]},  # 2020-12 only: draft 7 would ignore it
    {"type": "array", "items": [{"type": "string"}]},  # a tuple in draft 7, an error in 2020-12
    {"$defs": {"a": {"type": "string"}}, "$ref": "#/$defs/a", "minLength": 2},  # siblings of $ref
    {"type": "string", "format": "date"},  # asserted by the compiled check, not by 2020-12
    {"$ref": "https://example.org/remote.json"},  # never fetched
    {"type": "array", "contains": {"type": "string"}, "minContains": 2},
])
def test_a_schema_the_drafts_read_differently_is_left_to_jsonschema(schema: dict[str, Any]) -> None:
    assert not SchemaCheck(schema).compiled


def test_ref_siblings_still_apply_as_2020_12_says() -> None:
    check = SchemaCheck({"$defs": {"a": {"type": "string"}}, "$ref": "#/$defs/a", "minLength": 2})
    assert [e.validator for e in check.errors("x")] == ["minLength"]


def test_a_default_in_the_schema_is_not_written_into_the_record() -> None:
    record: dict[str, Any] = {"n": 1}
    SchemaCheck({**OBJECT, "properties": {"n": {"type": "integer"},
                                          "m": {"type": "integer", "default": 0}},
                 "additionalProperties": True}).errors(record)
    assert record == {"n": 1}


def test_a_list_of_types_is_read_by_both_drafts_alike() -> None:
    check = SchemaCheck({"type": ["string", "null"]})
    assert check.compiled
    assert check.errors(None) == [] and check.errors("x") == []
    assert [e.validator for e in check.errors(1)] == ["type"]
