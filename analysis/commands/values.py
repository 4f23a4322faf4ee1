"""Option values parsed strictly: finite numbers in range, whole numbers without ``_``, real dates.

``argparse``'s ``type=float`` takes ``nan``, ``inf`` and ``1_000``; ``--min-amount-usd nan``
then silently dropped every money tie. These parsers refuse such values with a message.
"""

from __future__ import annotations

import argparse
import math
import re

from network.contract.amounts import LARGEST_USD, parse_amount
from network.contract.dates import DATE_FORMATS, parse_partial_date

__all__ = ["amount_usd", "finite_float", "whole_number", "partial_date"]

_FLOAT = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?$")
_INT = re.compile(r"^[+-]?[0-9]{1,12}$")


def finite_float(low: float = -math.inf, high: float = math.inf, *, low_open: bool = False):
    """An argparse type: a finite decimal number in ``[low, high]`` (``(low, high]`` if ``low_open``)."""
    def parse(text: str) -> float:
        if not _FLOAT.match(text.strip()):
            raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
        value = float(text)
        if not math.isfinite(value) or value < low or value > high or (low_open and value == low):
            bound = "(" if low_open else "["
            raise argparse.ArgumentTypeError(f"{text!r} is out of range; expected a number in {bound}{low:g}, {high:g}]")
        return value
    return parse


def whole_number(low: int | None = None):
    """An argparse type: a whole number in ASCII digits (no ``_``), at least ``low``."""
    def parse(text: str) -> int:
        if not _INT.match(text.strip()):
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}")
        value = int(text)
        if low is not None and value < low:
            raise argparse.ArgumentTypeError(f"{text!r} is too small; expected at least {low}")
        return value
    return parse


def amount_usd(text: str) -> float:
    """An argparse type: a non-negative amount of dollars, as the data contract writes it (``25000``, ``25,000``)."""
    value = parse_amount(text)
    if value is None or value < 0 or value > LARGEST_USD:
        raise argparse.ArgumentTypeError(f"not an amount of dollars: {text!r}; expected a number from 0 to 1e15 "
                                         f"(no nan, inf or '_')")
    return value


def partial_date(text: str) -> str:
    """An argparse type: a date as the data contract writes it, normalized to ASCII digits."""
    if parse_partial_date(text) is None:
        raise argparse.ArgumentTypeError(f"not a date: {text!r}; expected {DATE_FORMATS} (years 1700 to 2200)")
    from network.storage.inputs import normalize_digits
    return normalize_digits(text).strip()
