import random

import networkx as nx
import numpy as np
import pytest

from analysis.centrality import METRICS, centrality_table
from network.graph.convert import to_networkx
from network.graph import InfluenceGraph


def reference_scores(graph: InfluenceGraph, *, hits: bool = True) -> dict[str, dict]:
    """Every metric computed by networkx on the same collapsed graph."""
    G = to_networkx(graph, collapsed=True)
    n = G.number_of_nodes()
    R = G.reverse(copy=True)
    U = nx.Graph()
    U.add_nodes_from(G)
    for u, v, s in G.edges(data="strength"):
        U.add_edge(u, v, strength=U[u][v]["strength"] + s if U.has_edge(u, v) else s)
    out = {
        "degree_in": dict(G.in_degree()), "degree_out": dict(G.out_degree()),
        "strength_in": dict(G.in_degree(weight="strength")), "strength_out": dict(G.out_degree(weight="strength")),
        "pagerank": nx.pagerank(G, weight="strength", tol=1e-13, max_iter=100_000),
        "reverse_pagerank": nx.pagerank(R, weight="strength", tol=1e-13, max_iter=100_000),
        "betweenness": nx.betweenness_centrality(G, weight="cost", normalized=True),
        # networkx measures distance *to* a node; on the reversed graph that is our outward closeness
        "closeness": nx.closeness_centrality(R, distance="cost", wf_improved=True),
        "harmonic": {k: v / (n - 1) for k, v in nx.harmonic_centrality(R, distance="cost").items()},
        "coreness": nx.core_number(U),
        "constraint": nx.constraint(G, weight="strength"),
        # nodes= forces networkx's reference definition: its fast matrix path (networkx 3.6) divides
        # each column by the wrong row maximum when weights are given.
        "effective_size": nx.effective_size(G, nodes=list(G), weight="strength"),
    }
    out["degree_all"] = {k: out["degree_in"][k] + out["degree_out"][k] for k in G}
    eigen = nx.eigenvector_centrality(U, weight="strength", tol=1e-14, max_iter=100_000)
    top = max(eigen.values())
    out["eigenvector"] = {k: v / top for k, v in eigen.items()}
    if hits:
        W = nx.DiGraph()
        W.add_nodes_from(G)
        W.add_weighted_edges_from(G.edges(data="strength"))
        out["hub"], out["authority"] = nx.hits(W, max_iter=1_000_000, tol=1e-14)
    return out


def cross_check(graph: InfluenceGraph, *, hits: bool = True, tolerance: float = 1e-6):
    table = centrality_table(graph).set_index("id")
    for metric, expected in reference_scores(graph, hits=hits).items():
        for entity, value in expected.items():
            ours = table.loc[entity, metric]
            if metric == "effective_size" and np.isnan(value) and not np.isnan(ours):
                # networkx gives NaN to an entity with incoming ties only; Burt counts every tie
                assert G_degree(graph, entity) > 0
                continue
            if np.isnan(value):
                assert np.isnan(ours), (metric, entity)
            else:
                assert ours == pytest.approx(value, abs=tolerance), (metric, entity, ours, value)


def G_degree(graph: InfluenceGraph, entity: str) -> int:
    return graph.metric_graph().degree(graph.ids.index(entity))


def random_graph(n: int, p: float, seed: int) -> InfluenceGraph:
    rng = random.Random(seed)
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    return InfluenceGraph.from_edges([(f"v{u:03d}", f"v{v:03d}", rng.uniform(0.5, 6.0)) for u, v in G.edges])


def test_every_metric_is_documented_and_computed():
    table = centrality_table(InfluenceGraph.from_edges([("a", "b", 1.0), ("b", "c", 2.0), ("c", "a", 1.0)]))
    assert list(table.columns) == ["id", *METRICS]
    for metric in METRICS.values():
        assert metric.question and metric.weight and metric.normalization and metric.reference


def test_tiny_graph_by_hand_and_against_networkx(tiny_graph):
    table = centrality_table(tiny_graph).set_index("id")
    # Shortest cost paths through an entity (6 entities, directed: divide by 5 x 4):
    # acme on alice->bob, bob on acme->campaign, pac on alice->campaign (cheaper than via acme and bob).
    assert table["betweenness"].to_dict() == pytest.approx(
        {"acme": 1 / 20, "alice": 0.0, "bob": 1 / 20, "campaign": 0.0, "pac": 1 / 20, "rival-co": 0.0})
    assert table["pagerank"].sum() == pytest.approx(1.0)
    assert table["pagerank"].idxmax() == "campaign"
    assert table["reverse_pagerank"].idxmax() == "alice"  # the giver whose money and control reach furthest
    assert table.loc["rival-co", "degree_all"] == 0  # its only tie is a conflict edge, left out
    assert np.isnan(table.loc["rival-co", "constraint"])
    cross_check(tiny_graph, hits=False)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_weighted_digraphs_against_networkx(seed):
    cross_check(random_graph(60, 0.08, seed))


