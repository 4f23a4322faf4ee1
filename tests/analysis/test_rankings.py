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
