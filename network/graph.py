"""Validated tables -> InfluenceGraph: the weighted multilayer graph, its weights and filters."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from typing import Iterable, Sequence

import igraph as ig
import numpy as np
import pandas as pd

from network.dates import earliest, latest
from network.errors import EmptyGraphError
from network.load import DataTables
from network.schema import STATUSES, Schema, WeightPolicy
from network.validate import split_list

__all__ = [
    "EDGE_COLUMNS",
    "InfluenceGraph",
    "build_influence_graph",
    "filter_relationships",
    "relationship_strengths",
]

EDGE_COLUMNS = (
    "source", "target", "layer", "directed", "types", "relationship_ids", "relationship_count",
    "strength", "cost", "amount_usd", "stated_total_usd", "first_date", "last_date", "status", "source_ids",
)
_STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}


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
        conflict edges are left out unless ``include_conflict``. Edge
        attributes: ``strength`` (summed) and ``cost`` = 1 / strength, the
        distance for path-based metrics. Vertex ``i`` is entity ``i``.

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
        chosen = edges[keep]
        index = {entity_id: i for i, entity_id in enumerate(self.entities["id"])}
        u = chosen["source"].map(index).to_numpy(dtype=np.int64)
        v = chosen["target"].map(index).to_numpy(dtype=np.int64)
        w = chosen["strength"].to_numpy(dtype=float)
        mutual = ~chosen["directed"].to_numpy(dtype=bool)
        frame = pd.DataFrame({
            "u": np.concatenate([u, v[mutual]]),
            "v": np.concatenate([v, u[mutual]]),
            "strength": np.concatenate([w, w[mutual]]),
        })
        summed = frame.groupby(["u", "v"], sort=True, as_index=False)["strength"].sum()
        result = ig.Graph(n=len(self.entities), edges=list(zip(summed["u"].tolist(), summed["v"].tolist())), directed=True)
        result.vs["name"] = self.ids
        result.es["strength"] = summed["strength"].tolist()
        result.es["cost"] = (1.0 / summed["strength"]).tolist()
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
        drop_isolated: bool = True,
    ) -> "InfluenceGraph":
        """A new graph from the relationships that pass the filters (see `filter_relationships`).

        Entities left with no relationship are dropped unless ``drop_isolated`` is False.

        Examples
        --------
        >>> from network.load import load_tables
        >>> from network.schema import load_schema
        >>> from network.validate import validated_tables
        >>> schema = load_schema()
        >>> full = build_influence_graph(validated_tables(load_tables(), schema), schema)
        >>> set(full.filter(layers=["money"]).edges["layer"])
        {'money'}
        """
        kept = filter_relationships(
            self.relationships, self.schema, layers=layers, types=types, since=since, until=until,
            min_amount_usd=min_amount_usd, statuses=statuses, include_undated=include_undated,
        )
        entities = self.entities
        if drop_isolated:
            used = set(kept["source"]) | set(kept["target"])
            entities = entities[entities["id"].isin(used)]
        return _assemble(entities, kept, self.sources, self.schema, self.weights)

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
        from network.schema import load_schema

        schema = schema or load_schema()
        triples = [(str(u), str(v), float(w)) for u, v, w in edges]
        names = sorted({n for u, v, _ in triples for n in (u, v)})
        entities = pd.DataFrame({"id": names, "name": names, "type": "person", "name_ar": "", "aliases": "", "description": ""})
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


def relationship_strengths(relationships: pd.DataFrame, schema: Schema, weights: WeightPolicy) -> pd.Series:
    """The strength of each relationship on its own, under a weight policy.

    Money relationships with an amount follow the money scale; others take
    their type's default strength; each is multiplied by its status factor.
    Under the ``unweighted`` scale every relationship weighs 1.

    Examples
    --------
    >>> from network.schema import load_schema
    >>> rows = pd.DataFrame({"type": ["donation", "executive"], "amount_usd": [1e6, math.nan], "status": ["planned", "confirmed"]})
    >>> relationship_strengths(rows, load_schema(), load_schema().weights).round(3).tolist()
    [2.0, 4.0]
    """
    if weights.money_scale == "unweighted":
        return pd.Series(1.0, index=relationships.index)
    values = []
    for kind, amount, status in zip(relationships["type"], relationships["amount_usd"], relationships["status"]):
        spec = schema.relationship_types[kind]
        if spec.layer == "money" and amount == amount and amount > 0:
            base = weights.money_strength(amount)
        else:
            base = spec.default_strength
        values.append(base * weights.status_factor.get(status, 1.0))
    return pd.Series(values, index=relationships.index, dtype=float)


def _interval(start: str, end: str) -> tuple[date | None, date | None]:
    """First and last day a relationship covers; a blank end_date means ongoing."""
    low = earliest(start) or earliest(end)
    high = latest(end) if end else None
    return low, high


def filter_relationships(
    relationships: pd.DataFrame,
    schema: Schema,
    *,
    layers: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    min_amount_usd: float | None = None,
    statuses: Iterable[str] | None = None,
    include_undated: bool = True,
) -> pd.DataFrame:
    """The relationships that pass every given filter.

    Parameters
    ----------
    layers, types, statuses : iterables of str, optional
        Keep only these layers, relationship types, statuses.
    since, until : str (YYYY[-MM[-DD]]) or date, optional
        Keep relationships whose period overlaps the window. A relationship
        covers start_date to end_date; a blank end_date means it is ongoing.
        Undated relationships are kept when ``include_undated``.
    min_amount_usd : float, optional
        Drop money relationships below this amount, or with no amount; other
        layers are not affected.

    Raises
    ------
    ValueError
        For an unknown layer, type or status, or a bad date.
    """
    frame = relationships
    keep = np.ones(len(frame), dtype=bool)
    type_layer = frame["type"].map(lambda t: schema.relationship_types[t].layer if t in schema.relationship_types else "")
    if layers is not None:
        layers = list(layers)
        unknown = sorted(set(layers) - set(schema.layers))
        if unknown:
            raise ValueError(f"unknown layer {', '.join(unknown)}; expected one of {', '.join(schema.layers)}")
        keep &= type_layer.isin(layers).to_numpy()
    if types is not None:
        types = list(types)
        unknown = sorted(set(types) - set(schema.relationship_types))
        if unknown:
            raise ValueError(f"unknown relationship type {', '.join(unknown)}; expected one of {', '.join(sorted(schema.relationship_types))}")
        keep &= frame["type"].isin(types).to_numpy()
    if statuses is not None:
        statuses = list(statuses)
        unknown = sorted(set(statuses) - set(STATUSES))
        if unknown:
            raise ValueError(f"unknown status {', '.join(unknown)}; expected one of {', '.join(STATUSES)}")
        keep &= frame["status"].isin(statuses).to_numpy()
    if min_amount_usd is not None:
        amounts = frame["amount_usd"].to_numpy(dtype=float)
        is_money = (type_layer == "money").to_numpy()
        keep &= ~is_money | (amounts >= float(min_amount_usd))
    if since is not None or until is not None:
        window_low = _window_day(since, earliest, "since")
        window_high = _window_day(until, latest, "until")
        in_window = []
        for start, end in zip(frame["start_date"], frame["end_date"]):
            low, high = _interval(start, end)
            if low is None and high is None:
                in_window.append(include_undated)
                continue
            after = window_low is None or high is None or high >= window_low
            before = window_high is None or low is None or low <= window_high
            in_window.append(after and before)
        keep &= np.array(in_window, dtype=bool)
    return frame[keep]


def _window_day(value: str | date | None, pick, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    day = pick(str(value))
    if day is None:
        raise ValueError(f"--{name}: not a date (found {value!r}, expected YYYY, YYYY-MM or YYYY-MM-DD)")
    return day


def build_influence_graph(tables: DataTables, schema: Schema, *, weights: WeightPolicy | None = None) -> InfluenceGraph:
    """Build the weighted multilayer graph from validated tables.

    Parameters
    ----------
    tables : DataTables
        From `network.validate.validated_tables`.
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
        ``stated_total_usd`` keeps the largest aggregate total. A money edge's
        strength comes from the larger of the two, times its best status
        factor; other edges add their relationships' strengths. ``cost`` is
        1 / strength.

    Raises
    ------
    EmptyGraphError
        If there are no entities.

    Examples
    --------
    >>> from network.load import load_tables
    >>> from network.schema import load_schema
    >>> from network.validate import validated_tables
    >>> schema = load_schema()
    >>> graph = build_influence_graph(validated_tables(load_tables(), schema), schema)
    >>> graph.graph.vcount() == len(graph.entities)
    True
    """
    if tables.entities.empty:
        raise EmptyGraphError("no entities to build a graph from")
    entities = tables.entities.reset_index(drop=True)
    return _assemble(entities, tables.relationships.reset_index(drop=True), tables.sources.reset_index(drop=True), schema, weights or schema.weights)


def _oriented(relationships: pd.DataFrame, schema: Schema, weights: WeightPolicy) -> pd.DataFrame:
    """Relationships with their layer, direction of influence and own strength."""
    kinds = [schema.relationship_types[t] for t in relationships["type"]]
    source, target = relationships["source"].tolist(), relationships["target"].tolist()
    edge_source, edge_target = [], []
    for kind, s, t in zip(kinds, source, target):
        if kind.influence == "reverse":
            s, t = t, s
        elif kind.influence == "mutual" and t < s:
            s, t = t, s
        edge_source.append(s)
        edge_target.append(t)
    return relationships.assign(
        layer=[k.layer for k in kinds],
        edge_source=edge_source,
        edge_target=edge_target,
        directed=[k.directed for k in kinds],
        strength=relationship_strengths(relationships, schema, weights) if len(relationships) else pd.Series(dtype=float),
    )


def _join(values: Iterable[str]) -> str:
    return ";".join(sorted({v for value in values for v in split_list(value)}))


def _dates(starts: Sequence[str], ends: Sequence[str]) -> tuple[str, str]:
    """The earliest date mentioned and the latest, as written."""
    mentioned = [d for d in list(starts) + list(ends) if d]
    if not mentioned:
        return "", ""
    first = min(mentioned, key=lambda d: (earliest(d), len(d)))
    last = max(mentioned, key=lambda d: (latest(d), -len(d)))
    return first, last


def _edge_strength(group: pd.DataFrame, layer: str, schema: Schema, weights: WeightPolicy) -> float:
    if weights.money_scale == "unweighted":
        return 1.0
    if layer != "money":
        return float(group["strength"].sum())
    amounts = group["amount_usd"].to_numpy(dtype=float)
    aggregate = group["aggregate"].to_numpy(dtype=bool)
    counted = np.nansum(amounts[~aggregate]) if (~aggregate).any() else 0.0
    stated = np.nanmax(amounts[aggregate]) if aggregate.any() and not np.isnan(amounts[aggregate]).all() else 0.0
    basis = max(counted, stated)
    factor = max(weights.status_factor.get(s, 1.0) for s in group["status"])
    if basis > 0:
        return weights.money_strength(basis) * factor
    return float(max(schema.relationship_types[t].default_strength * weights.status_factor.get(s, 1.0)
                     for t, s in zip(group["type"], group["status"])))


def _assemble(entities: pd.DataFrame, relationships: pd.DataFrame, sources: pd.DataFrame, schema: Schema, weights: WeightPolicy) -> InfluenceGraph:
    entities = entities.sort_values("id", kind="stable").reset_index(drop=True)
    oriented = _oriented(relationships.sort_values("id", kind="stable").reset_index(drop=True), schema, weights)
    rows = []
    if len(oriented):
        for (s, t, layer, directed), group in oriented.groupby(["edge_source", "edge_target", "layer", "directed"], sort=True):
            amounts = group["amount_usd"].to_numpy(dtype=float)
            aggregate = group["aggregate"].to_numpy(dtype=bool)
            counted = amounts[~aggregate]
            stated = amounts[aggregate]
            strength = _edge_strength(group, layer, schema, weights)
            first, last = _dates(group["start_date"].tolist(), group["end_date"].tolist())
            rows.append({
                "source": s, "target": t, "layer": layer, "directed": bool(directed),
                "types": ";".join(sorted(set(group["type"]))),
                "relationship_ids": ";".join(group["id"]),
                "relationship_count": int(len(group)),
                "strength": float(strength), "cost": 1.0 / float(strength),
                "amount_usd": float(np.nansum(counted)) if (~np.isnan(counted)).any() else math.nan,
                "stated_total_usd": float(np.nanmax(stated)) if (~np.isnan(stated)).any() else math.nan,
                "first_date": first, "last_date": last,
                "status": min(group["status"], key=lambda x: _STATUS_RANK.get(x, len(STATUSES))),
                "source_ids": _join(group["source_ids"]),
            })
    edges = pd.DataFrame(rows, columns=list(EDGE_COLUMNS))
    index = {entity_id: i for i, entity_id in enumerate(entities["id"])}
    graph = ig.Graph(n=len(entities), edges=[(index[s], index[t]) for s, t in zip(edges["source"], edges["target"])], directed=True)
    graph.vs["name"] = list(entities["id"])
    graph.vs["label"] = list(entities["name"])
    graph.vs["type"] = list(entities["type"])
    for column in ("layer", "strength", "cost", "amount_usd", "directed"):
        graph.es[column] = edges[column].tolist()
    return InfluenceGraph(entities, oriented, sources.reset_index(drop=True), edges, graph, schema, weights)
