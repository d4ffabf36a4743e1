"""Asking the graph: the named-query catalog, parameter binding, endpoints, results."""
