"""Data-folder tables as Parquet: written from the text a CSV folder holds, read back as the same text.

A Parquet data folder holds ``entities.parquet``, ``relationships.parquet``
and ``sources.parquet`` where a CSV folder holds the .csv files
(docs/fec.md, "Parquet data folders"). Every column is text (Parquet
``string``), as every CSV cell is, except ``amount_usd``, which is written
as a Parquet ``decimal128(38, s)``, ``s`` the most decimals any of its cells
has (0 when all are whole dollars): exact, never a float. Reading turns
every cell back into the text the CSV reader gives: a decimal in the money
rule of the ingest (whole dollars without decimals, others with the
column's decimals: ``1500``, ``1500.50``), an integer, boolean or date as
its usual text; a dictionary-encoded text column (a pandas category) as its text. A floating-point column is refused, because a float cannot
hold every amount exactly and the written outputs would drift. Cells are
stored as they are: Parquet is not opened as a spreadsheet, so the leading
``'`` that CSV files get before formula characters (`network.storage.cells`)
is not written, and a CSV cell's quote is removed when a CSV file is turned
into Parquet. Rows are numbered from 1 in file order; problems name them as
``relationships.parquet:row 3: amount_usd: ...``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from network.errors import DataError, Problem
from network.storage.inputs import checked_input

__all__ = ["AMOUNT_COLUMNS", "PARQUET_EXPECTED", "arrow_table", "csv_to_parquet", "read_parquet_table", "write_parquet"]

AMOUNT_COLUMNS = ("amount_usd",)
"""Columns written as exact decimals when every cell is a plain decimal number."""
PARQUET_EXPECTED = "a Parquet file whose columns are text, integers, decimals, booleans or dates"
_PLAIN = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
_FORMULA_QUOTE = r"^'('*[=+\-@\t\r])"  # the quote `network.storage.cells.neutralize_cell` adds, as RE2


def _decimal_type(texts: Sequence[str]):
    """The decimal128 type that holds every cell exactly, or None when one is not a plain number."""
    import pyarrow as pa

    scale = digits = 0
    for text in texts:
        if not text:
            continue
        if not _PLAIN.match(text):
            return None
        whole, _, fraction = text.lstrip("-").partition(".")
        scale = max(scale, len(fraction))
        digits = max(digits, len(whole.lstrip("0")) or 1)
    if digits + scale > 38:
        return None
    return pa.decimal128(38, scale)


def arrow_table(frame: pd.DataFrame, *, amount_columns: Iterable[str] = AMOUNT_COLUMNS):
    """A pyarrow Table of a text table: string columns, exact decimals for the amount columns.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["r1", "r2"], "amount_usd": ["1500", "20.5"]})
    >>> table = arrow_table(frame)
    >>> str(table.schema.field("amount_usd").type), table.column("amount_usd").to_pylist()
    ('decimal128(38, 1)', [Decimal('1500.0'), Decimal('20.5')])
    """
    import pyarrow as pa

    arrays, names = [], []
    for name in frame.columns:
        texts = ["" if value is None or value != value else str(value) for value in frame[name]]
        kind = _decimal_type(texts) if name in set(amount_columns) else None
        if kind is not None:
            array = pa.array([t or None for t in texts], pa.string()).cast(kind)
        else:
            array = pa.array(texts, pa.string())
        arrays.append(array)
        names.append(str(name))
    return pa.Table.from_arrays(arrays, names=names)


def write_parquet(frame: pd.DataFrame, path: str | Path) -> int:
    """Write a text table as Parquet (`arrow_table`); returns the number of rows."""
    import pyarrow.parquet as pq

    table = arrow_table(frame)
    pq.write_table(table, str(path), compression="zstd")
    return table.num_rows


def csv_to_parquet(source: str | Path, target: str | Path) -> int:
    """Turn one CSV file the tool wrote into Parquet, cell for cell; returns the number of rows.

    Cells are read as text (a formula quote the CSV writer added is taken off,
    as `network.storage.cells.restore_cell` does), ``amount_usd`` becomes a
    decimal (`arrow_table`). Read with pyarrow in blocks, so a large file is
    not parsed in Python.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    with open(source, encoding="utf-8", newline="") as handle:
        header = next(csv.reader(io.StringIO(handle.readline())), [])
    table = pacsv.read_csv(
        str(source),
        read_options=pacsv.ReadOptions(block_size=1 << 24),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types={name: pa.string() for name in header},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False))
    columns = []
    for name in table.column_names:
        column = pc.replace_substring_regex(table.column(name), pattern=_FORMULA_QUOTE, replacement=r"\1")
        if name in AMOUNT_COLUMNS:
            kind = _decimal_type(pc.unique(column).to_pylist())
            if kind is not None:
                column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column).cast(kind)
        columns.append(column)
    table = pa.Table.from_arrays(columns, names=table.column_names)
    pq.write_table(table, str(target), compression="zstd")
    return table.num_rows


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series([], dtype=object) for name in columns})
    frame.index = pd.Index([], dtype="int64", name="line")
    return frame


