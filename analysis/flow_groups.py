"""Money totals by group: by relationship type, by period, or by the other ties that go with the money.

Each money relationship falls in exactly one group, so the groups add up to the whole (`analysis.flows`
counts the money; docs/money.md says how).
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from analysis.flows import GROUP_COLUMNS, PERIODS, PLEDGE_TYPES, money_relationships, summary_of
from network.contract.dates import parse_partial_date
from network.graph import InfluenceGraph

__all__ = ["flows_by_group", "period_label"]


def period_label(text: str, period: str) -> str:
    """The period a partial date falls in, no finer than the date is known.

    Examples
    --------
    >>> period_label("2024-08-02", "quarter"), period_label("2024-08", "month"), period_label("2024", "month")
    ('2024-Q3', '2024-08', '2024')
    >>> period_label("", "year")
    'undated'
    """
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; expected one of {', '.join(PERIODS)}")
    span = parse_partial_date(text) if text else None
    if span is None:
        return "undated"
    first, last = span
    if period == "year" or first.year != last.year or (first.month != last.month and period == "month"):
        return str(first.year)
    if period == "month":
        return f"{first.year}-{first.month:02d}"
    quarter = (first.month - 1) // 3
    return f"{first.year}-Q{quarter + 1}" if (last.month - 1) // 3 == quarter else str(first.year)


def _context_layer(graph: InfluenceGraph, money: pd.DataFrame) -> list[str]:
    """For each money row, the strongest other layer tying its two ends (or 'money only')."""
    precedence = ("control", "access", "affiliation", "conflict")
    others = graph.relationships[graph.relationships["layer"] != "money"]
    layers: dict[frozenset, set[str]] = {}
    for s, t, layer in zip(others["source"], others["target"], others["layer"]):
        layers.setdefault(frozenset((s, t)), set()).add(layer)
    found = []
    for s, t in zip(money["source"], money["target"]):
        tied = layers.get(frozenset((s, t)), set())
        found.append(next((layer for layer in precedence if layer in tied), "money only"))
    return found


def flows_by_group(
    graph: InfluenceGraph, by: str, *, period: str = "year", pledge_types: Sequence[str] | None = PLEDGE_TYPES,
) -> pd.DataFrame:
    """Money totals by relationship type, by period or by the ties that go with the money.

    Each money relationship falls in exactly one group, so the groups' sums
    add up to the whole and no relationship is counted twice:

    - ``by="type"``: its type (donation, pledge, spending, contract, ...).
    - ``by="period"``: the period of its end date, or of its start date when
      it has no end (money is known to have moved by the end of the period it
      was reported for: "$75M up to the end of September" is in 2024-Q3);
      a date less precise than the period gives a coarser label ("2024" in a
      month view), a missing one ``undated``. See `period_label`.
    - ``by="layer"``: the strongest other layer that ties giver and recipient
      in either direction, in the order control, access, affiliation,
      conflict, else ``money only``: money a founder puts into a PAC he
      controls is under ``control``, money between strangers under ``money
      only``. (Amounts exist only in the money layer, so this is how money
      divides across layers.)

    Parameters
    ----------
    graph : InfluenceGraph
    by : {"type", "period", "layer"}
    period : {"year", "quarter", "month"}
        With ``by="period"``.
    pledge_types : sequence of str

    Returns
    -------
    pd.DataFrame
        A first column named ``by`` (the group), then `GROUP_COLUMNS`:
        ``relationships`` (transfers and pledges in the group),
        ``without_amount`` (of those, how many give no amount),
        ``given_usd`` (transfers summed), ``given_qualifier``,
        ``pledged_usd`` (pledges summed, apart), ``aggregate_rows`` and
        ``stated_total_usd`` (the largest aggregate figure, never added).
        Sorted by group (periods in time order, ``undated`` last).

    Raises
    ------
    ValueError
        For an unknown ``by`` or ``period``.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "b", 1.0)])
    >>> list(flows_by_group(graph, "type").columns[:3])
    ['type', 'relationships', 'without_amount']
    """
    if by not in ("type", "period", "layer"):
        raise ValueError(f"unknown grouping {by!r}; expected type, period or layer")
    money = money_relationships(graph, pledge_types=pledge_types)
    if by == "type":
        keys = money["type"].tolist()
    elif by == "period":
        keys = [period_label(end or start, period) for start, end in zip(money["start_date"], money["end_date"])]
    else:
        keys = _context_layer(graph, money)
    money = money[["transfer", "pledge", "stated", "amount_usd", "amount_qualifier"]].assign(_group=keys)  # what `summary_of` reads
    rows = [{by: key, **summary_of(group)} for key, group in money.groupby("_group", sort=True)]
    return pd.DataFrame(rows, columns=[by, *GROUP_COLUMNS])
