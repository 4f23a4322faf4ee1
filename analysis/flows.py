"""Money totals that never count a dollar twice."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd

from network.graph import InfluenceGraph
from network.graph.edges import grouped_qualifiers, sum_qualifier

__all__ = [
    "PLEDGE_TYPES", "PERIODS", "GROUP_COLUMNS", "ENTITY_AMOUNTS",
    "QUALIFIER_WORDS", "money_relationships", "flows_by_entity", "chain_totals", "with_qualifiers", "flows_between", "stated_totals",
    "summary_of",
]

PLEDGE_TYPES = None
"""Money types that are promises, not transfers (reported apart as ``pledged_usd``); None: the schema's
``[money] pledge`` types (docs/money.md)."""
PERIODS = ("year", "quarter", "month")
GROUP_COLUMNS = (
    "relationships", "without_amount", "given_usd", "given_qualifier", "pledged_usd", "aggregate_rows",
    "stated_total_usd",
)
ENTITY_AMOUNTS = (
    "given_usd", "received_usd", "outside_for_usd", "outside_against_usd", "spent_for_usd", "spent_against_usd",
    "pledged_usd", "pledges_received_usd",
)
"""The amount columns of `flows_by_entity`, each with a ``*_qualifier`` column beside it."""
QUALIFIER_WORDS = {"exact": "", "at_least": "at least ", "at_most": "at most ", "approx": "about "}


def with_qualifiers(table: pd.DataFrame, *, symbol: str = "", pad: bool = True) -> pd.DataFrame:
    """For text tables (the CLI, the report): each ``X_usd`` column that has an ``X_qualifier`` (``amount_qualifier``
    for ``amount_usd``) shown as one text, "at least 21,000,000" (``symbol`` before the digits; right-aligned
    when ``pad``), and the qualifier column dropped.

    Examples
    --------
    >>> shown = with_qualifiers(pd.DataFrame({"given_usd": [21e6, 5.0], "given_qualifier": ["at_least", "exact"]}))
    >>> shown["given_usd"].str.strip().tolist(), list(shown.columns)
    (['at least 21,000,000', '5'], ['given_usd'])
    >>> with_qualifiers(pd.DataFrame({"x_usd": [21e6], "x_qualifier": ["approx"]}), symbol="$", pad=False)["x_usd"].tolist()
    ['about $21,000,000']
    """
    shown = table.copy()
    for column in [c for c in table.columns if c.endswith("_usd")]:
        qualifier = column[:-4] + "_qualifier"
        if qualifier not in table.columns:
            continue
        texts = ["" if value != value else QUALIFIER_WORDS.get(q, f"{q} " if q else "") + f"{symbol}{value:,.0f}"
                 for value, q in zip(table[column], table[qualifier].fillna(""))]
        width = max([len(column), *(len(t) for t in texts)]) if pad else 0
        shown[column] = [t.rjust(width) for t in texts]
        shown = shown.drop(columns=[qualifier])
    return shown


def money_relationships(graph: InfluenceGraph, *, pledge_types: Sequence[str] | None = PLEDGE_TYPES) -> pd.DataFrame:
    """The money relationships, each with its money kind and marked as counted, pledged or a stated total.

    A relationship is money when its type has a money kind in the schema's
    ``[money]`` table (docs/money.md, rule 1) or is in the money layer: so
    ``oppose`` (independent expenditures against a candidate, in the conflict
    layer) is money too.

    Parameters
    ----------
    graph : InfluenceGraph
    pledge_types : sequence of str, optional
        Types that promise money rather than move it (default: the schema's pledge kind).

    Returns
    -------
    pd.DataFrame
        The money rows, sorted by id, with ``kind`` (contribution, in_kind,
        pledge, support or oppose) and three boolean columns: ``transfer``
        (money moved and counted: not aggregate, not a pledge), ``pledge``
        (a promise, not aggregate) and ``stated`` (an aggregate row: a total
        that restates money other rows count; never added).

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "b", 1.0)])
    >>> len(money_relationships(graph))
    0
    """
    schema = graph.schema
    relationships = graph.relationships
    kinds = {t: schema.money_kind(t) for t in set(relationships["type"])}
    positions = np.flatnonzero(relationships["type"].map(kinds).astype(bool).to_numpy())
    ids = relationships["id"].to_numpy()[positions]
    if not pd.Index(ids).is_monotonic_increasing:  # validated tables come sorted by id: sorting again changes nothing
        positions = positions[np.argsort(ids, kind="stable")]
    rows = relationships.take(positions)  # the one copy of the rows; the columns below are added in place
    rows.index = pd.RangeIndex(len(rows))
    kind = rows["type"].map(kinds)
    if pledge_types is not None:
        kind = kind.where(~rows["type"].isin(list(pledge_types)), "pledge")
        kind = kind.where(rows["type"].isin(list(pledge_types)) | (kind != "pledge"), "contribution")
    aggregate = rows["aggregate"].astype(bool)
    pledge = kind == "pledge"
    for name, column in (("kind", kind), ("transfer", ~aggregate & ~pledge), ("pledge", ~aggregate & pledge),
                         ("stated", aggregate)):
        rows[name] = column  # as `assign` would: an existing column of that name is replaced where it stands
    return rows


def _qualifier(qualifiers: pd.Series, amounts: pd.Series) -> str:
    """How exact a sum is: exact, at_least, at_most or approx (blank when nothing is summed)."""
    return sum_qualifier(list(qualifiers), list(amounts))


def _amount(rows: pd.DataFrame) -> float:
    amounts = rows["amount_usd"].to_numpy(dtype=float)
    return float(math.fsum(amounts[~np.isnan(amounts)].tolist()))  # the amounts that are there, summed exactly


def _grouped_fsum(keys: pd.Series, values: np.ndarray) -> pd.Series:
    """``math.fsum`` of the values of each key (rows with a missing key left out, as groupby does), by key.

    A group of one or two finite values sums exactly as fsum does (one IEEE addition is correctly
    rounded), so Python runs fsum only on groups of three or more, or with a non-finite value or a
    zero (fsum turns -0.0 into 0.0).

    Examples
    --------
    >>> _grouped_fsum(pd.Series(["a", "b", "a", "a"]), np.array([0.1, -0.0, 0.2, 0.3])).to_dict()
    {'a': 0.6, 'b': 0.0}
    """
    codes, uniques = pd.factorize(keys, sort=True)
    present = codes >= 0
    codes, values = codes[present], values[present]
    groups = len(uniques)
    order = np.argsort(codes, kind="stable")
    codes, values = codes[order], values[order]
    counts = np.bincount(codes, minlength=groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    totals = np.zeros(groups)
    pairs = counts == 2
    totals[counts == 1] = values[starts[counts == 1]]
    with np.errstate(invalid="ignore", over="ignore"):
        totals[pairs] = values[starts[pairs]] + values[starts[pairs] + 1]
    unusual = ~np.isfinite(values) | (values == 0)
    slow = (counts >= 3) | (np.bincount(codes, weights=unusual, minlength=groups) > 0) | ~np.isfinite(totals)
    for group in np.flatnonzero(slow).tolist():
        totals[group] = math.fsum(values[starts[group]:starts[group] + counts[group]].tolist())
    return pd.Series(totals, index=uniques, dtype=float)


def summary_of(rows: pd.DataFrame) -> dict:
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


_SIDES = (
    # column, kinds, side
    ("given", ("contribution", "in_kind"), "source"),
    ("received", ("contribution", "in_kind"), "target"),
    ("outside_for", ("support",), "target"),
    ("outside_against", ("oppose",), "target"),
    ("spent_for", ("support",), "source"),
    ("spent_against", ("oppose",), "source"),
    ("pledged", ("pledge",), "source"),
    ("pledges_received", ("pledge",), "target"),
)


def _combined_qualifier(*qualifiers: str) -> str:
    """The qualifier of a difference or a minimum of sums: exact if all are, else approx (blank if none)."""
    present = [q for q in qualifiers if q]
    if not present:
        return ""
    return "exact" if all(q == "exact" for q in present) else "approx"


def flows_by_entity(graph: InfluenceGraph, *, pledge_types: Sequence[str] | None = PLEDGE_TYPES) -> pd.DataFrame:
    """Money given, received, spent for or against, and pledged by each entity (docs/money.md).

    Contributions and in-kind gifts count once on the giving side (their
    source: ``given_usd``) and once on the receiving side (their target:
    ``received_usd``, the contributions received). Independent expenditures
    are outside spending: the spender's ``spent_for_usd`` /
    ``spent_against_usd``, and the ``outside_for_usd`` /
    ``outside_against_usd`` of the candidate or committee they name, never
    money it received. Pledges are promises: ``pledged_usd`` /
    ``pledges_received_usd``, apart. Aggregate rows (totals that restate
    money other rows count, such as "more than $100 million in all") are
    never added: the largest one an entity states is shown apart as
    ``stated_given_usd`` / ``stated_received_usd``. Relationships without
    an amount are counted in the ``*_count`` columns and add nothing.

    ``pass_through_usd`` is the most of an entity's outflow (given plus spent
    for and against) that can be money it received: the smaller of the two.
    A chain total counts it once (``gross`` adds every outflow, ``net of
    pass-through`` subtracts it; see `chain_totals`).

    Returns
    -------
    pd.DataFrame
        One row per entity with any money relationship: ``id, name, type``,
        then for each of `ENTITY_AMOUNTS` the amount and its ``*_qualifier``
        (``exact``, ``at_least``, ``at_most`` or ``approx``, from its rows'
        qualifiers), ``net_usd`` (received minus given), ``pass_through_usd``
        (each with a qualifier), ``given_count, received_count`` (non-aggregate
        rows of every kind, pledges and outside spending included, with or
        without an amount), ``stated_given_usd,
        stated_received_usd``, then ``given_<type>_usd`` and
        ``received_<type>_usd`` for every contribution and in-kind type.
        Sorted by everything it moved in or out, largest first, then id.

    Examples
    --------
    >>> from network.graph import bundled_graph
    >>> table = flows_by_entity(bundled_graph()).set_index("id")
    >>> musk = table.loc["elon-musk"]
    >>> float(musk["given_usd"]), float(musk["stated_given_usd"])  # $43.6M + $75M; ">= $200M" is not added
    (118600000.0, 200000000.0)
    >>> campaign = table.loc["trump-campaign-2024"]
    >>> float(campaign["received_usd"]), float(campaign["outside_for_usd"]), campaign["outside_for_qualifier"]
    (150000000.0, 21000000.0, 'at_least')
    """
    money = money_relationships(graph, pledge_types=pledge_types)
    schema = graph.schema
    per_type = [t for t in schema.money_types("contribution", "in_kind")]
    ids = sorted(set(money["source"]) | set(money["target"]))
    money = money.assign(amount=money["amount_usd"].fillna(0.0))
    counted, stated = money[~money["stated"]], money[money["stated"]]

    def by(rows: pd.DataFrame, side: str, how: str = "sum", column: str = "amount") -> pd.Series:
        grouped = rows.groupby(side)[column]
        if how == "sum":
            return _grouped_fsum(rows[side], rows[column].to_numpy(dtype=float)).reindex(ids)
        values = grouped.size() if how == "size" else grouped.max()
        return values.reindex(ids)

    def qualifier(rows: pd.DataFrame, side: str) -> pd.Series:
        if rows["amount_qualifier"].isna().any():  # NaN and None differ in `sum_qualifier`: keep its own loop
            found = {key: _qualifier(group["amount_qualifier"], group["amount_usd"]) for key, group in rows.groupby(side)}
            return pd.Series(found, dtype=object).reindex(ids).fillna("")
        codes, keys = pd.factorize(rows[side])
        texts = grouped_qualifiers(codes, rows["amount_qualifier"].to_numpy(dtype=object),
                                   rows["amount_usd"].to_numpy(dtype=float), len(keys))
        return pd.Series(texts, index=keys, dtype=object).reindex(ids).fillna("")

    table = pd.DataFrame({"id": ids})
    for column, kinds, side in _SIDES:
        rows = counted[counted["kind"].isin(kinds)]
        table[f"{column}_usd"] = by(rows, side).fillna(0.0).to_numpy()
        table[f"{column}_qualifier"] = qualifier(rows, side).to_numpy()
    outflow = table["given_usd"] + table["spent_for_usd"] + table["spent_against_usd"]
    table["net_usd"] = table["received_usd"] - table["given_usd"]
    table["net_qualifier"] = [_combined_qualifier(a, b) for a, b in zip(table["received_qualifier"], table["given_qualifier"])]
    table["pass_through_usd"] = np.minimum(table["received_usd"], outflow)
    table["pass_through_qualifier"] = [
        _combined_qualifier(r, g, f, a) if p > 0 else ""
        for p, r, g, f, a in zip(table["pass_through_usd"], table["received_qualifier"], table["given_qualifier"],
                                 table["spent_for_qualifier"], table["spent_against_qualifier"])]
    table["given_count"] = by(counted, "source", "size").fillna(0).astype(int).to_numpy()
    table["received_count"] = by(counted, "target", "size").fillna(0).astype(int).to_numpy()
    table["stated_given_usd"] = by(stated, "source", "max", "amount_usd").to_numpy(dtype=float)
    table["stated_received_usd"] = by(stated, "target", "max", "amount_usd").to_numpy(dtype=float)
    for kind in per_type:
        of_kind = counted[counted["type"] == kind]
        table[f"given_{kind}_usd"] = by(of_kind, "source").fillna(0.0).to_numpy()
        table[f"received_{kind}_usd"] = by(of_kind, "target").fillna(0.0).to_numpy()
    names = graph.entities.set_index("id")
    table.insert(1, "name", table["id"].map(names["name"]))
    table.insert(2, "type", table["id"].map(names["type"]))
    volume = (table["given_usd"] + table["received_usd"] + table["outside_for_usd"] + table["outside_against_usd"]
              + table["spent_for_usd"] + table["spent_against_usd"])
    return (table.assign(_volume=-volume).sort_values(["_volume", "id"], kind="stable")
            .drop(columns="_volume").reset_index(drop=True))


def chain_totals(graph: InfluenceGraph, *, pledge_types: Sequence[str] | None = PLEDGE_TYPES,
                 entity_flows: pd.DataFrame | None = None) -> dict:
    """The money moved in the whole graph, gross and net of pass-through (docs/money.md, rule 11).

    ``gross_usd`` adds every counted outflow with an amount (contributions,
    in-kind, outside spending for and against): money that passes through an
    intermediary (a donor to a PAC, the PAC to a campaign) is in it twice.
    ``pass_through_usd`` sums each entity's `flows_by_entity` pass-through
    (the part of its outflow that can be money it received), and
    ``net_usd`` = gross - pass-through counts each dollar once: the least
    that left the entities that first gave it (a bound: time and the
    recipients' other money are not traced). ``qualifier`` is exact only
    when every amount is; ``pass_through_qualifier`` likewise for the pass-through. ``entity_flows``: the
    graph's `flows_by_entity` table with the same ``pledge_types``, when the caller has it already.

    Examples
    --------
    >>> from network.graph import bundled_graph
    >>> totals = chain_totals(bundled_graph())
    >>> totals["gross_usd"] - totals["pass_through_usd"] == totals["net_usd"]
    True
    """
    money = money_relationships(graph, pledge_types=pledge_types)
    moved = money[money["transfer"] & money["amount_usd"].notna()]
    gross = float(math.fsum(moved["amount_usd"]))
    entities = flows_by_entity(graph, pledge_types=pledge_types) if entity_flows is None else entity_flows
    through = float(math.fsum(entities["pass_through_usd"]))
    passing = entities[entities["pass_through_usd"] > 0]
    return {"gross_usd": gross, "pass_through_usd": through, "net_usd": gross - through,
            "transfers": int(len(moved)), "qualifier": _qualifier(moved["amount_qualifier"], moved["amount_usd"]),
            "pass_through_qualifier": _combined_qualifier(*passing["pass_through_qualifier"])}


def _largest(rows: pd.DataFrame) -> float:
    return float(rows["amount_usd"].max()) if rows["amount_usd"].notna().any() else math.nan


def flows_between(graph: InfluenceGraph, *, pledge_types: Sequence[str] | None = PLEDGE_TYPES) -> pd.DataFrame:
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
    rows = [{"source": s, "target": t, "types": ";".join(sorted(set(group["type"]))), **summary_of(group)}
            for (s, t), group in money.groupby(["source", "target"], sort=True)]
    table = pd.DataFrame(rows, columns=["source", "target", "types", *GROUP_COLUMNS])
    order = table.assign(_given=-table["given_usd"], _pledged=-table["pledged_usd"])
    return (order.sort_values(["_given", "_pledged", "source", "target"], kind="stable")
            .drop(columns=["_given", "_pledged"]).reset_index(drop=True))


def stated_totals(graph: InfluenceGraph, *, pledge_types: Sequence[str] | None = PLEDGE_TYPES) -> pd.DataFrame:
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
    # fsum is exact whatever the order: group the transfers of the stated rows' sources once
    mine = transfers[transfers["source"].isin(set(stated["source"])) & transfers["amount_usd"].notna()]
    given_by = {s: _amount(rows) for s, rows in mine.groupby("source", sort=False)}
    pairs = pd.MultiIndex.from_arrays([stated["source"], stated["target"]])
    mine = mine[pd.MultiIndex.from_arrays([mine["source"], mine["target"]]).isin(pairs)]
    pair_by = {key: _amount(rows) for key, rows in mine.groupby(["source", "target"], sort=False)}
    pair = [pair_by.get((s, t), 0.0) for s, t in zip(stated["source"], stated["target"])]
    given = [given_by.get(s, 0.0) for s in stated["source"]]
    return stated.assign(counted_pair_usd=pair, counted_given_usd=given)

