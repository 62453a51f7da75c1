"""Virtuoso open source as a peer: Debian's `virtuoso-opensource` (virtuoso-t and isql-vt), run
from a folder of its own with its own virtuoso.ini on free ports, the catalogue's N-Quads loaded
by its bulk loader (ld_dir, rdf_loader_run) through isql-vt.

Its /sparql endpoint's default dataset is the union of all graphs, its own system graphs
included: the benchmark queries name the skillsgraph ontology's terms, so those add nothing to
their answers. ResultSetMaxRows and the query time limits are lifted, so that no answer is cut.
"""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from dataset import Catalogue
from peers import ASK, Peer, tool
from timing import free_port, stop, wait_ready

HOW = "install Debian's package: apt-get install virtuoso-opensource"

INI = """[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
MaxClientConnections = 40
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = {dirs}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 2G
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 10

[HTTPServer]
ServerPort = {http_port}
ServerRoot = .
MaxClientConnections = 40
ServerThreads = 40
MaxKeepAlives = 40
KeepAliveTimeout = 60
EnabledDavVSP = 0
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""


def start_virtuoso(cat: Catalogue, work: Path, buffers: int = 170_000) -> Peer:
    """A new Virtuoso database holding the catalogue; buffers: 8 KiB pages of cache (170,000 is
    about 1.3 GiB, what Virtuoso's guide gives for 2 GiB of memory)."""
    server = tool("virtuoso-t", HOW)
    isql = tool("isql-vt", HOW)
    folder = (work / f"virtuoso-{cat.occupations}").resolve()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    sql_port, http_port = free_port(), free_port()
    dirs = sorted({str(f.resolve().parent) for f in cat.files})
    (folder / "virtuoso.ini").write_text(INI.format(sql_port=sql_port, http_port=http_port, buffers=buffers,
                                                    dirty=buffers * 3 // 4, dirs=", ".join([".", *dirs])),
                                         encoding="utf-8")
    started = time.perf_counter()
    process = subprocess.Popen([server, "-f", "-c", "virtuoso.ini"], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_sql(isql, sql_port, process)
        loading = time.perf_counter()
        loads = "".join(f"ld_dir('{d}', '{name}', 'urn:x-benchmark:no-graph'); "
                        for d, name in sorted({(str(f.resolve().parent), f.name) for f in cat.files}))
        _sql(isql, sql_port, loads + "rdf_loader_run(); checkpoint;")
        failed = _sql(isql, sql_port, "SELECT COUNT(*) FROM DB.DBA.load_list WHERE ll_state <> 2 OR ll_error IS NOT NULL;")
        if _last_number(failed) != 0:
            raise RuntimeError(f"Virtuoso could not load every file: see {folder / 'virtuoso.log'}")
        loaded = time.perf_counter() - loading
        url = f"http://127.0.0.1:{http_port}/sparql"
        wait_ready(url, process, data=ASK)
    except BaseException:
        stop(process)
        raise
    return Peer("Virtuoso", url, process, loaded, time.perf_counter() - started - loaded,
                notes=[f"{buffers:,} buffers"])


def _sql(isql: str, port: int, statements: str) -> str:
    done = subprocess.run([isql, str(port), "dba", "dba", f"exec={statements}"], capture_output=True,
                          text=True, timeout=7200)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql-vt: {statements[:200]}: {(done.stdout + done.stderr)[-1500:]}")
    return done.stdout


def _wait_for_sql(isql: str, port: int, process: subprocess.Popen, timeout: float = 300) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {process.returncode} while starting")
        probe = subprocess.run([isql, str(port), "dba", "dba", "exec=SELECT 1;"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return
        time.sleep(0.5)
    raise TimeoutError(f"Virtuoso's SQL port {port}")


def _last_number(output: str) -> int:
    numbers = [line.strip() for line in output.splitlines() if line.strip().isdigit()]
    if not numbers:
        raise RuntimeError(f"isql-vt gave no count: {output[-500:]}")
    return int(numbers[-1])
