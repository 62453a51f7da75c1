"""What the `skillsgraph` commands share: their consoles, the settings, how a build and a
failure are reported (every problem and violation, one a line), and the home's write lock
(skillsgraph.home_lock) that every writing command holds."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import typer
from rich.console import Console
from rich.markup import escape

from skillsgraph.config import Settings

out = Console()
# soft_wrap: a problem line "file:line:col: key: message" must stay on one line, whatever the terminal width.
err = Console(stderr=True, soft_wrap=True)
DataOption = typer.Option(None, "--data", help="Source data folder (default: the bundled data/).")


def settings_or_exit() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        err.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2)


def report_failure(exc: Exception) -> None:
    from skillsgraph.loader.errors import SourceDataError
    from skillsgraph.loader.validation import ValidationFailed
    if isinstance(exc, SourceDataError):
        err.print(f"[red]source data has {len(exc.problems)} problem(s); nothing was written:[/red]")
        for problem in exc.problems:
            err.print(f"  {problem}", markup=False, highlight=False)
    violations = exc.violations if isinstance(exc, (SourceDataError, ValidationFailed)) else []
    if violations:
        err.print(f"[red]SHACL validation found {len(violations)} violation(s){'' if isinstance(exc, SourceDataError) else '; nothing was written'}:[/red]")
        for violation in violations:
            err.print(f"  {violation}", markup=False, highlight=False)


def summary(result) -> str:
    where = f"built {result.target}: " if result.target else "valid: "
    text = (f"{where}{result.frameworks} framework release(s) ({result.reused} reused from cache), "
            f"{result.triples} triples, 0 violations, {result.seconds:.1f}s")
    if result.published:
        reused = sum(p.reused for p in result.published)
        text += (f"; {len(result.published)} published graph(s) ({reused} unchanged), "
                 f"{sum(p.triples for p in result.published)} triples")
        text += "".join(f"\n  {p.entry.label}: {p.summary}" + ("" if p.reused else f" ({p.seconds:.1f}s)")
                        for p in result.published)
    return text


def note(message: str) -> None:
    err.print(message, markup=False, highlight=False)


@contextmanager
def writing(settings: Settings, what: str) -> Iterator[None]:
    """The home's write lock for this command; a write the disk refuses (full, read-only) ends
    the command with the reason, the previous files being kept."""
    from skillsgraph.home_lock import writing as lock
    try:
        with lock(settings.home, what, note):
            yield
    except OSError as exc:
        where = exc.filename or f"writing to {settings.home}"
        err.print(f"[red]{what} failed:[/red] " + escape(f"{exc.strerror or exc} ({where}); nothing was written, "
                                                          "the previous files are kept"), highlight=False)
        raise typer.Exit(1)
