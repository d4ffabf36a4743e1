"""Code both views benchmarks run in their child process to time each view's drawing.

``views_add.py`` and ``views_stage_add.py`` run their measured part with ``python -c`` (in
another checkout's environment for the second), so what they share is source text, not an
import: ``TIME_EACH_VIEW`` wraps every registered view's ``draw`` to record its seconds in a dict
named ``drawn`` (its rows read and patched inside the drawing).
``run_child`` runs such code and reads the JSON it prints.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

TIME_EACH_VIEW = """
drawn = {}
for view in VIEWS.all():
    def draw(target, options, resolve, _draw=view.draw, _name=view.name):
        start = time.perf_counter()
        try:
            return _draw(target, options, resolve)
        finally:
            drawn[_name] = round(time.perf_counter() - start, 2)
    object.__setattr__(view, "draw", draw)
"""


def run_child(python: str, code: str, *args: str | Path, cwd: Path) -> dict[str, object]:
    """Run ``code`` in a fresh ``python`` (fresh memory, the checkout's own environment)."""
    done = subprocess.run([python, "-c", code, *map(str, args)],
                          capture_output=True, text=True, check=True, cwd=cwd)
    return json.loads(done.stdout)
