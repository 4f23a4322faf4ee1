"""Influence paths between two entities, with the evidence behind each hop, and ego neighborhoods."""

from __future__ import annotations

import math
import warnings
from typing import Sequence

import numpy as np
import pandas as pd

from analysis.centrality import centrality_table
from analysis.resolve import resolve_entity
from network.graph import InfluenceGraph, build_influence_graph
from network.graph.build import DERIVED_COLUMNS
from network.contract.dates import earliest_days, latest_days
from network.contract.load import DataTables
from network.contract.validate import split_list

__all__ = [
    "HOP_COLUMNS", "PATH_COLUMNS", "RELATIONSHIP_COLUMNS",
    "strongest_paths", "chain_fits_in_time", "path_hops", "ego_graph", "ego_table",
]

PATH_COLUMNS = ("path", "hops", "cost", "entities")
RELATIONSHIP_COLUMNS = (
    "id", "source", "target", "type", "layer", "role", "amount_usd", "amount_qualifier", "aggregate",
    "start_date", "end_date", "status", "source_ids",
)
HOP_COLUMNS = (
    "path", "hop", "from_id", "to_id", "hop_cost", "relationship_id", "source", "target", "type", "layer",
    "role", "amount_usd", "amount_qualifier", "aggregate", "start_date", "end_date", "status", "source_ids",
    "sources", "evidence",
)

_WRITTEN = HOP_COLUMNS[HOP_COLUMNS.index("source"):HOP_COLUMNS.index("source_ids") + 1]


def _hop_windows(graph: InfluenceGraph, include_conflict: bool) -> dict[tuple[str, str], tuple[float, float, bool]]:
    """Per hop (u, v) of the metric graph: the earliest and latest day (as numbers; -inf/inf when open)
    its non-aggregate relationships could have happened, and whether all of them are undated.

    A relationship with no start could have begun any time before its end; one with no end may still run."""
    rel = graph.relationships[~graph.relationships["aggregate"].astype(bool)]
    if not include_conflict:
        rel = rel[rel["layer"] != "conflict"]
    starts, ends = earliest_days(rel["start_date"].tolist()), latest_days(rel["end_date"].tolist())
    low = np.where(np.isnat(starts), -np.inf, starts.astype("int64").astype(float))  # no start: any time before
    high = np.where(np.isnat(ends), np.inf, ends.astype("int64").astype(float))  # no end: it may still run
    undated = (rel["start_date"].eq("") & rel["end_date"].eq("")).to_numpy()
    windows: dict[tuple[str, str], tuple[float, float, bool]] = {}
    ends = zip(rel["edge_source"], rel["edge_target"], rel["directed"].astype(bool))
    for (u, v, directed), lo, hi, blank in zip(ends, low, high, undated):
        for key in ((u, v),) if directed else ((u, v), (v, u)):
            old = windows.get(key, (np.inf, -np.inf, True))
            windows[key] = (min(old[0], lo), max(old[1], hi), old[2] and blank)
    return windows


def chain_fits_in_time(windows: Sequence[tuple[float, float, bool]]) -> bool:
    """Whether hops with these (earliest, latest, undated) windows can happen one after another.

    Walks the chain keeping the earliest moment the next hop can start: each hop starts no earlier than
    the previous one could and must be possible by its own latest day (docs/money.md, rule 18).

    Examples
    --------
    >>> chain_fits_in_time([(10.0, 20.0, False), (5.0, 15.0, False)])  # the second can follow at 10..15
    True
    >>> chain_fits_in_time([(30.0, 40.0, False), (5.0, 15.0, False)])  # gift at 30, spending done by 15
    False
    """
    moment = -np.inf
    for low, high, _ in windows:
        moment = max(moment, low)
        if moment > high:
            return False
    return True


