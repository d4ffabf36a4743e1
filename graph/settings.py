"""Where a run reads and writes: the user's project folder, and the files the package ships.

The corpus, the build folder and the store belong to the project the user works in: the working
directory, or the folder given with ``ma-ild --project DIR``, never the place the package is
installed. The ontology and the named queries ship inside the package (read with
:mod:`importlib.resources`), so an installed wheel has everything it needs; a project that holds
its own ``ontology/`` or ``queries/`` folder (a checkout of this repository does) uses that one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

BUNDLED = ("ontology", "queries")  # shipped as graph.resources.ontology and .queries


def bundled(name: str) -> Path:
    """The folder ``name`` (one of :data:`BUNDLED`) as shipped with the installed package.

    >>> (bundled("queries") / "most-cited.rq").is_file()
    True
    """
    if name not in BUNDLED:
        raise ValueError(f"the package ships no folder {name!r}")
    return Path(str(files(f"graph.resources.{name}")))


def project_or_bundled(project: Path, name: str) -> Path:
    """The project's own folder ``name`` if it has one, else the package's."""
    own = project / name
    return own if own.is_dir() else bundled(name)


def _here() -> Path:
    return Path.cwd()


@dataclass(frozen=True)
class Paths:
    """Where a build reads from and writes to; the defaults are those of the working directory."""

    corpus: Path = field(default_factory=lambda: _here() / "corpus")
    ontology: Path = field(default_factory=lambda: project_or_bundled(_here(), "ontology"))
    out: Path = field(default_factory=lambda: _here() / "build")
    queries: Path = field(default_factory=lambda: project_or_bundled(_here(), "queries"))

    @classmethod
    def of_project(cls, project: Path | None = None) -> Paths:
        """The paths of the project in folder ``project`` (default: the working directory)."""
        root = (project or _here()).resolve()
        return cls(corpus=root / "corpus", ontology=project_or_bundled(root, "ontology"),
                   out=root / "build", queries=project_or_bundled(root, "queries"))

    @property
    def documents(self) -> Path:
        return self.corpus / "documents"

    @property
    def curation(self) -> Path:
        return self.corpus / "curation"

    @property
    def shapes(self) -> Path:
        return self.ontology / "shapes.ttl"

    @property
    def vocabulary(self) -> Path:
        return self.ontology / "vocabulary"

    @property
    def store(self) -> Path:
        return self.out / "store"
