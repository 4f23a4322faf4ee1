"""Brokers between groups: group betweenness and who carries the strongest chains from one group to another."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import igraph as ig
import numpy as np
import pandas as pd

from network.graph import InfluenceGraph

__all__ = ["BROKER_COLUMNS", "BrokerResult", "brokers_between", "group_betweenness", "shortest_path_counts"]

BROKER_COLUMNS = ("rank", "id", "name", "type", "chains", "share", "example")

_RELATIVE_TIE = 1e-10
"""Two path lengths within this relative difference are equally short (sums of float costs)."""


def _tight_edges(metric: ig.Graph, dist: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The edges (u, v) on some shortest path from the source whose distances are ``dist``."""
    if metric.ecount() == 0:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    edges = np.asarray(metric.get_edgelist(), dtype=np.int64)
    cost = np.asarray(metric.es["cost"], dtype=float)
    u, v = edges[:, 0], edges[:, 1]
    reach = np.isfinite(dist[u]) & np.isfinite(dist[v])
    through = np.where(reach, dist[u] + cost, 0.0)
    target = np.where(reach, dist[v], 0.0)
    tight = reach & (np.abs(through - target) <= _RELATIVE_TIE * np.maximum(1.0, np.abs(target)))
    return u[tight], v[tight]


def shortest_path_counts(metric: ig.Graph, source: int, dist: np.ndarray, *, avoid: np.ndarray | None = None) -> np.ndarray:
    """How many shortest paths (on edge ``cost``) lead from ``source`` to every vertex.

    With ``avoid`` (a boolean mask), only the shortest paths that touch no
    masked vertex are counted (a masked source counts nothing). Paths are
    counted along the shortest-path DAG hop by hop: ``counts = sum_k
    frontier_k`` with ``frontier_{k+1}[w] = sum over DAG edges (u, w) of
    frontier_k[u]``; costs are positive, so the DAG has no cycle.

    Examples
    --------
    >>> g = ig.Graph(n=4, edges=[(0, 1), (0, 2), (1, 3), (2, 3)], directed=True)
    >>> g.es["cost"] = [1.0, 1.0, 1.0, 1.0]
    >>> dist = np.array(g.distances(source=[0], weights="cost")[0])
    >>> shortest_path_counts(g, 0, dist).tolist()
    [1.0, 1.0, 1.0, 2.0]
    >>> shortest_path_counts(g, 0, dist, avoid=np.array([False, True, False, False])).tolist()
    [1.0, 0.0, 1.0, 1.0]
    """
    n = metric.vcount()
    u, v = _tight_edges(metric, dist)
    keep = np.ones(n) if avoid is None else (~avoid).astype(float)
    frontier = np.zeros(n)
    frontier[source] = keep[source]
    counts = frontier.copy()
    for _ in range(n):
        if not frontier.any():
            break
        frontier = np.bincount(v, weights=frontier[u], minlength=n) * keep
        counts += frontier
    return counts


def _distances(metric: ig.Graph, sources: list[int]) -> np.ndarray:
    if not sources:
        return np.zeros((0, metric.vcount()))
    return np.asarray(metric.distances(source=sources, mode="out", weights="cost" if metric.ecount() else None), dtype=float)


def _indices(metric: ig.Graph, ids: Iterable[str]) -> list[int]:
    position = {name: i for i, name in enumerate(metric.vs["name"])}
    return sorted(position[i] for i in set(ids))


