"""Table cells as a map shows them: text, numbers, id lists, amounts and metrics, one cell or a whole column."""

from __future__ import annotations

import math
import re
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "TYPE_LABELS",
    "split_ids",
    "type_label",
    "clean_text",
    "clean_number",
    "format_amount",
    "format_metric",
    "year_of",
    "truthy",
    "texts",
    "numbers",
    "id_lists",
    "truths",
    "metric_texts",
    "amount_texts",
    "column_of",
]

TYPE_LABELS = {
    "person": "Person", "company": "Company", "platform": "Platform", "pac": "PAC",
    "campaign": "Campaign", "fund": "Fund", "government": "Government body",
    "organization": "Organization", "media": "Media outlet", "committee": "Committee (FEC)",
    "community": "Community",
}
"""How entity types are named in legends, filters and panels (others are title-cased)."""
_QUALIFIER_WORDS = {"exact": "", "approx": "about ", "at_least": "at least ", "at_most": "at most "}
_WHOLE_BELOW = 1e15


def split_ids(value: Any) -> list[str]:
    """The parts of a ``;``-joined cell (a list passes through), stripped, empties dropped.

    Examples
    --------
    >>> split_ids("r1; r2;;"), split_ids(float("nan")), split_ids(["a", "b"])
    (['r1', 'r2'], [], ['a', 'b'])
    """
    if isinstance(value, (list, tuple)):
        return [str(part).strip() for part in value if str(part).strip()]
    text = clean_text(value)
    return [part.strip() for part in text.split(";") if part.strip()]


def clean_text(value: Any) -> str:
    """A cell as text: missing values (None, NaN, NA) become ``""``.

    Examples
    --------
    >>> clean_text(None), clean_text(float("nan")), clean_text(" Musk "), clean_text(3)
    ('', '', 'Musk', '3')
    """
    if isinstance(value, str):
        return value.strip()
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    return str(value).strip()


def clean_number(value: Any) -> float | None:
    """A cell as a finite float, or None when missing or not a number.

    Examples
    --------
    >>> clean_number("12.5"), clean_number(""), clean_number(float("nan")), clean_number(2)
    (12.5, None, None, 2.0)
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_amount(amount_usd: float | None, qualifier: str = "") -> str:
    """Dollars as people write them, with the amount's qualifier.

    Examples
    --------
    >>> format_amount(75000000.0), format_amount(1e8, "at_least"), format_amount(None)
    ('$75,000,000', 'at least $100,000,000', '')
    """
    if amount_usd is None:
        return ""
    words = _QUALIFIER_WORDS.get(qualifier, f"{qualifier} " if qualifier else "")
    return f"{words}${amount_usd:,.0f}"


def format_metric(value: float | None) -> str:
    """A metric value for a panel: whole numbers as such, others to 4 significant digits.

    Examples
    --------
    >>> format_metric(3.0), format_metric(0.123456), format_metric(None)
    ('3', '0.1235', '')
    """
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) < _WHOLE_BELOW:
        return str(int(value))
    return f"{value:.4g}"


def year_of(text: str) -> int | None:
    """The year of a ``YYYY[-MM[-DD]]`` date, or None.

    Examples
    --------
    >>> year_of("2024-10-16"), year_of("2022"), year_of("")
    (2024, 2022, None)
    """
    match = re.match(r"^(\d{4})", text)
    return int(match.group(1)) if match else None


def type_label(entity_type: str) -> str:
    """The display name of an entity type."""
    return TYPE_LABELS.get(entity_type, entity_type.replace("_", " ").capitalize())


def truthy(value: Any) -> bool:
    """A cell as a yes or no: ``true``, ``1`` or ``yes`` (any case) and nonzero numbers are yes.

    Examples
    --------
    >>> truthy(" Yes"), truthy("no"), truthy(2), truthy(float("nan")), truthy(None)
    (True, False, True, False, False)
    """
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value) if clean_number(value) is not None or isinstance(value, bool) else False


def column_of(table: pd.DataFrame, name: str, default: Any = "") -> list[Any]:
    """The column's values, or ``default`` for every row when the table has no such column."""
    return table[name].tolist() if name in table.columns else [default] * len(table)


# Column-wise forms: one pass over a column, the common cases inline, anything else through the cell function.

def texts(values: Iterable[Any]) -> list[str]:
    """`clean_text` of every value.

    Examples
    --------
    >>> texts([" a ", None, float("nan"), 3])
    ['a', '', '', '3']
    """
    return [v.strip() if v.__class__ is str else clean_text(v) for v in values]


def numbers(values: Sequence[Any] | np.ndarray | pd.Series) -> list[float | None]:
    """`clean_number` of every value.

    Examples
    --------
    >>> numbers([1, 2.5, float("inf")]), numbers(["3", None])
    ([1.0, 2.5, None], [3.0, None])
    """
    array = np.asarray(values)
    if array.dtype.kind not in "biuf":
        return [clean_number(v) for v in values]
    floats = array.astype(float)
    result = floats.tolist()
    for i in np.flatnonzero(~np.isfinite(floats)).tolist():
        result[i] = None
    return result


def id_lists(values: Iterable[Any]) -> list[list[str]]:
    """`split_ids` of every value.

    Examples
    --------
    >>> id_lists(["r1; r2;;", " r3 ", "", None])
    [['r1', 'r2'], ['r3'], [], []]
    """
    return [([part.strip() for part in v.split(";") if part.strip()] if ";" in v else [v.strip()] if v.strip() else [])
            if v.__class__ is str else split_ids(v) for v in values]


def truths(values: Iterable[Any]) -> list[bool]:
    """`truthy` of every value."""
    return [v if v.__class__ is bool else truthy(v) for v in values]


def metric_texts(values: Iterable[float | None]) -> list[str]:
    """`format_metric` of every value of a `numbers` list.

    Examples
    --------
    >>> metric_texts([3.0, 0.123456, None, -0.0, 2e15])
    ['3', '0.1235', '', '0', '2e+15']
    """
    return ["" if v is None else str(int(v)) if v.is_integer() and abs(v) < _WHOLE_BELOW else f"{v:.4g}"
            for v in values]


def amount_texts(amounts: Iterable[float | None], qualifiers: Iterable[str]) -> list[str]:
    """`format_amount` of every amount of a `numbers` list with its qualifier (a `texts` list).

    Examples
    --------
    >>> amount_texts([75e6, None, 1e8, 5.0], ["", "at_least", "at_least", "odd"])
    ['$75,000,000', '', 'at least $100,000,000', 'odd $5']
    """
    words = _QUALIFIER_WORDS
    return ["" if amount is None else f"{words[qualifier]}${amount:,.0f}" if qualifier in words
            else f"{qualifier} ${amount:,.0f}" if qualifier else f"${amount:,.0f}"
            for amount, qualifier in zip(amounts, qualifiers)]
