"""Headline rankings: the layer view they score equals the filtered graph."""

def test_a_layer_view_scores_as_the_filtered_graph_does(bundled_graph, tmp_path):
    """Headline rankings score a view of the graph's own edges; its entities and metrics equal `filter`'s."""
    import numpy as np

    from analysis.centrality import centrality_table
    from analysis.rankings import layer_view
    from benchmarks.run_data import generate_folder
    from network.contract.load import load_tables
    from network.contract.schema import load_schema
    from network.contract.validate import validated_tables
    from network.graph import build_influence_graph

    generate_folder(2000, tmp_path, seed=3)
    schema = load_schema()
    generated = build_influence_graph(validated_tables(load_tables(tmp_path), schema), schema)
    for graph in (bundled_graph, generated):
        for layers in (["money"], ["money", "control"], ["access"], ["conflict"]):
            filtered, view = graph.filter(layers=layers), layer_view(graph, layers)
            assert view.entities["id"].tolist() == filtered.entities["id"].tolist(), layers
            if filtered.entities.empty:
                continue
            for metric in ("pagerank", "reverse_pagerank", "betweenness"):
                expected = centrality_table(filtered, metrics=[metric])
                got = centrality_table(view, metrics=[metric])
                assert got["id"].tolist() == expected["id"].tolist()
                assert np.array_equal(got[metric].to_numpy(), expected[metric].to_numpy()), (layers, metric)


def test_headline_scores_taken_from_the_node_table_equal_computed_ones(bundled_graph):
    """`influence run` takes a headline's scores from its node table (centrality_table, seed 0) when they cannot
    differ: every layer, and seed 0 or a metric that draws nothing at random. Checked on the bundled graph and on
    one above the exact limit (betweenness sampled with seed 0), for seeds 0 and 5."""
    import numpy as np
    import pandas as pd

    from analysis.centrality import centrality_table
    from analysis.rankings import HEADLINES, PLAIN_PAGERANK, Headline, headline_scores
    from network.graph import InfluenceGraph

    rng = np.random.default_rng(1)
    n = 20_600
    pairs = {(f"e{a:05d}", f"e{b:05d}") for a, b in rng.integers(0, n, size=(60_000, 2)) if a != b}
    sampled = InfluenceGraph.from_edges([(a, b, float(w)) for (a, b), w in zip(sorted(pairs), rng.uniform(0.1, 3, len(pairs)))])
    assert len(sampled.entities) > 20_000
    for graph in (bundled_graph, sampled):
        nodes = centrality_table(graph)
        for headline in (*HEADLINES, PLAIN_PAGERANK, Headline("hub", None, "hubs")):
            for seed in (0, 5):
                taken = headline_scores(graph, headline, seed=seed, nodes=nodes)
                computed = headline_scores(graph, headline, seed=seed)
                pd.testing.assert_frame_equal(taken, computed, check_exact=True)
