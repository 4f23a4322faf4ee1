"""What the analysis commands share for output: --format and --out, text tables, CSV, JSON."""

from __future__ import annotations

import argparse
import json
import math
import sys
import unicodedata
from pathlib import Path

import pandas as pd

from network.storage.cells import neutralized_frame
from network.storage.files import atomic_path

__all__ = ["add_output_options", "csv_text", "format_table", "json_records", "printable", "render", "emit"]


def add_output_options(parser: argparse.ArgumentParser, *, formats=("table", "csv", "json")) -> None:
    """--format and --out, as the analysis commands share them."""
    parser.add_argument("--format", choices=formats, default="table", help="output format (default: table)")
    parser.add_argument("--out", metavar="FILE", type=Path, default=None,
                        help="write the output to FILE (whole or not at all) instead of printing it")


def printable(text: object) -> str:
    """Text safe for a terminal: control characters (ESC sequences, ...) shown as escapes, newlines kept.

    Examples
    --------
    >>> printable("ok\\nred \\x1b[31m")
    'ok\\nred \\\\x1b[31m'
    """
    return "".join(ch.encode("unicode_escape").decode("ascii") if _hidden(ch) else ch for ch in str(text))


_BIDI_OVERRIDES = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _hidden(ch: str) -> bool:
    """A control character (not newline or tab) or a bidi override: both can disguise what a terminal shows.

    Joiners (ZWJ, ZWNJ, common in Persian and Arabic names) are kept.
    """
    return (ch not in "\n\t" and unicodedata.category(ch) == "Cc") or ch in _BIDI_OVERRIDES


def _cell(value, column: str, width: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        if column.endswith("_usd"):
            return f"{value:,.0f}"
        return f"{value:.4f}" if abs(value) < 1e6 else f"{value:,.0f}"
    text = printable(str(value).replace("\n", " "))
    return text if len(text) <= width else text[: width - 3] + "..."


def format_table(frame: pd.DataFrame, *, max_width: int = 40) -> str:
    """A fixed-width text table: numbers right-aligned, text left-aligned and cut at ``max_width``.

    Examples
    --------
    >>> print(format_table(pd.DataFrame({"id": ["a", "bb"], "given_usd": [1500000.0, float("nan")]})))
    id  given_usd
    --  ---------
    a   1,500,000
    bb
    """
    columns = list(frame.columns)
    cells = [[_cell(v, c, max_width) for v, c in zip(row, columns)] for row in frame.itertuples(index=False)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]) for c in columns]
    widths = [max([len(str(c)), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]

    def line(values) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)]
        return "  ".join(parts).rstrip()

    return "\n".join([line([str(c) for c in columns]), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def json_records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts: NaN and NA become None, numpy scalars Python numbers."""
    records = []
    for row in frame.to_dict("records"):
        clean = {}
        for key, value in row.items():
            if value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                value = None
            elif hasattr(value, "item"):
                value = value.item()
            clean[str(key)] = value
        records.append(clean)
    return records


def csv_text(frame: pd.DataFrame) -> str:
    """A table as CSV text: ``\n`` line ends, ten significant digits (the same as the output files)."""
    return neutralized_frame(frame).to_csv(index=False, lineterminator="\n", float_format="%.10g")


def render(frame: pd.DataFrame, fmt: str, *, title: str = "") -> str:
    """One table as text in the chosen format (a title line only for ``table``)."""
    if fmt == "csv":
        return csv_text(frame)
    if fmt == "json":
        return json.dumps(json_records(frame), ensure_ascii=False, indent=2) + "\n"
    body = format_table(frame) if len(frame) else "(none)"
    return (f"{title}\n" if title else "") + body + "\n"


def emit(text: str, out: Path | None, *, what: str) -> None:
    """Print ``text``, or write it to ``out`` atomically and say so."""
    if out is None:
        sys.stdout.write(text)
        return
    with atomic_path(out) as temp:
        temp.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({what})")
