"""Centrality scores for influence graphs: the full metric suite, each documented."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Sequence

import igraph as ig
import numpy as np
import pandas as pd

from analysis.brokerage import brokerage
from analysis.communities import seeded_igraph
from analysis.distances import distance_metrics
from network.errors import EmptyGraphError
from network.graph import InfluenceGraph

__all__ = ["METRICS", "REFERENCES", "Metric", "centrality_table", "metric_documentation"]


@dataclass(frozen=True)
class Metric:
    """What a metric answers, the edges and weight it uses, its scale, and where it comes from."""

    name: str
    question: str
    direction: str
    weight: str
    normalization: str
    reference: str


METRICS = {m.name: m for m in (
    Metric("degree_in", "How many entities send it money, control or access?", "incoming", "none", "count", "Freeman 1978"),
    Metric("degree_out", "How many entities does it fund, control or reach?", "outgoing", "none", "count", "Freeman 1978"),
    Metric("degree_all", "How many ties does it have?", "both", "none", "count (in + out)", "Freeman 1978"),
    Metric("strength_in", "How much influence reaches it?", "incoming", "strength", "sum of strengths", "Barrat et al. 2004"),
    Metric("strength_out", "How much influence does it send?", "outgoing", "strength", "sum of strengths", "Barrat et al. 2004"),
    Metric("pagerank", "Who receives influence from entities that themselves receive much?", "along influence (to recipients)",
           "strength", "sums to 1; damping 0.85", "Brin & Page 1998"),
    Metric("reverse_pagerank", "Whose giving and control reach furthest (the reach of givers)?", "against influence (to givers)",
           "strength", "sums to 1; damping 0.85", "Gleich 2015 (reverse PageRank)"),
    Metric("hub", "Who points at many important recipients (HITS hubs)?", "outgoing", "strength", "sums to 1", "Kleinberg 1999"),
    Metric("authority", "Who is pointed at by many important givers (HITS authorities)?", "incoming", "strength", "sums to 1", "Kleinberg 1999"),
    Metric("betweenness", "Who brokers the strongest chains between others?", "directed paths", "cost = 1/strength",
           "divided by (n-1)(n-2)", "Brandes 2001"),
    Metric("closeness", "How directly does it reach everyone it can reach?", "outgoing paths", "cost = 1/strength",
           "Wasserman-Faust: (r/(n-1)) / mean distance", "Wasserman & Faust 1994"),
    Metric("harmonic", "How close is it to everyone, unreachable entities counting zero?", "outgoing paths", "cost = 1/strength",
           "sum of 1/distance, divided by n-1", "Boldi & Vigna 2014"),
    Metric("eigenvector", "Is it tied to entities that are themselves well tied?", "undirected", "strength (both directions added)",
           "largest = 1", "Bonacich 1972"),
    Metric("coreness", "How deep in the densely tied core does it sit (k-core)?", "undirected", "none", "k of the deepest k-core",
           "Seidman 1983"),
    Metric("constraint", "How much do its contacts tie to each other (low = broker)?", "undirected (mutual)", "strength (both directions added)",
           "0..1+ ; NaN without ties", "Burt 1992"),
    Metric("effective_size", "How many non-redundant contacts does it have?", "undirected (mutual)", "strength (both directions added)",
           "contacts less redundancy; NaN without ties", "Burt 1992"),
)}

REFERENCES = """\
Barrat, Barthelemy, Pastor-Satorras, Vespignani (2004), The architecture of complex weighted networks, PNAS 101.
Boldi, Vigna (2014), Axioms for centrality, Internet Mathematics 10.
Bonacich (1972), Factoring and weighting approaches to status scores and clique identification, J. Math. Sociol. 2.
Brandes (2001), A faster algorithm for betweenness centrality, J. Math. Sociol. 25.
Brin, Page (1998), The anatomy of a large-scale hypertextual web search engine, Computer Networks 30.
Burt (1992), Structural Holes, Harvard University Press.
Freeman (1978), Centrality in social networks: conceptual clarification, Social Networks 1.
Gleich (2015), PageRank beyond the web, SIAM Review 57.
Kleinberg (1999), Authoritative sources in a hyperlinked environment, J. ACM 46.
Seidman (1983), Network structure and minimum degree, Social Networks 5.
Wasserman, Faust (1994), Social Network Analysis, Cambridge University Press."""


def metric_documentation() -> pd.DataFrame:
    """The metric table (question, direction, weight, normalization, reference) as a DataFrame."""
    return pd.DataFrame([vars(m) for m in METRICS.values()])


def _undirected(metric: ig.Graph) -> ig.Graph:
    undirected = metric.copy()
    undirected.to_undirected(mode="collapse", combine_edges={"strength": "sum", "cost": "first"})
    return undirected


def _reversed(metric: ig.Graph) -> ig.Graph:
    edges = [(t, s) for s, t in metric.get_edgelist()]
    reverse = ig.Graph(n=metric.vcount(), edges=edges, directed=True)
    reverse.es["strength"] = metric.es["strength"]
    return reverse


def _denoised(values: Sequence[float]) -> np.ndarray:
    """Eigenvector scores with ARPACK's round-off (below 1e-12 of the largest, or negative) set to 0."""
    array = np.asarray(values, dtype=float)
    top = np.abs(array).max() if len(array) else 0.0
    return np.where(array > 1e-12 * top, array, 0.0)


