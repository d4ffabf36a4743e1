"""The kgx library's validator, run offline on the Biolink model the biolink-model package ships.

kgx and its Biolink Model Toolkit (bmt) fetch the model YAML, a predicate map and a JSON-LD
context from the network on import; here bmt's toolkit defaults to the packaged model (with no
predicate map: it is only used to translate non-Biolink predicates, which the export has none
of) and kgx's context cache holds the packaged Biolink prefix map, before kgx is imported.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import bmt

from tests.offline import no_network

MODEL = files("biolink_model").joinpath("schema/biolink_model.yaml")
PREFIX_MAP = files("biolink_model").joinpath("prefixmaps/biolink-model-prefix-map.json")


class PackagedToolkit(bmt.Toolkit):
    """bmt's toolkit on the packaged model unless told otherwise."""

    def __init__(self, schema: Any = None, predicate_map: Any = None, **options: Any) -> None:
        super().__init__(str(MODEL) if schema is None else schema,
                         {"predicate mappings": []} if predicate_map is None else predicate_map,
                         **options)


def validate(nodes: Path, edges: Path) -> tuple[str, dict[str, dict[str, dict[str, list[str]]]]]:
    """The Biolink version kgx validated against, and its errors by level, type and message."""
    with no_network():
        bmt.Toolkit = PackagedToolkit  # type: ignore[misc]  # before kgx imports it
        import kgx.config

        kgx.config.jsonld_context_map["biolink"] = json.loads(PREFIX_MAP.read_text("utf-8"))
        from kgx.transformer import Transformer
        from kgx.validator import Validator

        Validator._currently_active_toolkit = PackagedToolkit()
        validator = Validator()
        Transformer(stream=True).transform(
            input_args={"filename": [str(nodes), str(edges)], "format": "tsv"},
            output_args={"format": "null"}, inspector=validator)
        return validator.get_validation_model_version(), validator.get_errors()
