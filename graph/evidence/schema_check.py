"""Check records against a JSON Schema: a compiled yes/no first, jsonschema's report on a no.

``jsonschema`` walks the schema afresh for every record, and on a large curated corpus that walk
was two thirds of checking the records (5.8 s of 8.6 s for 1,000 records). ``fastjsonschema``
compiles the schema to Python once and answers the same yes/no about 40 times faster, but only
knows drafts 4-7. Most keywords mean the same in draft 7 and in draft 2020-12, the project's
schema draft; where a schema sticks to those (:data:`SHARED_KEYWORDS`, local ``$ref`` alone in
its object), the compiled check decides valid records and jsonschema is asked only to explain an
invalid one. Any other schema is checked by jsonschema alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import fastjsonschema
import jsonschema

# Keywords whose meaning draft 7 and draft 2020-12 share. Left out on purpose: ``format`` (an
# assertion in fastjsonschema, an annotation in 2020-12), array-form ``items`` (a tuple in draft
# 7), ``contains`` (``minContains`` changes it in 2020-12), and every 2020-12-only keyword.
SHARED_KEYWORDS = frozenset({
    "$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples",
    "type", "enum", "const", "multipleOf", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "minLength", "maxLength", "pattern", "items", "minItems", "maxItems",
    "uniqueItems", "properties", "patternProperties", "additionalProperties", "required",
    "propertyNames", "minProperties", "maxProperties", "allOf", "anyOf", "oneOf", "not", "if",
    "then", "else", "$ref", "metamodel_version", "version",
})
# LinkML's generator also writes "metamodel_version" and "version": unknown keywords, which every
# draft ignores, so they are annotations as well.
_ANNOTATIONS = frozenset({"$comment", "title", "description", "default", "examples",
                          "metamodel_version", "version"})
_NAMED_SUBSCHEMAS = frozenset({"properties", "patternProperties", "$defs"})


def _subschemas(node: dict[str, Any]) -> Iterator[Any]:
    """The schemas directly inside a schema object (not the values of annotations)."""
    for key, value in node.items():
        if key in _ANNOTATIONS or key in ("type", "enum", "const", "required"):
            continue  # values, not schemas (a list of type names included)
        if key in _NAMED_SUBSCHEMAS and isinstance(value, dict):
            yield from value.values()
        elif isinstance(value, list):
            yield from value
        elif isinstance(value, dict | bool):
            yield value


def draft7_compatible(schema: Any) -> bool:
    """Whether draft 7 reads ``schema`` exactly as draft 2020-12 does.

    >>> draft7_compatible({"type": "object", "properties": {"a": {"$ref": "#/$defs/a"}},
    ...                    "$defs": {"a": {"type": "string", "description": "a name"}}})
    True
    >>> draft7_compatible({"type": ["string", "null"], "enum": [["a"], {"b": 1}, None]})
    True
    >>> draft7_compatible({"prefixItems": [{"type": "string"}]})
    False
    >>> draft7_compatible({"$ref": "#/$defs/a", "required": ["b"], "$defs": {"a": {}}})
    False
    """
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict) or not set(schema) <= SHARED_KEYWORDS:
        return False
    if "items" in schema and not isinstance(schema["items"], dict | bool):
        return False
    ref = schema.get("$ref")
    if ref is not None and (not isinstance(ref, str) or not ref.startswith("#")
                            or set(schema) - _ANNOTATIONS - {"$ref"}):
        return False  # a remote reference, or siblings that 2020-12 applies and draft 7 ignores
    return all(draft7_compatible(s) for s in _subschemas(schema))


class SchemaCheck:
    """One schema, ready to check many records; :meth:`errors` gives jsonschema's errors."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.full = jsonschema.Draft202012Validator(schema)
        self._compiled: Callable[[Any], Any] | None = None
        if draft7_compatible(schema):
            # no defaults written into the record, no formats asserted, no remote $ref fetched
            self._compiled = fastjsonschema.compile(schema, handlers={}, use_default=False,
                                                    use_formats=False)

    @property
    def compiled(self) -> bool:
        """Whether valid records are decided by the compiled check."""
        return self._compiled is not None

    def errors(self, record: Any) -> list[jsonschema.ValidationError]:
        """Every violation of the schema in ``record``; empty when it is valid."""
        if self._compiled is not None:
            try:
                self._compiled(record)
                return []
            except fastjsonschema.JsonSchemaException:
                pass  # jsonschema says what is wrong, and where
        return list(self.full.iter_errors(record))