def strongest_paths(
    graph: InfluenceGraph, source: str, target: str, *, k: int = 5, include_conflict: bool = False,
    time_respecting: bool = False,
) -> pd.DataFrame:
    """The ``k`` strongest influence chains from ``source`` to ``target``.

    Paths follow the direction influence flows (money and control toward
    recipients, a mutual tie both ways) in `InfluenceGraph.metric_graph`,
    where all layers between two entities are merged into one edge. The
    length of a path is the sum of its edges' ``cost`` (1 / strength), so the
    strongest chain is the one of lowest total cost: a short chain of strong
    ties beats a long or weak one. These are the ``k`` loopless paths of
    lowest cost, found with Yen's algorithm [1]_ as igraph implements it.

    Parameters
    ----------
    graph : InfluenceGraph
    source, target : str
        Ids, names or aliases (see `analysis.resolve.resolve_entity`).
    k : int
        How many paths at most.
    include_conflict : bool
        Let paths run through conflict ties (lawsuits, rivalries) too.
    time_respecting : bool
        Keep only chains whose hops can follow each other in time
        (`chain_fits_in_time`; docs/money.md rule 18): a gift made in
        September cannot fund spending done by August. A hop with no date
        fits anywhere; ``undated_hops`` counts them. The k strongest of the
        fitting chains are searched among the 20 x k strongest chains.

    Returns
    -------
    pd.DataFrame
        Columns `PATH_COLUMNS`: ``path`` (1 for the strongest), ``hops``,
        ``cost`` (the sum of edge costs) and ``entities`` (the ids along the
        path, ``;``-joined); with ``time_respecting``, also ``undated_hops``.
        Sorted by cost, then hops, then entities. Empty when no path exists.

    Raises
    ------
    UnknownEntityError
        If ``source`` or ``target`` names no entity, or several.
    ValueError
        If ``k`` < 1 or both ends are the same entity.

    See Also
    --------
    path_hops : the relationships and sources behind each hop.

    References
    ----------
    .. [1] J. Y. Yen, "Finding the k shortest loopless paths in a network",
       Management Science 17 (1971) 712-716.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "c", 1.0), ("a", "b", 4.0), ("b", "c", 4.0)])
    >>> strongest_paths(graph, "a", "c").values.tolist()
    [[1, 2, 0.5, 'a;b;c'], [2, 1, 1.0, 'a;c']]
    """
    if k < 1:
        raise ValueError(f"k must be at least 1 (found {k})")
    source_id, target_id = resolve_entity(graph, source), resolve_entity(graph, target)
    if source_id == target_id:
        raise ValueError(f"source and target are the same entity ({source_id})")
    metric = graph.metric_graph(include_conflict=include_conflict)
    names = metric.vs["name"]
    costs = metric.es["cost"] if metric.ecount() else []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "Couldn't reach some vertices": no path is an answer
        found = metric.get_k_shortest_paths(names.index(source_id), names.index(target_id),
                                            k=k * 20 if time_respecting else k,
                                            weights="cost" if metric.ecount() else None, mode="out", output="epath")
    windows = _hop_windows(graph, include_conflict) if time_respecting else {}
    rows = []
    for edges in found:
        if not edges:
            continue
        vertices = [metric.es[edges[0]].source] + [metric.es[e].target for e in edges]
        row = {"hops": len(edges), "cost": float(math.fsum(costs[e] for e in edges)),
               "entities": ";".join(names[v] for v in vertices)}
        if time_respecting:
            hops = [windows.get((names[a], names[b]), (-np.inf, np.inf, True)) for a, b in zip(vertices, vertices[1:])]
            if not chain_fits_in_time(hops):
                continue
            row["undated_hops"] = sum(1 for hop in hops if hop[2])
        rows.append(row)
    columns = ["hops", "cost", "entities", *(["undated_hops"] if time_respecting else [])]
    table = pd.DataFrame(rows, columns=columns)
    table = table.assign(_cost=table["cost"].astype(float).round(12)).sort_values(["_cost", "hops", "entities"], kind="stable")
    table = table.drop(columns="_cost").reset_index(drop=True).head(k)
    table.insert(0, "path", range(1, len(table) + 1))
    return table[[*PATH_COLUMNS, *(["undated_hops"] if time_respecting else [])]]


def path_hops(graph: InfluenceGraph, paths: pd.DataFrame, *, include_conflict: bool = False) -> pd.DataFrame:
    """The relationships behind every hop of the given paths, with their sources.

    A hop from ``u`` to ``v`` merges every relationship along which influence
    flows from ``u`` to ``v`` (money given by ``u`` to ``v``, an employer
    ``u`` of employee ``v``, ...) and every mutual one between them, in all
    layers; conflict relationships only with ``include_conflict``.

    Parameters
    ----------
    graph : InfluenceGraph
    paths : pd.DataFrame
        From `strongest_paths` (columns ``path`` and ``entities``).
    include_conflict : bool
        As given to `strongest_paths`.

    Returns
    -------
    pd.DataFrame
        Columns `HOP_COLUMNS`: one row per (path, hop, relationship), sorted
        by path, hop and relationship id. ``hop_cost`` is the hop's cost in
        the metric graph; ``source``, ``target`` and ``type`` are the
        relationship as written; ``amount_usd`` is NaN when none is given;
        ``sources`` lists each cited source as ``publisher: title
        (published)``, separated by `` | ``.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "b", 4.0), ("b", "c", 2.0)])
    >>> hops = path_hops(graph, strongest_paths(graph, "a", "c"))
    >>> hops[["hop", "from_id", "to_id", "hop_cost", "type"]].values.tolist()
    [[1, 'a', 'b', 0.25, 'endorsement'], [2, 'b', 'c', 0.5, 'endorsement']]
    """
    metric = graph.metric_graph(include_conflict=include_conflict)
    names = metric.vs["name"]
    hop_cost = {(names[e.source], names[e.target]): cost for e, cost in zip(metric.es, metric.es["cost"])}
    relationships = graph.relationships
    if not include_conflict:
        relationships = relationships[relationships["layer"] != "conflict"]
    by_pair: dict[tuple[str, str], list[dict]] = {}
    for row in relationships.to_dict("records"):
        ends = (row["edge_source"], row["edge_target"])
        by_pair.setdefault(ends, []).append(row)
        if not row["directed"]:
            by_pair.setdefault(ends[::-1], []).append(row)
    cited = _source_labels(graph.sources)
    rows = []
    for path, entities in zip(paths["path"], paths["entities"]):
        chain = entities.split(";")
        for hop, (u, v) in enumerate(zip(chain, chain[1:]), start=1):
            for row in sorted(by_pair.get((u, v), []), key=lambda r: r["id"]):
                rows.append({
                    "path": int(path), "hop": hop, "from_id": u, "to_id": v, "hop_cost": hop_cost.get((u, v), math.nan),
                    "relationship_id": row["id"], **{c: row[c] for c in _WRITTEN},
                    "sources": " | ".join(cited.get(s, s) for s in split_list(row["source_ids"])),
                    "evidence": row["evidence"],
                })
    return pd.DataFrame(rows, columns=list(HOP_COLUMNS))


