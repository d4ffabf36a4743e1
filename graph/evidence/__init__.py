"""Curated evidence: curation records, quotes, numbers and checks, and their triples."""