def group_betweenness(
    graph: InfluenceGraph, group: Iterable[str], *, sources: Iterable[str] | None = None,
    targets: Iterable[str] | None = None, normalized: bool = True, include_conflict: bool = False,
) -> float:
    """The share of strongest chains that pass through at least one entity of ``group``.

    Group betweenness [1]_: the sum over ordered pairs (s, t), s != t, neither
    in the group, of sigma_st(C) / sigma_st, where sigma_st counts the
    shortest paths from s to t and sigma_st(C) those through a member of C.
    Path length is the sum of edge ``cost`` = 1 / strength in
    `InfluenceGraph.metric_graph` (all layers merged, conflict left out unless
    ``include_conflict``), so a chain of strong ties is short; paths follow
    the direction of influence. Pairs with no path add nothing.

    With ``sources`` and ``targets`` the pairs are restricted to s in
    ``sources`` and t in ``targets``, and ``normalized`` divides by the number
    of such pairs that are connected; otherwise it divides by
    (n - |C|)(n - |C| - 1), as networkx's ``group_betweenness_centrality``
    does (its values on the same graph with ``weight="cost"`` match to 1e-9
    where networkx's own definition holds, tested).

    Parameters
    ----------
    graph : InfluenceGraph
    group : iterable of str
        Entity ids.
    sources, targets : iterables of str, optional
        Restrict the pairs.
    normalized : bool
    include_conflict : bool

    Returns
    -------
    float

    References
    ----------
    .. [1] M. G. Everett and S. P. Borgatti, "The centrality of groups and
       classes", Journal of Mathematical Sociology 23 (1999) 181-201.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "b", 1.0), ("b", "c", 1.0), ("c", "d", 1.0)])
    >>> group_betweenness(graph, ["b"], normalized=False)  # a->c, a->d
    2.0
    >>> group_betweenness(graph, ["b", "c"], normalized=False)  # a->d
    1.0
    """
    metric = graph.metric_graph(include_conflict=include_conflict)
    n = metric.vcount()
    members = _indices(metric, group)
    avoid = np.zeros(n, dtype=bool)
    avoid[members] = True
    from_rows = [i for i in (range(n) if sources is None else _indices(metric, sources)) if not avoid[i]]
    allowed = np.ones(n, dtype=bool) if targets is None else np.isin(np.arange(n), _indices(metric, targets))
    allowed &= ~avoid
    dist = _distances(metric, from_rows)
    total, pairs = 0.0, 0
    for row, s in enumerate(from_rows):
        counts = shortest_path_counts(metric, s, dist[row])
        avoiding = shortest_path_counts(metric, s, dist[row], avoid=avoid)
        ends = allowed & (counts > 0)
        ends[s] = False
        total += float(np.sum(1.0 - avoiding[ends] / counts[ends]))
        pairs += int(ends.sum())
    if not normalized:
        return total
    if sources is None and targets is None:
        scale = (n - len(members)) * (n - len(members) - 1)
        return total / scale if scale > 0 else 0.0
    return total / pairs if pairs else 0.0


@dataclass(frozen=True)
class BrokerResult:
    """Who brokers between two groups.

    ``table`` has columns `BROKER_COLUMNS`, one row per entity that lies on
    some strongest chain between the groups, most chains first: ``chains`` is
    the sum over pairs of the share of their shortest paths through the
    entity, ``share`` that divided by ``pairs``, ``example`` one strongest
    chain through it (``;``-joined ids). ``pairs`` counts the connected
    (source, target) pairs; ``top_group_share`` is the group betweenness of
    the first ``top`` brokers together over those pairs.
    """

    table: pd.DataFrame
    pairs: int
    top: int
    top_group_share: float


