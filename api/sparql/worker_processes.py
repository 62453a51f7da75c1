"""The processes behind the query pool, seen from the server: the template that forks
workers (sparql/worker.py) and one worker's handle (its socket, readiness and stopping)."""
from __future__ import annotations

import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection

READY_TIMEOUT = 60.0
# The template's interpreter does not put its working directory on sys.path (-P). Served from a
# clone's root (the README's quick start), the clone's skillsgraph/ folder shadowed the installed
# package, which it holds only a part of: the template died at once, over and over, and every
# query waited for workers that never came.
INTERPRETER_FLAGS = ("-P",)
log = logging.getLogger("skillsgraph.sparql")


class Template:
    """The process that forks workers (sparql/worker.py), and what it says about them."""

    def __init__(self, location: str, budget: int):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, *INTERPRETER_FLAGS, "-m", "skillsgraph.api.sparql.worker", str(theirs.fileno()), location,
                 str(budget), str(os.getpid())],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        self._control = ours
        self._spawned: queue.Queue = queue.Queue()
        self._exits: dict[int, int] = {}
        self._exited = threading.Condition()
        threading.Thread(target=self._listen, name="sparql-worker-template", daemon=True).start()

    def _listen(self) -> None:
        while message := self._receive():
            word, *numbers = message.decode("ascii").split()
            if word == "spawned":
                self._spawned.put(int(numbers[0]))
            else:
                with self._exited:
                    self._exits[int(numbers[0])] = int(numbers[1])
                    self._exited.notify_all()
        self._spawned.put(None)  # the template has ended
        with self._exited:
            self._exited.notify_all()

    def _receive(self) -> bytes:
        try:
            return self._control.recv(256)
        except OSError:
            return b""  # closed by stop()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def fork(self) -> tuple[int, Connection]:
        ours, theirs = socket.socketpair()
        with theirs:
            socket.send_fds(self._control, [b"w"], [theirs.fileno()])
        pid = self._spawned.get(timeout=READY_TIMEOUT)
        if pid is None:
            ours.close()
            raise OSError("the worker template has ended")
        return pid, Connection(ours.detach())

    def exit_status(self, pid: int, timeout: float) -> int | None:
        with self._exited:
            self._exited.wait_for(lambda: pid in self._exits or not self.alive, timeout)
            return self._exits.pop(pid, None)

    def stop(self) -> None:
        self._control.close()
        if self.alive:
            self.process.kill()
        self.process.wait()


class Worker:
    def __init__(self, template: Template, pid: int, conn: Connection):
        self.template, self.pid, self.conn = template, pid, conn

    def wait_ready(self, timeout: float) -> bool:
        try:
            if self.conn.poll(timeout):
                message = self.conn.recv()
                if not message[1]:
                    log.warning("query worker %d runs without the network filter (no seccomp here)", self.pid)
                return True
        except (EOFError, OSError):
            pass
        return False

    def stop(self) -> int | None:
        """Kill (if still running); how it ended (None if unknown)."""
        self.conn.close()
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return self.template.exit_status(self.pid, 5.0)

    def retire(self) -> None:
        self.conn.close()  # it exits on end of file
        if self.template.exit_status(self.pid, 5.0) is None:
            self.stop()
