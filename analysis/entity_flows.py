"""Money in and out of one entity, counterpart by counterpart, with the sources behind each sum."""

from __future__ import annotations

import math

import pandas as pd

from analysis.flows import money_relationships, summary_of
from network.contract.validate import split_list
from network.graph import InfluenceGraph

__all__ = ["DIRECTIONS", "MONEY_CLASSES", "entity_flows", "entity_flow_totals"]

DIRECTIONS = ("in", "out", "both")


MONEY_CLASSES = {"contribution": "contribution", "in_kind": "contribution", "pledge": "contribution",
                 "support": "spending for", "oppose": "spending against"}
"""How `entity_flows` splits a counterpart's money (docs/money.md): contributions (cash, in kind, pledged) apart
from independent spending for or against a candidate, which the candidate never received."""
_SUMMED = ("relationships", "without_amount", "amount_usd", "amount_qualifier", "pledged_usd", "aggregate_rows",
           "stated_total_usd")


def entity_flows(graph: InfluenceGraph, entity_id: str, *, direction: str = "both") -> pd.DataFrame:
    """Every counterpart that gave money to the entity or received money from it, one row per kind of money.

    Each row sums the relationships of one counterpart and one ``money`` class
    (`MONEY_CLASSES`): ``contribution`` (contributions and in-kind gifts, with
    pledges apart in ``pledged_usd``), ``spending for`` or ``spending against``
    (independent expenditures: money spent on a candidate's behalf or against
    them, not money the candidate received). The sums follow
    `analysis.flows`: aggregate rows (totals that restate other rows) are
    never added but shown as ``stated_total_usd``, and each relationship
    counts in one row only.

    Parameters
    ----------
    graph : InfluenceGraph
    entity_id : str
        An entity id (resolve names with `analysis.resolve.resolve_entity`).
    direction : str
        ``in`` (money to the entity or spent on it), ``out`` (from it) or ``both``.

    Returns
    -------
    pd.DataFrame
        ``direction`` (``in`` or ``out``), ``counterpart``, ``name``,
        ``type``, ``money``, ``types``, ``relationships``,
        ``without_amount``, ``amount_usd`` and ``amount_qualifier`` (money
        moved, counted once), ``pledged_usd``, ``aggregate_rows``,
        ``stated_total_usd``, then ``relationship_ids`` and ``source_ids``
        (``;``-joined, sorted) and ``sources`` (``publisher: title
        (published)``, `` | ``-joined). Money in first, then out; within
        each, largest first.

    Raises
    ------
    ValueError
        For an unknown direction or entity.

    Examples
    --------
    >>> from network.graph import bundled_graph
    >>> received = entity_flows(bundled_graph(), "america-pac", direction="in")
    >>> received[["counterpart", "money", "amount_usd"]].head(2).values.tolist()
    [['elon-musk', 'contribution', 118600000.0], ['cameron-winklevoss', 'contribution', 0.0]]
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"--direction: found {direction!r}, expected one of {', '.join(DIRECTIONS)}")
    if entity_id not in set(graph.entities["id"]):
        raise ValueError(f"no entity {entity_id!r} in the graph (after the filters)")
    money = money_relationships(graph)
    money = money.assign(money=money["kind"].map(MONEY_CLASSES).fillna("contribution"))
    names = graph.entities.set_index("id")
    labels = {row["id"]: f"{row['publisher']}: {row['title']}" + (f" ({row['published']})" if row.get("published") else "")
              for row in graph.sources.to_dict("records")}
    columns = ["direction", "counterpart", "name", "type", "money", "types", *_SUMMED,
               "relationship_ids", "source_ids", "sources"]
    rows = []
    for side, own, other in (("in", "target", "source"), ("out", "source", "target")):
        if direction not in (side, "both"):
            continue
        chosen = money[money[own] == entity_id]
        side_rows = []
        for (counterpart, kind), behind in chosen.groupby([other, "money"], sort=True):
            summary = summary_of(behind)
            cited = sorted({s for value in behind["source_ids"] for s in split_list(value)})
            side_rows.append({
                "direction": side, "counterpart": counterpart, "name": names.at[counterpart, "name"],
                "type": names.at[counterpart, "type"], "money": kind,
                "types": ";".join(sorted(set(behind["type"]))),
                "relationships": summary["relationships"], "without_amount": summary["without_amount"],
                "amount_usd": summary["given_usd"], "amount_qualifier": summary["given_qualifier"],
                "pledged_usd": summary["pledged_usd"], "aggregate_rows": summary["aggregate_rows"],
                "stated_total_usd": summary["stated_total_usd"],
                "relationship_ids": ";".join(sorted(behind["id"])), "source_ids": ";".join(cited),
                "sources": " | ".join(labels.get(s, s) for s in cited),
            })
        side_rows.sort(key=lambda r: (-r["amount_usd"], -r["pledged_usd"], r["counterpart"], r["money"]))
        rows.extend(side_rows)
    return pd.DataFrame(rows, columns=columns)


_TOTALS = {
    # total: (direction, money class, column)
    "received_usd": ("in", "contribution", "amount_usd"),
    "outside_for_usd": ("in", "spending for", "amount_usd"),
    "outside_against_usd": ("in", "spending against", "amount_usd"),
    "pledged_in_usd": ("in", "contribution", "pledged_usd"),
    "given_usd": ("out", "contribution", "amount_usd"),
    "spent_for_usd": ("out", "spending for", "amount_usd"),
    "spent_against_usd": ("out", "spending against", "amount_usd"),
    "pledged_out_usd": ("out", "contribution", "pledged_usd"),
}


def entity_flow_totals(table: pd.DataFrame) -> dict[str, float]:
    """Money in and out in an `entity_flows` table, each relationship counted once, split as docs/money.md splits
    it: contributions received and given apart from outside spending for and against, and from pledges.

    Examples
    --------
    >>> from network.graph import bundled_graph
    >>> totals = entity_flow_totals(entity_flows(bundled_graph(), "trump-campaign-2024"))
    >>> totals["received_usd"], totals["outside_for_usd"]
    (150000000.0, 21000000.0)
    """
    def total(side: str, kind: str, column: str) -> float:
        values = table.loc[(table["direction"] == side) & (table["money"] == kind), column]
        return float(math.fsum(v for v in values if v == v))

    return {name: total(*where) for name, where in _TOTALS.items()}