def _normalized(values: Sequence[float]) -> np.ndarray:
    array = _denoised(values)
    total = array.sum()
    return array / total if total > 0 else array


def centrality_table(
    graph: InfluenceGraph,
    *,
    metrics: Sequence[str] | None = None,
    include_conflict: bool = False,
    layers: Sequence[str] | None = None,
    damping: float = 0.85,
    exact_limit: int = 20_000,
    samples: int | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Score every entity with the chosen metrics (all of `METRICS` by default).

    Every metric runs on ``graph.metric_graph()``: one directed edge per
    ordered pair of entities along the direction of influence, its
    ``strength`` summed over the chosen layers, mutual ties counted both
    ways, conflict edges left out unless ``include_conflict``. Strength-based
    metrics use ``strength``; path-based ones (betweenness, closeness,
    harmonic) use ``cost`` = 1 / strength as the distance. `METRICS` (and
    the README's metric table) says for each metric the question it answers,
    its direction, weight, normalization and reference; `distance_metrics`
    and `brokerage` document the path and brokerage formulas.

    Parameters
    ----------
    graph : InfluenceGraph
    metrics : sequence of str, optional
        Names from `METRICS`; all of them when omitted.
    include_conflict : bool
        Count conflict edges (lawsuits, rivalries) as ties.
    layers : sequence of str, optional
        Use only these layers' edges.
    damping : float
        PageRank damping factor (both directions).
    exact_limit, samples, seed : int
        Above ``exact_limit`` entities, betweenness, closeness and harmonic
        are estimated from ``samples`` vertices drawn with ``seed`` (by
        default 5e7 / edges, between 32 and 512: each sampled vertex costs
        two shortest-path searches over the whole graph); the
        table then gains ``*_se`` columns (standard errors) and
        ``table.attrs["sampled_sources"]`` holds the sample size.

    Returns
    -------
    pd.DataFrame
        One row per entity, sorted by id: ``id`` and one column per metric.

    Raises
    ------
    EmptyGraphError
        If the graph has no entities.
    ValueError
        For an unknown metric name.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("fund", "pac", 2.0), ("pac", "senator", 1.0)])
    >>> table = centrality_table(graph, metrics=["betweenness", "strength_in"])
    >>> table.loc[table["betweenness"].idxmax(), "id"]
    'pac'
    >>> table["strength_in"].tolist()
    [0.0, 2.0, 1.0]
    """
    chosen = list(METRICS) if metrics is None else list(dict.fromkeys(metrics))
    unknown = [m for m in chosen if m not in METRICS]
    if unknown:
        raise ValueError(f"unknown metric {', '.join(unknown)}; expected one of {', '.join(METRICS)}")
    metric = graph.metric_graph(include_conflict=include_conflict, layers=layers)
    n = metric.vcount()
    if n == 0:
        raise EmptyGraphError("the graph has no entities")
    has_edges = metric.ecount() > 0
    columns: dict[str, np.ndarray] = {}
    attrs: dict[str, object] = {}
    want = set(chosen)

    if want & {"degree_in", "degree_out", "degree_all"}:
        columns["degree_in"] = np.asarray(metric.degree(mode="in"))
        columns["degree_out"] = np.asarray(metric.degree(mode="out"))
        columns["degree_all"] = columns["degree_in"] + columns["degree_out"]
    if want & {"strength_in", "strength_out"}:
        columns["strength_in"] = np.asarray(metric.strength(mode="in", weights="strength") if has_edges else np.zeros(n), dtype=float)
        columns["strength_out"] = np.asarray(metric.strength(mode="out", weights="strength") if has_edges else np.zeros(n), dtype=float)
    if "pagerank" in want:
        columns["pagerank"] = np.asarray(metric.pagerank(directed=True, weights="strength" if has_edges else None, damping=damping))
    if "reverse_pagerank" in want:
        reverse = _reversed(metric)
        columns["reverse_pagerank"] = np.asarray(reverse.pagerank(directed=True, weights="strength" if has_edges else None, damping=damping))
    if want & {"hub", "authority"}:
        with warnings.catch_warnings(), seeded_igraph(seed):  # ARPACK starts from a random vector
            warnings.simplefilter("ignore", RuntimeWarning)  # igraph warns when many scores are 0 (non-unique solution)
            columns["hub"] = _normalized(metric.hub_score(weights="strength") if has_edges else np.zeros(n))
            columns["authority"] = _normalized(metric.authority_score(weights="strength") if has_edges else np.zeros(n))
    if want & {"betweenness", "closeness", "harmonic"}:
        if samples is None:
            samples = int(np.clip(5e7 / max(metric.ecount(), 1), 32, 512))
        distances = distance_metrics(metric, exact_limit=exact_limit, samples=samples, seed=seed)
        columns["betweenness"], columns["closeness"], columns["harmonic"] = distances.betweenness, distances.closeness, distances.harmonic
        if distances.sampled_sources:
            attrs["sampled_sources"] = distances.sampled_sources
            for name in ("betweenness", "closeness", "harmonic"):
                if name in want:
                    columns[f"{name}_se"] = getattr(distances, f"{name}_se")
    if want & {"eigenvector", "coreness"}:
        undirected = _undirected(metric)
        if has_edges:
            with warnings.catch_warnings(), seeded_igraph(seed):
                # On a disconnected graph the leading eigenvector lives in one component; the others
                # score (near) zero. That is the documented behaviour, not a failure.
                warnings.simplefilter("ignore", RuntimeWarning)
                values = _denoised(undirected.eigenvector_centrality(weights="strength"))
            columns["eigenvector"] = values / values.max() if values.max() > 0 else values
        else:
            columns["eigenvector"] = np.zeros(n)
        columns["coreness"] = np.asarray(undirected.coreness(mode="all"))
    if want & {"constraint", "effective_size"}:
        columns["constraint"], columns["effective_size"] = brokerage(metric)

    ordered = [name for name in chosen] + [f"{name}_se" for name in ("betweenness", "closeness", "harmonic") if f"{name}_se" in columns and name in want]
    table = pd.DataFrame({"id": metric.vs["name"], **{name: columns[name] for name in ordered}})
    table = table.sort_values("id", kind="stable").reset_index(drop=True)
    table.attrs.update(attrs)
    return table
