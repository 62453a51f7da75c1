"""A small disk that fills up: a tmpfs of its own (CI runs as root), for the tests of what a full
disk does to a build, an import, a new store or a dump."""
from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "24m") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `folder` (made here), unmounted afterwards."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    assert mounted.returncode == 0, f"mounting a small tmpfs needs root: {mounted.stderr.decode()}"
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(disk: Path, leave: int = 256 << 10) -> None:
    """Take all the space of the disk but `leave` bytes."""
    with open(disk / "filler", "wb") as filler:
        stat = os.statvfs(disk)
        os.posix_fallocate(filler.fileno(), 0, stat.f_bavail * stat.f_frsize - leave)
