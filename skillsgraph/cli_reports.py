"""What the `skillsgraph` commands print about a build: its summary line, and every problem and
violation of a failed one, one a line ("file:line:column: key: message")."""
from __future__ import annotations

from rich.console import Console

# soft_wrap: a problem line must stay on one line, whatever the terminal width.
err = Console(stderr=True, soft_wrap=True)


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


__all__ = ["report_failure", "summary", "err"]