def test_bundled_data_against_networkx(bundled_graph):
    # HITS on the bundled graph has no unique solution (many zero scores): compared on random graphs instead.
    cross_check(bundled_graph, hits=False)


def test_florentine_families_medici_broker_most():
    families = nx.florentine_families_graph()
    graph = InfluenceGraph.from_edges([(u, v, 1.0) for u, v in families.edges], directed=False)
    table = centrality_table(graph).set_index("id")
    assert table["betweenness"].idxmax() == "Medici"
    # The Medici lie on 47.5 of the shortest paths between the 91 pairs of the other 14 families.
    assert table.loc["Medici", "betweenness"] == pytest.approx(47.5 / (14 * 13 / 2))
    assert table["eigenvector"].idxmax() == "Medici"
    assert table["constraint"].idxmin() == "Medici"  # the least constrained broker
    cross_check(graph)


def test_karate_club_known_answers():
    karate = nx.karate_club_graph()
    graph = InfluenceGraph.from_edges([(f"{u:02d}", f"{v:02d}", 1.0) for u, v in karate.edges], directed=False)
    table = centrality_table(graph).set_index("id")
    # Mr. Hi (node 0) has betweenness 231.07 of the 528 pairs of the other 33 members.
    assert table.loc["00", "betweenness"] == pytest.approx(231.0714286 / 528, abs=1e-7)
    assert table["coreness"].max() == 4
    assert set(table.index[table["coreness"] == 4]) == {f"{i:02d}" for i in (0, 1, 2, 3, 7, 8, 13, 30, 32, 33)}
    cross_check(graph)


def test_weights_change_paths_the_way_costs_say():
    # a->c directly is weak (cost 1); a->b->c is strong (cost 0.25 + 0.25): b brokers it.
    graph = InfluenceGraph.from_edges([("a", "c", 1.0), ("a", "b", 4.0), ("b", "c", 4.0)])
    table = centrality_table(graph).set_index("id")
    assert table.loc["b", "betweenness"] == pytest.approx(1 / 2)
    cross_check(graph)


def test_sampling_every_vertex_equals_exact_and_a_sample_stays_within_its_error():
    graph = random_graph(300, 0.02, seed=7)
    exact = centrality_table(graph, metrics=["betweenness", "closeness", "harmonic"]).set_index("id")
    full = centrality_table(graph, metrics=["betweenness", "closeness", "harmonic"], exact_limit=0, samples=300).set_index("id")
    assert full.attrs["sampled_sources"] == 300
    for metric in ("betweenness", "closeness", "harmonic"):
        assert full[metric].to_numpy() == pytest.approx(exact[metric].to_numpy(), abs=1e-9)
    sample = centrality_table(graph, metrics=["betweenness", "harmonic"], exact_limit=0, samples=120, seed=3).set_index("id")
    assert list(sample.columns) == ["betweenness", "harmonic", "betweenness_se", "harmonic_se"]
    for metric in ("betweenness", "harmonic"):
        error = (sample[metric] - exact[metric]).abs()
        within = (error <= 4 * sample[f"{metric}_se"] + 1e-12).mean()
        assert within >= 0.90, (metric, within)  # batch errors are themselves noisy (8 batches)
        assert error.mean() < 0.25 * exact[metric].mean()


def test_metric_selection_and_unknown_metric():
    graph = InfluenceGraph.from_edges([("a", "b", 1.0)])
    assert list(centrality_table(graph, metrics=["pagerank"]).columns) == ["id", "pagerank"]
    with pytest.raises(ValueError, match="unknown metric closenes"):
        centrality_table(graph, metrics=["closenes"])


def test_reached_counts_equal_a_search_from_every_vertex():
    """Closeness counts the entities each one reaches on strongly connected components and bit sets: the same
    counts as igraph's breadth-first `neighborhood_size`, on random graphs with cycles, loops, repeated and no edges."""
    import igraph as ig
    import numpy as np

    from analysis.distances import reached_counts

    rng = np.random.default_rng(7)
    for trial in range(300):
        n = int(rng.integers(0, 80))
        m = int(rng.integers(0, 4 * n + 1)) if n else 0
        graph = ig.Graph(n=n, edges=rng.integers(0, max(n, 1), size=(m, 2)).tolist() if n else [], directed=True)
        expected = np.asarray(graph.neighborhood_size(order=max(n, 1), mode="out"), dtype=np.int64) - 1 if n else np.zeros(0)
        assert reached_counts(graph).tolist() == expected.tolist(), trial
