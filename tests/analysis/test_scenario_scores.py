"""Robustness scenarios scored as weight vectors on the baseline's igraph graph give, bit for bit, the
PageRank of each rebuilt scenario graph; the summary built on them equals the one scored the general way."""

import numpy as np
import pandas as pd
import pytest

import analysis.robustness as robustness
from analysis.robustness import _ranks, _ranks_at, _top_positions, metric_scores, robustness_summary, scenario_graphs, top_entities
from analysis.scenario_edges import scenario_views
from analysis.scenario_scores import PagerankScorer
from benchmarks.run_data import generate_folder
from network.contract.load import load_tables
from network.contract.schema import load_schema
from network.contract.validate import validated_tables
from network.graph import build_influence_graph
from tests.analysis.test_robustness import single_source_data
from tests.analysis.test_scenario_edges import _metric_layers


def _assert_scores_match_rebuilt_graphs(graph, *, resamples, seed):
    scorer = PagerankScorer(graph)
    base = metric_scores(graph)
    assert scorer.id_order == list(base.index)
    rebuilt = list(scenario_graphs(graph, resamples=resamples, seed=seed))
    views = list(scenario_views(graph, _metric_layers(graph), resamples=resamples, seed=seed, drop_probability=0.5))
    dropping = 0
    for (_, name, full), scenario in zip(rebuilt, views, strict=True):
        expected = metric_scores(full).reindex(base.index).fillna(0.0).to_numpy()
        got = scorer.score_edges(full.edges)  # any scenario given as its complete edge table
        assert got is not None and np.array_equal(got, expected), name
        if scenario.dropped is not None:
            got = scorer.score_without(scenario.dropped, scenario.edge_rows)
            assert got is not None and np.array_equal(got, expected), name
            dropping += 1
    return dropping


def test_bundled_and_tiny_scenarios_score_exactly_as_rebuilt(bundled_graph, tiny_graph, tmp_path):
    assert _assert_scores_match_rebuilt_graphs(bundled_graph, resamples=4, seed=3) >= 5
    _assert_scores_match_rebuilt_graphs(tiny_graph, resamples=3, seed=0)
    schema = load_schema()
    graph = build_influence_graph(validated_tables(load_tables(single_source_data(tmp_path)), schema), schema)
    _assert_scores_match_rebuilt_graphs(graph, resamples=2, seed=0)


def test_a_generated_campaign_finance_folder_scores_exactly_as_rebuilt(tmp_path):
    """Edges that lose some relationships, mutual ties counted both ways, pairs emptied: the same floats."""
    generate_folder(2000, tmp_path, seed=7)
    schema = load_schema()
    graph = build_influence_graph(validated_tables(load_tables(tmp_path), schema), schema)
    assert (~graph.edges["directed"]).sum() > 0
    assert _assert_scores_match_rebuilt_graphs(graph, resamples=3, seed=2) > 5


def test_a_pair_the_baseline_lacks_is_refused_so_the_general_path_scores_it(bundled_graph):
    scorer = PagerankScorer(bundled_graph)
    edges = bundled_graph.edges.copy()
    first, last = bundled_graph.entities["id"].iloc[0], bundled_graph.entities["id"].iloc[-1]
    extra = edges.iloc[[0]].assign(source=last, target=first, layer="money", directed=True, strength=1.0, cost=1.0)
    assert not ((edges["source"] == last) & (edges["target"] == first)).any()
    assert scorer.score_edges(pd.concat([edges, extra], ignore_index=True)) is None
    assert scorer.score_edges(edges.iloc[0:0]) is None  # no edge at all: scored unweighted by the general path


@pytest.mark.parametrize("seed", range(5))
def test_top_positions_and_ranks_agree_with_the_series_versions(seed):
    rng = np.random.default_rng(seed)
    ids = sorted(f"e{i:04d}" for i in range(500))
    values = rng.integers(0, 12, 500) / 7.0  # many ties
    values[rng.integers(0, 500, 5)] = np.nan
    scores = pd.Series(values, index=ids)
    for k in (1, 3, 10, 499, 500):
        assert [ids[p] for p in _top_positions(values, k)] == top_entities(scores, k)
    positions = np.sort(rng.choice(500, 40, replace=False))
    assert _ranks_at(values, positions).tolist() == _ranks(scores)[[ids[p] for p in positions]].tolist()


def test_the_summary_equals_the_general_scoring(monkeypatch, bundled_graph, tmp_path):
    generate_folder(1500, tmp_path, seed=5)
    schema = load_schema()
    generated = build_influence_graph(validated_tables(load_tables(tmp_path), schema), schema)
    for graph, conflict in ((bundled_graph, False), (bundled_graph, True), (generated, False), (generated, True)):
        fast = robustness_summary(graph, top=10, resamples=4, seed=1, include_conflict=conflict)
        with monkeypatch.context() as patched:
            patched.setattr(robustness, "PagerankScorer", lambda *args, **kwargs: None)
            general = robustness_summary(graph, top=10, resamples=4, seed=1, include_conflict=conflict)
        for got, expected in zip(fast, general):
            pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_edge_rows_by_integer_keys_equal_matching_the_texts(bundled_graph, tmp_path):
    from analysis.scenario_edges import _EDGE_KEY, _edge_rows

    generate_folder(1500, tmp_path, seed=2)
    schema = load_schema()
    generated = build_influence_graph(validated_tables(load_tables(tmp_path), schema), schema)
    for graph in (bundled_graph, generated):
        rel = graph.relationships
        expected = pd.MultiIndex.from_frame(graph.edges[_EDGE_KEY]).get_indexer(
            pd.MultiIndex.from_arrays([rel["edge_source"], rel["edge_target"], rel["layer"], rel["directed"]], names=_EDGE_KEY))
        got = _edge_rows(graph)
        assert (got >= 0).all() and np.array_equal(got, expected)
