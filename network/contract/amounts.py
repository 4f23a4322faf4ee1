"""Amounts in US dollars as the data contract accepts them, and nothing else.

Accepted: digits with an optional decimal part (``25000``, ``25000.50``),
thousands separators in their right places (``25,000``), Arabic-Indic,
Persian and full-width digits (normalized to ASCII), and an exponent
(``2.5e6``). Refused, because Python's ``float()`` would take them silently:
``1_000``, ``nan``, ``inf``, spaces inside the number. Amounts above
`LARGEST_USD` (no political or corporate sum reaches a quadrillion dollars;
such a number is a typo or an attack on the writers) and positive amounts
below one cent are refused too.
"""

from __future__ import annotations

import math
import re

from network.storage.inputs import normalize_digits

__all__ = ["LARGEST_USD", "AMOUNT_EXPECTED", "parse_amount", "amount_problem", "normalized_amount"]

LARGEST_USD = 1e15
AMOUNT_EXPECTED = "a number of dollars such as 25000, 25000.50 or 25,000 (at most 1e15; no '_', nan or inf)"
_NUMBER = re.compile(r"^-?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]{1,3})?$")


def parse_amount(text: str) -> float | None:
    """The amount a cell holds, or None if it is not a number the contract accepts (sign kept).

    Examples
    --------
    >>> parse_amount("25,000"), parse_amount("١٠٠٠"), parse_amount("１００"), parse_amount("2.5e6")
    (25000.0, 1000.0, 100.0, 2500000.0)
    >>> parse_amount("1_000"), parse_amount("nan"), parse_amount("inf"), parse_amount("1,00")
    (None, None, None, None)
    """
    cleaned = normalize_digits(str(text)).strip()
    if not _NUMBER.match(cleaned):
        return None
    value = float(cleaned.replace(",", ""))
    return value if math.isfinite(value) else None


def amount_problem(value: float) -> str | None:
    """Why a parsed amount is refused (negative, too large, under a cent), or None.

    Examples
    --------
    >>> amount_problem(5.0), amount_problem(-1.0), amount_problem(2e15), amount_problem(0.001)
    (None, 'negative amount', 'amount too large', 'amount below one cent')
    """
    if value < 0:
        return "negative amount"
    if value > LARGEST_USD:
        return "amount too large"
    if 0 < value < 0.01:
        return "amount below one cent"
    return None


def normalized_amount(text: str) -> str:
    """The cell as written back: ASCII digits, no thousands separators; other text unchanged.

    Examples
    --------
    >>> normalized_amount("١٬٠٠٠"), normalized_amount("25,000.5"), normalized_amount("1500")
    ('1000', '25000.5', '1500')
    """
    if not text or parse_amount(text) is None:
        return text
    return normalize_digits(text).strip().replace(",", "")
