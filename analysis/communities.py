"""Communities (blocs) of influence graphs: partitions, consensus, stability and agreement."""

from __future__ import annotations

import random
from contextlib import contextmanager
from typing import Iterator, Sequence

import igraph as ig
import numpy as np
import pandas as pd

from analysis.partitions import adjusted_rand_index, contingency, normalized_mutual_information
from network.graph import InfluenceGraph

__all__ = [
    "METHODS",
    "adjusted_rand_index",
    "community_partition",
    "community_summary",
    "consensus_communities",
    "detect_communities",
    "method_agreement",
    "normalized_mutual_information",
    "seeded_igraph",
    "undirected_strength_graph",
]

METHODS = ("leiden", "louvain", "infomap", "label_propagation")
"""Community detection methods, in the order tables list them."""
INFOMAP_TRIALS = 10
"""Attempts igraph's Infomap makes per run, keeping the shortest description."""


@contextmanager
def seeded_igraph(seed: int) -> Iterator[None]:
    """Run igraph's randomized code with its own generator seeded by ``seed``.

    igraph draws from one process-wide generator; this gives it a private
    ``random.Random(seed)`` for the block and then restores Python's
    ``random`` module, igraph's default.
    """
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def undirected_strength_graph(graph: InfluenceGraph, *, include_conflict: bool = False) -> ig.Graph:
    """The metric graph made undirected: one edge per pair, strengths of both directions added.

    Examples
    --------
    >>> view = undirected_strength_graph(InfluenceGraph.from_edges([("a", "b", 2.0), ("b", "a", 1.0)]))
    >>> view.is_directed(), view.es["strength"]
    (False, [3.0])
    """
    metric = graph.metric_graph(include_conflict=include_conflict)
    metric.to_undirected(mode="collapse", combine_edges={"strength": "sum"})
    return metric


def _views(graph: InfluenceGraph, method: str, include_conflict: bool) -> tuple[ig.Graph, ig.Graph]:
    """The undirected strength view (for modularity) and the graph ``method`` runs on."""
    if method not in METHODS:
        raise ValueError(f"unknown community method {method!r}; expected one of {', '.join(METHODS)}")
    undirected = undirected_strength_graph(graph, include_conflict=include_conflict)
    if method == "infomap":
        return undirected, graph.metric_graph(include_conflict=include_conflict)
    return undirected, undirected


def _membership(target: ig.Graph, method: str, *, resolution: float, seed: int) -> list[int]:
    """igraph's raw membership of one seeded run (vertex order = entity order)."""
    weights = "strength" if target.ecount() else None
    with seeded_igraph(seed):
        if method == "leiden":
            clustering = target.community_leiden(
                objective_function="modularity", weights=weights, resolution=resolution, n_iterations=-1)
        elif method == "louvain":
            clustering = target.community_multilevel(weights=weights, resolution=resolution)
        elif method == "infomap":
            clustering = target.community_infomap(edge_weights=weights, trials=INFOMAP_TRIALS)
        else:
            clustering = target.community_label_propagation(weights=weights)
    return list(clustering.membership)


def _numbered(ids: Sequence[str], membership: Sequence[int]) -> list[int]:
    """Communities numbered from 1 by size, largest first, ties by the smallest member id."""
    groups: dict[int, list[str]] = {}
    for entity_id, label in zip(ids, membership):
        groups.setdefault(label, []).append(entity_id)
    order = sorted(groups.values(), key=lambda members: (-len(members), min(members)))
    number = {entity_id: rank for rank, members in enumerate(order, start=1) for entity_id in members}
    return [number[i] for i in ids]


def _modularity(undirected: ig.Graph, membership: Sequence[int], resolution: float) -> float:
    if not undirected.ecount():
        return 0.0
    return float(undirected.modularity(list(membership), weights="strength", resolution=resolution))


