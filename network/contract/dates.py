"""Partial dates (YYYY, YYYY-MM, YYYY-MM-DD) as the intervals they stand for."""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

from network.storage.inputs import normalize_digits

__all__ = ["DATE_FORMATS", "parse_partial_date", "earliest", "latest", "earliest_days", "latest_days"]

DATE_FORMATS = "YYYY, YYYY-MM or YYYY-MM-DD"
_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
FIRST_YEAR, LAST_YEAR = 1700, 2200
"""Years outside this range are typos (``0024``, ``20244`` cut short), not history the data covers."""


@lru_cache(maxsize=1 << 16)  # a data folder repeats the same dates thousands of times; the result is immutable
def parse_partial_date(text: str) -> tuple[date, date] | None:
    """The first and last day a partial date covers, or None if it is not one.

    Examples
    --------
    >>> parse_partial_date("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    >>> parse_partial_date("2024") == (date(2024, 1, 1), date(2024, 12, 31))
    True
    >>> parse_partial_date("2024-13") is None, parse_partial_date("10/16/2024") is None
    (True, True)
    >>> parse_partial_date("٢٠٢٤-١٠-٠١")[0], parse_partial_date("0024") is None
    (datetime.date(2024, 10, 1), True)
    """
    match = _PATTERN.match(normalize_digits(text).strip())
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        exact = date(year, month, day)
        return exact, exact
    except ValueError:
        return None


def earliest(text: str) -> date | None:
    """The first day of a partial date (None for blank or bad text)."""
    span = parse_partial_date(text) if text else None
    return span[0] if span else None


def latest(text: str) -> date | None:
    """The last day of a partial date (None for blank or bad text)."""
    span = parse_partial_date(text) if text else None
    return span[1] if span else None


def _day_bounds(texts, *, last: bool):
    """Vectorized `earliest` / `latest` for a sequence of partial dates (NaT for blank or bad).

    Dates repeat a lot (one filing date for thousands of rows), so each
    distinct text is parsed once.
    """
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(texts, dtype=object), use_na_sentinel=True)
    bounds = _parse_bounds(pd.Series(uniques, dtype=object), last=last)
    out = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[D]")
    known = codes >= 0
    out[known] = bounds[codes[known]]
    return out


def _parse_bounds(texts, *, last: bool):
    import pandas as pd

    strings = pd.Series(texts, dtype=object).fillna("").astype(str).map(normalize_digits).str.strip()
    lengths = strings.str.len()
    if last:
        full = strings.where(lengths != 4, strings + "-12-01").where(lengths != 7, strings + "-01")
    else:
        full = strings.where(lengths != 4, strings + "-01-01").where(lengths != 7, strings + "-01")
    full = full.where(lengths.isin([4, 7, 10]), "")
    days = pd.to_datetime(full, format="%Y-%m-%d", errors="coerce")
    if last:
        month_end = days + pd.offsets.MonthEnd(0)
        days = days.where(lengths == 10, month_end)
    return days.to_numpy(dtype="datetime64[D]")


def earliest_days(texts):
    """First days of many partial dates as a numpy ``datetime64[D]`` array (NaT where blank or bad).

    Examples
    --------
    >>> earliest_days(["2024", "2024-02", "2024-02-10", ""]).astype(str).tolist()
    ['2024-01-01', '2024-02-01', '2024-02-10', 'NaT']
    """
    return _day_bounds(texts, last=False)


def latest_days(texts):
    """Last days of many partial dates as a numpy ``datetime64[D]`` array (NaT where blank or bad).

    Examples
    --------
    >>> latest_days(["2024", "2024-02", "2024-02-10", "x"]).astype(str).tolist()
    ['2024-12-31', '2024-02-29', '2024-02-10', 'NaT']
    """
    return _day_bounds(texts, last=True)
