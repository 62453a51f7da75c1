"""Measuring processes: samples with their median and p95, the wall time and peak memory of a
command and its children, a server's peak memory, and waiting for a server to answer."""
from __future__ import annotations

import socket
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

import httpx
import psutil


@dataclass
class Timing:
    samples: list[float] = field(default_factory=list)  # seconds

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]

    def __bool__(self) -> bool:
        return bool(self.samples)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_measured(cmd: list[str], env: dict | None = None, cwd: str | None = None) -> tuple[float, int]:
    """Wall time and peak resident memory of a command and all its child processes."""
    # stderr goes to a file: a pipe read only at the end fills (64 KiB) and blocks a command
    # that reports its progress there, as `skillsgraph publish` does, graph by graph.
    with tempfile.TemporaryFile() as said:
        started = time.perf_counter()
        process = psutil.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=said)
        peak = 0
        while process.poll() is None:
            try:
                tree = [process, *process.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.1)
        if process.returncode != 0:
            said.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} failed: {said.read().decode(errors='replace')[-2000:]}")
    return time.perf_counter() - started, peak


def peak_rss(pid: int) -> int:
    """The most memory a running process has held (its high-water mark)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def wait_ready(url: str, process: subprocess.Popen, timeout: float = 3600, data: dict | None = None) -> float:
    """Seconds until url answers (below 500), polled every 50 ms; raises if the process exits first."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before answering")
        try:
            answer = httpx.post(url, data=data, timeout=5) if data else httpx.get(url, timeout=5)
            if answer.status_code < 500:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise TimeoutError(url)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"
