"""The co-funding network: givers linked by the recipients they fund in common."""

from __future__ import annotations

import math
from typing import Sequence

import igraph as ig
import numpy as np
import pandas as pd

from analysis.flows import PLEDGE_TYPES, money_relationships
from network.graph import InfluenceGraph

__all__ = ["cofunding_edges", "cofunding_graph", "cofunding_centrality"]


def _transfer_matrix(graph: InfluenceGraph, types: Sequence[str] | None, pledge_types: Sequence[str]) -> pd.DataFrame:
    """giver, recipient, amount_usd: counted transfers with an amount, summed per pair."""
    money = money_relationships(graph, pledge_types=pledge_types)
    money = money[money["transfer"] & (money["kind"] != "oppose") & (money["amount_usd"] > 0)]  # money against a candidate funds nothing
    if types is not None:
        money = money[money["type"].isin(list(types))]
    return (money.groupby(["source", "target"], sort=True, as_index=False)["amount_usd"].sum()
            .rename(columns={"source": "giver", "target": "recipient"}))


def cofunding_edges(
    graph: InfluenceGraph, *, types: Sequence[str] | None = None, pledge_types: Sequence[str] = PLEDGE_TYPES,
) -> pd.DataFrame:
    """Givers linked by the recipients they fund in common, weighted by the money they share.

    The giver-recipient money network is two-mode; this is its one-mode
    projection onto the givers, the way co-sponsorship networks link
    legislators through the bills they sign together [1]_ and collaboration
    networks link authors through their papers [2]_. For givers ``a`` and
    ``b`` and each recipient ``r`` both fund, the tie gains
    ``min(x_ar, x_br)``, where ``x`` is the money counted from a giver to a
    recipient (transfers with an amount; aggregate rows and pledges never
    count). The sum of minima is the money the two have *both* put into the
    same places: a $150M donor and a $1M donor to one campaign share $1M,
    not $151M, so one large giver does not make every small co-donor look
    close to it. It is the numerator of the weighted Jaccard (Ruzicka)
    similarity. Transfers without an amount create no tie.

    Parameters
    ----------
    graph : InfluenceGraph
    types : sequence of str, optional
        Only these money types (default: every type that is not a pledge).
    pledge_types : sequence of str

    Returns
    -------
    pd.DataFrame
        ``giver_a, giver_b`` (ids, ``giver_a < giver_b``), ``shared_usd``,
        ``shared_recipients`` (how many) and ``recipients`` (``;``-joined
        ids), sorted by shared_usd, largest first, then the two ids.

    References
    ----------
    .. [1] J. H. Fowler, "Connecting the Congress: a study of cosponsorship
       networks", Political Analysis 14 (2006) 456-487.
    .. [2] M. E. J. Newman, "Scientific collaboration networks. II. Shortest
       paths, weighted networks, and centrality", Physical Review E 64 (2001)
       016132.

    Examples
    --------
    >>> from network.graph import bundled_graph
    >>> graph = bundled_graph()
    >>> cofunding_edges(graph)[["giver_a", "giver_b", "shared_usd"]].head(2).values.tolist()
    [['america-pac', 'timothy-mellon', 21000000.0], ['amazon', 'meta', 1000000.0]]
    """
    matrix = _transfer_matrix(graph, types, pledge_types)
    pairs = matrix.merge(matrix, on="recipient", suffixes=("_a", "_b"))
    pairs = pairs[pairs["giver_a"] < pairs["giver_b"]]
    pairs = pairs.assign(shared=np.minimum(pairs["amount_usd_a"], pairs["amount_usd_b"]))
    rows = [{"giver_a": a, "giver_b": b, "shared_usd": float(math.fsum(group["shared"])),
             "shared_recipients": int(len(group)), "recipients": ";".join(sorted(group["recipient"]))}
            for (a, b), group in pairs.groupby(["giver_a", "giver_b"], sort=True)]
    table = pd.DataFrame(rows, columns=["giver_a", "giver_b", "shared_usd", "shared_recipients", "recipients"])
    return (table.assign(_shared=-table["shared_usd"]).sort_values(["_shared", "giver_a", "giver_b"], kind="stable")
            .drop(columns="_shared").reset_index(drop=True))


