"""Files the package ships, read with :mod:`importlib.resources` (see :mod:`graph.settings`).

``graph.resources.ontology`` is the project's top-level ``ontology/`` folder and
``graph.resources.queries`` its ``queries/`` folder, mapped into the package by ``pyproject.toml``
so that the repository keeps them at the top while an installed wheel carries them inside.
"""
