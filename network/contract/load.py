"""Read the data contract's CSV (or Parquet) files into DataFrames of text, keeping line (or row) numbers."""

from __future__ import annotations

import csv
import io
import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from network.errors import DataError, Problem
from network.storage.cells import restore_cell
from network.storage.inputs import raise_field_limit, read_input_text
from network.contract.schema import default_data_dir

__all__ = [
    "ENTITY_COLUMNS",
    "RELATIONSHIP_COLUMNS",
    "SOURCE_COLUMNS",
    "DataTables",
    "read_csv_table",
    "load_tables",
]

ENTITY_COLUMNS = ("id", "name", "type", "name_ar", "aliases", "description")
RELATIONSHIP_COLUMNS = (
    "id", "source", "target", "type", "role", "amount_usd", "amount_qualifier",
    "start_date", "end_date", "status", "aggregate", "source_ids", "evidence",
)
SOURCE_COLUMNS = ("id", "publisher", "title", "published", "language", "url", "document")
FILES = {"entities": ENTITY_COLUMNS, "relationships": RELATIONSHIP_COLUMNS, "sources": SOURCE_COLUMNS}


@dataclass(frozen=True)
class DataTables:
    """The three curated tables as read, plus what went wrong reading them.

    Every cell is a stripped string (empty when blank). The index, named
    ``line``, is the line of the file on which the row starts (the header is
    line 1), so messages can point at it even when a quoted cell spans lines.
    """

    entities: pd.DataFrame
    relationships: pd.DataFrame
    sources: pd.DataFrame
    paths: Mapping[str, Path]
    problems: tuple[Problem, ...] = field(default=())


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series([], dtype=object) for name in columns})
    frame.index = pd.Index([], dtype="int64", name="line")
    return frame


def read_csv_table(path: str | Path, columns: tuple[str, ...]) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one CSV file of the data contract.

    Parameters
    ----------
    path : path-like
        A comma-separated file with a header row, UTF-8 with or without BOM.
    columns : tuple of str
        The required columns. Extra columns are kept; missing ones are a problem.

    Returns
    -------
    (pd.DataFrame, list of Problem)
        The rows as stripped strings, indexed by starting line, and every
        problem met while reading (encoding, missing columns, rows with the
        wrong number of cells). Blank lines are skipped.

    Examples
    --------
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "s.csv")
    >>> _ = open(path, "w", encoding="utf-8").write('id,title\\ns1," A, B "\\n\\ns2,C\\n')
    >>> frame, problems = read_csv_table(path, ("id", "title"))
    >>> frame.loc[4, "title"], problems
    ('C', [])
    """
    path = Path(path)
    shown = str(path)
    try:
        text = read_input_text(path, expected="a CSV file with the columns " + ", ".join(columns))
    except DataError as err:
        return _empty(columns), list(err.problems)
    problems: list[Problem] = []
    raise_field_limit()

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return _empty(columns), [Problem(shown, 1, "(header)", "file is empty", "", "a header row: " + ",".join(columns))]
    except csv.Error as err:
        return _empty(columns), [Problem(shown, 1, "(header)", f"unreadable CSV: {err}", None, "a header row")]
    header = [name.strip() for name in header]
    missing = [name for name in columns if name not in header]
    for name in missing:
        problems.append(Problem(shown, 1, name, "required column missing", ",".join(header), "a header with " + ", ".join(columns)))
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem(shown, 1, name, "column appears twice", name, "each column once"))
        seen.add(name)
    if missing or len(seen) != len(header):
        return _empty(columns), problems

    rows: list[list[str]] = []
    lines: list[int] = []
    width = len(header)
    start = reader.line_num + 1
    while True:  # the rows as read; blank ones (every cell empty once stripped) are dropped below, column-wise
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(Problem(shown, start, "(row)", f"unreadable CSV: {err}", None, "well-formed quoting"))
            break
        if len(record) == width:
            rows.append(record)
            lines.append(start)
        elif any(cell.strip() for cell in record):
            problems.append(Problem(shown, start, "(row)", "wrong number of cells",
                                    f"{len(record)} cells", f"{width} as in the header"))
        start = reader.line_num + 1
    return _stripped_frame(rows, lines, header), problems


def _stripped_frame(rows: list[list[str]], lines: list[int], header: list[str]) -> pd.DataFrame:
    """The rows that are not blank as a frame of stripped, `restore_cell`-ed strings indexed by line.

    Done a column at a time: at a million rows, per-row Python is most of the reading time.
    """
    columns = [[cell.strip() for cell in column] for column in zip(*rows)]
    kept = np.zeros(len(rows), dtype=bool)
    for column in columns:
        kept |= np.array(column, dtype=object) != ""
    if not kept.any():
        return _empty(tuple(header))
    if not kept.all():
        columns = [list(itertools.compress(column, kept)) for column in columns]
        lines = list(itertools.compress(lines, kept))
    columns = [[restore_cell(cell) if cell[:1] == "'" else cell for cell in column] for column in columns]
    frame = pd.DataFrame(dict(zip(range(len(header)), columns)), dtype=object)
    frame.columns = header
    frame.index = pd.Index(lines, dtype="int64", name="line")
    return frame


def _read_table(folder: Path, name: str, columns: tuple[str, ...]) -> tuple[Path, pd.DataFrame, list[Problem]]:
    """``name.csv`` or ``name.parquet``, whichever the folder has; both at once is a problem, not a guess."""
    text, parquet = folder / f"{name}.csv", folder / f"{name}.parquet"
    if os.path.lexists(parquet):
        if os.path.lexists(text):
            return parquet, _empty(columns), [Problem(
                str(parquet), 0, "(file)", f"the folder holds both {text.name} and {parquet.name}",
                f"{text.name}, {parquet.name}", "one of them (remove or move the other): which is current cannot be told")]
        from network.storage.parquet import read_parquet_table

        return parquet, *read_parquet_table(parquet, columns)
    return text, *read_csv_table(text, columns)


def load_tables(data_dir: str | Path | None = None) -> DataTables:
    """Read entities, relationships and sources from a folder, each a .csv or a .parquet file.

    A table may be CSV or Parquet (`network.storage.parquet`), and the three
    need not agree; a folder holding both ``entities.csv`` and
    ``entities.parquet`` is a problem (which one is current cannot be told).
    Parquet rows are read into the same text tables, indexed by row number.

    Parameters
    ----------
    data_dir : path-like, optional
        The folder; the bundled data when omitted. Its schema.toml, if any,
        is recorded in ``paths["schema"]``; otherwise the bundled schema's path is.
        (`network.formats.read.read_data` also takes one exported file.)

    Returns
    -------
    DataTables
        Unchecked text tables; pass them to ``network.contract.validate.validate_tables``.

    Examples
    --------
    >>> tables = load_tables()
    >>> tables.problems
    ()
    >>> "elon-musk" in set(tables.entities["id"])
    True
    """
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    paths: dict[str, Path] = {}
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name, columns in FILES.items():
        paths[name], frames[name], found = _read_table(folder, name, columns)
        problems.extend(found)
    own_schema = folder / "schema.toml"
    # a schema.toml that exists in any form (a folder, a dangling link) is the folder's own:
    # load_schema reports it, rather than the bundled schema standing in for it silently
    paths["schema"] = own_schema if os.path.lexists(own_schema) else default_data_dir() / "schema.toml"
    return DataTables(frames["entities"], frames["relationships"], frames["sources"], paths, tuple(problems))
