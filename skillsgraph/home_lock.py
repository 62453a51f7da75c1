"""One writer at a time in a home: `build`, each `import` and a server preparing its store.

The lock is an flock on `$SKILLSGRAPH_HOME/.write.lock`, which also holds the holder's pid and
what it is doing: a second writer says whom it waits for, and a holder that was killed (the
kernel releases its flock; its line stays) is named when the next writer takes over, which
then removes what the killed one left (skillsgraph.staging). Taking the lock again in the
process that holds it is free, so `serve` holds it across its build and its store's load.
"""
from __future__ import annotations

import fcntl
import os
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Callable, Iterator

from .child_processes import alive
from .staging import remove_leftovers

LOCK_FILE = ".write.lock"
Note = Callable[[str], None]
# (home, thread) -> how deep that thread holds the home's lock: another thread of this process
# opens the lock file again, and flock makes it wait like another process.
_held: dict[tuple[Path, int], int] = {}


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _holder(handle: IO[str]) -> tuple[int, str] | None:
    handle.seek(0)
    pid, _, what = handle.read().strip().partition(" ")
    return (int(pid), what) if pid.isascii() and pid.isdigit() else None


@contextmanager
def writing(home: Path, what: str, note: Note | None = None) -> Iterator[None]:
    """Hold the home's write lock for `what` (say "build"); `note` hears who is waited for and
    what a killed writer left (default: standard error)."""
    home.mkdir(parents=True, exist_ok=True)
    key = (home.resolve(), threading.get_ident())
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    note = note or _to_stderr
    with open(home / LOCK_FILE, "a+", encoding="utf-8") as handle:
        _acquire(handle, home, what, note)
        _held[key] = 1
        try:
            for found in remove_leftovers(home):
                note(found)
            yield
        finally:
            del _held[key]
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _acquire(handle: IO[str], home: Path, what: str, note: Note) -> None:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _holder(handle)
        who = f"process {holder[0]} ({holder[1]})" if holder else "another process"
        note(f"waiting for {who} to finish writing to {home}")
        fcntl.flock(handle, fcntl.LOCK_EX)
    left = _holder(handle)
    if left and left[0] != os.getpid() and not alive(left[0]):
        note(f"process {left[0]} ({left[1]}) ended without releasing the write lock of {home}; taking it over")
    handle.truncate(0)
    handle.write(f"{os.getpid()} {what}\n")
    handle.flush()

