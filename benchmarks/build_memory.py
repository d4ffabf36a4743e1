"""The memory of ``ma-ild build`` summed over its processes, sampled as it runs (issue 26).

``python benchmarks/build_memory.py --corpus C --out O --json m.json [--python P --checkout D]
[-- BUILD OPTIONS]``

With ``--jobs`` above one a build runs its records' workers and two stages at a time in
processes of their own; the peak resident memory ``wait4`` gives is the largest process's,
not what they hold together. Every half second this reads ``/proc/PID/smaps_rollup`` of the
build's process and of every process under it: the resident memory summed (RSS, which counts
a page shared by forked processes in each), the proportional set size summed (PSS, which
counts a shared page once across them: the machine's memory the build holds), and each
process's own peak. Linux only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

INTERVAL = 0.5  # seconds between samples


def _tree(root: int) -> list[int]:
    """``root`` and every process under it (from /proc's parent links)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _rollup(pid: int) -> tuple[int, int] | None:
    """RSS and PSS of ``pid`` in KiB, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    values = {line.split(":")[0]: int(line.split()[1]) for line in text.splitlines()[1:]
              if line.split(":")[0] in ("Rss", "Pss")}
    return values.get("Rss", 0), values.get("Pss", 0)


def sample(command: list[str], cwd: Path) -> dict[str, Any]:
    """Run ``command``; its wall seconds and peaks of memory summed over its processes."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL)
    peak_rss = peak_pss = most = 0
    own: dict[int, int] = {}
    while process.poll() is None:
        rss_sum = pss_sum = alive = 0
        for pid in _tree(process.pid):
            found = _rollup(pid)
            if found is None:
                continue
            alive += 1
            rss_sum, pss_sum = rss_sum + found[0], pss_sum + found[1]
            own[pid] = max(own.get(pid, 0), found[0])
        peak_rss, peak_pss, most = max(peak_rss, rss_sum), max(peak_pss, pss_sum), max(most, alive)
        time.sleep(INTERVAL)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return {"wall_s": round(time.perf_counter() - started, 1),
            "peak_rss_sum_mib": round(peak_rss / 1024), "peak_pss_sum_mib": round(peak_pss / 1024),
            "most_processes": most,
            "process_peaks_mib": sorted((round(v / 1024) for v in own.values()), reverse=True)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--checkout", type=Path, default=Path(__file__).parent.parent)
    parser.add_argument("options", nargs="*", help="more options of ma-ild build (after --)")
    args = parser.parse_args(argv)
    result = sample([args.python, "-m", "graph.cli", "build", "--corpus", str(args.corpus),
                     "--out", str(args.out), *args.options], args.checkout)
    result["options"] = args.options
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
