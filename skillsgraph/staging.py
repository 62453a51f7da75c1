"""What a writer stages in the home before it is complete, and what a killed writer left there.

Every file or directory a writer makes before it is complete carries the writer's pid in its
name (`.NAME.writing-PID-...`, a store's `.DIGEST.loading-PID`), so the next writer can tell
the leftovers of a process that was killed (its pid no longer runs) from the work of one that
is still running, and remove them (skillsgraph.home_lock does, whenever it takes the lock).

Several files that only make sense together (an O*NET release and its links graph) are
committed as one unit: each is staged complete and flushed, then a journal naming them is
written (through a rename), then each is renamed into place and the journal removed. A writer
killed before the journal leaves only staged files (removed later: the old files stay); one
killed after it leaves the journal, and the next writer finishes the renames. Either way the
home holds the whole old unit or the whole new one.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from .child_processes import alive

_OWNER = re.compile(r"\.(?:writing|loading)-(\d+)(?:-|$)")
_JOURNAL = re.compile(r"\.commit-(\d+)\.journal$")


def temp_prefix(target: Path) -> str:
    """The name prefix of a temporary file of this process, beside `target`."""
    return f".{target.name}.writing-{os.getpid()}-"


def staged(target: Path, tag: str = "unit") -> Path:
    """Where this process stages `target` before committing it (commit_unit)."""
    return target.parent / f"{temp_prefix(target)}{tag}.tmp"


def _folders(home: Path) -> list[Path]:
    cache = home / "cache"
    return [home, home / "imports", home / "oxigraph", *(sorted(p for p in cache.iterdir() if p.is_dir())
                                                         if cache.is_dir() else [])]


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def commit_unit(files: list[tuple[Path, Path]]) -> None:
    """Rename each staged file onto its target (all in one folder) as one unit."""
    folder = files[0][1].parent
    journal = folder / f".commit-{os.getpid()}.journal"
    pending = staged(journal, "journal")
    with open(pending, "w", encoding="utf-8") as out:
        out.writelines(f"{source.name}\t{target.name}\n" for source, target in files)
        out.flush()
        os.fsync(out.fileno())
    os.replace(pending, journal)
    _finish(folder, journal)


def _finish(folder: Path, journal: Path) -> None:
    for line in journal.read_text(encoding="utf-8").splitlines():
        source, _, target = line.partition("\t")
        if (folder / source).exists():
            os.replace(folder / source, folder / target)
    _fsync_folder(folder)
    journal.unlink()


def remove_leftovers(home: Path) -> list[str]:
    """Finish the commits and remove the staged files of processes that no longer run; the
    names of what was found, for the writer to report."""
    found = []
    for folder in filter(Path.is_dir, _folders(home)):
        for journal in sorted(folder.glob(".commit-*.journal")):
            owner = _JOURNAL.search(journal.name)
            if owner and not alive(int(owner.group(1))):
                _finish(folder, journal)
                found.append(f"finished the commit {journal.relative_to(home)} of process {owner.group(1)}")
        for entry in sorted(folder.iterdir()):
            owner = _OWNER.search(entry.name)
            if not entry.name.startswith(".") or owner is None or alive(int(owner.group(1))):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            found.append(f"removed {entry.relative_to(home)}, left by process {owner.group(1)}")
    return found