def cofunding_graph(
    graph: InfluenceGraph, *, types: Sequence[str] | None = None, pledge_types: Sequence[str] = PLEDGE_TYPES,
) -> ig.Graph:
    """The co-funding network as an undirected igraph graph.

    Vertices are the givers with at least one co-funding tie, sorted by id
    (attributes ``name`` = id, ``label`` = entity name, ``type``); edges are
    the rows of `cofunding_edges` with attributes ``shared_usd``,
    ``strength`` (= shared_usd), ``cost`` (= 1 / strength),
    ``shared_recipients`` and ``recipients``.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "b", 1.0)])
    >>> cofunding_graph(graph).vcount()
    0
    """
    edges = cofunding_edges(graph, types=types, pledge_types=pledge_types)
    givers = sorted(set(edges["giver_a"]) | set(edges["giver_b"]))
    index = {giver: i for i, giver in enumerate(givers)}
    result = ig.Graph(n=len(givers), edges=[(index[a], index[b]) for a, b in zip(edges["giver_a"], edges["giver_b"])])
    entities = graph.entities.set_index("id")
    result.vs["name"] = givers
    result.vs["label"] = [entities.loc[g, "name"] for g in givers]
    result.vs["type"] = [entities.loc[g, "type"] for g in givers]
    result.es["shared_usd"] = edges["shared_usd"].tolist()
    result.es["strength"] = edges["shared_usd"].tolist()
    result.es["cost"] = (1.0 / edges["shared_usd"]).tolist()
    result.es["shared_recipients"] = edges["shared_recipients"].tolist()
    result.es["recipients"] = edges["recipients"].tolist()
    return result


def cofunding_centrality(
    graph: InfluenceGraph, *, types: Sequence[str] | None = None, pledge_types: Sequence[str] = PLEDGE_TYPES,
) -> pd.DataFrame:
    """Centrality in the co-funding network: who funds the same places as many others, and as much.

    - ``partners``: how many givers share a recipient with this one.
    - ``shared_usd``: weighted degree (strength [3]_): the money shared with
      all partners, the sum of the giver's tie weights.
    - ``eigenvector``: eigenvector centrality on tie ``strength`` [4]_,
      computed in each connected component on its own (it is defined only
      on a connected graph) and scaled so that each component's top giver
      has 1; ``component`` numbers the components, largest total shared
      money first.
    - ``betweenness``: betweenness on shortest paths whose length is the sum
      of ``cost`` = 1 / shared_usd (strong ties are short [3]_), normalized
      by (n-1)(n-2)/2 for the n givers in the network.

    Returns
    -------
    pd.DataFrame
        ``id, name, type, component, partners, shared_usd, eigenvector,
        betweenness``, sorted by shared_usd, largest first, then id.

    References
    ----------
    .. [3] T. Opsahl, F. Agneessens and J. Skvoretz, "Node centrality in
       weighted networks: generalizing degree and shortest paths", Social
       Networks 32 (2010) 245-251.
    .. [4] P. Bonacich, "Factoring and weighting approaches to status scores
       and clique identification", Journal of Mathematical Sociology 2 (1972)
       113-120.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "b", 1.0)])
    >>> list(cofunding_centrality(graph).columns)
    ['id', 'name', 'type', 'component', 'partners', 'shared_usd', 'eigenvector', 'betweenness']
    """
    network = cofunding_graph(graph, types=types, pledge_types=pledge_types)
    n = network.vcount()
    columns = ["id", "name", "type", "component", "partners", "shared_usd", "eigenvector", "betweenness"]
    if n == 0:
        return pd.DataFrame(columns=columns)
    eigenvector = [0.0] * n
    components = network.connected_components()
    totals = [math.fsum(network.es.select(_within=members)["shared_usd"]) for members in components]
    ranked = sorted(range(len(components)), key=lambda c: (-totals[c], min(network.vs[components[c]]["name"])))
    component = [0] * n
    for number, c in enumerate(ranked, start=1):
        members = components[c]
        sub = network.induced_subgraph(members)
        scores = sub.eigenvector_centrality(weights="strength", scale=True) if sub.ecount() else [1.0]
        top = max(scores) or 1.0
        for v, score in zip(members, scores):
            eigenvector[v], component[v] = score / top, number
    betweenness = network.betweenness(weights="cost", directed=False)
    scale = (n - 1) * (n - 2) / 2
    table = pd.DataFrame({
        "id": network.vs["name"], "name": network.vs["label"], "type": network.vs["type"], "component": component,
        "partners": network.degree(), "shared_usd": network.strength(weights="shared_usd"),
        "eigenvector": eigenvector, "betweenness": [b / scale if scale else 0.0 for b in betweenness],
    })
    return (table.assign(_shared=-table["shared_usd"]).sort_values(["_shared", "id"], kind="stable")
            .drop(columns="_shared").reset_index(drop=True))
