"""How far top rankings survive other weights, layers, uncertain ties and single sources."""

from __future__ import annotations

from typing import Iterator, Sequence

import numpy as np
import pandas as pd
from scipy.stats import kendalltau

from analysis.centrality import centrality_table
from analysis.scenario_edges import cited_sources, scenario_views
from analysis.scenario_scores import PagerankScorer
from network.graph import InfluenceGraph, build_influence_graph
from network.contract.load import RELATIONSHIP_COLUMNS, DataTables
from network.contract.schema import MONEY_SCALES, WeightPolicy
from network.contract.validate import split_list

__all__ = [
    "COMPARISON_COLUMNS",
    "ROBUSTNESS_RESAMPLES",
    "metric_scores",
    "ranking_agreement",
    "robustness_summary",
    "scenario_graphs",
    "top_entities",
    "without_source",
]

ROBUSTNESS_RESAMPLES = 50
"""How many random drops of uncertain ties `influence robustness` and the report draw by default."""

COMPARISON_COLUMNS = (
    "group", "scenario", "relationships", "kendall_tau", "top_k_overlap", "kendall_tau_min", "top_k_overlap_min",
)


def metric_scores(graph: InfluenceGraph, metric: str = "pagerank", *, include_conflict: bool = False) -> pd.Series:
    """One column of `analysis.centrality.centrality_table`, indexed by entity id (sorted).

    Raises
    ------
    ValueError
        If ``metric`` is not one of `analysis.centrality.METRICS`.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("fund", "pac", 2.0), ("pac", "senator", 1.0)])
    >>> metric_scores(graph, "strength_in").to_dict()
    {'fund': 0.0, 'pac': 2.0, 'senator': 1.0}
    """
    table = centrality_table(graph, metrics=[metric], include_conflict=include_conflict)
    return table.set_index("id")[metric].astype(float).sort_index()


def top_entities(scores: pd.Series, top: int) -> list[str]:
    """The ``top`` entity ids with the highest scores, ties broken by id.

    Examples
    --------
    >>> top_entities(pd.Series({"b": 1.0, "a": 1.0, "c": 3.0}), 2)
    ['c', 'a']
    """
    if scores.index.is_monotonic_increasing and scores.index.is_unique:  # sorted by id: ties keep their position
        values = scores.to_numpy(dtype=float)
        order = np.lexsort((np.arange(len(values)), np.where(np.isnan(values), np.inf, -values)))
        return scores.index[order[:top]].tolist()
    frame = pd.DataFrame({"id": scores.index, "score": scores.to_numpy()})
    return frame.sort_values(["score", "id"], ascending=[False, True], kind="stable")["id"].head(top).tolist()


def _ranks(scores: pd.Series) -> pd.Series:
    """Rank 1 for the highest score, ties broken by id; indexed by id."""
    order = top_entities(scores, len(scores))
    return pd.Series(range(1, len(order) + 1), index=order, dtype=int).sort_index()


def ranking_agreement(base: pd.Series, other: pd.Series, *, top: int) -> tuple[float, float]:
    """Kendall's tau-b and the top-k overlap of two scorings of the same entities.

    Tau-b [1]_ (``scipy.stats.kendalltau``, which corrects for ties)
    compares the two scorings on the union of both top-``top`` sets, so an
    entity that enters or leaves the top counts [2]_. The overlap is
    ``|A ∩ B| / k`` for the two top-k sets, ``k = min(top, entities)``.

    Returns
    -------
    (float, float)
        Tau in [-1, 1] (NaN when the union holds one entity, or a scoring
        is constant on it), and the overlap in [0, 1].

    References
    ----------
    .. [1] M. G. Kendall, "The treatment of ties in ranking problems",
       Biometrika 33 (1945) 239-251.
    .. [2] R. Fagin, R. Kumar and D. Sivakumar, "Comparing top k lists",
       SIAM J. Discrete Math. 17 (2003) 134-160 (top-k lists and their overlap).

    Examples
    --------
    >>> base = pd.Series({"a": 4.0, "b": 3.0, "c": 2.0, "d": 1.0})
    >>> other = pd.Series({"a": 3.0, "b": 4.0, "c": 2.0, "d": 1.0})
    >>> tau, overlap = ranking_agreement(base, other, top=2)
    >>> round(tau, 4), overlap
    (-1.0, 1.0)
    """
    other = other.reindex(base.index).fillna(0.0)
    k = min(top, len(base))
    first, second = top_entities(base, k), top_entities(other, k)
    union = sorted(set(first) | set(second))
    tau = kendalltau(base[union].to_numpy(), other[union].to_numpy(), variant="b").statistic if len(union) > 1 else np.nan
    overlap = len(set(first) & set(second)) / k if k else 1.0
    return float(tau), float(overlap)


