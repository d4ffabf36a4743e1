"""The package works installed from its wheel, away from any checkout.

The wheel is built from the files a release ships (pyproject, README, LICENSE, ``graph/``,
``ontology/``, ``queries/``), installed into a new virtual environment outside the clone, and run
in a folder that holds nothing but a corpus: the named queries, the ontology and the view templates
must come from inside the package, and the build must land in that folder. The new environment
reaches the test environment's dependencies through a path file (nothing is downloaded), but not
this checkout: its ``graph`` must be the installed one.
"""

import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.checkout import CHECKOUT

SHIPPED = ("pyproject.toml", "README.md", "LICENSE", "graph", "ontology", "queries")


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False,
                          env={"PATH": f"{Path(command[0]).parent}:/usr/bin:/bin"}, timeout=600)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin/`` folder of a new virtual environment with only the built wheel installed."""
    root = tmp_path_factory.mktemp("installed")
    source = root / "source"
    source.mkdir()
    for name in SHIPPED:
        copy = shutil.copytree if (CHECKOUT / name).is_dir() else shutil.copy
        copy(CHECKOUT / name, source / name, **(
            {"ignore": shutil.ignore_patterns("__pycache__")} if copy is shutil.copytree else {}))
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "-q", "-w", str(root / "dist"), str(source)], root)
    wheel = next((root / "dist").glob("ma_ild_graph-*.whl"))
    venv = root / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], root)
    run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--no-deps", "--no-index", "-q", str(wheel)], root)
    purelib = Path(subprocess.check_output(
        [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        text=True).strip())
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib"), *site.getsitepackages()}
    (purelib / "test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    return venv / "bin"


def test_the_wheel_carries_the_queries_ontology_and_templates(installed: Path) -> None:
    where = run([str(installed / "python"), "-c",
                 "import graph, graph.settings as s; print(graph.__file__); "
                 "print(s.bundled('queries')); print(s.bundled('ontology'))"], installed).stdout
    package, queries, ontology = (Path(line) for line in where.splitlines())
    venv = installed.parent
    assert venv in package.parents, f"graph was imported from {package}, not the installed wheel"
    assert venv in queries.parents and (queries / "drug-outcomes.rq").is_file()
    assert venv in ontology.parents and (ontology / "shapes.ttl").is_file()
    assert (package.parent / "views" / "templates" / "view.js").is_file()


def test_the_installed_command_builds_asks_and_draws_in_the_working_folder(
    installed: Path, tmp_path: Path
) -> None:
    project = tmp_path / "my-review"
    shutil.copytree(CHECKOUT / "corpus", project / "corpus")
    assert not (project / "queries").exists() and not (project / "ontology").exists()
    ma_ild = str(installed / "ma-ild")

    built = run([ma_ild, "build", "--no-views"], project)
    assert "read 5 documents" in built.stdout
    assert (project / "build" / "store" / "CURRENT").is_file()

    listed = run([ma_ild, "queries"], project).stdout
    assert "drug-outcomes:" in listed

    answer = run([ma_ild, "query", "drug-outcomes", "--param", "drug=tacrolimus",
                  "--format", "csv", "--columns", "outcome,study"], project).stdout
    assert answer.splitlines()[0] == "outcome,study"
    assert "creatine kinase" in answer and len(answer.splitlines()) > 5

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run([ma_ild, "--project", str(project), "view", "citations", "--out",
         str(elsewhere / "citations.html")], elsewhere)
    page = (elsewhere / "citations.html").read_text(encoding="utf-8")
    assert "Polymyositis and dermatomyositis" in page and "<script" in page
