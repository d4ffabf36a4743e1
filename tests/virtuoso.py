"""A private Virtuoso Open Source instance for tests: its own database folder, its own
``virtuoso.ini``, loopback ports chosen free at run time, stopped after (also on failure).

Debian's ``virtuoso-opensource`` package provides ``virtuoso-t`` and ``isql-vt`` (``.ci/run``
installs it). Its system service is never used: nothing here depends on a server the machine runs.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.servers import HOST, answers, free_port, stop

SERVER, ISQL = "virtuoso-t", "isql-vt"
START_LIMIT = 120.0  # seconds; a fresh database is made at first start (about 20 s when loaded)


def missing() -> str | None:
    """Why no private Virtuoso can be started here, or None when it can."""
    absent = [name for name in (SERVER, ISQL) if shutil.which(name) is None]
    if absent:
        return (f"{' and '.join(absent)} not found: install Debian's virtuoso-opensource "
                "(.ci/run does)")
    return None


def ini_text(folder: Path, sql_port: int, http_port: int) -> str:
    """A ``virtuoso.ini`` keeping every file in ``folder`` and listening on loopback only."""
    return f"""\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = {HOST}:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = {HOST}:{http_port}
ServerRoot = {folder}
MaxClientConnections = 4
ServerThreads = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


def isql(sql_port: int, statement: str) -> None:
    """Run one SQL statement as the database administrator (dba's default password)."""
    done = subprocess.run([ISQL, f"{HOST}:{sql_port}", "dba", "dba", f"exec={statement}"],
                          capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0 or "Error" in done.stdout:
        raise AssertionError(f"isql-vt {statement!r} failed: {done.stdout}{done.stderr}")


@contextmanager
def private_virtuoso(folder: Path) -> Iterator[str]:
    """A Virtuoso started on free loopback ports with its database in ``folder``; yields its
    HTTP base URL, with the Graph Store Protocol open to writes, and stops it after."""
    reason = missing()
    if reason:
        raise AssertionError(reason)
    sql_port = http_port = free_port()
    while http_port == sql_port:  # each is free, but the second may be the first again
        http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(ini_text(folder, sql_port, http_port), encoding="utf-8")
    base = f"http://{HOST}:{http_port}"
    with (folder / "console.log").open("wb") as log:
        process = subprocess.Popen([SERVER, "-c", str(ini), "+foreground"], cwd=folder,
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + START_LIMIT
            while not answers(f"{base}/sparql"):
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = (folder / "virtuoso.log").read_text(errors="replace")[-2000:]
                    raise AssertionError(f"Virtuoso did not answer at {base}/sparql: {tail}")
                time.sleep(0.2)
            isql(sql_port, 'grant SPARQL_UPDATE to "SPARQL";')
            yield base
        finally:
            stop(process)
