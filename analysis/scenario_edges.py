"""The edges of each robustness scenario, derived from the baseline's edges instead of rebuilt tables."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from network.contract.load import RELATIONSHIP_COLUMNS
from network.contract.schema import MONEY_SCALES
from network.contract.validate import split_list
from network.graph import ENTITY_ROWS, InfluenceGraph
from network.graph.edges import edge_table, orient_relationships

__all__ = ["Scenario", "cited_sources", "scenario_views"]

_EDGE_KEY = ["source", "target", "layer", "directed"]
_SCORED = [*_EDGE_KEY, "strength", "cost"]
"""The edge columns metrics read (`InfluenceGraph.metric_graph`); views carry these and `ENTITY_ROWS`."""


@dataclass(frozen=True)
class Scenario:
    """One perturbation of the baseline: its group and name, how many relationships it keeps, and a view to score.

    ``view`` (built on first use by ``make_view``; `analysis.scenario_scores.PagerankScorer` scores most
    scenarios from ``dropped`` without it) holds the scenario's edges with the columns metrics read (pair, layer, direction,
    strength, cost, and `network.graph.ENTITY_ROWS`), which is all `analysis.centrality.centrality_table`
    reads (through ``metric_graph``); its entities, relationships and igraph ``graph`` are the
    baseline's (``kept`` marks the relationships the scenario keeps, in the baseline's order): score
    the view, never draw, export or count money on it (`analysis.robustness.scenario_graphs` gives
    complete graphs).
    """

    group: str
    name: str
    relationships: int
    make_view: Callable[[], InfluenceGraph] = field(repr=False)
    kept: np.ndarray = field(repr=False)
    dropped: np.ndarray | None = field(default=None, repr=False)
    """For scenarios that drop relationships (status, resampling, sources): the dropped ones, in the baseline's order."""
    edge_rows: np.ndarray | None = field(default=None, repr=False)
    """With ``dropped``: each relationship's row in the baseline's edges."""

    @cached_property
    def view(self) -> InfluenceGraph:
        """The scenario's edges to score (built on first use)."""
        return self.make_view()


def cited_sources(graph: InfluenceGraph) -> list[str]:
    """Every source id cited by a relationship, sorted (each distinct ``source_ids`` text split once)."""
    return sorted({s for text in pd.unique(graph.relationships["source_ids"].astype(str)) for s in split_list(text)})


def _edge_rows(graph: InfluenceGraph) -> np.ndarray:
    """For each relationship, the row of the baseline edge it belongs to (one edge per pair, layer, direction).

    Each (source, target, layer, directed) becomes one integer (entity rows and a layer number), so the
    lookup is one hash of integers; ids the entity table lacks fall back to matching the texts.
    """
    rel, edges = graph.relationships, graph.edges
    entities = pd.Index(graph.entities["id"])
    layers = pd.Index(pd.unique(edges["layer"].to_numpy(dtype=object)))
    count, layer_count = len(entities), max(len(layers), 1)

    def keys(source, target, layer, directed) -> np.ndarray | None:
        parts = [entities.get_indexer(np.asarray(source, dtype=object)), entities.get_indexer(np.asarray(target, dtype=object)),
                 layers.get_indexer(np.asarray(layer, dtype=object))]
        if any((part < 0).any() for part in parts) or not entities.is_unique:
            return None
        s, t, lay = (part.astype(np.int64) for part in parts)
        return ((s * count + t) * layer_count + lay) * 2 + np.asarray(directed, dtype=bool).astype(np.int64)

    mine = keys(rel["edge_source"], rel["edge_target"], rel["layer"], rel["directed"])
    theirs = keys(edges["source"], edges["target"], edges["layer"], edges["directed"])
    if mine is not None and theirs is not None:
        return pd.Index(theirs).get_indexer(mine)
    by_text = pd.MultiIndex.from_frame(edges[_EDGE_KEY])
    return by_text.get_indexer(pd.MultiIndex.from_arrays([rel["edge_source"], rel["edge_target"], rel["layer"], rel["directed"]],
                                                         names=_EDGE_KEY))


def _with_rows(edges: pd.DataFrame, entity_index: pd.Index) -> pd.DataFrame:
    """``edges`` with `ENTITY_ROWS`: each end's entity row, so that scoring a view looks up no ids."""
    return edges.assign(**{column: entity_index.get_indexer(edges[end].to_numpy()).astype(np.int64)
                           for column, end in zip(ENTITY_ROWS, ("source", "target"))})


