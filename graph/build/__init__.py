"""The build pipeline: documents to graph, published by an atomic swap; and `add`."""
