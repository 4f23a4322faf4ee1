"""Partial dates (YYYY, YYYY-MM, YYYY-MM-DD) as the intervals they stand for."""

from __future__ import annotations

import calendar
import re
from datetime import date

__all__ = ["DATE_FORMATS", "parse_partial_date", "earliest", "latest"]

DATE_FORMATS = "YYYY, YYYY-MM or YYYY-MM-DD"
_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


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
    """
    match = _PATTERN.match(text.strip())
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
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
