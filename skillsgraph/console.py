"""What every `skillsgraph` command prints through: its two consoles, the settings or a
configuration error, and the problems of bad source data."""
from __future__ import annotations

import typer
from rich.console import Console

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
    elif isinstance(exc, ValidationFailed):
        err.print(f"[red]SHACL validation found {len(exc.violations)} violation(s); nothing was written:[/red]")
        for violation in exc.violations:
            err.print(f"  {violation}", markup=False, highlight=False)
