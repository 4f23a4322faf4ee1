"""Robustness scenarios scored from the baseline's edges give exactly what the rebuilt graphs give."""

import numpy as np
import pandas as pd
import pytest

from analysis.robustness import metric_scores, robustness_summary, scenario_graphs
from analysis.scenario_edges import cited_sources, scenario_views
from benchmarks.run_data import generate_folder
from network.contract.load import load_tables
from network.contract.schema import load_schema
from network.contract.validate import validated_tables
from network.graph import build_influence_graph
from tests.analysis.test_robustness import single_source_data


def _metric_layers(graph):
    present = set(graph.relationships["layer"])
    return [layer for layer in graph.schema.layers if layer in present and layer != "conflict"]


def _assert_same_scenarios(graph, *, resamples, seed, metrics=("pagerank", "strength_in", "betweenness")):
    rebuilt = list(scenario_graphs(graph, resamples=resamples, seed=seed))
    views = list(scenario_views(graph, _metric_layers(graph), resamples=resamples, seed=seed, drop_probability=0.5))
    assert [(s.group, s.name) for s in views] == [(group, name) for group, name, _ in rebuilt]
    assert [s.relationships for s in views] == [len(g.relationships) for _, _, g in rebuilt]
    for (group, name, full), scenario in zip(rebuilt, views):
        columns = ["source", "target", "layer", "directed", "strength", "cost"]
        pd.testing.assert_frame_equal(scenario.view.edges[columns].reset_index(drop=True), full.edges[columns], check_exact=True)
        for metric in metrics:
            expected = metric_scores(full, metric)
            got = metric_scores(scenario.view, metric)
            assert np.array_equal(got.to_numpy(), expected.to_numpy()) and list(got.index) == list(expected.index), (name, metric)


def test_bundled_scenarios_match_the_rebuilt_graphs_exactly(bundled_graph):
    _assert_same_scenarios(bundled_graph, resamples=4, seed=3)


def test_tiny_and_single_source_scenarios_match(tiny_graph, tmp_path):
    _assert_same_scenarios(tiny_graph, resamples=3, seed=0)
    schema = load_schema()
    graph = build_influence_graph(validated_tables(load_tables(single_source_data(tmp_path)), schema), schema)
    _assert_same_scenarios(graph, resamples=2, seed=0)


def test_a_generated_campaign_finance_folder_matches(tmp_path):
    """Many edges lose some of their relationships and keep others: the recomputed rows are spliced back in order."""
    generate_folder(1500, tmp_path, seed=5)
    schema = load_schema()
    graph = build_influence_graph(validated_tables(load_tables(tmp_path), schema), schema)
    assert len(cited_sources(graph)) >= 5 and (graph.relationships["status"] != "confirmed").sum() > 50
    _assert_same_scenarios(graph, resamples=3, seed=1, metrics=("pagerank",))


def test_robustness_summary_is_unchanged_on_the_bundled_data(bundled_graph):
    """The summary from views equals one computed by scoring every rebuilt graph (the former code path)."""
    comparisons, _ = robustness_summary(bundled_graph, top=10, resamples=3, seed=2)
    base = metric_scores(bundled_graph)
    expected = [len(g.relationships) for group, _, g in scenario_graphs(bundled_graph, resamples=3, seed=2) if group != "resampling"]
    assert comparisons.loc[comparisons["group"] != "resampling", "relationships"].tolist() == expected
    sources = comparisons[comparisons["group"] == "sources"]
    assert len(sources) == len(cited_sources(bundled_graph)) and len(base) == 67
    with pytest.raises(ValueError):
        robustness_summary(bundled_graph, metric="fame")


def test_top_entities_on_sorted_ids_orders_as_the_table_sort_does():
    from analysis.robustness import top_entities

    rng = np.random.default_rng(0)
    ids = sorted(f"e{i:03d}" for i in range(300))
    scores = pd.Series(rng.integers(0, 20, 300) / 7.0, index=ids)  # many ties
    scores.iloc[[3, 50]] = np.nan
    expected = (pd.DataFrame({"id": ids, "score": scores.to_numpy()})
                .sort_values(["score", "id"], ascending=[False, True], kind="stable")["id"].tolist())
    assert top_entities(scores, 300) == expected
    assert top_entities(scores.iloc[::-1], 300) == expected  # unsorted index: the table sort itself
