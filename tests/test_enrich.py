"""`ma-ild enrich` against a local oxigraph server holding fixtures in the remotes' shapes.

The graph is built into a temporary folder from a copy of the project's corpus and ontology, with
the test mappings of ``tests/fixtures/enrichment/test.sssom.tsv`` in place of the project's own
(so the expected answers do not move when the project's mappings do). The "remote" is an oxigraph
server started by this module on 127.0.0.1, serving ``obo.ttl``, ``mesh.ttl`` and ``uniprot.ttl``;
it is always stopped at the end. Nothing here reaches past the loopback interface.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build.pipeline import build
from graph.cli import main
from graph.errors import InputError
from graph.query.binding import bind_rows
from graph.query.endpoints import RemoteEndpoint
from graph.server.workers import oxigraph_binary
from graph.settings import Paths
from graph.vocabulary.enrichment import EnrichReport, fetch, graph_iri, load_enrichment, normalise
from tests.checkout import CHECKOUT
from tests.servers import HOST, answers, free_port, stop

FIXTURES = Path(__file__).parent / "fixtures" / "enrichment"
OBO = "http://purl.obolibrary.org/obo/"
MESH = "http://id.nlm.nih.gov/mesh/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_DATE_TIME = "http://www.w3.org/2001/XMLSchema#dateTime"


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


# exactly what the fixtures say about the mapped IRIs, in the enrichment graphs' terms
EXPECTED = {
    "obo": {
        (iri(OBO + "CHEBI_61049"), iri(RDFS_LABEL), ox.Literal("tacrolimus")),
        (iri(OBO + "CHEBI_61049"), iri(SKOS + "altLabel"), ox.Literal("FK506")),
        (iri(OBO + "CHEBI_61049"), iri(SKOS + "altLabel"), ox.Literal("anhydrous tacrolimus")),
        (iri(OBO + "CHEBI_61049"), iri(SKOS + "broader"), iri(OBO + "CHEBI_25106")),
        (iri(OBO + "CHEBI_25106"), iri(RDFS_LABEL), ox.Literal("macrolide")),
        (iri(OBO + "CHEBI_4031"), iri(RDFS_LABEL), ox.Literal("cyclosporin A")),
        (iri(OBO + "CHEBI_4031"), iri(SKOS + "altLabel"), ox.Literal("ciclosporin")),
        (iri(OBO + "CHEBI_4031"), iri(SKOS + "altLabel"), ox.Literal("Sandimmune")),
    },
    "mesh": {
        (iri(MESH + "D016559"), iri(RDFS_LABEL), en("Tacrolimus")),
        (iri(MESH + "D016559"), iri(SKOS + "altLabel"), en("FK-506")),
        (iri(MESH + "D016559"), iri(SKOS + "altLabel"), en("FK 506")),
        (iri(MESH + "D016559"), iri(SKOS + "altLabel"), en("FK506")),
        (iri(MESH + "D016559"), iri(SKOS + "altLabel"), en("Prograf")),
        (iri(MESH + "D016559"), iri(SKOS + "broader"), iri(MESH + "D018942")),
        (iri(MESH + "D018942"), iri(RDFS_LABEL), en("Macrolides")),
    },
}
UNANSWERED = {"obo": OBO + "DOID_10223", "mesh": MESH + "D000069283"}
MAPPED = {"obo": 3, "mesh": 2}  # IRIs of the shape in test.sssom.tsv


# --------------------------------------------------------------------------------------------
# the local "remote" server


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An oxigraph server on loopback serving the fixtures read-only; its query URL."""
    location = tmp_path_factory.mktemp("remote") / "store"
    store = ox.Store(str(location))
    for name in ("obo.ttl", "mesh.ttl", "uniprot.ttl"):
        store.bulk_load(path=str(FIXTURES / name), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store
    port = free_port()
    url = f"http://{HOST}:{port}/query"
    log = tmp_path_factory.mktemp("logs") / "remote.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [oxigraph_binary(), "serve-read-only", "--location", str(location),
             "--bind", f"{HOST}:{port}"],
            stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 10
            while not answers(url):
                assert process.poll() is None, f"the server exited: {log.read_text()}"
                assert time.monotonic() < deadline, f"{url} did not answer within 10 s"
                time.sleep(0.05)
            yield url
        finally:
            stop(process)


