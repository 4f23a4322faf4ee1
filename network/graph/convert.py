"""InfluenceGraph <-> networkx: the one place igraph indices meet entity ids."""

from __future__ import annotations

import networkx as nx

from network.graph.build import InfluenceGraph

__all__ = ["to_networkx"]


def to_networkx(graph: InfluenceGraph, *, collapsed: bool = False, include_conflict: bool = False) -> nx.MultiDiGraph | nx.DiGraph:
    """Copy the graph into networkx, keyed by entity id.

    Parameters
    ----------
    graph : InfluenceGraph
    collapsed : bool
        False (default): a ``MultiDiGraph`` with one edge per graph edge, keyed
        by layer (``"money"``; a mutual edge beside a directed one in the same
        layer gets the key ``"LAYER:mutual"``), carrying every edge column;
        mutual edges appear once with ``directed=False``. Every entity column
        is a node attribute.
        True: the ``DiGraph`` that metrics use (`InfluenceGraph.metric_graph`):
        one edge per ordered pair with summed ``strength`` and ``cost`` =
        1 / strength, mutual ties in both directions.
    include_conflict : bool
        With ``collapsed``, keep conflict edges.

    Examples
    --------
    >>> g = InfluenceGraph.from_edges([("a", "b", 2.0), ("b", "c", 4.0)], directed=False)
    >>> sorted(to_networkx(g, collapsed=True).edges(data="strength"))
    [('a', 'b', 2.0), ('b', 'a', 2.0), ('b', 'c', 4.0), ('c', 'b', 4.0)]
    """
    attributes = graph.entities.to_dict("records")
    if collapsed:
        metric = graph.metric_graph(include_conflict=include_conflict)
        result = nx.DiGraph()
        result.add_nodes_from((row["id"], row) for row in attributes)
        names = metric.vs["name"]
        for edge, strength, cost in zip(metric.es, metric.es["strength"], metric.es["cost"]):
            result.add_edge(names[edge.source], names[edge.target], strength=strength, cost=cost)
        return result
    result = nx.MultiDiGraph()
    result.add_nodes_from((row["id"], row) for row in attributes)
    for row in graph.edges.to_dict("records"):
        key = row["layer"] if row["directed"] else f"{row['layer']}:mutual"
        result.add_edge(row["source"], row["target"], key=key, **row)
    return result
