"""The checkout the tests run from: its corpus, ontology and queries are the tests' inputs."""

from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