def community_partition(
    graph: InfluenceGraph, *, method: str = "leiden", resolution: float = 1.0, seed: int = 0,
    include_conflict: bool = False,
) -> tuple[pd.DataFrame, float]:
    """Partition entities into communities with one seeded run of a method.

    - ``leiden`` [1]_ and ``louvain`` [2]_ maximize modularity (at
      ``resolution``) with edge weight ``strength`` on the undirected view of
      the metric graph, where the strengths of both directions between two
      entities are added (`undirected_strength_graph`).
    - ``infomap`` [3]_ minimizes the map equation on the directed metric graph
      with edge weight ``strength`` (best of `INFOMAP_TRIALS` attempts);
      ``resolution`` does not apply.
    - ``label_propagation`` [4]_ runs on the undirected view with weight
      ``strength``; ``resolution`` does not apply.

    Conflict edges are left out unless ``include_conflict``: a lawsuit is not
    a bond. Every randomized call runs inside `seeded_igraph`.

    Returns
    -------
    (pd.DataFrame, float)
        ``id, community`` sorted by id, communities numbered from 1 by size,
        largest first (ties broken by the smallest member id); and the
        partition's modularity on the undirected view, weight ``strength``, at
        ``resolution`` (whatever the method).

    Raises
    ------
    ValueError
        For an unknown method.

    References
    ----------
    .. [1] V. A. Traag, L. Waltman and N. J. van Eck, "From Louvain to Leiden:
       guaranteeing well-connected communities", Scientific Reports 9 (2019) 5233.
    .. [2] V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast
       unfolding of communities in large networks", J. Stat. Mech. (2008) P10008.
    .. [3] M. Rosvall and C. T. Bergstrom, "Maps of random walks on complex
       networks reveal community structure", PNAS 105 (2008) 1118-1123.
    .. [4] U. N. Raghavan, R. Albert and S. Kumara, "Near linear time algorithm
       to detect community structures in large-scale networks", Phys. Rev. E
       76 (2007) 036106.

    Examples
    --------
    >>> two_triangles = [("a", "b", 1), ("b", "c", 1), ("a", "c", 1),
    ...                  ("x", "y", 1), ("y", "z", 1), ("x", "z", 1), ("c", "x", 0.1)]
    >>> graph = InfluenceGraph.from_edges(two_triangles, directed=False)
    >>> table, modularity = community_partition(graph, method="infomap")
    >>> table["community"].tolist(), round(modularity, 4)
    ([1, 1, 1, 2, 2, 2], 0.4836)
    """
    undirected, target = _views(graph, method, include_conflict)
    membership = _membership(target, method, resolution=resolution, seed=seed)
    ids = undirected.vs["name"]
    table = pd.DataFrame({"id": ids, "community": _numbered(ids, membership)})
    return table.sort_values("id", kind="stable").reset_index(drop=True), _modularity(undirected, membership, resolution)


def detect_communities(
    graph: InfluenceGraph, *, resolution: float = 1.0, seed: int = 0, include_conflict: bool = False,
) -> tuple[pd.DataFrame, float]:
    """Partition entities into communities with seeded Leiden on modularity.

    Runs igraph's Leiden [1]_ (modularity objective, edge weight
    ``strength``, iterated until stable) on the undirected view of the metric
    graph, where the strengths of both directions between two entities are
    added. Conflict edges are left out unless ``include_conflict``. The same
    as ``community_partition(graph, method="leiden", ...)``.

    Returns
    -------
    (pd.DataFrame, float)
        ``id, community`` sorted by id (numbered from 1 by size, ties by the
        smallest member id), and the partition's modularity.

    References
    ----------
    .. [1] V. A. Traag, L. Waltman and N. J. van Eck, "From Louvain to Leiden:
       guaranteeing well-connected communities", Scientific Reports 9 (2019) 5233.

    Examples
    --------
    >>> two_triangles = [("a", "b", 1), ("b", "c", 1), ("a", "c", 1),
    ...                  ("x", "y", 1), ("y", "z", 1), ("x", "z", 1), ("c", "x", 0.1)]
    >>> table, modularity = detect_communities(InfluenceGraph.from_edges(two_triangles, directed=False))
    >>> table["community"].tolist()
    [1, 1, 1, 2, 2, 2]
    """
    return community_partition(graph, method="leiden", resolution=resolution, seed=seed, include_conflict=include_conflict)


def _jaccard_with(reference: np.ndarray, run: np.ndarray) -> np.ndarray:
    """Per item, |C_run(i) ∩ C_ref(i)| / |C_run(i) ∪ C_ref(i)| from the contingency table."""
    _, r = np.unique(reference, return_inverse=True)
    _, s = np.unique(run, return_inverse=True)
    table = contingency(r, s)
    both = table[r, s]
    return both / (table.sum(axis=1)[r] + table.sum(axis=0)[s] - both)


