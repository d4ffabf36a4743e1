"""The vocabulary: namespaces, SKOS concepts, SSSOM mappings and enrichment."""
