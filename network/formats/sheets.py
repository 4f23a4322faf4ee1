"""Reading spreadsheets: the header and the numbered rows of a CSV/TSV (UTF-8) or XLSX file, as text cells.

`network.formats.spreadsheet` turns those rows into entities and relationships (`influence import-edges`).
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

from network.errors import DataError, Problem
from network.formats.common import number_text
from network.formats.edge_cells import detect_delimiter, formula_value
from network.storage.inputs import MAX_CELL_CHARS, checked_input, raise_field_limit, read_input_text

__all__ = ["csv_delimiter", "read_spreadsheet"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return "" if math.isnan(value) else number_text(value)
    return str(value).strip()


def csv_delimiter(path: str | Path) -> str:
    """The delimiter of a delimited text file: tab for .tsv, else detected from its first lines (, ; tab |)."""
    path = Path(path)
    if path.suffix.lower() == ".tsv":
        return "\t"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(65536)
    return detect_delimiter(sample)


def read_spreadsheet(path: str | Path, *, sheet: str | None = None,
                     delimiter: str | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the ``(line, cells)`` rows of a CSV (UTF-8) or XLSX file (first sheet unless ``sheet``).

    Lines are those of the file (CSV) or the worksheet row numbers (XLSX),
    the header being line 1; blank rows are left out. Dates in XLSX become
    ``YYYY-MM-DD``, whole numbers lose their ``.0``; a formula cell without a
    saved value is evaluated if it is arithmetic on numbers, else kept as
    its formula text (see `_xlsx_rows`). A CSV's delimiter is ``delimiter``
    or detected (`csv_delimiter`): comma, semicolon, tab or bar.

    Raises
    ------
    ValueError
        For an unknown sheet, an empty file or an unsupported suffix.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path, sheet)
    elif suffix in (".csv", ".txt", ".tsv"):
        rows = _csv_rows(path, delimiter)
    else:
        raise ValueError(f"{path}: expected a .csv, .tsv or .xlsx file")
    if not rows:
        raise ValueError(f"{path}: the file is empty")
    header = [cell.strip() for cell in rows[0][1]]
    return header, [(line, cells) for line, cells in rows[1:] if any(cells)]


def _csv_rows(path: Path, delimiter: str | None) -> list[tuple[int, list[str]]]:
    """The rows of a delimited text file: ``delimiter``, else tab for .tsv, else detected from the first 64 KB
    (comma, semicolon, tab or bar); quoting errors reported by line."""
    text = read_input_text(path, expected="a UTF-8 .csv or .tsv file with a header row")
    if not delimiter:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else detect_delimiter(text[:65536])
    raise_field_limit()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, start = [], 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return rows
        except csv.Error as err:
            raise DataError([Problem(str(path), start, "(row)", f"unreadable CSV: {err}", None,
                                     f"well-formed quoting, cells of at most {MAX_CELL_CHARS} characters")]) from None
        rows.append((start, [cell.strip() for cell in record]))
        start = reader.line_num + 1


def _xlsx_rows(path: Path, sheet: str | None) -> list[tuple[int, list[str]]]:
    """Every row of the sheet as text, whatever its ``<dimension>`` claims.

    openpyxl's read-only mode stops at the size the file declares, which
    files written by other tools often under-state: the dimension is reset
    so every row is read. A formula cell with no saved value (written by a
    script, never opened in a spreadsheet program) is evaluated when it is
    arithmetic on numbers (``=5500000*2``), else kept as its formula text, so
    that `import_edge_rows` reports its row by line and cell instead of
    reading a blank amount.
    """
    from openpyxl import load_workbook

    checked_input(path, expected="an .xlsx workbook")
    shown = str(path)
    try:
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except Exception as err:  # noqa: BLE001 - zip, XML and XXE errors of every kind: the file is not a workbook we read
        raise DataError([Problem(shown, 0, "(file)", f"not a readable .xlsx workbook ({type(err).__name__}: {str(err)[:120]})",
                                 None, "an .xlsx file saved by a spreadsheet program, not encrypted")]) from None
    try:
        if sheet is not None and sheet not in values.sheetnames:
            raise ValueError(f"{path}: no sheet {sheet!r}; sheets: {', '.join(values.sheetnames)}")
        name = sheet or values.sheetnames[0]
        rows: list[tuple[int, list[str]]] = []
        value_sheet, formula_sheet = values[name], formulas[name]
        for worksheet in (value_sheet, formula_sheet):
            if hasattr(worksheet, "reset_dimensions"):
                worksheet.reset_dimensions()
        try:
            for number, (cells, written) in enumerate(zip(value_sheet.iter_rows(values_only=True),
                                                          formula_sheet.iter_rows(values_only=True)), start=1):
                texts = []
                for value, formula in zip(cells, written):
                    if value is None and isinstance(formula, str) and formula.startswith("="):
                        computed = formula_value(formula)
                        texts.append(formula if computed is None else number_text(computed))
                    else:
                        texts.append(_cell(value))
                rows.append((number, texts))
        except Exception as err:  # noqa: BLE001 - a corrupt sheet part inside a valid zip
            raise DataError([Problem(shown, len(rows) + 1, "(sheet)", f"unreadable worksheet ({type(err).__name__}: {str(err)[:120]})",
                                     None, "an .xlsx file saved by a spreadsheet program")]) from None
    finally:
        values.close()
        formulas.close()
    if rows:
        width = len(rows[0][1])
        while width and not rows[0][1][width - 1]:
            width -= 1
        # pad short rows; cut the empty cells that a sheet's declared width adds beyond the header
        rows = [(n, (c + [""] * (width - len(c)))[: max(width, _last_filled(c))]) for n, c in rows]
    return rows


def _last_filled(cells: list[str]) -> int:
    for index in range(len(cells), 0, -1):
        if cells[index - 1]:
            return index
    return 0