def _rebuilt(graph: InfluenceGraph, relationships: pd.DataFrame, weights: WeightPolicy | None = None) -> InfluenceGraph:
    """The graph of the same entities and sources from other relationships (or another weight policy)."""
    tables = DataTables(graph.entities, relationships[list(RELATIONSHIP_COLUMNS)], graph.sources, {})
    return build_influence_graph(tables, graph.schema, weights=weights or graph.weights)


def without_source(relationships: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """The relationships without one source document.

    A relationship citing only ``source_id`` is dropped; one citing several
    sources loses ``source_id`` from its ``source_ids`` and stays.

    Examples
    --------
    >>> rows = pd.DataFrame({"id": ["r1", "r2", "r3"], "source_ids": ["s1", "s1;s2", "s2"]})
    >>> without_source(rows, "s1").values.tolist()
    [['r2', 's2'], ['r3', 's2']]
    """
    cited = [split_list(value) for value in relationships["source_ids"]]
    keep = [cites != [source_id] for cites in cited]
    remaining = [";".join(c for c in cites if c != source_id) for cites, kept in zip(cited, keep) if kept]
    return relationships[keep].assign(source_ids=remaining)


def _metric_layers(graph: InfluenceGraph, include_conflict: bool) -> list[str]:
    present = set(graph.relationships["layer"]) if len(graph.relationships) else set()
    return [layer for layer in graph.schema.layers if layer in present and (include_conflict or layer != "conflict")]


def scenario_graphs(
    graph: InfluenceGraph, *, resamples: int = ROBUSTNESS_RESAMPLES, seed: int = 0, drop_probability: float = 0.5,
    include_conflict: bool = False,
) -> Iterator[tuple[str, str, InfluenceGraph]]:
    """The perturbed graphs, as ``(group, scenario, graph)``, all over the same entities.

    - ``weights``: rebuilt under each other money scale (``log``, ``linear``,
      ``unweighted``; see `network.contract.schema.WeightPolicy.with_scale`).
    - ``layers``: ``only L`` and ``without L`` for every layer that counts
      (conflict only with ``include_conflict``), when there are two or more.
    - ``status``: ``confirmed only``.
    - ``resampling``: ``resample 1 .. N``: each relationship that is not
      ``confirmed`` (reported, planned, alleged) is dropped with probability
      ``drop_probability``, from one ``numpy.random.default_rng(seed)``
      drawing for the relationships in id order, resample after resample.
    - ``sources``: ``without S`` for every cited source document S
      (see `without_source`).

    `robustness_summary` scores the same scenarios without rebuilding them
    (`analysis.scenario_edges.scenario_views`); these complete graphs are for
    looking at a scenario, drawing or exporting it.
    """
    relationships = graph.relationships
    for scale in MONEY_SCALES:
        if scale != graph.weights.money_scale:
            yield "weights", f"{scale} weights", _rebuilt(graph, relationships, graph.weights.with_scale(scale))
    layers = _metric_layers(graph, include_conflict)
    if len(layers) > 1:
        for layer in layers:
            yield "layers", f"only {layer}", graph.filter(layers=[layer], drop_isolated=False)
            others = [x for x in graph.schema.layers if x != layer]
            yield "layers", f"without {layer}", graph.filter(layers=others, drop_isolated=False)
    uncertain = (relationships["status"] != "confirmed").to_numpy()
    if uncertain.any():
        yield "status", "confirmed only", _rebuilt(graph, relationships[~uncertain])
        generator = np.random.default_rng(seed)
        for number in range(1, resamples + 1):
            dropped = uncertain & (generator.random(len(relationships)) < drop_probability)
            yield "resampling", f"resample {number}", _rebuilt(graph, relationships[~dropped])
    for source_id in cited_sources(graph):
        yield "sources", f"without {source_id}", _rebuilt(graph, without_source(relationships, source_id))


def _sole_sources(graph: InfluenceGraph, ids: Sequence[str], include_conflict: bool) -> dict[str, str]:
    """Entities whose every counted relationship (either end) cites one and the same source."""
    rows = graph.relationships
    if not include_conflict:
        rows = rows[rows["layer"] != "conflict"]
    sole = {}
    for entity_id in ids:
        touching = rows[(rows["edge_source"] == entity_id) | (rows["edge_target"] == entity_id)]
        cited = {s for value in touching["source_ids"] for s in split_list(value)}
        if len(cited) == 1:
            sole[entity_id] = cited.pop()
    return sole


def robustness_summary(
    graph: InfluenceGraph, *, metric: str = "pagerank", top: int = 10, resamples: int = ROBUSTNESS_RESAMPLES, seed: int = 0,
    drop_probability: float = 0.5, include_conflict: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare the top-``top`` ranking by ``metric`` with its ranking in every scenario.

    Each scenario of `scenario_graphs` is scored with `metric_scores` and
    compared with the baseline (``graph`` as given) by `ranking_agreement`.
    An entity of the baseline top k is flagged ``single_source`` when (a) all
    of the relationships it takes part in that count for metrics (conflict
    only with ``include_conflict``) cite one and the same source document
    (``reason`` "only source"), or (b) it leaves the top k when one source
    document is removed (`without_source`; ``reason`` "out of top k without it").

    Parameters
    ----------
    graph : InfluenceGraph
        The baseline, filters already applied; scenarios are rebuilt from its
        relationships over its entities.
    metric : str
        A column of `analysis.centrality.centrality_table` (``pagerank``,
        ``betweenness``, ``strength_in``, ...).
    top : int
        k, the size of the ranking compared.
    resamples, seed, drop_probability : int, int, float
        The resampling of uncertain relationships (see `scenario_graphs`).

    Returns
    -------
    (pd.DataFrame, pd.DataFrame)
        Comparisons: `COMPARISON_COLUMNS`, one row per scenario in group
        order (weights, layers, status, resampling, sources), resamples
        summarized in one row (``kendall_tau`` and ``top_k_overlap`` their
        mean, the ``_min`` columns their worst). Entities: every entity in the
        top k of the baseline or of a scenario other than a resample, sorted
        by baseline ``rank``: ``id, name, type, score, rank``, one
        ``rank: SCENARIO`` column per scenario, ``resampled_min,
        resampled_median, resampled_max``, ``single_source``, ``sources``
        (the source ids it rests on, ``;``-separated), ``reason``.

    Raises
    ------
    ValueError
        For an unknown metric, ``top`` < 1, negative ``resamples`` or a
        ``drop_probability`` outside [0, 1].

    Notes
    -----
    Dropping uncertain ties at random follows the study of centrality under
    imperfect data by Borgatti, Carley and Krackhardt [1]_; leave-one-source-out
    asks the same question of each source document.

    References
    ----------
    .. [1] S. P. Borgatti, K. M. Carley and D. Krackhardt, "On the robustness
       of centrality measures under conditions of imperfect data", Social
       Networks 28 (2006) 124-136.

    Examples
    --------
    >>> from network.graph import bundled_graph
    >>> full = bundled_graph()
    >>> comparisons, entities = robustness_summary(full, top=5, resamples=2)
    >>> bool(comparisons["top_k_overlap"].between(0, 1).all()), entities["rank"].head(3).tolist()
    (True, [1, 2, 3])
    """
    if top < 1:
        raise ValueError(f"--top must be at least 1 (found {top})")
    if resamples < 0 or not 0.0 <= drop_probability <= 1.0:
        raise ValueError("resamples must be >= 0 and drop_probability in [0, 1]")
    base = metric_scores(graph, metric, include_conflict=include_conflict)
    k = min(top, len(base))
    base_values = base.to_numpy(dtype=float)
    base_top = _top_positions(base_values, k)
    scorer = PagerankScorer(graph, include_conflict=include_conflict) if metric == "pagerank" else None
    if scorer is not None and scorer.id_order != list(base.index):
        scorer = None
    comparisons, scored, resampled, dropping = [], {}, [], {}
    shown = set(base_top.tolist())
    for perturbed in scenario_views(graph, _metric_layers(graph, include_conflict), resamples=resamples, seed=seed,
                                    drop_probability=drop_probability):
        group, scenario = perturbed.group, perturbed.name
        values = _scenario_scores(perturbed, metric, include_conflict, base.index, scorer)
        scenario_top = _top_positions(values, k)
        tau, overlap = _agreement(base_values, values, base_top, scenario_top, k)
        row = {"group": group, "scenario": scenario, "relationships": perturbed.relationships,
               "kendall_tau": tau, "top_k_overlap": overlap, "kendall_tau_min": tau, "top_k_overlap_min": overlap}
        if group == "resampling":
            resampled.append((row, values))
            continue
        comparisons.append(row)
        scored[scenario] = values
        shown |= set(scenario_top.tolist())
        if group == "sources":
            for position in set(base_top.tolist()) - set(scenario_top.tolist()):
                dropping.setdefault(base.index[position], []).append(scenario.removeprefix("without "))
    if resampled:
        rows = pd.DataFrame([row for row, _ in resampled])
        comparisons.append({
            "group": "resampling", "scenario": f"{len(resampled)} resamples (drop p={drop_probability:g})",
            "relationships": int(round(rows["relationships"].mean())),
            "kendall_tau": float(rows["kendall_tau"].mean()), "top_k_overlap": float(rows["top_k_overlap"].mean()),
            "kendall_tau_min": float(rows["kendall_tau"].min()), "top_k_overlap_min": float(rows["top_k_overlap"].min()),
        })
    order = {"weights": 0, "layers": 1, "status": 2, "resampling": 3, "sources": 4}
    comparison_table = pd.DataFrame(comparisons, columns=list(COMPARISON_COLUMNS))
    comparison_table = comparison_table.sort_values(
        "group", key=lambda g: g.map(order), kind="stable").reset_index(drop=True)
    positions = np.array(sorted(shown), dtype=np.int64)
    shown_ids = base.index[positions]

    def ranks_of(values: np.ndarray) -> pd.Series:
        return pd.Series(_ranks_at(values, positions), index=shown_ids)

    return comparison_table, _entity_table(
        graph, base, set(shown_ids), {name: ranks_of(values) for name, values in scored.items()},
        [(row, ranks_of(values)) for row, values in resampled], dropping,
        _sole_sources(graph, base.index[base_top].tolist(), include_conflict))


def _scenario_scores(perturbed, metric: str, include_conflict: bool, index: pd.Index,
                     scorer: PagerankScorer | None) -> np.ndarray:
    """A scenario's scores in ``index`` order (entity ids), an entity without a score at 0."""
    values = None
    if scorer is not None:
        if perturbed.dropped is not None:
            values = scorer.score_without(perturbed.dropped, perturbed.edge_rows)
        else:
            values = scorer.score_edges(perturbed.view.edges)
    if values is None:
        values = metric_scores(perturbed.view, metric, include_conflict=include_conflict).reindex(index).to_numpy(dtype=float)
    return np.where(np.isnan(values), 0.0, values)


def _rank_keys(values: np.ndarray) -> np.ndarray:
    """Ascending keys in rank order: the highest score first, NaN last (ties then go by position)."""
    return np.where(np.isnan(values), np.inf, -values)


def _top_positions(values: np.ndarray, top: int) -> np.ndarray:
    """Positions of the ``top`` highest scores, best first, ties by position: `top_entities` on an id-sorted Series."""
    keys = _rank_keys(values)
    candidates = np.arange(len(keys))
    if 0 < top < len(keys):  # only the values up to the k-th smallest key can be in the top
        candidates = np.flatnonzero(keys <= np.partition(keys, top - 1)[top - 1])
    order = np.lexsort((candidates, keys[candidates]))
    return candidates[order[:top]]


def _ranks_at(values: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The rank (1 = highest, ties by position) of the entities at ``positions``: `_ranks` for those entities only."""
    keys = _rank_keys(values)
    ordered = np.sort(keys)
    wanted = keys[positions]
    before = np.searchsorted(ordered, wanted, side="left")
    tied = np.searchsorted(ordered, wanted, side="right") - before
    ranks = before + 1
    for i in np.flatnonzero(tied > 1):  # equal scores: those at earlier positions rank first
        ranks[i] += int(np.count_nonzero(np.flatnonzero(keys == wanted[i]) < positions[i]))
    return ranks.astype(int)


def _agreement(base: np.ndarray, other: np.ndarray, base_top: np.ndarray, other_top: np.ndarray, k: int) -> tuple[float, float]:
    """`ranking_agreement` of two id-ordered score arrays whose top-k positions are known."""
    union = np.array(sorted(set(base_top.tolist()) | set(other_top.tolist())), dtype=np.int64)
    tau = kendalltau(base[union], other[union], variant="b").statistic if len(union) > 1 else np.nan
    overlap = len(set(base_top.tolist()) & set(other_top.tolist())) / k if k else 1.0
    return float(tau), float(overlap)


def _entity_table(
    graph: InfluenceGraph, base: pd.Series, shown: set[str], ranks: dict[str, pd.Series],
    resampled: list[tuple[dict, pd.Series]], dropping: dict[str, list[str]], sole: dict[str, str],
) -> pd.DataFrame:
    """The per-entity table of `robustness_summary`."""
    base_ranks = _ranks(base)
    ids = sorted(shown, key=lambda entity_id: base_ranks[entity_id])
    info = graph.entities.set_index("id")
    columns = {"id": ids, "name": info.loc[ids, "name"].tolist(), "type": info.loc[ids, "type"].tolist(),
               "score": base[ids].to_numpy(), "rank": base_ranks[ids].to_numpy()}
    for scenario, scenario_ranks in ranks.items():
        columns[f"rank: {scenario}"] = scenario_ranks[ids].to_numpy()
    if resampled:
        matrix = np.array([scenario_ranks[ids].to_numpy() for _, scenario_ranks in resampled])
        columns["resampled_min"] = matrix.min(axis=0)
        columns["resampled_median"] = np.median(matrix, axis=0)
        columns["resampled_max"] = matrix.max(axis=0)
    sources, reasons = [], []
    for entity_id in ids:
        cited = sorted({*([sole[entity_id]] if entity_id in sole else []), *dropping.get(entity_id, [])})
        why = (["only source"] if entity_id in sole else []) + (["out of top k without it"] if entity_id in dropping else [])
        sources.append(";".join(cited))
        reasons.append(", ".join(why))
    columns["single_source"] = [bool(s) for s in sources]
    columns["sources"] = sources
    columns["reason"] = reasons
    table = pd.DataFrame(columns)  # one frame from all columns: hundreds of source scenarios, no column-by-column inserts
    return table.reset_index(drop=True)
