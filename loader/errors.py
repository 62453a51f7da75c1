"""Errors in source data, each naming the file, the place in it, what is wrong and what would be right."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceProblem:
    file: Path
    line: int | None
    column: int | None
    key_path: str
    message: str

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" {self.key_path}:" if self.key_path else ""
        return f"{where}:{key} {self.message}"


class SourceDataError(Exception):
    """One or more problems in the source data; nothing is written when raised."""

    def __init__(self, problems: list[SourceProblem], violations: list = ()):
        self.problems = problems
        # SHACL's findings on the files that had no problem, found in the same run (loader.validation.Violation).
        self.violations = list(violations)
        super().__init__("\n".join([*(str(p) for p in problems), *(str(v) for v in self.violations)]))


def key_path(parts: tuple) -> str:
    """Render ('framework', 'competencies', 'emerging', 2, 'label') as framework.competencies.emerging[2].label."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
