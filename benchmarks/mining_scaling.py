"""Mining time against text length: a long text with no full stop, at four sizes.

``python benchmarks/mining_scaling.py`` mines (entity mentions, then candidate findings, as the
build does for every document) a text of N words with no sentence end, for N = 12,500, 25,000,
50,000 and 100,000, and prints the seconds and the seconds per 1,000 words. Linear mining keeps
the last column flat; before sentences were bounded (issue "Hardening, round two", point 1) the
time grew with the square of the length. A script, never a timed test.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from graph.mining.candidates import extract_candidates
from graph.mining.mentions import find_mentions
from graph.settings import bundled
from graph.vocabulary.concepts import load_vocabulary

WORDS = ("tacrolimus", "improved", "FVC", "in", "12", "of", "18", "patients", "and",
         "prednisone", "with", "anti-Jo-1")
SIZES = (12_500, 25_000, 50_000, 100_000)


def text_of(words: int) -> str:
    """``words`` words of results vocabulary, with no sentence end anywhere."""
    return " ".join(WORDS[i % len(WORDS)] for i in range(words))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--ontology", type=Path, default=bundled("ontology"))
    args = parser.parse_args(argv)
    vocabulary = load_vocabulary(args.ontology / "vocabulary")
    print("| words | characters | mentions | candidates | seconds | s per 1,000 words |")
    print("|---:|---:|---:|---:|---:|---:|")
    for words in args.sizes:
        text = text_of(words)
        start = time.perf_counter()
        mentions = find_mentions(text, vocabulary)
        candidates = extract_candidates(text, vocabulary, mentions)
        seconds = time.perf_counter() - start
        print(f"| {words:,} | {len(text):,} | {len(mentions):,} | {len(candidates):,} | "
              f"{seconds:.2f} | {1000 * seconds / words:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
