"""Map the files of an O*NET release, one job per file: read and check it (loader.onet.reader)
and write its rows as sorted N-Quads lines (loader.onet.triples). Jobs run in this process, or
in a process pool, one per core, reporting their progress to the parent through a queue.
"""
from __future__ import annotations

import multiprocessing
import os
import queue as queue_module
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from skillsgraph.child_processes import die_with_parent

from ..errors import SourceProblem
from ..iris import Iris
from .reader import FileReader, count_rows
from .records import Scale
from .release import ReleaseFile
from .triples import Emitter

Progress = Callable[[str, str, int, int | None], None]   # (event, file label, rows done, total rows)


@dataclass
class FileOutcome:
    label: str
    dataset: str
    rows: int = 0
    triples: int = 0
    seconds: float = 0.0
    lines: bytes = b""
    problems: list[SourceProblem] = field(default_factory=list)
    element_names: dict[str, str] = field(default_factory=dict)
    scale_names: dict[str, str] = field(default_factory=dict)
    defined: set[str] = field(default_factory=set)
    scale_ranges: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    layout: str = ""


@dataclass(frozen=True)
class FileJob:
    file: ReleaseFile
    form: str
    namespace: str
    version: str
    scale_ranges: dict


def map_file(job: FileJob, progress: Progress | None = None) -> FileOutcome:
    """Read, check and map one file of a release."""
    started = time.perf_counter()
    rf = job.file
    outcome = FileOutcome(rf.label, rf.dataset.label)
    total = count_rows(rf.path, job.form)
    if progress:
        progress("start", rf.label, 0, total)
    emitter = Emitter(Iris(job.namespace), job.version)
    reader = FileReader(rf, job.form, job.scale_ranges,
                        on_row=(lambda n: progress("advance", rf.label, n, total)) if progress else None)
    for record in reader:
        emitter.row(record)
        if isinstance(record, Scale):
            outcome.scale_ranges[record.id] = (Decimal(record.minimum), Decimal(record.maximum))
    outcome.rows = reader.rows
    outcome.problems = reader.all_problems()
    outcome.layout = reader.variant.layout if reader.variant else ""
    if not outcome.problems:
        outcome.lines, outcome.triples = emitter.sorted_bytes()
        outcome.element_names = emitter.element_names
        outcome.scale_names = emitter.scale_names
        outcome.defined = emitter.defined
    outcome.seconds = time.perf_counter() - started
    if progress:
        progress("done", rf.label, outcome.rows, total)
    return outcome


def map_files(jobs: list[FileJob], workers: int | None, progress: Progress | None) -> list[FileOutcome]:
    """Every job's outcome, in the order they finish."""
    workers = min(workers or os.cpu_count() or 1, max(len(jobs), 1))
    if workers <= 1:
        return [map_file(job, progress) for job in jobs]
    progress_queue = multiprocessing.get_context().Queue() if progress else None
    outcomes: list[FileOutcome] = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(progress_queue, os.getpid())) as pool:
        pending = {pool.submit(_run_in_worker, job) for job in jobs}
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            _drain(progress_queue, progress)
            for future in done:
                outcomes.append(future.result())
    _drain(progress_queue, progress)
    return outcomes


def _drain(progress_queue, progress: Progress | None) -> None:
    if progress_queue is None or progress is None:
        return
    while True:
        try:
            event = progress_queue.get_nowait()
        except queue_module.Empty:
            return
        progress(*event)


# ---- in a pool worker ------------------------------------------------------------------------

_progress_queue = None


def _init_worker(progress_queue, parent: int) -> None:
    global _progress_queue
    die_with_parent(parent)
    _progress_queue = progress_queue


def _queue_progress(event: str, label: str, done: int, total: int | None) -> None:
    _progress_queue.put((event, label, done, total))


def _run_in_worker(job: FileJob) -> FileOutcome:
    return map_file(job, _queue_progress if _progress_queue is not None else None)
