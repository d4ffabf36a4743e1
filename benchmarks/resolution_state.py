"""What an add read and wrote of the works' groups (issue 26): the last build's kept state against
the one the add kept.

``python benchmarks/resolution_state.py LAST_CACHE NEW_CACHE``

With ``resolution.sqlite`` (:class:`graph.citations.groups.Kept`): the file's size (copied by
the kernel, not decoded), the bytes of the groups' works every add reads back (the triples
stage takes every work as an object), and the groups the add dropped and placed with the bytes
of the rows it wrote. With the older ``resolution.pickle``: the file, read and written whole.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path


def _sqlite(last: Path, new: Path) -> dict[str, int]:
    def numbers(path: Path) -> dict[int, int]:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return dict(db.execute("SELECT number, length(works) FROM groups"))

    before, after = numbers(last), numbers(new)
    placed = after.keys() - before.keys()
    with sqlite3.connect(f"file:{new}?mode=ro", uri=True) as db:
        asked = ",".join(map(str, placed)) or "-1"
        keys = db.execute(f"SELECT count(*), coalesce(sum(length(key)), 0) FROM keys "
                          f"WHERE number IN ({asked})").fetchone()
    return {"file_bytes_last": last.stat().st_size, "file_bytes_new": new.stat().st_size,
            "groups": len(after), "works_bytes_read": sum(after.values()),
            "groups_dropped": len(before.keys() - after.keys()), "groups_placed": len(placed),
            "works_bytes_written": sum(after[n] for n in placed),
            "key_rows_written": keys[0], "key_bytes_written": keys[1]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("last", type=Path, help="the cache folder the add started from")
    parser.add_argument("new", type=Path, help="the cache folder the add kept")
    args = parser.parse_args(argv)
    if (args.new / "resolution.sqlite").is_file():
        found = _sqlite(args.last / "resolution.sqlite", args.new / "resolution.sqlite")
    else:
        size = (args.new / "resolution.pickle").stat().st_size
        found = {"file_bytes_last": (args.last / "resolution.pickle").stat().st_size,
                 "file_bytes_new": size, "bytes_read": size, "bytes_written": size}
    print(json.dumps(found))


if __name__ == "__main__":
    main()