def _source_labels(sources: pd.DataFrame) -> dict[str, str]:
    labels = {}
    for row in sources.to_dict("records"):
        published = f" ({row['published']})" if row.get("published") else ""
        labels[row["id"]] = f"{row['publisher']}: {row['title']}{published}"
    return labels


def ego_graph(graph: InfluenceGraph, entity_id: str, radius: int = 1, *, include_conflict: bool = True) -> InfluenceGraph:
    """The neighborhood of an entity: everything within ``radius`` ties of it, either way.

    Distance counts ties in either direction (a donor and a recipient are
    both one hop from a PAC), over every layer (conflict too, unless
    ``include_conflict`` is False). The result holds those entities, every
    relationship among them (not only the ones on shortest routes) and the
    sources those relationships cite, rebuilt as an `InfluenceGraph` with the
    same schema and weight policy, so that it can be measured, exported or
    drawn like any other graph.

    Parameters
    ----------
    graph : InfluenceGraph
    entity_id : str
        An id, name or alias.
    radius : int
        How many hops; 0 gives the entity alone.
    include_conflict : bool
        Count conflict ties as neighbors.

    Raises
    ------
    UnknownEntityError
        If ``entity_id`` names no entity, or several.
    ValueError
        If ``radius`` is negative.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "b", 1.0), ("c", "b", 1.0), ("c", "d", 1.0)])
    >>> ego_graph(graph, "a", 2).ids
    ['a', 'b', 'c']
    """
    distances = _distances(graph, entity_id, radius, include_conflict=include_conflict)
    members = set(distances)
    rel = graph.relationships
    keep = rel["source"].isin(members) & rel["target"].isin(members)
    if not include_conflict:
        keep &= rel["layer"] != "conflict"
    relationships = rel[keep].drop(columns=list(DERIVED_COLUMNS))
    cited = {s for value in relationships["source_ids"] for s in split_list(value)}
    tables = DataTables(
        entities=graph.entities[graph.entities["id"].isin(members)],
        relationships=relationships,
        sources=graph.sources[graph.sources["id"].isin(cited)],
        paths={},
    )
    return build_influence_graph(tables, graph.schema, weights=graph.weights)


def _distances(graph: InfluenceGraph, entity: str, radius: int, *, include_conflict: bool) -> dict[str, int]:
    """Hops (either direction) from the entity to every entity within ``radius``."""
    if radius < 0:
        raise ValueError(f"radius must be 0 or more (found {radius})")
    center = resolve_entity(graph, entity)
    network = graph.graph
    if not include_conflict:
        network = network.subgraph_edges([e.index for e in network.es if e["layer"] != "conflict"], delete_vertices=False)
    hops = network.distances(source=graph.ids.index(center), mode="all")[0]
    return {name: int(d) for name, d in zip(graph.ids, hops) if d <= radius}


def ego_table(
    graph: InfluenceGraph, entity_id: str, radius: int = 1, *,
    include_conflict: bool = True, metrics: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The entities of an ego neighborhood with their distance and metrics.

    Parameters
    ----------
    graph : InfluenceGraph
    entity_id : str
        An id, name or alias.
    radius : int
    include_conflict : bool
        As in `ego_graph`.
    metrics : pd.DataFrame, optional
        One row per entity with an ``id`` column; by default
        `analysis.centrality.centrality_table` of the whole ``graph``, so
        that the scores are the entities' standing in the full network, not
        inside the neighborhood.

    Returns
    -------
    pd.DataFrame
        ``id, name, type, distance``, then the metric columns; sorted by
        distance, then id.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "b", 1.0), ("c", "b", 1.0), ("c", "d", 1.0)])
    >>> ego_table(graph, "b")[["id", "distance", "degree_in"]].values.tolist()
    [['b', 0, 2], ['a', 1, 0], ['c', 1, 0]]
    """
    distances = _distances(graph, entity_id, radius, include_conflict=include_conflict)
    table = graph.entities[graph.entities["id"].isin(set(distances))][["id", "name", "type"]]
    table = table.assign(distance=table["id"].map(distances).astype(int))
    scores = centrality_table(graph) if metrics is None else metrics
    table = table.merge(scores, on="id", how="left", validate="one_to_one")
    return table.sort_values(["distance", "id"], kind="stable").reset_index(drop=True)
