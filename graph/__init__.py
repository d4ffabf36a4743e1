"""The myositis-ILD evidence graph: documents -> records -> triples -> store -> queries/views."""

__version__ = "0.1.0"