def consensus_communities(
    graph: InfluenceGraph, *, method: str = "leiden", runs: int = 10, seed: int = 0, resolution: float = 1.0,
    include_conflict: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A consensus partition over seeded runs, with each entity's membership stability.

    Runs `community_partition` with seeds ``seed .. seed + runs - 1``. The
    consensus is the run that agrees best with all the others: the one with
    the highest mean normalized mutual information with the other runs, the
    "average NMI" objective of cluster ensembles [1]_ restricted to the
    partitions found (ties go to the higher modularity, then the earlier
    seed). The stability of entity ``i`` is the mean over runs of the
    Jaccard overlap between the members of ``i``'s community in that run and
    in the consensus, ``|C_r(i) ∩ C*(i)| / |C_r(i) ∪ C*(i)|`` [2]_: 1 when
    its community never changes, smaller the more its co-members vary.

    Returns
    -------
    (pd.DataFrame, pd.DataFrame)
        Entities: ``id, community, stability`` sorted by id (numbering as in
        `community_partition`). Runs: ``run, seed, modularity, communities,
        mean_nmi, consensus`` sorted by run; the best modularity found is
        ``runs["modularity"].max()``.

    Raises
    ------
    ValueError
        If ``runs`` < 1 or the method is unknown.

    References
    ----------
    .. [1] A. Strehl and J. Ghosh, "Cluster ensembles: a knowledge reuse
       framework for combining multiple partitions", JMLR 3 (2002) 583-617.
    .. [2] A. Lancichinetti and S. Fortunato, "Consensus clustering in complex
       networks", Scientific Reports 2 (2012) 336 (co-assignment across runs).

    Examples
    --------
    >>> edges = [("a", "b", 1), ("b", "c", 1), ("a", "c", 1), ("x", "y", 1), ("y", "z", 1), ("x", "z", 1)]
    >>> table, runs = consensus_communities(InfluenceGraph.from_edges(edges, directed=False), runs=3)
    >>> table["stability"].tolist(), runs["consensus"].tolist()
    ([1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [True, False, False])
    """
    if runs < 1:
        raise ValueError(f"--runs must be at least 1 (found {runs})")
    undirected, target = _views(graph, method, include_conflict)
    ids = undirected.vs["name"]
    memberships, modularities = [], []
    for run in range(runs):
        membership = _membership(target, method, resolution=resolution, seed=seed + run)
        memberships.append(np.asarray(_numbered(ids, membership)))
        modularities.append(_modularity(undirected, membership, resolution))
    agreement = np.ones((runs, runs))
    for i in range(runs):
        for j in range(i + 1, runs):
            agreement[i, j] = agreement[j, i] = normalized_mutual_information(memberships[i], memberships[j])
    mean_nmi = (agreement.sum(axis=1) - 1.0) / (runs - 1) if runs > 1 else np.ones(1)
    chosen = min(range(runs), key=lambda r: (-round(mean_nmi[r], 12), -round(modularities[r], 12), r))
    reference = memberships[chosen]
    stability = np.mean([_jaccard_with(reference, m) for m in memberships], axis=0)
    entities = pd.DataFrame({"id": ids, "community": reference, "stability": stability})
    run_table = pd.DataFrame({
        "run": range(1, runs + 1), "seed": [seed + r for r in range(runs)], "modularity": modularities,
        "communities": [int(m.max()) if len(m) else 0 for m in memberships], "mean_nmi": mean_nmi,
        "consensus": [r == chosen for r in range(runs)],
    })
    return entities.sort_values("id", kind="stable").reset_index(drop=True), run_table


def community_summary(graph: InfluenceGraph, table: pd.DataFrame, centrality: pd.DataFrame) -> pd.DataFrame:
    """One row per community: size, most central member, entity types, mean stability.

    Parameters
    ----------
    graph : InfluenceGraph
        For entity names and types.
    table : pd.DataFrame
        ``id, community`` (and optionally ``stability``), e.g. from
        `consensus_communities`.
    centrality : pd.DataFrame
        ``id, pagerank``, e.g. from `analysis.centrality.centrality_table`.

    Returns
    -------
    pd.DataFrame
        ``community, size, id, name, pagerank, types, stability`` sorted by
        community: ``id``/``name`` is the member with the highest weighted
        PageRank (ties by id), which names the community; ``types`` counts
        members by entity type, most frequent first (``"person 3, pac 1"``);
        ``stability`` is the members' mean (NaN without a stability column).

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "b", 1.0), ("b", "c", 1.0), ("x", "y", 1.0)])
    >>> table = pd.DataFrame({"id": ["a", "b", "c", "x", "y"], "community": [1, 1, 1, 2, 2]})
    >>> ranks = pd.DataFrame({"id": ["a", "b", "c", "x", "y"], "pagerank": [0.1, 0.2, 0.3, 0.1, 0.3]})
    >>> community_summary(graph, table, ranks)[["community", "size", "id", "types"]].values.tolist()
    [[1, 3, 'c', 'person 3'], [2, 2, 'y', 'person 2']]
    """
    columns = ["id", "community"] + (["stability"] if "stability" in table.columns else [])
    merged = (table[columns].merge(graph.entities[["id", "name", "type"]], on="id", how="left", validate="one_to_one")
              .merge(centrality[["id", "pagerank"]], on="id", how="left", validate="one_to_one"))
    merged = merged[merged["community"].notna().to_numpy()]  # as groupby leaves them out
    # one stable sort: by community, then (within it) as each community's members were sorted alone
    ordered = merged.sort_values(["community", "pagerank", "id"], ascending=[True, False, True], kind="stable")
    tops = ordered.drop_duplicates("community", keep="first")
    by_community = merged.sort_values("community", kind="stable")  # members in their table order within each
    starts = np.flatnonzero(np.r_[True, by_community["community"].to_numpy()[1:] != by_community["community"].to_numpy()[:-1]]) \
        if len(by_community) else np.array([], dtype=int)
    ends = np.r_[starts[1:], len(by_community)]
    counted = (by_community.groupby(["community", "type"], sort=False).size().rename("count").reset_index()
               .sort_values(["community", "count", "type"], ascending=[True, False, True], kind="stable"))
    listed: dict = {}
    for community, kind, count in zip(counted["community"], counted["type"], counted["count"]):
        listed.setdefault(community, []).append(f"{kind} {count}")
    types = pd.Series({community: ", ".join(parts) for community, parts in listed.items()}, dtype=object)
    stability = by_community["stability"].to_numpy(dtype=float) if "stability" in by_community else None
    rows = {
        "community": tops["community"].astype(int).tolist(), "size": (ends - starts).tolist(), "id": tops["id"].tolist(),
        "name": tops["name"].tolist(), "pagerank": tops["pagerank"].astype(float).tolist(),
        "types": types.reindex(tops["community"]).fillna("").tolist(),
        "stability": ([float(pd.Series(stability[a:b]).mean()) for a, b in zip(starts, ends)] if stability is not None
                      else [float("nan")] * len(tops)),
    }
    return pd.DataFrame(rows, columns=["community", "size", "id", "name", "pagerank", "types", "stability"])


def method_agreement(
    graph: InfluenceGraph, *, methods: Sequence[str] = METHODS, runs: int = 1, seed: int = 0,
    resolution: float = 1.0, include_conflict: bool = False,
) -> pd.DataFrame:
    """How far methods agree: NMI and ARI between their consensus partitions.

    Each method's partition is its `consensus_communities` over ``runs``
    seeded runs; every ordered pair of methods (the diagonal included) gets
    `normalized_mutual_information` and `adjusted_rand_index`.

    Returns
    -------
    pd.DataFrame
        ``method_a, method_b, nmi, ari``, in the order of ``methods``.

    Examples
    --------
    >>> edges = [("a", "b", 1), ("b", "c", 1), ("a", "c", 1), ("x", "y", 1), ("y", "z", 1), ("x", "z", 1), ("c", "x", 0.1)]
    >>> agreement = method_agreement(InfluenceGraph.from_edges(edges, directed=False), methods=["leiden", "infomap"])
    >>> agreement["nmi"].tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    partitions = {}
    for method in methods:
        table, _ = consensus_communities(graph, method=method, runs=runs, seed=seed, resolution=resolution,
                                         include_conflict=include_conflict)
        partitions[method] = table["community"].to_numpy()
    rows = [{"method_a": a, "method_b": b,
             "nmi": normalized_mutual_information(partitions[a], partitions[b]),
             "ari": adjusted_rand_index(partitions[a], partitions[b])}
            for a in methods for b in methods]
    return pd.DataFrame(rows, columns=["method_a", "method_b", "nmi", "ari"])
