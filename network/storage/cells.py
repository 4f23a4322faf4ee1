"""CSV cells made safe to open in a spreadsheet program, and restored exactly on read-back.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel and LibreOffice (OWASP "CSV injection"):
``=HYPERLINK(...)`` in a name would be live. Such a cell, unless it is a
number (``-5``, ``+1.5e3``), is written with a leading ``'``, which the
programs show as text. So that round trips are exact, a cell that already
begins with quotes followed by one of those characters gets one more quote,
and the read-back removes exactly one (docs/exports.md).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["FORMULA_START", "WHOLE_NUMBER", "neutralize_cell", "restore_cell", "neutralized_frame", "write_neutralized_csv"]

FORMULA_START = r"^'*[-=+@\t\r]"
"""A cell `neutralize_cell` quotes, unless it is a `WHOLE_NUMBER` (the same text in Python, RE2 and Java regexes)."""
_NUMBER_BODY = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
WHOLE_NUMBER = "^" + _NUMBER_BODY + r"\z"
"""A number and nothing else, for RE2 (DuckDB) and Java (Spark): the FEC engines neutralize in their own SQL."""
_RISKY = re.compile(FORMULA_START)
_QUOTED = re.compile(r"^'+[-=+@\t\r]")
_NUMBER = re.compile("^" + _NUMBER_BODY + r"\Z")
_GAP = "\x00"
_FIRSTS = "'-=+@\t\r"
"""What a text that `FORMULA_START` matches begins with: looked for after each NUL of a joined column (memchr-fast)."""  # \Z: Python's `$` would also match before a last newline


def neutralize_cell(value):
    """The cell as written to a CSV file: a leading ``'`` before a formula character; others unchanged.

    Examples
    --------
    >>> neutralize_cell('=HYPERLINK("http://x")'), neutralize_cell("-5"), neutralize_cell("'=a"), neutralize_cell(3)
    ('\\'=HYPERLINK("http://x")', '-5', "''=a", 3)
    >>> neutralize_cell("-5\\n")  # a number with more after it is text
    "'-5\\n"
    """
    if isinstance(value, str) and _RISKY.match(value) and not _NUMBER.match(value):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """The cell as it was before `neutralize_cell` (one leading ``'`` removed before a formula character).

    Examples
    --------
    >>> restore_cell("'=a"), restore_cell("''=a"), restore_cell("'quoted'"), restore_cell("-5")
    ('=a', "'=a", "'quoted'", '-5')
    """
    return value[1:] if _QUOTED.match(value) else value


def neutralized_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and column name) neutralized; the same frame if none needs it.

    A column is searched as one text (its strings joined by NUL, one regex scan); only the cells that
    begin like a formula are passed to `neutralize_cell`.

    Examples
    --------
    >>> neutralized_frame(pd.DataFrame({"a": ["=1+1", "x", None], "-b": [1, 2, 3]})).to_dict("list")
    {'a': ["'=1+1", 'x', None], "'-b": [1, 2, 3]}
    """
    risky = {}
    for column in frame.columns:
        if frame[column].dtype == object:
            cells = _formula_cells(frame[column].to_numpy(dtype=object))
            if cells is not None:
                risky[column] = cells
    renamed = {c: neutralize_cell(c) for c in frame.columns if isinstance(c, str) and neutralize_cell(c) != c}
    if not risky and not renamed:
        return frame
    frame = frame.copy()
    for column, cells in risky.items():
        values = frame[column].to_numpy(dtype=object).copy()
        values[cells] = [neutralize_cell(v) for v in values[cells].tolist()]
        frame[column] = values
    return frame.rename(columns=renamed)


def _formula_cells(values: np.ndarray):
    """Where ``values`` holds text that begins like a formula (`FORMULA_START`), or None when nowhere."""
    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        texts = values.tolist()
    else:
        texts = [v for v in values.tolist() if isinstance(v, str)]
    joined = _GAP.join(texts)
    maybe = (joined[:1] != "" and joined[0] in _FIRSTS) or any(_GAP + first in joined for first in _FIRSTS)
    if not maybe and joined.count(_GAP) == max(len(texts) - 1, 0):
        return None
    cells = np.fromiter((isinstance(v, str) and _RISKY.match(v) is not None for v in values.tolist()), dtype=bool, count=len(values))
    return cells if cells.any() else None


def write_neutralized_csv(path: str | Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    """Write dict rows as CSV under ``columns`` (a missing or None cell blank), every cell `neutralize_cell`-ed.

    Returns the number of rows written.
    """
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralize_cell("" if row.get(c) is None else row.get(c)) for c in columns])
            count += 1
    return count
