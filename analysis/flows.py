"""Money totals that never count a dollar twice."""

from __future__ import annotations

import math
from typing import Sequence

import pandas as pd

from network.contract.dates import parse_partial_date
from network.graph import InfluenceGraph

__all__ = [
    "PLEDGE_TYPES", "PERIODS", "GROUP_COLUMNS",
    "money_relationships", "flows_by_entity", "flows_between", "flows_by_group", "stated_totals",
    "period_label",
]

PLEDGE_TYPES = ("pledge",)
"""Money types that are promises, not transfers: reported apart as ``pledged_usd``."""
PERIODS = ("year", "quarter", "month")
GROUP_COLUMNS = (
    "relationships", "without_amount", "given_usd", "given_qualifier", "pledged_usd", "aggregate_rows",
    "stated_total_usd",
)


def money_relationships(graph: InfluenceGraph, *, pledge_types: Sequence[str] = PLEDGE_TYPES) -> pd.DataFrame:
    """The money-layer relationships, each marked as counted, pledged or a stated total.

    Parameters
    ----------
    graph : InfluenceGraph
    pledge_types : sequence of str
        Types that promise money rather than move it.

    Returns
    -------
    pd.DataFrame
        The relationship rows of layer ``money``, sorted by id, with three
        extra boolean columns: ``transfer`` (money moved and counted: not
        aggregate, not a pledge), ``pledge`` (a promise, not aggregate) and
        ``stated`` (an aggregate row: a total that restates money other rows
        count; never added).

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "b", 1.0)])
    >>> len(money_relationships(graph))
    0
    """
    rows = graph.relationships[graph.relationships["layer"] == "money"].sort_values("id", kind="stable")
    aggregate = rows["aggregate"].astype(bool)
    pledge = rows["type"].isin(list(pledge_types))
    return rows.assign(transfer=~aggregate & ~pledge, pledge=~aggregate & pledge, stated=aggregate).reset_index(drop=True)


def _qualifier(qualifiers: pd.Series, amounts: pd.Series) -> str:
    """How exact a sum is: exact, at_least, at_most or approx (blank when nothing is summed)."""
    given = {q for q, a in zip(qualifiers, amounts) if a == a and a > 0}
    if not given:
        return ""
    inexact = given - {"exact", ""}
    if not inexact:
        return "exact"
    return inexact.pop() if len(inexact) == 1 and inexact <= {"at_least", "at_most"} else "approx"


def _amount(rows: pd.DataFrame) -> float:
    return float(math.fsum(a for a in rows["amount_usd"] if a == a))


def _summary(rows: pd.DataFrame) -> dict:
    """The GROUP_COLUMNS of one group of money relationships."""
    transfers, pledges, stated = rows[rows["transfer"]], rows[rows["pledge"]], rows[rows["stated"]]
    counted = rows[~rows["stated"]]
    return {
        "relationships": int(len(counted)),
        "without_amount": int(counted["amount_usd"].isna().sum()),
        "given_usd": _amount(transfers),
        "given_qualifier": _qualifier(transfers["amount_qualifier"], transfers["amount_usd"]),
        "pledged_usd": _amount(pledges),
        "aggregate_rows": int(len(stated)),
        "stated_total_usd": float(stated["amount_usd"].max()) if stated["amount_usd"].notna().any() else math.nan,
    }


