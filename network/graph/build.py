"""Validated tables -> InfluenceGraph: the weighted multilayer graph, its weights and filters."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from typing import Iterable, Sequence

import igraph as ig
import numpy as np
import pandas as pd

from network.errors import EmptyGraphError
from network.contract.load import DataTables
from network.contract.schema import Schema, WeightPolicy
from network.graph.edges import EDGE_COLUMNS, edge_table, orient_relationships
from network.graph.filters import filter_relationships

__all__ = ["EDGE_COLUMNS", "ENTITY_ROWS", "InfluenceGraph", "build_influence_graph", "bundled_graph"]

ENTITY_ROWS = ("source_row", "target_row")
"""Optional edge columns: the row of each end in ``entities`` (`InfluenceGraph.metric_graph` uses them when present)."""



DERIVED_COLUMNS = ("layer", "edge_source", "edge_target", "directed", "strength")
"""The relationship columns a graph adds when it is built (`InfluenceGraph.restrict` drops them before rebuilding)."""


@dataclass(frozen=True)
class InfluenceGraph:
    """Entities, relationships and sources, and the directed graph built from them.

    Attributes
    ----------
    entities, relationships, sources : pd.DataFrame
        The validated tables (sorted by id). ``relationships`` gains the
        columns ``layer``, ``edge_source``, ``edge_target`` (the ends in the
        direction influence flows), ``directed`` and ``strength``.
    edges : pd.DataFrame
        One row per graph edge, columns `EDGE_COLUMNS`, row ``i`` being igraph
        edge ``i``: all relationships between one ordered pair in one layer
        (one unordered pair, for mutual types) merged into one edge.
    graph : igraph.Graph
        Directed; vertex ``i`` is entity row ``i`` (vertex attribute ``name``
        is the entity id); edge attributes ``layer``, ``strength``, ``cost``,
        ``amount_usd``, ``directed``.
    schema : Schema
    weights : WeightPolicy
        The policy the strengths were computed with.
    """

    entities: pd.DataFrame
    relationships: pd.DataFrame
    sources: pd.DataFrame
    edges: pd.DataFrame
    graph: ig.Graph
    schema: Schema
    weights: WeightPolicy

    @property
    def ids(self) -> list[str]:
        """Entity ids in vertex order."""
        return list(self.entities["id"])

    def metric_graph(self, *, include_conflict: bool = False, layers: Sequence[str] | None = None) -> ig.Graph:
        """A simple directed graph for metrics: one edge per ordered pair.

        The strengths of all edges from one entity to another (across the
        chosen layers) are added; a mutual edge counts in both directions;
        conflict edges are left out unless ``include_conflict``, and so are
        edges of strength 0 (aggregate rows only: stated totals, which never
        weigh; docs/money.md rule 9). Edge
        attributes: ``strength`` (summed) and ``cost`` = 1 / strength, the
        distance for path-based metrics. Vertex ``i`` is entity ``i``. Edges
        that carry `ENTITY_ROWS` (each end's entity row number, as the views
        of `analysis.scenario_edges` do) skip looking their ids up.

        Examples
        --------
        >>> g = InfluenceGraph.from_edges([("a", "b", 2.0), ("b", "a", 1.0), ("b", "c", 4.0)])
        >>> m = g.metric_graph()
        >>> sorted(zip(m.get_edgelist(), m.es["strength"]))
        [((0, 1), 2.0), ((1, 0), 1.0), ((1, 2), 4.0)]
        """
        edges = self.edges
        keep = np.ones(len(edges), dtype=bool)
        if layers is not None:
            keep &= edges["layer"].isin(list(layers)).to_numpy()
        if not include_conflict:
            keep &= (edges["layer"] != "conflict").to_numpy()
        keep &= (edges["strength"].to_numpy(dtype=float) > 0)
        count = len(self.entities)
        index = pd.Index(self.entities["id"])
        if all(column in edges.columns for column in ENTITY_ROWS):  # a robustness view: rows already looked up
            u = edges[ENTITY_ROWS[0]].to_numpy(dtype=np.int64)[keep]
            v = edges[ENTITY_ROWS[1]].to_numpy(dtype=np.int64)[keep]
        elif index.is_unique:  # the same numbers as a dict from id to row, without copying the other columns
            u = index.get_indexer(edges["source"].to_numpy()[keep]).astype(np.int64)
            v = index.get_indexer(edges["target"].to_numpy()[keep]).astype(np.int64)
        else:
            first = {entity_id: i for i, entity_id in enumerate(self.entities["id"])}
            u = edges["source"][keep].map(first).to_numpy(dtype=np.int64)
            v = edges["target"][keep].map(first).to_numpy(dtype=np.int64)
        if (u < 0).any() or (v < 0).any():
            raise ValueError("an edge names an entity the graph does not have")
        w = edges["strength"].to_numpy(dtype=float)[keep]
        mutual = ~edges["directed"].to_numpy(dtype=bool)[keep]
        # one int64 key per ordered pair sorts as (u, v) does; the sums are pandas' own per group, as before
        pair = np.concatenate([u * count + v, v[mutual] * count + u[mutual]])
        summed = pd.Series(np.concatenate([w, w[mutual]])).groupby(pair, sort=True).sum()
        keys = summed.index.to_numpy(dtype=np.int64)
        strength = summed.to_numpy(dtype=float)
        result = ig.Graph(n=count, edges=list(zip((keys // count).tolist(), (keys % count).tolist())), directed=True)
        result.vs["name"] = self.ids
        result.es["strength"] = strength.tolist()
        result.es["cost"] = (1.0 / strength).tolist()
        return result

    def filter(
        self,
        *,
        layers: Iterable[str] | None = None,
        types: Iterable[str] | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        min_amount_usd: float | None = None,
        statuses: Iterable[str] | None = None,
        include_undated: bool = True,
        min_sources: int | None = None,
        drop_isolated: bool = True,
    ) -> "InfluenceGraph":
        """A new graph from the relationships that pass the filters (see `filter_relationships`).

        Entities left with no relationship are dropped unless ``drop_isolated`` is False.

        Examples
        --------
        >>> full = bundled_graph()
        >>> set(full.filter(layers=["money"]).edges["layer"])
        {'money'}
        """
        kept = filter_relationships(
            self.relationships, self.schema, layers=layers, types=types, since=since, until=until,
            min_amount_usd=min_amount_usd, statuses=statuses, include_undated=include_undated,
            min_sources=min_sources,
        )
        entities = self.entities
        if drop_isolated:
            used = set(kept["source"]) | set(kept["target"])
            entities = entities[entities["id"].isin(used)]
        return _assemble(entities, kept, self.sources, self.schema, self.weights)

    def restrict(self, ids: Iterable[str], *, sources: pd.DataFrame | None = None) -> "InfluenceGraph":
        """A new graph of only these entities and the relationships among them (``sources``: its source table,
        this graph's when omitted).

        Examples
        --------
        >>> g = InfluenceGraph.from_edges([("a", "b", 2.0), ("b", "c", 1.0)])
        >>> g.restrict(["a", "b"]).edges[["source", "target"]].values.tolist()
        [['a', 'b']]
        """
        keep = set(ids)
        entities = self.entities[self.entities["id"].isin(keep)]
        rel = self.relationships
        among = rel[rel["source"].isin(keep) & rel["target"].isin(keep)]
        base = [c for c in among.columns if c not in DERIVED_COLUMNS]
        return _assemble(entities, among[base], self.sources if sources is None else sources, self.schema, self.weights)

    @classmethod
    def from_edges(cls, edges: Iterable[tuple[str, str, float]], *, directed: bool = True, schema: Schema | None = None) -> "InfluenceGraph":
        """A graph straight from ``(source, target, strength)`` triples, for tests and examples.

        Every entity is a ``person``; every edge is one relationship of layer
        ``affiliation`` whose strength is given. ``directed=False`` makes
        every edge mutual.

        Examples
        --------
        >>> g = InfluenceGraph.from_edges([("a", "b", 2.0), ("b", "c", 0.5)])
        >>> g.edges[["source", "target", "strength", "cost"]].values.tolist()
        [['a', 'b', 2.0, 0.5], ['b', 'c', 0.5, 2.0]]
        """
        from network.contract.schema import load_schema

        schema = schema or load_schema()
        triples = [(str(u), str(v), float(w)) for u, v, w in edges]
        names = sorted({n for u, v, _ in triples for n in (u, v)})
        entities = pd.DataFrame({"id": names, "name": names, "type": "person", "name_ar": "", "aliases": "", "description": "",
                                 "identifiers": ""})
        relationships = pd.DataFrame({
            "id": [f"e{i:06d}" for i in range(len(triples))],
            "source": [u for u, _, _ in triples], "target": [v for _, v, _ in triples],
            "type": "associate" if not directed else "endorsement", "role": "", "amount_usd": math.nan,
            "amount_qualifier": "", "start_date": "", "end_date": "", "status": "confirmed",
            "aggregate": False, "source_ids": "", "evidence": "",
        })
        graph = _assemble(entities, relationships, pd.DataFrame(columns=["id", "publisher", "title", "published", "language", "url", "document"]), schema, schema.weights)
        # Replace computed strengths with the given ones (one relationship per edge).
        given = {(u, v) if directed else tuple(sorted((u, v))): w for u, v, w in triples}
        strengths = [given[(s, t)] for s, t in zip(graph.edges["source"], graph.edges["target"])]
        edges_table = graph.edges.assign(strength=strengths, cost=[1.0 / w for w in strengths])
        graph.graph.es["strength"] = strengths
        graph.graph.es["cost"] = list(edges_table["cost"])
        return replace(graph, edges=edges_table)


def bundled_graph() -> InfluenceGraph:
    """The graph of the bundled data, validated and built: for examples and quick looks.

    Examples
    --------
    >>> bundled_graph().graph.vcount()
    67
    """
    from network.contract.load import load_tables
    from network.contract.schema import load_schema
    from network.contract.validate import validated_tables

    schema = load_schema()
    return build_influence_graph(validated_tables(load_tables(), schema), schema)


def build_influence_graph(tables: DataTables, schema: Schema, *, weights: WeightPolicy | None = None) -> InfluenceGraph:
    """Build the weighted multilayer graph from validated tables.

    Parameters
    ----------
    tables : DataTables
        From `network.contract.validate.validated_tables`.
    schema : Schema
    weights : WeightPolicy, optional
        The schema's policy when omitted.

    Returns
    -------
    InfluenceGraph
        Every entity is a vertex. Relationships between one pair in one layer
        become one edge (mutual types, such as rivalry, one undirected edge
        beside any directed one). Edge ``amount_usd`` sums the pair's money
        rows except aggregate ones, which restate money already counted;
        ``stated_total_usd`` keeps the largest aggregate total, for
        display only. A money edge's strength comes from ``amount_usd`` times
        its best status factor (aggregate rows never create or raise a
        weight: docs/money.md); other edges add their relationships'
        strengths. ``cost`` is 1 / strength (NaN for an edge of strength 0).

    Raises
    ------
    EmptyGraphError
        If there are no entities.

    Examples
    --------
    >>> graph = bundled_graph()
    >>> graph.graph.vcount() == len(graph.entities)
    True
    """
    if tables.entities.empty:
        raise EmptyGraphError("no entities to build a graph from")
    entities = tables.entities.reset_index(drop=True)
    return _assemble(entities, tables.relationships.reset_index(drop=True), tables.sources.reset_index(drop=True), schema, weights or schema.weights)


def _assemble(entities: pd.DataFrame, relationships: pd.DataFrame, sources: pd.DataFrame, schema: Schema, weights: WeightPolicy) -> InfluenceGraph:
    entities = entities.sort_values("id", kind="stable").reset_index(drop=True)
    oriented = orient_relationships(relationships.sort_values("id", kind="stable").reset_index(drop=True), schema, weights)
    edges = edge_table(oriented, schema, weights)
    codes = pd.Index(entities["id"])
    graph = ig.Graph(n=len(entities), directed=True)
    if len(edges):
        pairs = np.column_stack([codes.get_indexer(edges["source"]), codes.get_indexer(edges["target"])])
        graph.add_edges(pairs.tolist())
    graph.vs["name"] = list(entities["id"])
    graph.vs["label"] = list(entities["name"])
    graph.vs["type"] = list(entities["type"])
    for column in ("layer", "strength", "cost", "amount_usd", "directed"):
        graph.es[column] = edges[column].tolist()
    return InfluenceGraph(entities, oriented, sources.reset_index(drop=True), edges, graph, schema, weights)
