"""PageRank of robustness scenarios on the baseline's igraph graph: one weight vector per scenario.

Every scenario `analysis.scenario_edges.scenario_views` yields keeps a subset of the baseline's entity
pairs (it drops relationships, keeps some layers, or weighs the same relationships on another money
scale), so its metric graph is the baseline's metric graph with other pair strengths, zero where a
pair is gone. igraph's PageRank (PRPACK) leaves edges of weight 0 out of the graph it solves, so
scoring the baseline's graph with the scenario's strengths gives the very floats that building the
scenario's own graph gives (tests/analysis/test_scenario_scores.py compares them bit for bit on every
scenario of several folders). Nothing is rebuilt per scenario: no edge table, no igraph object.

For a scenario that drops relationships, only the pairs that lose one are summed again: a pair's
strength is pandas' sum of its edges' strengths in the baseline's element order (as
`network.graph.InfluenceGraph.metric_graph` adds them), and a group's sum depends only on its own
values in order, so summing the touched pairs alone gives the same floats as summing all pairs.
"""

from __future__ import annotations

import igraph as ig
import numpy as np
import pandas as pd

from network.graph import ENTITY_ROWS, InfluenceGraph
from network.graph.edges import edge_strengths

__all__ = ["PagerankScorer"]


def _elements(edges: pd.DataFrame, entity_index: pd.Index, count: int, include_conflict: bool):
    """The summands of the metric graph's pair strengths, in `InfluenceGraph.metric_graph`'s order.

    Returns ``(edge_row, key, strength)``: each kept edge once (key ``u * count + v``), then each kept
    mutual edge again in the other direction (key ``v * count + u``).
    """
    keep = edges["strength"].to_numpy(dtype=float) > 0
    if not include_conflict:
        keep &= (edges["layer"] != "conflict").to_numpy()
    if all(column in edges.columns for column in ENTITY_ROWS):
        u = edges[ENTITY_ROWS[0]].to_numpy(dtype=np.int64)
        v = edges[ENTITY_ROWS[1]].to_numpy(dtype=np.int64)
    else:
        u = entity_index.get_indexer(edges["source"].to_numpy()).astype(np.int64)
        v = entity_index.get_indexer(edges["target"].to_numpy()).astype(np.int64)
    if (u[keep] < 0).any() or (v[keep] < 0).any():
        raise ValueError("an edge names an entity the graph does not have")
    rows = np.flatnonzero(keep)
    mutual = rows[~edges["directed"].to_numpy(dtype=bool)[rows]]
    edge_row = np.concatenate([rows, mutual])
    key = np.concatenate([u[rows] * count + v[rows], v[mutual] * count + u[mutual]])
    strength = edges["strength"].to_numpy(dtype=float)[edge_row]
    return edge_row, key, strength


def _pair_sums(key: np.ndarray, strength: np.ndarray) -> pd.Series:
    """Per pair key (sorted), the sum of its elements in order: the same pandas sums as ``metric_graph``."""
    return pd.Series(strength).groupby(key, sort=True).sum()


