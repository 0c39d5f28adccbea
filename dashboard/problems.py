"""Validation problems: one record per thing wrong in an input file.

Loaders never raise on bad data; they return what they could read plus a
list of problems, so the app can report every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in one input file.

    ``where`` names the row ("row 7", counting the header as row 1) or the
    feature ("feature 3") the problem is in; ``field`` names the column or
    property; both may be empty when the problem concerns the whole file.
    """

    file: str
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.where:
            parts.append(self.where)
        if self.field:
            parts.append(f"field '{self.field}'")
        return f"{', '.join(parts)}: {self.message}"


class DataError(Exception):
    """Raised when input files have problems; carries all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def display_name(path: Path) -> str:
    """A short name for a file in messages: relative to the repo when possible."""
    from dashboard.paths import ROOT

    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
