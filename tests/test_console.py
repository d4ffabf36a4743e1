"""The ``ma-ild`` program ends at once when its command is done, the system taking its memory
back without Python freeing each object: its output is whole, its status the command's, and the
exit handlers (a library's, coverage's) have run; a thread Python would wait for still finishes
first, through the usual exit (graph/cli/__init__.py::console)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# A command that prints more than one buffer, leaves work to Python's exit (an ``atexit``
# handler), holds an object that says when it is freed and, when asked, starts a thread that is
# not a daemon; then ``console`` ends the process.
PROGRAM = """
import atexit, sys, threading, time
import graph.cli as cli

class Freed:
    def __del__(self, open=open, path=sys.argv[1] + ".freed"):  # bound while Python stands
        open(path, "w").close()

def command(argv=None):
    global held
    held = Freed()
    print("x" * 100_000, end="")
    atexit.register(lambda: open(sys.argv[1] + ".atexit", "w").close())
    if sys.argv[2] == "thread":
        def late():
            time.sleep(0.3)
            open(sys.argv[1] + ".thread", "w").close()
        threading.Thread(target=late).start()
    return 3

cli.main = command
cli.console()
"""


def _run(tmp_path: Path, thread: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", PROGRAM, str(tmp_path / "mark"), thread],
                          capture_output=True, text=True, timeout=60)


def test_done_the_program_ends_at_once_with_its_output_whole_and_its_status(
        tmp_path: Path) -> None:
    ended = _run(tmp_path, "none")
    assert ended.returncode == 3
    assert ended.stdout == "x" * 100_000  # flushed before the end
    assert (tmp_path / "mark.atexit").exists()
    assert not (tmp_path / "mark.freed").exists()  # the system took the memory back


def test_a_thread_still_working_is_waited_for_through_the_usual_exit(tmp_path: Path) -> None:
    ended = _run(tmp_path, "thread")
    assert ended.returncode == 3
    assert ended.stdout == "x" * 100_000
    assert (tmp_path / "mark.thread").exists()
    assert (tmp_path / "mark.atexit").exists()
    assert (tmp_path / "mark.freed").exists()  # Python's exit freed the objects
