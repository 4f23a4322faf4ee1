"""Headline rankings that say what they measure: each names its metric, layers and direction, and is computed so."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np
import pandas as pd

from analysis.centrality import centrality_table
from network.graph import InfluenceGraph

__all__ = ["Headline", "HEADLINES", "PLAIN_PAGERANK", "competition_ranks", "ranked_table", "headline_scores", "headline_table",
           "layer_view"]


@dataclass(frozen=True)
class Headline:
    """One headline ranking: ``metric`` computed on the graph filtered to ``layers`` (None: every layer but
    conflict), exactly as ``influence centrality --metric METRIC --layer L ...`` computes it."""

    metric: str
    layers: tuple[str, ...] | None
    title: str
    ascending: bool = False

    @property
    def command(self) -> str:
        """The `influence centrality` call that gives the same scores."""
        layers = "".join(f" --layer {layer}" for layer in self.layers or ())
        return f"influence centrality --metric {self.metric}{layers}"


HEADLINES = (
    Headline("pagerank", ("money",),
             "Receive the most money influence (weighted PageRank on the money layer: from givers to recipients)"),
    Headline("reverse_pagerank", ("money", "control"),
             "Give or control the most (reverse PageRank on the money and control layers: the reach of givers and owners)"),
    Headline("betweenness", None,
             "Broker the strongest chains (betweenness on cost = 1/strength, every layer but conflict)"),
)
"""The rankings `influence run` prints and the report leads with (docs/money.md, rule 16).

Receivers are ranked on money only: on every layer, a property an entity owns (a sink of one control
tie) inherits its owner's PageRank and a single podcast appearance (access) ranks a show among the
recipients of influence; the report shows that plain PageRank beside it."""

PLAIN_PAGERANK = Headline(
    "pagerank", None,
    "Plain weighted PageRank, every layer but conflict (as in nodes.csv; an owned sink inherits its owner's score)")


def competition_ranks(scores: pd.Series, *, ascending: bool = False, digits: int = 12) -> pd.Series:
    """Ranks where ties share a rank (1, 2, 2, 4) and entities without a score are unranked (NaN).

    A score is missing when it is NaN, or 0 for a ranking read highest first (a broker on no path, an
    entity no money reaches): such entities are not "last", they are not in the ranking. Scores equal
    to ``digits`` decimals tie.

    Examples
    --------
    >>> competition_ranks(pd.Series([0.5, 0.2, 0.5, 0.0])).tolist()
    [1.0, 3.0, 1.0, nan]
    >>> competition_ranks(pd.Series([0.3, float("nan"), 0.1]), ascending=True).tolist()
    [2.0, nan, 1.0]
    """
    values = pd.to_numeric(scores, errors="coerce").astype(float).round(digits)
    present = values.notna() & (values != 0 if not ascending else True)
    ranks = values[present].rank(method="min", ascending=ascending)
    return ranks.reindex(scores.index)


def ranked_table(scores: pd.DataFrame, metric: str, *, top: int, ascending: bool = False) -> pd.DataFrame:
    """The ranked rows of ``scores`` (columns ``id`` and ``metric``): ``rank`` first, ties sharing one,
    unranked rows left out, ordered by rank then id, up to rank ``top`` (so every entity tied at the
    last rank shown is shown: a cut would rank one of equals above the others)."""
    ranks = competition_ranks(scores[metric], ascending=ascending)
    table = scores.assign(rank=ranks).dropna(subset=["rank"])
    table = table.assign(rank=table["rank"].astype(int)).sort_values(["rank", "id"], kind="stable")
    table = table[table["rank"] <= top]
    return table[["rank", *[c for c in table.columns if c != "rank"]]].reset_index(drop=True)


def layer_view(graph: InfluenceGraph, layers: Sequence[str]) -> InfluenceGraph:
    """``graph.filter(layers=layers)`` as metrics read it, without rebuilding edges: the graph's edges of
    those layers (an edge never mixes layers, so they are the ones the filtered graph would build) and the
    entities at their ends. Its relationships and igraph ``graph`` stay the whole graph's: score it, never
    draw, export or count money on it. tests/analysis/test_rankings.py checks its scores equal the filtered graph's.
    """
    edges = graph.edges[graph.edges["layer"].isin(list(layers)).to_numpy()].reset_index(drop=True)
    used = pd.unique(np.concatenate([edges["source"].to_numpy(dtype=object), edges["target"].to_numpy(dtype=object)]))
    entities = graph.entities[graph.entities["id"].isin(used).to_numpy()].reset_index(drop=True)
    return replace(graph, entities=entities, edges=edges)


SEED_FREE = ("degree_in", "degree_out", "degree_all", "strength_in", "strength_out", "pagerank", "reverse_pagerank")
"""Metrics that `centrality_table` computes without drawing on its seed (no sampling, no random start)."""


def headline_scores(graph: InfluenceGraph, headline: Headline, *, seed: int = 0,
                    nodes: pd.DataFrame | None = None) -> pd.DataFrame:
    """``id`` and the headline's metric for every entity of the graph it ranks (see `headline_table`), sorted by id.

    ``nodes``: ``centrality_table(graph)`` (seed 0) joined to the entities, sorted by id, as `influence run`'s
    node table holds it; when the headline ranks every layer and its scores do not depend on the seed (seed 0,
    or a metric in `SEED_FREE`), they are that table's column rather than computed again (tested equal).
    """
    if (nodes is not None and headline.layers is None and headline.metric in nodes.columns
            and (seed == 0 or headline.metric in SEED_FREE)):
        return nodes[["id", headline.metric]].reset_index(drop=True)
    chosen = layer_view(graph, headline.layers) if headline.layers else graph
    if chosen.entities.empty:
        return pd.DataFrame(columns=["id", headline.metric])
    return centrality_table(chosen, metrics=[headline.metric], seed=seed)[["id", headline.metric]]


def headline_table(graph: InfluenceGraph, headline: Headline, *, top: int, seed: int = 0,
                   communities: pd.DataFrame | None = None, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """One headline ranking: ``rank, id, name, type, <metric>`` (and ``community`` when given).

    Computed on ``graph.filter(layers=headline.layers)`` (entities without a tie in those layers
    dropped), the same graph ``influence centrality --layer ...`` ranks; see `ranked_table`. ``scores``:
    `headline_scores` of the same graph, headline and seed, when the caller has them already.

    Examples
    --------
    >>> from network.graph import bundled_graph
    >>> table = headline_table(bundled_graph(), HEADLINES[0], top=3)
    >>> table["id"].tolist()[:2]  # the PAC Musk funds, then the campaign it spends for
    ['america-pac', 'trump-campaign-2024']
    """
    scores = headline_scores(graph, headline, seed=seed) if scores is None else scores
    if scores.empty:
        return pd.DataFrame(columns=["rank", "id", "name", "type", headline.metric])
    names = graph.entities.set_index("id")[["name", "type"]]
    scores = scores.join(names, on="id")[["id", "name", "type", headline.metric]]
    if communities is not None:
        scores = scores.merge(communities[["id", "community"]], on="id", how="left")
    return ranked_table(scores, headline.metric, top=top, ascending=headline.ascending)
