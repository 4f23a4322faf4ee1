"""Errors raised for bad data and impossible requests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

__all__ = ["Problem", "DataError", "UnknownEntityError", "EmptyGraphError"]


def _show(value: object) -> str:
    """Quote a found value so that empty strings and spaces stay visible."""
    text = str(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return "'" + text.replace("'", "\\'") + "'"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one cell (or row, or file) of a data file.

    Rendered as ``path:line: column: problem (found X, expected Y)``; for a
    Parquet file, ``path:row N: column: ...`` (rows counted from 1), or
    ``path: column: ...`` for the file itself (line 0).

    Examples
    --------
    >>> str(Problem("data/relationships.csv", 14, "amount_usd", "not a number", "n/a", "a non-negative number"))
    "data/relationships.csv:14: amount_usd: not a number (found 'n/a', expected a non-negative number)"
    >>> str(Problem("data/relationships.parquet", 13, "amount_usd", "not a number"))
    'data/relationships.parquet:row 13: amount_usd: not a number'
    """

    path: str
    line: int
    column: str
    problem: str
    found: str | None = None
    expected: str | None = None

    def __post_init__(self) -> None:
        # a found value of any type (a TOML array, a number) is kept as text: problems are hashed and sorted
        for name in ("found", "expected"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                object.__setattr__(self, name, str(value))

    def __str__(self) -> str:
        detail = []
        if self.found is not None:
            detail.append(f"found {_show(self.found)}")
        if self.expected is not None:
            detail.append(f"expected {self.expected}")
        tail = f" ({', '.join(detail)})" if detail else ""
        if self.path.endswith(".parquet"):  # a Parquet file has rows, not lines: row N, or the file itself
            where = f"{self.path}:row {self.line}" if self.line > 0 else self.path
            return f"{where}: {self.column}: {self.problem}{tail}"
        return f"{self.path}:{self.line}: {self.column}: {self.problem}{tail}"


class DataError(ValueError):
    """One or more data files do not match the data contract.

    Holds every problem found, so that one run is enough to fix the files.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.column, p.problem))
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} in the data"
        super().__init__("\n".join([header, *map(str, self.problems)]))


class UnknownEntityError(KeyError):
    """A name or id matches no entity, or more than one."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown entity"


class EmptyGraphError(ValueError):
    """The graph (after filters) has no entities or no relationships to compute on."""