# --------------------------------------------------------------------------------------------
# the graph, built with the test mappings, and enriched once from the remote


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(CHECKOUT / "corpus", root / "corpus",
                    ignore=shutil.ignore_patterns("enrichment"))
    shutil.copytree(CHECKOUT / "ontology", root / "ontology",
                    ignore=shutil.ignore_patterns("mappings"))
    (root / "ontology" / "mappings").mkdir()
    shutil.copy(FIXTURES / "test.sssom.tsv", root / "ontology" / "mappings")
    paths = Paths(corpus=root / "corpus", ontology=root / "ontology", out=root / "build")
    report = build(paths, views=False)
    assert report.mappings == 5
    return paths


@pytest.fixture(scope="module")
def enriched(project: Paths, remote: str) -> dict[str, object]:
    """Both enrichments run once through the command line; what they printed, graph.nt before."""
    before = (project.out / "graph.nt").read_bytes()
    printed = {}
    for shape in ("obo", "mesh"):
        status, out, err = cli("enrich", "--endpoint", remote, "--shape", shape,
                               *where(project))
        assert status == 0, err
        printed[shape] = out
    return {"printed": printed, "graph.nt": before}


def where(paths: Paths) -> list[str]:
    return ["--store", str(paths.out / "store"), "--cache-dir", str(paths.corpus / "enrichment")]


