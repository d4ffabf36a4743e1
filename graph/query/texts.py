"""The SPARQL the package asks itself, read from ``queries/internal/``: one home for all SPARQL.

Views, exports, network analytics, ``add`` and the work lookup ask the store with ``.rq`` files
that live beside the named queries and ship with them, each declaring the project's prefixes
(:mod:`graph.vocabulary.prefixes`). Python never holds a query of its own; it only binds values.
"""

from __future__ import annotations

from functools import cache

from graph.settings import bundled


@cache
def internal_query(name: str) -> str:
    """The text of ``queries/internal/NAME.rq`` as shipped with the package.

    >>> internal_query("network/citations").splitlines()[-1]
    'SELECT DISTINCT ?citing ?cited WHERE { ?citing cito:cites ?cited }'
    """
    return (bundled("queries") / "internal" / f"{name}.rq").read_text(encoding="utf-8")
