"""Money in and out of one entity, counterpart by counterpart, with the sources behind each sum."""

from __future__ import annotations

import math

import pandas as pd

from analysis.flows import flows_between, money_relationships
from network.contract.validate import split_list
from network.graph import InfluenceGraph

__all__ = ["DIRECTIONS", "entity_flows", "entity_flow_totals"]

DIRECTIONS = ("in", "out", "both")


def entity_flows(graph: InfluenceGraph, entity_id: str, *, direction: str = "both") -> pd.DataFrame:
    """Every counterpart that gave money to the entity or received money from it.

    The sums are `analysis.flows.flows_between` for the pairs that touch the
    entity, so the same rules hold: aggregate rows (totals that restate other
    rows) are never added but shown as ``stated_total_usd``, pledges are apart
    in ``pledged_usd``, and each relationship counts in one row only.

    Parameters
    ----------
    graph : InfluenceGraph
    entity_id : str
        An entity id (resolve names with `analysis.resolve.resolve_entity`).
    direction : str
        ``in`` (money received), ``out`` (money given) or ``both``.

    Returns
    -------
    pd.DataFrame
        ``direction`` (``in`` or ``out``), ``counterpart``, ``name``,
        ``type``, ``types``, then the columns of `flows_between`, then
        ``relationship_ids`` and ``source_ids`` (``;``-joined, sorted) and
        ``sources`` (``publisher: title (published)``, `` | ``-joined).
        Money received first, then given; within each, largest first.

    Raises
    ------
    ValueError
        For an unknown direction or entity.

    Examples
    --------
    >>> from network.graph import bundled_graph
    >>> received = entity_flows(bundled_graph(), "america-pac", direction="in")
    >>> received[["counterpart", "given_usd"]].head(2).values.tolist()
    [['elon-musk', 118600000.0], ['cameron-winklevoss', 0.0]]
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"--direction: found {direction!r}, expected one of {', '.join(DIRECTIONS)}")
    if entity_id not in set(graph.entities["id"]):
        raise ValueError(f"no entity {entity_id!r} in the graph (after the filters)")
    pairs = flows_between(graph)
    money = money_relationships(graph)
    names = graph.entities.set_index("id")
    labels = {row["id"]: f"{row['publisher']}: {row['title']}" + (f" ({row['published']})" if row.get("published") else "")
              for row in graph.sources.to_dict("records")}
    frames = []
    for side, own, other in (("in", "target", "source"), ("out", "source", "target")):
        if direction not in (side, "both"):
            continue
        chosen = pairs[pairs[own] == entity_id]
        rows = []
        for pair in chosen.to_dict("records"):
            counterpart = pair[other]
            behind = money[(money[own] == entity_id) & (money[other] == counterpart)]
            cited = sorted({s for value in behind["source_ids"] for s in split_list(value)})
            rows.append({
                "direction": side, "counterpart": counterpart, "name": names.at[counterpart, "name"],
                "type": names.at[counterpart, "type"],
                **{k: v for k, v in pair.items() if k not in ("source", "target")},
                "relationship_ids": ";".join(sorted(behind["id"])), "source_ids": ";".join(cited),
                "sources": " | ".join(labels.get(s, s) for s in cited),
            })
        frames.append(pd.DataFrame(rows))
    columns = ["direction", "counterpart", "name", "type", *[c for c in pairs.columns if c not in ("source", "target")],
               "relationship_ids", "source_ids", "sources"]
    table = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else pd.DataFrame(columns=columns)
    return table[columns].reset_index(drop=True)


def entity_flow_totals(table: pd.DataFrame) -> dict[str, float]:
    """Money received and given in an `entity_flows` table: each relationship counted once.

    Examples
    --------
    >>> from network.graph import bundled_graph
    >>> entity_flow_totals(entity_flows(bundled_graph(), "america-pac"))["received_usd"]
    118600000.0
    """
    def total(side: str, column: str) -> float:
        values = table.loc[table["direction"] == side, column]
        return float(math.fsum(v for v in values if v == v))

    return {"received_usd": total("in", "given_usd"), "given_usd": total("out", "given_usd"),
            "pledged_in_usd": total("in", "pledged_usd"), "pledged_out_usd": total("out", "pledged_usd")}