def _edges_without(graph: InfluenceGraph, base: pd.DataFrame, edge_rows: np.ndarray, dropped: np.ndarray) -> pd.DataFrame:
    """The edge table ``build_influence_graph`` would give without the ``dropped`` relationships.

    Only edges that lose a relationship are recomputed (by `edge_table`, from the relationships they
    keep, in the same order, so their sums are the same floats); the others are the baseline's rows.
    """
    if not dropped.any():
        return base
    touched = np.zeros(len(base), dtype=bool)
    touched[edge_rows[dropped]] = True
    again = touched[edge_rows] & ~dropped
    kept = base[~touched]
    if not again.any():
        return kept.reset_index(drop=True)
    again_edges = edge_table(graph.relationships[again].reset_index(drop=True), graph.schema, graph.weights, scored_only=True)
    rebuilt = _with_rows(again_edges[_SCORED], pd.Index(graph.entities["id"]))
    # rebuilt rows come sorted like the baseline's, one per touched edge that keeps a relationship:
    # merge both by baseline row number instead of sorting the ids again
    position = np.concatenate([np.flatnonzero(~touched), np.unique(edge_rows[again])])
    return pd.concat([kept, rebuilt], ignore_index=True).take(np.argsort(position, kind="stable")).reset_index(drop=True)


def _view(graph: InfluenceGraph, edges: pd.DataFrame) -> InfluenceGraph:
    return replace(graph, edges=edges)  # scoring reads edges only: no copy of the kept relationships


def scenario_views(
    graph: InfluenceGraph, layers: list[str], *, resamples: int, seed: int, drop_probability: float,
) -> Iterator[Scenario]:
    """The scenarios of `analysis.robustness.scenario_graphs`, in the same order, as views to score.

    The same rules and random draws: other money scales (every relationship's strength again, by
    `orient_relationships` and `edge_table`); only / without each of ``layers`` (the baseline's edges of
    those layers: an edge never mixes layers); confirmed only, the resamples and without each source
    (the baseline's edges, the ones that lose a relationship recomputed). tests/analysis/test_robustness.py
    checks that each view scores exactly as the rebuilt graph does.
    """
    rel = graph.relationships
    entity_index = pd.Index(graph.entities["id"])
    base = _with_rows(graph.edges[_SCORED], entity_index)
    everything = np.ones(len(rel), dtype=bool)
    for scale in MONEY_SCALES:
        if scale != graph.weights.money_scale:
            policy = graph.weights.with_scale(scale)
            oriented = orient_relationships(rel[list(RELATIONSHIP_COLUMNS)], graph.schema, policy)
            edges = _with_rows(edge_table(oriented, graph.schema, policy, scored_only=True)[_SCORED], entity_index)
            yield Scenario("weights", f"{scale} weights", len(rel), lambda edges=edges: _view(graph, edges), everything)
    if len(layers) > 1:
        rel_layer, edge_layer = rel["layer"].to_numpy(), base["layer"].to_numpy()
        for layer in layers:
            keep = rel_layer == layer
            yield Scenario("layers", f"only {layer}", int(keep.sum()),
                           lambda layer=layer: _view(graph, base[edge_layer == layer].reset_index(drop=True)), keep)
            others = [x for x in graph.schema.layers if x != layer]
            keep = np.isin(rel_layer, others)
            yield Scenario("layers", f"without {layer}", int(keep.sum()),
                           lambda others=others: _view(graph, base[np.isin(edge_layer, others)].reset_index(drop=True)), keep)
    edge_rows = _edge_rows(graph)

    def without(group: str, name: str, dropped: np.ndarray) -> Scenario:
        return Scenario(group, name, int((~dropped).sum()), lambda: _view(graph, _edges_without(graph, base, edge_rows, dropped)),
                        ~dropped, dropped, edge_rows)

    uncertain = (rel["status"] != "confirmed").to_numpy()
    if uncertain.any():
        yield without("status", "confirmed only", uncertain)
        generator = np.random.default_rng(seed)
        for number in range(1, resamples + 1):
            yield without("resampling", f"resample {number}", uncertain & (generator.random(len(rel)) < drop_probability))
    # a relationship goes with a source only when it cites that source alone (see `without_source`)
    # (each relationship's sole source as a number: one integer comparison per source, not a text one)
    codes, texts = pd.factorize(rel["source_ids"].astype(str))
    sources = cited_sources(graph)
    number = {source_id: i for i, source_id in enumerate(sources)}
    only = np.array([number[parts[0]] if len(parts) == 1 else -1 for parts in map(split_list, texts)] + [-1],
                    dtype=np.int64)[codes]
    for i, source_id in enumerate(sources):
        yield without("sources", f"without {source_id}", only == i)
