"""Citations: reference strings into fields, one node per work, and their triples."""
