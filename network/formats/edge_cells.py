"""Reading the cells of a hand-made edge list: dates in several orders, unknown amounts, delimiters, formulas,
and facts that repeat a relationship already in the data."""

from __future__ import annotations

import ast
import csv
import operator
from datetime import date, timedelta
import pandas as pd

from network.contract.dates import DATE_FORMATS, earliest, latest, parse_partial_date
from network.formats.common import number_text

__all__ = [
    "DATE_ORDERS", "UNKNOWN_AMOUNTS", "detect_delimiter", "duplicate_of", "formula_value", "import_date",
    "is_unknown_amount",
]

DATE_ORDERS = ("iso", "us", "dayfirst", "excel")
"""``--date-format``: ISO partial dates; month/day/year; day/month/year; Excel serial day numbers."""

UNKNOWN_AMOUNTS = ("n/a", "na", "n.a.", "unknown", "undisclosed", "not disclosed", "?", "-", "--", "—", "tbd")
"""Amount cells that say the amount is not known: the tie is kept without an amount."""

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 in Excel's (Lotus-compatible) 1900 date system
_EXPECTED = {
    "iso": DATE_FORMATS,
    "us": f"MM/DD/YYYY (or {DATE_FORMATS})",
    "dayfirst": f"DD/MM/YYYY or DD.MM.YYYY (or {DATE_FORMATS})",
    "excel": f"an Excel day number such as 45640 (or {DATE_FORMATS})",
}


def is_unknown_amount(text: str) -> bool:
    """Whether an amount cell says the amount is unknown (``n/a``, ``unknown``, ``-``, ...).

    Examples
    --------
    >>> is_unknown_amount(" N/A "), is_unknown_amount("0")
    (True, False)
    """
    return str(text).strip().casefold() in UNKNOWN_AMOUNTS


def import_date(text: str, order: str = "iso") -> tuple[str | None, str]:
    """A spreadsheet date as an ISO partial date, or ``(None, what was expected)``.

    ISO partial dates (YYYY, YYYY-MM, YYYY-MM-DD) are read under every order;
    ``us`` adds MM/DD/YYYY, ``dayfirst`` DD/MM/YYYY and DD.MM.YYYY, ``excel``
    day numbers counted from 1899-12-30 (Excel's 1900 system, as its cells
    store dates). Two-digit years are refused: they are ambiguous.

    Examples
    --------
    >>> import_date("12/13/2024", "us")
    ('2024-12-13', '')
    >>> import_date("13/12/2024", "dayfirst")[0], import_date("45639", "excel")[0]
    ('2024-12-13', '2024-12-13')
    >>> import_date("12/13/2024")
    (None, 'YYYY, YYYY-MM or YYYY-MM-DD (for month/day/year dates give --date-format us, for day/month/year --date-format dayfirst)')
    """
    if order not in DATE_ORDERS:
        raise ValueError(f"--date-format: found {order!r}, expected one of {', '.join(DATE_ORDERS)}")
    text = str(text).strip()
    if parse_partial_date(text) is not None:
        return text, ""
    if order in ("us", "dayfirst"):
        pieces = text.replace(".", "/").replace("-", "/").split("/")
        if len(pieces) == 3 and all(p.isdigit() for p in pieces) and len(pieces[2]) == 4:
            first, second, year = (int(p) for p in pieces)
            month, day = (first, second) if order == "us" else (second, first)
            try:
                return date(year, month, day).isoformat(), ""
            except ValueError:
                pass
    if order == "excel":
        try:
            serial = float(text)
        except ValueError:
            serial = float("nan")
        if serial == serial and 1 <= serial < 2_958_466 and serial == int(serial):
            return (_EXCEL_EPOCH + timedelta(days=int(serial))).isoformat(), ""
    expected = _EXPECTED[order]
    if order == "iso" and "/" in text:
        expected += " (for month/day/year dates give --date-format us, for day/month/year --date-format dayfirst)"
    elif order == "iso" and text.replace(".", "", 1).isdigit():
        expected += " (for Excel day numbers give --date-format excel)"
    return None, expected


def detect_delimiter(sample: str, *, default: str = ",") -> str:
    """The delimiter of a CSV text: the one of ``, ; tab |`` that splits the header and the next lines alike.

    Examples
    --------
    >>> detect_delimiter("Donor;Recipient;Amount\\nMusk;America PAC;\\"1,5\\"\\n")
    ';'
    >>> detect_delimiter("a,b\\n1,2\\n")
    ','
    """
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return default


_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def formula_value(formula: str) -> float | None:
    """The value of a formula of plain numbers and + - * / (``=5500000*2``), or None for anything else.

    Spreadsheets written by programs often store formulas without the value
    Excel would have saved; arithmetic on constants is evaluated here, a
    formula that refers to cells or functions is not (None).

    Examples
    --------
    >>> formula_value("=5500000*2"), formula_value("=(1+2)/4"), formula_value("=SUM(A1:A3)")
    (11000000.0, 0.75, None)
    """
    text = str(formula).strip()
    if not text.startswith("="):
        return None
    try:
        tree = ast.parse(text[1:].replace(",", ""), mode="eval")
    except SyntaxError:
        return None

    def value(node) -> float:
        if isinstance(node, ast.Expression):
            return value(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return float(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = value(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](value(node.left), value(node.right))
        raise ValueError("not arithmetic on numbers")

    try:
        result = value(tree)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    return result if result == result and abs(result) != float("inf") else None


def _span(start: str, end: str) -> tuple[date | None, date | None]:
    low, high = earliest(start) if start else None, latest(end) if end else None
    return (low or (earliest(end) if end else None)), (high or (latest(start) if start else None))


def duplicate_of(
    relationships: pd.DataFrame, source: str, target: str, kind: str, amount: float | None, start: str, end: str,
    *, mutual: bool = False,
) -> str | None:
    """The id of a relationship that states the same fact, or None.

    The same fact: the same ends (either order for a mutual type), the same
    type, the same amount (both blank, or equal to the cent) and dates that
    overlap (a blank date overlaps anything: it cannot rule the fact out).

    Examples
    --------
    >>> rel = pd.DataFrame([{"id": "r001", "source": "musk", "target": "pac", "type": "donation",
    ...                      "amount_usd": "43600000", "start_date": "2024-10-01", "end_date": "2024-10-16"}])
    >>> duplicate_of(rel, "musk", "pac", "donation", 43_600_000.0, "2024-10-16", "2024-10-16")
    'r001'
    >>> duplicate_of(rel, "musk", "pac", "donation", 43_600_000.0, "2023-05", "2023-05") is None
    True
    """
    if relationships is None or relationships.empty:
        return None
    ends = {(source, target), (target, source)} if mutual else {(source, target)}
    pairs = pd.Series([(s, t) in ends for s, t in zip(relationships["source"], relationships["target"])],
                      index=relationships.index, dtype=bool)
    same = relationships[pairs & (relationships["type"] == kind)]
    wanted = number_text(amount)
    low, high = _span(start, end)
    for row in same.sort_values("id").to_dict("records"):
        written = row.get("amount_usd", "")
        written = "" if written is None or (isinstance(written, float) and written != written) else written
        if isinstance(written, float):
            written = number_text(written)
        if str(written).strip() != wanted:
            try:
                if wanted == "" or str(written).strip() == "" or round(float(written), 2) != round(float(amount), 2):
                    continue
            except ValueError:
                continue
        other_low, other_high = _span(str(row.get("start_date", "") or ""), str(row.get("end_date", "") or ""))
        if low and other_high and low > other_high:
            continue
        if high and other_low and high < other_low:
            continue
        return str(row["id"])
    return None

