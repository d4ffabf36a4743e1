"""The ontology, shapes, vocabulary and mappings, shipped as ``graph.resources.ontology``.

Not code: this file only lets the folder be installed as package data (see ``graph.settings``).
"""
