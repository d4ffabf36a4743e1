"""Reading back a build's cached records: the dataclasses module's ``__setstate__`` against
:func:`graph.records.unpickled_by_slots`, side by side in one run (issue 26).

``python benchmarks/unpickle_records.py --cache /tmp/incr/n10000/out/cache --repeat 3``

An add reads back what the last build made of every document (records, parsed references,
mentions, citation contexts, checked curation records, the works' groups). Each kind of entry
of ``--cache`` is read into memory once; then its pickles are loaded, ``--repeat`` times in
turn, with the frozen slotted records unpickled by the dataclasses module's own
``__setstate__`` (which calls :func:`dataclasses.fields` per object) and by the package's (the
fields' slots set directly). Both give equal objects; only the time differs.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import pickle
import sys
import time
from pathlib import Path
from typing import Any

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))

import graph.build.pipeline  # noqa: E402,F401  (every record class, as the build imports them)

KINDS = ("curations/*.pickle", "records/*.pickle", "references/*.pickle", "mined/*.pickle",
         "contexts/*.pickle", "resolution.pickle")


def _slotted() -> dict[type, Any]:
    """The package's record classes unpickled by their slots, with their ``__setstate__``."""
    return {value: value.__setstate__ for module in list(sys.modules.values())
            if module is not None and module.__name__.startswith("graph.")
            for value in vars(module).values()
            if isinstance(value, type) and dataclasses.is_dataclass(value)
            and "unpickled_by_slots" in getattr(value.__dict__.get("__setstate__"),
                                                "__qualname__", "")}


def _load(blobs: list[bytes]) -> float:
    gc.collect()
    start = time.perf_counter()
    loaded = [pickle.loads(b) for b in blobs]
    seconds = time.perf_counter() - start
    del loaded
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True, help="a build's cache folder")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    classes = _slotted()
    results: dict[str, Any] = {"classes": len(classes)}
    for kind in KINDS:
        blobs = [p.read_bytes() for p in sorted(args.cache.glob(kind))]
        times: dict[str, list[float]] = {"dataclasses": [], "slots": []}
        for _ in range(args.repeat):
            for cls in classes:
                cls.__setstate__ = dataclasses._dataclass_setstate  # type: ignore[attr-defined]
            times["dataclasses"].append(_load(blobs))
            for cls, setstate in classes.items():
                cls.__setstate__ = setstate
            times["slots"].append(_load(blobs))
        best = {k: min(v) for k, v in times.items()}
        results[kind] = {"files": len(blobs), "MiB": round(sum(map(len, blobs)) / 2**20, 1),
                         **{f"{k} s": round(v, 3) for k, v in best.items()},
                         "slots / dataclasses": round(best["slots"] / best["dataclasses"], 3)}
        print(kind, json.dumps(results[kind]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
