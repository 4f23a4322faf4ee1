"""Filters over relationships: layers, types, statuses, amounts, date windows."""

from __future__ import annotations

from datetime import date
from typing import Iterable

import numpy as np
import pandas as pd

from network.contract.dates import earliest, earliest_days, latest, latest_days
from network.contract.schema import STATUSES, Schema
from network.contract.validate import split_list

__all__ = ["filter_relationships"]


def filter_relationships(
    relationships: pd.DataFrame,
    schema: Schema,
    *,
    layers: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    min_amount_usd: float | None = None,
    statuses: Iterable[str] | None = None,
    include_undated: bool = True,
    min_sources: int | None = None,
) -> pd.DataFrame:
    """The relationships that pass every given filter.

    Parameters
    ----------
    layers, types, statuses : iterables of str, optional
        Keep only these layers, relationship types, statuses.
    since, until : str (YYYY[-MM[-DD]]) or date, optional
        Keep relationships whose period overlaps the window. A relationship
        covers start_date to end_date; a blank end_date means it is ongoing.
        Undated relationships (no start_date and no end_date) cannot be placed
        in a window: they are kept when ``include_undated`` (the command
        line's ``--undated keep``) and dropped otherwise (``--undated drop``,
        the command line's default in every command, so that no number for a
        window counts a tie that cannot be shown to fall in it). ``include_undated`` has no effect without a window.
    min_amount_usd : float, optional
        Drop money relationships below this amount, or with no amount; other
        layers are not affected.
    min_sources : int, optional
        Keep only relationships that cite at least this many distinct sources
        in ``source_ids`` (2 leaves out every single-source tie).

    Raises
    ------
    ValueError
        For an unknown layer, type or status, or a bad date.
    """
    frame = relationships
    keep = np.ones(len(frame), dtype=bool)
    type_layer = frame["type"].map(lambda t: schema.relationship_types[t].layer if t in schema.relationship_types else "")
    if layers is not None:
        layers = list(layers)
        unknown = sorted(set(layers) - set(schema.layers))
        if unknown:
            raise ValueError(f"unknown layer {', '.join(unknown)}; expected one of {', '.join(schema.layers)}")
        keep &= type_layer.isin(layers).to_numpy()
    if types is not None:
        types = list(types)
        unknown = sorted(set(types) - set(schema.relationship_types))
        if unknown:
            raise ValueError(f"unknown relationship type {', '.join(unknown)}; expected one of {', '.join(sorted(schema.relationship_types))}")
        keep &= frame["type"].isin(types).to_numpy()
    if statuses is not None:
        statuses = list(statuses)
        unknown = sorted(set(statuses) - set(STATUSES))
        if unknown:
            raise ValueError(f"unknown status {', '.join(unknown)}; expected one of {', '.join(STATUSES)}")
        keep &= frame["status"].isin(statuses).to_numpy()
    if min_amount_usd is not None:
        amounts = frame["amount_usd"].to_numpy(dtype=float)
        is_money = (type_layer == "money").to_numpy()
        keep &= ~is_money | (amounts >= float(min_amount_usd))
    if min_sources is not None:
        if int(min_sources) != min_sources or min_sources < 0:
            raise ValueError(f"--min-sources: not a count (found {min_sources!r}, expected a whole number 0 or more)")
        cited = frame["source_ids"].map(lambda value: len(set(split_list(value)))).to_numpy(dtype=int)
        keep &= cited >= int(min_sources)
    if since is not None or until is not None:
        window_low = _window_day(since, earliest, "since")
        window_high = _window_day(until, latest, "until")
        start_low, end_low, end_high = earliest_days(frame["start_date"]), earliest_days(frame["end_date"]), latest_days(frame["end_date"])
        low = np.where(np.isnat(start_low), end_low, start_low)   # a blank start: the period begins with its end
        high = end_high                                             # a blank end_date: ongoing
        undated = np.isnat(low) & np.isnat(high)
        after = np.isnat(high) if window_low is not None else np.ones(len(frame), dtype=bool)
        if window_low is not None:
            after |= high >= np.datetime64(window_low, "D")
        before = np.ones(len(frame), dtype=bool)
        if window_high is not None:
            before = np.isnat(low) | (low <= np.datetime64(window_high, "D"))
        keep &= np.where(undated, include_undated, after & before)
    return frame[keep]


def _window_day(value: str | date | None, pick, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    day = pick(str(value))
    if day is None:
        raise ValueError(f"--{name}: not a date (found {value!r}, expected YYYY, YYYY-MM or YYYY-MM-DD)")
    return day
