"""The named queries, shipped with the package as ``graph.resources.queries``.

Not code: this file only lets the folder be installed as package data (see ``graph.settings``).
"""