def brokers_between(
    graph: InfluenceGraph, sources: Iterable[str], targets: Iterable[str], *, top: int = 10,
    include_conflict: bool = False,
) -> BrokerResult:
    """The entities that carry the most strongest chains from one group to another.

    For each entity v, ``chains`` = sum over s in ``sources``, t in
    ``targets`` (s != t, v not s or t) of sigma_st(v) / sigma_st, the
    subset betweenness of Brandes [1]_ (networkx's
    ``betweenness_centrality_subset`` with ``weight="cost"``, unnormalized,
    gives the same numbers, tested). Path length is the sum of edge ``cost`` =
    1 / strength (strength is not distance: a chain of strong ties is
    short), along the direction of influence, all layers merged, conflict
    left out unless ``include_conflict``.

    Parameters
    ----------
    graph : InfluenceGraph
    sources, targets : iterables of str
        Entity ids (see `analysis.groups.resolve_group`); they may overlap.
    top : int
        How many brokers `BrokerResult.top_group_share` takes together.
    include_conflict : bool

    Returns
    -------
    BrokerResult

    References
    ----------
    .. [1] U. Brandes, "On variants of shortest-path betweenness centrality and
       their generic computation", Social Networks 30 (2008) 136-145.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "hub", 1.0), ("b", "hub", 1.0), ("hub", "x", 1.0)])
    >>> result = brokers_between(graph, ["a", "b"], ["x"])
    >>> result.table[["id", "chains", "share", "example"]].values.tolist()
    [['hub', 2.0, 1.0, 'a;hub;x']]
    """
    metric = graph.metric_graph(include_conflict=include_conflict)
    n = metric.vcount()
    from_rows, to_rows = _indices(metric, sources), _indices(metric, targets)
    if not from_rows or not to_rows:
        raise ValueError("both groups need at least one entity")
    is_target = np.zeros(n, dtype=bool)
    is_target[to_rows] = True
    dist = _distances(metric, from_rows)
    dependency, pairs = np.zeros(n), 0
    for row, s in enumerate(from_rows):
        counts = shortest_path_counts(metric, s, dist[row])
        ends = is_target & (counts > 0)
        ends[s] = False
        pairs += int(ends.sum())
        u, v = _tight_edges(metric, dist[row])
        # back[x] = sum over targets t of (shortest paths x -> t inside the DAG) / sigma_st
        seed = np.where(ends, 1.0 / np.where(counts > 0, counts, 1.0), 0.0)
        back, frontier = seed.copy(), seed.copy()
        for _ in range(n):
            if not frontier.any():
                break
            frontier = np.bincount(u, weights=frontier[v], minlength=n)
            back += frontier
        through = counts * (back - seed)
        through[s] = 0.0
        dependency += through
    names = metric.vs["name"]
    chosen = np.flatnonzero(dependency > 1e-12)
    info = graph.entities.set_index("id")
    table = pd.DataFrame({
        "id": [names[i] for i in chosen],
        "chains": dependency[chosen],
    })
    table["name"] = [info.at[i, "name"] for i in table["id"]]
    table["type"] = [info.at[i, "type"] for i in table["id"]]
    table["share"] = table["chains"] / pairs if pairs else 0.0
    table = table.assign(_rounded=table["chains"].round(12)).sort_values(["_rounded", "id"], ascending=[False, True], kind="stable")
    table = table.drop(columns="_rounded").reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    table["example"] = [_example_chain(metric, from_rows, to_rows, dist, names.index(i)) for i in table["id"]]
    leaders = list(table["id"].head(top))
    share = group_betweenness(graph, leaders, sources=sources, targets=targets, include_conflict=include_conflict) if leaders else 0.0
    return BrokerResult(table[list(BROKER_COLUMNS)], pairs, len(leaders), share)


def _example_chain(metric: ig.Graph, from_rows: list[int], to_rows: list[int], dist: np.ndarray, broker: int) -> str:
    """The strongest chain s -> broker -> t that is a shortest s-t path (lowest cost, then ids)."""
    names = metric.vs["name"]
    to_broker = dist[:, broker]
    from_broker = np.asarray(_distances(metric, [broker])[0], dtype=float)[to_rows]
    whole = dist[:, to_rows]
    via = to_broker[:, None] + from_broker[None, :]
    reach = np.isfinite(via) & np.isfinite(whole)
    via, whole = np.where(reach, via, 0.0), np.where(reach, whole, 0.0)
    fine = reach & (np.abs(via - whole) <= _RELATIVE_TIE * np.maximum(1.0, np.abs(whole)))
    for a, s in enumerate(from_rows):
        fine[a, [b for b, t in enumerate(to_rows) if t in (s, broker)]] = False
        if s == broker:
            fine[a, :] = False
    candidates = [(float(whole[a, b]), names[from_rows[a]], names[to_rows[b]], a, b) for a, b in zip(*np.nonzero(fine))]
    if not candidates:
        return ""
    _, _, _, a, b = min(candidates)
    weights = "cost" if metric.ecount() else None
    first = metric.get_shortest_path(from_rows[a], broker, weights=weights, mode="out")
    second = metric.get_shortest_path(broker, to_rows[b], weights=weights, mode="out")
    return ";".join(names[i] for i in first + second[1:])