class PagerankScorer:
    """Score scenarios of one baseline graph by PageRank (directed, weighted by ``strength``, as
    `analysis.centrality.centrality_table` computes it), each as a weight vector on the baseline's pairs.

    `score` returns the scores in entity id order (``metric_scores``' order), or None when a scenario
    has a pair the baseline lacks or no pair at all: the caller then scores it the general way.
    """

    def __init__(self, graph: InfluenceGraph, *, include_conflict: bool = False, damping: float = 0.85) -> None:
        self._graph, self._damping, self._conflict = graph, damping, include_conflict
        self._count = len(graph.entities)
        self._index = pd.Index(graph.entities["id"])
        self._base_edges = graph.edges
        self._edge_row, key, strength = _elements(graph.edges, self._index, self._count, include_conflict)
        summed = _pair_sums(key, strength)
        self._keys = summed.index.to_numpy(dtype=np.int64)
        self._strength = summed.to_numpy(dtype=float)
        self._element_pair = np.searchsorted(self._keys, key)
        self._element_strength = strength
        self._counted = np.zeros(len(graph.edges), dtype=bool)  # edges the baseline's metric graph adds up
        self._counted[self._edge_row] = True
        self._eligible = np.ones(len(graph.edges), dtype=bool) if include_conflict else \
            (graph.edges["layer"] != "conflict").to_numpy()  # edges a scenario could count
        self._igraph = ig.Graph(n=self._count, edges=np.column_stack([self._keys // self._count, self._keys % self._count])
                                if len(self._keys) else [], directed=True)
        self._order = np.argsort(np.asarray(graph.entities["id"], dtype=object), kind="stable")
        self._arrays = None

    @property
    def id_order(self) -> list[str]:
        """Entity ids in the order `score` returns them."""
        return self._index[self._order].tolist()

    def _pagerank(self, weights: np.ndarray) -> np.ndarray | None:
        if not (weights > 0).any():  # no edge: the general path scores it unweighted, as centrality_table does
            return None
        values = self._igraph.pagerank(directed=True, weights=weights.tolist(), damping=self._damping)
        return np.asarray(values, dtype=float)[self._order]

    def score_edges(self, edges: pd.DataFrame) -> np.ndarray | None:
        """Scores of a scenario given as its edge table (the columns ``metric_graph`` reads)."""
        _, key, strength = _elements(edges, self._index, self._count, self._conflict)
        summed = _pair_sums(key, strength)
        keys = summed.index.to_numpy(dtype=np.int64)
        position = np.searchsorted(self._keys, keys)
        if len(keys) and (position.max() >= len(self._keys) or (self._keys[position] != keys).any()):
            return None
        weights = np.zeros(len(self._keys))
        weights[position] = summed.to_numpy(dtype=float)
        return self._pagerank(weights)

    def score_without(self, dropped: np.ndarray, edge_rows: np.ndarray) -> np.ndarray | None:
        """Scores of the baseline without the ``dropped`` relationships (a mask in the baseline's order).

        ``edge_rows`` gives each relationship's baseline edge row (`analysis.scenario_edges`). The edges
        that lose a relationship get their strength again from the relationships they keep
        (`network.graph.edges.edge_strengths`, as `edge_table` computes it for the rebuilt graph); only their pairs are summed again.
        """
        if not dropped.any():
            return self._pagerank(self._strength)
        touched_rows = np.unique(edge_rows[dropped])
        touched = np.zeros(len(self._base_edges), dtype=bool)
        touched[touched_rows] = True
        again = touched[edge_rows] & ~dropped
        strength = np.zeros(len(self._base_edges))
        if again.any():
            rows = np.flatnonzero(again)
            kept_rows, codes = np.unique(edge_rows[rows], return_inverse=True)  # numbered in the baseline's edge order
            amount, aggregate, factor, row_strength, money = self._weighing()
            _, rebuilt = edge_strengths(codes, len(kept_rows), money[kept_rows], amount[rows], aggregate[rows],
                                        factor[rows], row_strength[rows], self._graph.weights)
            strength[kept_rows] = rebuilt
            if ((strength > 0) & touched & self._eligible & ~self._counted).any():  # an edge the baseline leaves out now counts
                return None
        hit = touched[self._edge_row]
        pairs = np.unique(self._element_pair[hit])
        affected = np.zeros(len(self._keys), dtype=bool)
        affected[pairs] = True
        members = np.flatnonzero(affected[self._element_pair])  # element order, as metric_graph sums them
        values = np.where(hit[members], strength[self._edge_row[members]], self._element_strength[members])
        alive = values > 0
        weights = self._strength.copy()
        weights[pairs] = 0.0
        if alive.any():
            summed = _pair_sums(self._element_pair[members][alive], values[alive])
            weights[summed.index.to_numpy(dtype=np.int64)] = summed.to_numpy(dtype=float)
        return self._pagerank(weights)

    def _weighing(self) -> tuple[np.ndarray, ...]:
        """Per relationship what `edge_strengths` reads (amount, aggregate, status factor, own strength), and
        per baseline edge whether it is in the money layer; computed once."""
        if self._arrays is None:
            rel, weights = self._graph.relationships, self._graph.weights
            codes, statuses = pd.factorize(rel["status"], use_na_sentinel=False)
            factor = np.array([weights.status_factor.get(s, 1.0) for s in statuses], dtype=float)[codes]
            self._arrays = (rel["amount_usd"].to_numpy(dtype=float), rel["aggregate"].to_numpy(dtype=bool), factor,
                            rel["strength"].to_numpy(dtype=float), (self._base_edges["layer"] == "money").to_numpy())
        return self._arrays
