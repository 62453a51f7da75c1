"""A Virtuoso open source server of one's own: Debian's `virtuoso-opensource` (virtuoso-t and
isql-vt) run from a folder with its own virtuoso.ini on given ports.

The benchmark, the test suite and the deploy/ recipe each start one this way. Its SPARQL
protocol endpoints are the `virtuoso` preset of store/endpoints.py; its write side takes the
`dba` user's password by HTTP digest authentication (set here, as Virtuoso's own default is
the well-known `dba`). ResultSetMaxRows and the query time limits are lifted, so that no
answer is cut by Virtuoso: skillsgraph's own limits apply to every answer instead.
"""
from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

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
TransactionAfterImageLimit = {after_image_limit}

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


@dataclass
class VirtuosoServer:
    folder: Path
    sql_port: int
    http_port: int
    process: subprocess.Popen
    isql: str
    password: str = "dba"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def sql(self, statements: str, timeout: float = 7200) -> str:
        """Run SQL statements through isql-vt as dba; an error raises with Virtuoso's message."""
        done = subprocess.run([self.isql, str(self.sql_port), "dba", self.password, f"exec={statements}"],
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql-vt: {statements[:200]}: {(done.stdout + done.stderr)[-1500:]}")
        return done.stdout

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} is not installed: {HOW}")
    return found


def start_virtuoso(folder: Path, sql_port: int, http_port: int, buffers: int = 10_000,
                   dirs_allowed: list[str] = (), password: str = "dba", timeout: float = 300,
                   after_image_limit: int = 50_000_000) -> VirtuosoServer:
    """A new, empty Virtuoso database in `folder` (replaced), answering once it is up.

    buffers: 8 KiB pages of cache (170,000 is about 1.3 GiB, what Virtuoso's guide gives for
    2 GiB of memory; the default, 80 MiB, is for test-sized data). A password other than
    `dba` is set for the dba user before the server is handed out. after_image_limit: the
    bytes of transaction log one request may write (Virtuoso's TransactionAfterImageLimit; its
    default, 50 MB, is kept unless a test wants a server that refuses large transactions)."""
    server, isql = tool("virtuoso-t"), tool("isql-vt")
    folder = folder.resolve()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "virtuoso.ini").write_text(INI.format(sql_port=sql_port, http_port=http_port, buffers=buffers,
                                                    dirty=buffers * 3 // 4, dirs=", ".join([".", *dirs_allowed]),
                                                    after_image_limit=after_image_limit),
                                         encoding="utf-8")
    process = subprocess.Popen([server, "-f", "-c", "virtuoso.ini"], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = VirtuosoServer(folder, sql_port, http_port, process, isql)
    try:
        _wait_for_sql(started, timeout)
        # The SPARQL user reads; updates go through /sparql-auth and the Graph Store Protocol's
        # -auth endpoint as dba, whose password must not stay the well-known default.
        if password != "dba":
            if "'" in password or "\\" in password:
                raise ValueError("a Virtuoso password for these servers holds no quote or backslash")
            started.sql(f"USER_SET_PASSWORD('dba', '{password}');")
            started.password = password
    except BaseException:
        started.stop()
        raise
    return started


def _wait_for_sql(server: VirtuosoServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {server.process.returncode} while starting: "
                               f"see {server.folder / 'virtuoso.log'}")
        probe = subprocess.run([server.isql, str(server.sql_port), "dba", server.password, "exec=SELECT 1;"],
                               capture_output=True, timeout=30)
        if probe.returncode == 0:
            return
        time.sleep(0.3)
    raise TimeoutError(f"Virtuoso's SQL port {server.sql_port} did not answer within {timeout:g} s")
