"""The strongest influence chains from any entity of one group to any entity of another."""

from __future__ import annotations

import math
import warnings
from typing import Iterable

import pandas as pd

from analysis.paths import PATH_COLUMNS
from network.graph import InfluenceGraph

__all__ = ["strongest_group_paths"]


def strongest_group_paths(
    graph: InfluenceGraph, sources: Iterable[str], targets: Iterable[str], *, k: int = 5,
    include_conflict: bool = False,
) -> pd.DataFrame:
    """The ``k`` strongest chains that start in ``sources`` and end in ``targets``.

    A virtual start tied at cost 0 to every entity of ``sources`` and a
    virtual end tied at cost 0 from every entity of ``targets`` are added to
    `InfluenceGraph.metric_graph`; the ``k`` loopless paths of lowest cost
    between them (Yen's algorithm, as `analysis.paths.strongest_paths`), less
    the virtual ends, are the answer. A path's length is the sum of edge
    ``cost`` = 1 / strength (strength is not distance: a chain of strong ties
    is short), along the direction influence flows. An entity in both groups
    does not count as a chain of its own; a chain may pass through other
    members of either group.

    Parameters
    ----------
    graph : InfluenceGraph
    sources, targets : iterables of str
        Entity ids (see `analysis.groups.resolve_group`).
    k : int
    include_conflict : bool

    Returns
    -------
    pd.DataFrame
        Columns `analysis.paths.PATH_COLUMNS`, as `strongest_paths` returns
        them (sorted by cost, then hops, then entities); empty when no chain
        exists. `analysis.paths.path_hops` gives each hop's evidence.

    Raises
    ------
    ValueError
        If ``k`` < 1 or a group is empty.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "x", 1.0), ("b", "x", 4.0), ("x", "t", 2.0)])
    >>> strongest_group_paths(graph, ["a", "b"], ["t"]).values.tolist()
    [[1, 2, 0.75, 'b;x;t'], [2, 2, 1.5, 'a;x;t']]
    """
    if k < 1:
        raise ValueError(f"k must be at least 1 (found {k})")
    source_set, target_set = set(sources), set(targets)
    if not source_set or not target_set:
        raise ValueError("both groups need at least one entity")
    metric = graph.metric_graph(include_conflict=include_conflict)
    names = list(metric.vs["name"])
    position = {name: i for i, name in enumerate(names)}
    start, end = metric.vcount(), metric.vcount() + 1
    costs = list(metric.es["cost"]) if metric.ecount() else []
    metric.add_vertices(2)
    added = [(start, position[s]) for s in sorted(source_set)] + [(position[t], end) for t in sorted(target_set)]
    metric.add_edges(added)
    metric.es["cost"] = costs + [0.0] * len(added)
    overlap = len(source_set & target_set)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # no path is an answer
        found = metric.get_k_shortest_paths(start, end, k=k + overlap, weights="cost", mode="out", output="vpath")
    rows = []
    for vertices in found:
        inner = vertices[1:-1]
        if len(inner) < 2:
            continue
        cost = math.fsum(costs[metric.get_eid(u, v)] for u, v in zip(inner, inner[1:]))
        rows.append({"hops": len(inner) - 1, "cost": float(cost), "entities": ";".join(names[v] for v in inner)})
    table = pd.DataFrame(rows, columns=["hops", "cost", "entities"]).drop_duplicates("entities")
    table = table.assign(_cost=table["cost"].astype(float).round(12)).sort_values(["_cost", "hops", "entities"], kind="stable")
    table = table.drop(columns="_cost").head(k).reset_index(drop=True)
    table.insert(0, "path", range(1, len(table) + 1))
    return table[list(PATH_COLUMNS)]