def _is_text(kind) -> bool:
    import pyarrow.types as t

    return t.is_string(kind) or t.is_large_string(kind) or getattr(t, "is_string_view", lambda _: False)(kind)


def _as_text(column, name: str, shown: str) -> tuple[object | None, Problem | None]:
    """A column as Arrow text (plain or dictionary-encoded), or the problem with its type."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as t

    kind = column.type
    if t.is_dictionary(kind):  # read so, or a pandas category
        if _is_text(kind.value_type):
            return column, None
        return _as_text(column.cast(kind.value_type), name, shown)
    if _is_text(kind):
        return column.cast(pa.string()), None
    if t.is_null(kind):
        return pc.cast(column, pa.string()), None
    if t.is_decimal(kind):
        # the ingest's money rule: whole dollars without decimals, others with the column's decimals
        return pc.replace_substring_regex(column.cast(pa.string()), pattern=r"\.0+$", replacement=""), None
    if t.is_integer(kind) or t.is_boolean(kind) or t.is_date(kind):
        return column.cast(pa.string()), None
    why = ("floating-point numbers cannot hold every amount exactly; write text or a decimal"
           if t.is_floating(kind) else "text, an integer, a decimal, a boolean or a date")
    return None, Problem(shown, 0, name, "column of a type the data contract cannot read", str(kind), why)


def _cells(column) -> np.ndarray:
    """The cells as Python strings, stripped as the CSV reader strips them (``str.strip``), blank when null.

    Through a dictionary: each distinct value becomes a Python string once and is stripped once, and the
    rows share it (ids, types, dates and statuses repeat a great deal).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    out = np.empty(len(column), dtype=object)
    # A row group's batches share one dictionary: each is turned into Python strings once (keyed by its buffers).
    converted: dict[tuple, np.ndarray] = {}
    start = 0
    for chunk in column.chunks:
        dictionary = chunk.dictionary
        key = (dictionary.offset, len(dictionary), *(b.address if b is not None else 0 for b in dictionary.buffers()))
        values = converted.get(key)
        if values is None:
            values = converted[key] = np.array(
                [("" if value is None else value.strip()) for value in dictionary.to_pylist()] + [""], dtype=object)
        indices = chunk.indices.fill_null(len(values) - 1).to_numpy(zero_copy_only=False)
        out[start:start + len(chunk)] = values[indices]
        start += len(chunk)
    return out


def read_parquet_table(path: str | Path, columns: tuple[str, ...]) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one Parquet table of the data contract, as `network.contract.load.read_csv_table` reads a CSV one.

    Returns
    -------
    (pd.DataFrame, list of Problem)
        The rows as stripped strings (blank when null), indexed by row
        number (``line``; the first row is 1), rows with every cell blank
        left out; and every problem: an unreadable or truncated file,
        missing or repeated columns, a column of a type the contract cannot
        read (a float, a list, binary), all named by file and column.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "s.parquet")
    >>> _ = write_parquet(pd.DataFrame({"id": ["s1", " s2 "], "title": ["A", None]}), path)
    >>> frame, problems = read_parquet_table(path, ("id", "title"))
    >>> frame.loc[2].tolist(), problems
    (['s2', ''], [])
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    shown = str(path)
    try:
        checked_input(path, expected=PARQUET_EXPECTED + ": " + ", ".join(columns))
        text = [field.name for field in pq.read_schema(str(path)) if _is_text(field.type)]
        table = pq.read_table(str(path), read_dictionary=text)
    except DataError as err:
        return _empty(columns), list(err.problems)
    except (pa.ArrowException, OSError, ValueError, EOFError) as err:
        reason = str(err).splitlines()[0][:200] if str(err) else type(err).__name__
        return _empty(columns), [Problem(shown, 0, "(file)", "not a readable Parquet file (corrupt or truncated)",
                                         reason, PARQUET_EXPECTED)]
    names = table.column_names
    problems = [Problem(shown, 0, name, "required column missing", ",".join(names), "the columns " + ", ".join(columns))
                for name in columns if name not in names]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            problems.append(Problem(shown, 0, name, "column appears twice", name, "each column once"))
        seen.add(name)
    texts = {}
    for index, name in enumerate(names):
        text, problem = _as_text(table.column(index), name, shown)
        if problem is not None:
            problems.append(problem)
        texts[name] = text
    if problems:
        return _empty(tuple(dict.fromkeys([*columns, *names]))), problems
    # Blank cells are "" (as in CSV); rows with every cell blank (once stripped) are left out, as blank CSV lines are.
    values = {name: _cells(texts[name]) for name in names}
    rows = np.arange(1, table.num_rows + 1, dtype="int64")
    keep = np.zeros(table.num_rows, dtype=bool)
    for column in values.values():
        keep |= column != ""
    if not keep.all():
        rows = rows[keep]
        values = {name: column[keep] for name, column in values.items()}
    frame = pd.DataFrame(values, index=pd.Index(rows, name="line"), dtype=object)
    return frame, problems