def flows_by_entity(graph: InfluenceGraph, *, pledge_types: Sequence[str] = PLEDGE_TYPES) -> pd.DataFrame:
    """Money given, received and pledged by each entity, split by type.

    Every money relationship counts once on the giving side (its source) and
    once on the receiving side (its target), so the ``given_usd`` column and
    the ``received_usd`` column each add up to the total money moved.
    Aggregate rows (totals that restate money other rows count, such as "more
    than $100 million in all") are never added: the largest one an entity
    states is shown apart as ``stated_given_usd`` / ``stated_received_usd``,
    for context. Pledges are promises, not transfers: they are in
    ``pledged_usd`` / ``pledges_received_usd`` and not in the given columns.
    Relationships without an amount are counted in the ``*_count`` columns
    and add nothing to the sums.

    Parameters
    ----------
    graph : InfluenceGraph
    pledge_types : sequence of str

    Returns
    -------
    pd.DataFrame
        One row per entity with any money relationship: ``id, name, type,
        given_usd, received_usd, net_usd`` (received minus given: positive
        for a net recipient), ``pledged_usd, pledges_received_usd,
        given_count, received_count`` (transfer and pledge relationships,
        with or without an amount), ``given_qualifier, received_qualifier``
        (``exact``, ``at_least``, ``at_most`` or ``approx``: how exact the
        sum is, from its rows' qualifiers), ``stated_given_usd,
        stated_received_usd``, then ``given_<type>_usd`` and
        ``received_<type>_usd`` for every money type that is not a pledge.
        Sorted by given plus received, largest first, then id.

    Examples
    --------
    >>> from network.graph import bundled_graph
    >>> graph = bundled_graph()
    >>> musk = flows_by_entity(graph).set_index("id").loc["elon-musk"]
    >>> float(musk["given_usd"]), float(musk["stated_given_usd"])  # $43.6M + $75M; ">= $200M" is not added
    (118600000.0, 200000000.0)
    """
    money = money_relationships(graph, pledge_types=pledge_types)
    kinds = [t for t in graph.schema.relationship_types
             if graph.schema.relationship_types[t].layer == "money" and t not in pledge_types]
    ids = sorted(set(money["source"]) | set(money["target"]))
    money = money.assign(amount=money["amount_usd"].fillna(0.0))
    transfers, pledges, stated, counted = money[money["transfer"]], money[money["pledge"]], money[money["stated"]], money[~money["stated"]]

    def by(rows: pd.DataFrame, side: str, how: str = "sum", column: str = "amount") -> pd.Series:
        grouped = rows.groupby(side)[column]
        values = grouped.size() if how == "size" else grouped.max() if how == "max" else grouped.apply(math.fsum)
        return values.reindex(ids)

    def qualifier(side: str) -> pd.Series:
        found = {key: _qualifier(group["amount_qualifier"], group["amount_usd"]) for key, group in transfers.groupby(side)}
        return pd.Series(found, dtype=object).reindex(ids).fillna("")

    table = pd.DataFrame({
        "id": ids,
        "given_usd": by(transfers, "source").fillna(0.0).to_numpy(),
        "received_usd": by(transfers, "target").fillna(0.0).to_numpy(),
        "pledged_usd": by(pledges, "source").fillna(0.0).to_numpy(),
        "pledges_received_usd": by(pledges, "target").fillna(0.0).to_numpy(),
        "given_count": by(counted, "source", "size").fillna(0).astype(int).to_numpy(),
        "received_count": by(counted, "target", "size").fillna(0).astype(int).to_numpy(),
        "given_qualifier": qualifier("source").to_numpy(),
        "received_qualifier": qualifier("target").to_numpy(),
        "stated_given_usd": by(stated, "source", "max", "amount_usd").to_numpy(dtype=float),
        "stated_received_usd": by(stated, "target", "max", "amount_usd").to_numpy(dtype=float),
    })
    for kind in kinds:
        of_kind = transfers[transfers["type"] == kind]
        table[f"given_{kind}_usd"] = by(of_kind, "source").fillna(0.0).to_numpy()
        table[f"received_{kind}_usd"] = by(of_kind, "target").fillna(0.0).to_numpy()
    table.insert(3, "net_usd", table["received_usd"] - table["given_usd"])
    names = graph.entities.set_index("id")
    table.insert(1, "name", table["id"].map(names["name"]))
    table.insert(2, "type", table["id"].map(names["type"]))
    volume = table["given_usd"] + table["received_usd"]
    return (table.assign(_volume=-volume).sort_values(["_volume", "id"], kind="stable")
            .drop(columns="_volume").reset_index(drop=True))


def _largest(rows: pd.DataFrame) -> float:
    return float(rows["amount_usd"].max()) if rows["amount_usd"].notna().any() else math.nan


def flows_between(graph: InfluenceGraph, *, pledge_types: Sequence[str] = PLEDGE_TYPES) -> pd.DataFrame:
    """Money from each giver to each recipient, one row per ordered pair.

    Returns
    -------
    pd.DataFrame
        ``source, target, types`` (``;``-joined), then `GROUP_COLUMNS`
        (transfers summed in ``given_usd``, pledges in ``pledged_usd``,
        aggregate rows only counted in ``aggregate_rows`` and shown as the
        largest ``stated_total_usd``). Sorted by given, then pledged, largest
        first, then source and target.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "b", 1.0)])
    >>> flows_between(graph).empty
    True
    """
    money = money_relationships(graph, pledge_types=pledge_types)
    rows = [{"source": s, "target": t, "types": ";".join(sorted(set(group["type"]))), **_summary(group)}
            for (s, t), group in money.groupby(["source", "target"], sort=True)]
    table = pd.DataFrame(rows, columns=["source", "target", "types", *GROUP_COLUMNS])
    order = table.assign(_given=-table["given_usd"], _pledged=-table["pledged_usd"])
    return (order.sort_values(["_given", "_pledged", "source", "target"], kind="stable")
            .drop(columns=["_given", "_pledged"]).reset_index(drop=True))


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
    graph: InfluenceGraph, by: str, *, period: str = "year", pledge_types: Sequence[str] = PLEDGE_TYPES,
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
    money = money.assign(_group=keys)
    rows = [{by: key, **_summary(group)} for key, group in money.groupby("_group", sort=True)]
    return pd.DataFrame(rows, columns=[by, *GROUP_COLUMNS])


def stated_totals(graph: InfluenceGraph, *, pledge_types: Sequence[str] = PLEDGE_TYPES) -> pd.DataFrame:
    """The aggregate rows: stated totals shown for context, beside the money the other rows count.

    Returns
    -------
    pd.DataFrame
        One row per aggregate money relationship, sorted by id: ``id,
        source, target, type, amount_usd, amount_qualifier, start_date,
        end_date, status, role, source_ids``, then ``counted_pair_usd`` (the
        transfers from the same source to the same target that the totals
        count) and ``counted_given_usd`` (everything the source is counted as
        giving).

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "b", 1.0)])
    >>> stated_totals(graph).empty
    True
    """
    money = money_relationships(graph, pledge_types=pledge_types)
    transfers = money[money["transfer"]]
    columns = ["id", "source", "target", "type", "amount_usd", "amount_qualifier", "start_date", "end_date",
               "status", "role", "source_ids"]
    stated = money[money["stated"]][columns].reset_index(drop=True)
    pair = [_amount(transfers[(transfers["source"] == s) & (transfers["target"] == t)])
            for s, t in zip(stated["source"], stated["target"])]
    given = [_amount(transfers[transfers["source"] == s]) for s in stated["source"]]
    return stated.assign(counted_pair_usd=pair, counted_given_usd=given)