def cli(*argv: str) -> tuple[int, str, str]:
    """Run ``ma-ild ARGV`` in this process; (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def graph_triples(store: Path, name: str) -> set[tuple]:
    graph = graph_iri(name)
    quads = ox.Store.read_only(str(store)).quads_for_pattern(None, None, None, graph)
    return {(q.subject, q.predicate, q.object) for q in quads}


def without_provenance(triples: set[tuple], name: str) -> set[tuple]:
    activity = iri(f"https://w3id.org/ma-ild/activity/enrichment/{name}")
    return {t for t in triples if t[0] not in (graph_iri(name), activity)}


def default_graph_size(store: Path) -> int:
    return len(list(ox.Store.read_only(str(store)).quads_for_pattern(
        None, None, None, ox.DefaultGraph())))


# --------------------------------------------------------------------------------------------
# the VALUES block


def test_bind_rows_binds_one_row_per_term_at_the_top_of_the_where_group() -> None:
    query = "PREFIX x: <http://x/#>\nSELECT ?e ?l\nWHERE { ?e x:label ?l }\nGROUP BY ?e ?l\n"
    bound = bind_rows(query, "e", [iri("http://x/a"), iri("http://x/b")])
    assert bound.splitlines()[2] == (
        "WHERE { VALUES (?e) { (<http://x/a>) (<http://x/b>) }  ?e x:label ?l }")
    assert len(bound.splitlines()) == len(query.splitlines())  # error positions stay true
    store = ox.Store()
    for s in ("a", "b", "c"):
        store.add(ox.Quad(iri(f"http://x/{s}"), iri("http://x/#label"), ox.Literal(s)))
    assert sorted(r["l"].value for r in store.query(bound)) == ["a", "b"]
    assert list(store.query(bind_rows(query, "e", []))) == []  # no terms, no rows


# --------------------------------------------------------------------------------------------
# enrich


@pytest.mark.parametrize("shape", ["obo", "mesh"])
def test_enrich_writes_exactly_the_fixture_into_its_named_graph(
    project: Paths, enriched: dict, remote: str, shape: str
) -> None:
    triples = graph_triples(project.out / "store", shape)
    assert without_provenance(triples, shape) == EXPECTED[shape]
    graph, activity = graph_iri(shape), iri(f"https://w3id.org/ma-ild/activity/enrichment/{shape}")
    assert (graph, iri(RDF_TYPE), iri(PROV + "Entity")) in triples
    assert (graph, iri(PROV + "wasGeneratedBy"), activity) in triples
    assert (activity, iri(RDF_TYPE), iri(PROV + "Activity")) in triples
    assert (activity, iri(PROV + "used"), iri(remote)) in triples
    [ended] = [o for s, p, o in triples if s == activity and p == iri(PROV + "endedAtTime")]
    assert ended.datatype == iri(XSD_DATE_TIME)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", ended.value)
    printed = enriched["printed"][shape]
    assert printed.splitlines()[0] == (
        f"fetched {printed.split()[1]} rows about {MAPPED[shape]} {shape} IRIs from {remote} in 1 requests")
    assert f"no answer for 1 IRIs: {UNANSWERED[shape]}" in printed
    assert f"wrote {len(triples)} triples into graph <{graph.value}>:" in printed


@pytest.mark.parametrize("shape", ["obo", "mesh"])
def test_the_cache_file_is_sorted_nquads_of_the_graph(
    project: Paths, enriched: dict, shape: str
) -> None:
    cache = project.corpus / "enrichment" / f"{shape}.nq"
    lines = cache.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(set(lines))
    quads = list(ox.parse(path=str(cache), format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name for q in quads} == {graph_iri(shape)}
    assert {(q.subject, q.predicate, q.object) for q in quads} == graph_triples(
        project.out / "store", shape)


def test_enrichment_leaves_graph_nt_and_the_default_graph_alone(
    project: Paths, enriched: dict
) -> None:
    graph_nt = project.out / "graph.nt"
    assert graph_nt.read_bytes() == enriched["graph.nt"]
    assert default_graph_size(project.out / "store") == len(graph_nt.read_bytes().splitlines())


def test_the_enriched_labels_query_returns_what_the_sources_say(
    project: Paths, enriched: dict
) -> None:
    status, out, err = cli("query", "enriched-labels", "--param", "entity=FK506",
                           "--store", str(project.out / "store"),
                           "--ontology", str(project.ontology), "--format", "json")
    assert status == 0, err
    document = json.loads(out)
    assert document["head"]["vars"] == [
        "source", "external", "label", "synonym", "parent", "parentLabel"]
    rows = {tuple(row.get(c, {}).get("value") for c in document["head"]["vars"])
            for row in document["results"]["bindings"]}
    obo, mesh = graph_iri("obo").value, graph_iri("mesh").value
    chebi, d = OBO + "CHEBI_61049", MESH + "D016559"
    assert rows == {
        (obo, chebi, "tacrolimus", None, None, None),
        (obo, chebi, None, "FK506", None, None),
        (obo, chebi, None, "anhydrous tacrolimus", None, None),
        (obo, chebi, None, None, OBO + "CHEBI_25106", "macrolide"),
        (mesh, d, "Tacrolimus", None, None, None),
        (mesh, d, None, "FK-506", None, None),
        (mesh, d, None, "FK 506", None, None),
        (mesh, d, None, "FK506", None, None),
        (mesh, d, None, "Prograf", None, None),
        (mesh, d, None, None, MESH + "D018942", "Macrolides"),
    }


def test_a_rebuild_from_the_cache_puts_the_same_graphs_back(
    project: Paths, enriched: dict, tmp_path: Path
) -> None:
    again = Paths(corpus=project.corpus, ontology=project.ontology, out=tmp_path / "build")
    build(again, views=False)
    assert (again.out / "graph.nt").read_bytes() == enriched["graph.nt"]  # byte-identical
    for shape in ("obo", "mesh"):
        assert graph_triples(again.out / "store", shape) == graph_triples(
            project.out / "store", shape)
        assert without_provenance(graph_triples(again.out / "store", shape), shape) == (
            EXPECTED[shape])
    assert default_graph_size(again.out / "store") == len(
        enriched["graph.nt"].splitlines())


def test_batches_of_one_send_one_request_per_iri_and_give_the_same_graph(
    project: Paths, enriched: dict, remote: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    copy = Paths(corpus=tmp_path / "corpus", ontology=project.ontology, out=tmp_path / "build")
    shutil.copytree(project.out, copy.out)
    sent: list[str] = []
    select = RemoteEndpoint.select

    def recording(self: RemoteEndpoint, query: str, source: str,
                  timeout: float | None = None):  # type: ignore[no-untyped-def]
        sent.append(query)
        return select(self, query, source, timeout)

    monkeypatch.setattr(RemoteEndpoint, "select", recording)
    status, out, err = cli("enrich", "--endpoint", remote, "--shape", "obo", "--batch", "1",
                           *where(copy))
    assert status == 0, err
    assert "from " + remote + " in 3 requests" in out
    blocks = [re.search(r"VALUES \(\?entity\) \{ ([^}]*) \}", q) for q in sent]
    assert [b.group(1) if b else None for b in blocks] == [
        f"(<{OBO}CHEBI_4031>)", f"(<{OBO}CHEBI_61049>)", f"(<{OBO}DOID_10223>)"]
    assert graph_triples(copy.out / "store", "obo") != set()
    assert without_provenance(graph_triples(copy.out / "store", "obo"), "obo") == EXPECTED["obo"]

    sent.clear()
    status, out, err = cli("enrich", "--endpoint", remote, "--shape", "obo", *where(copy))
    assert status == 0, err
    assert len(sent) == 1 and "in 1 requests" in out
    assert sent[0].count("(<http://purl.obolibrary.org/obo/") == 3


def test_a_second_name_is_a_second_graph(
    project: Paths, enriched: dict, remote: str, tmp_path: Path
) -> None:
    copy = Paths(corpus=tmp_path / "corpus", ontology=project.ontology, out=tmp_path / "build")
    shutil.copytree(project.out, copy.out)
    status, _out, err = cli("enrich", "--endpoint", remote, "--shape", "obo", "--name",
                            "chebi-local", *where(copy))
    assert status == 0, err
    assert (copy.corpus / "enrichment" / "chebi-local.nq").exists()
    store = copy.out / "store"
    assert without_provenance(graph_triples(store, "chebi-local"), "chebi-local") == EXPECTED["obo"]
    assert graph_triples(store, "obo") == graph_triples(project.out / "store", "obo")


def test_the_uniprot_shape_reads_names_and_gene(remote: str) -> None:
    report = EnrichReport("uniprot", graph_iri("uniprot").value)
    entry = "http://purl.uniprot.org/uniprot/P12081"
    rows = fetch(RemoteEndpoint(remote), "uniprot", [entry], 50, 10, report)
    assert report.requests == 1
    assert normalise(rows, [entry]) == {
        ox.Triple(iri(entry), iri(RDFS_LABEL), ox.Literal("Histidine--tRNA ligase, cytoplasmic")),
        ox.Triple(iri(entry), iri(SKOS + "altLabel"), ox.Literal("Histidyl-tRNA synthetase")),
        ox.Triple(iri(entry), iri(SKOS + "altLabel"), ox.Literal("HARS1")),
    }


def test_a_shape_with_no_mapped_iris_sends_nothing_and_changes_nothing(
    project: Paths, enriched: dict
) -> None:
    nowhere = f"http://{HOST}:{free_port()}/query"  # would fail if anything were sent
    status, out, err = cli("enrich", "--endpoint", nowhere, "--shape", "uniprot",
                           *where(project))
    assert status == 0, err
    assert out == ("no uniprot IRIs are mapped in the built graph: nothing fetched, graph "
                   "<https://w3id.org/ma-ild/graph/enrichment/uniprot> left as it was\n")
    assert not (project.corpus / "enrichment" / "uniprot.nq").exists()


# --------------------------------------------------------------------------------------------
# errors: one line, exit 2, nothing changed


def fails(*argv: str) -> str:
    status, out, err = cli(*argv)
    assert status == 2, (out, err)
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def test_an_unreachable_endpoint_is_a_clear_error_and_changes_nothing(
    project: Paths, enriched: dict
) -> None:
    cache = project.corpus / "enrichment" / "obo.nq"
    before = cache.read_bytes(), graph_triples(project.out / "store", "obo")
    url = f"http://{HOST}:{free_port()}/query"
    started = time.monotonic()
    err = fails("enrich", "--endpoint", url, "--shape", "obo", *where(project))
    assert err.startswith(f"error: cannot reach the SPARQL endpoint {url}: ")
    assert time.monotonic() - started < 10
    assert (cache.read_bytes(), graph_triples(project.out / "store", "obo")) == before


def test_an_http_error_is_a_clear_error(project: Paths, enriched: dict, remote: str) -> None:
    wrong = remote.replace("/query", "/no-such-service")
    err = fails("enrich", "--endpoint", wrong, "--shape", "obo", *where(project))
    assert err == f"error: {wrong} answered 404: it is not a SPARQL endpoint\n"


def test_an_endpoint_that_never_answers_times_out(project: Paths, enriched: dict) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind((HOST, 0))
        silent.listen(1)  # accepts connections, never answers
        url = f"http://{HOST}:{silent.getsockname()[1]}/query"
        started = time.monotonic()
        err = fails("enrich", "--endpoint", url, "--shape", "obo", "--timeout", "1",
                    *where(project))
    assert err == f"error: {url} did not answer within 1 s; the query was abandoned\n"
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--name", "Bad Name"], "error: enrichment name 'Bad Name': use lower-case letters, "
                                 "digits and hyphens (it names the graph and the cache file)\n"),
        (["--batch", "0"], "error: --batch must be at least 1, not 0\n"),
    ],
)
def test_bad_arguments_are_clear_errors(
    project: Paths, enriched: dict, remote: str, argv: list[str], message: str
) -> None:
    assert fails("enrich", "--endpoint", remote, "--shape", "obo", *argv,
                 *where(project)) == message


def test_a_bad_endpoint_url_is_a_clear_error(project: Paths) -> None:
    assert fails("enrich", "--endpoint", "not a url", "--shape", "obo", *where(project)) == (
        "error: the endpoint 'not a url' is not an http(s) URL\n")


def test_enriching_without_a_built_store_is_a_clear_error(tmp_path: Path, remote: str) -> None:
    store = tmp_path / "build" / "store"
    err = fails("enrich", "--endpoint", remote, "--shape", "obo", "--store", str(store),
                "--cache-dir", str(tmp_path / "cache"))
    assert err == f"error: no built store at {store}: run `python build_graph.py` first\n"
    assert not (tmp_path / "cache").exists()


# --------------------------------------------------------------------------------------------
# the build's loader


def test_the_loader_refuses_a_quad_outside_its_graph(tmp_path: Path) -> None:
    folder = tmp_path / "enrichment"
    folder.mkdir()
    (folder / "obo.nq").write_text(
        "<http://x/a> <http://x/p> \"v\" <https://w3id.org/ma-ild/graph/enrichment/mesh> .\n")
    with pytest.raises(InputError, match=re.escape(
            "a quad in graph <https://w3id.org/ma-ild/graph/enrichment/mesh>, "
            "not <https://w3id.org/ma-ild/graph/enrichment/obo>")):
        load_enrichment(tmp_path / "store", folder)
    (folder / "obo.nq").write_text("<http://x/a> <http://x/p> \"v\" <http://x/g> .\n")
    with pytest.raises(InputError,
                       match=re.escape("not <https://w3id.org/ma-ild/graph/enrichment/obo>")):
        load_enrichment(tmp_path / "store", folder)
    (folder / "obo.nq").write_text("not n-quads\n")
    with pytest.raises(InputError, match="not N-Quads"):
        load_enrichment(tmp_path / "store", folder)


def test_the_loader_does_nothing_without_a_folder(tmp_path: Path) -> None:
    assert load_enrichment(tmp_path / "store", tmp_path / "absent") == {}
    assert not (tmp_path / "store").exists()
