"""Exports for other tools: KGX (Biolink), GraphML, and the ontology's HTML docs."""
