import networkx as nx
import pytest

from analysis.centrality import centrality_table
from network.convert import to_networkx
from network.graph import InfluenceGraph


def cross_check(graph: InfluenceGraph):
    """Every metric of centrality_table against networkx on the same collapsed graph."""
    table = centrality_table(graph).set_index("id")
    reference = to_networkx(graph, collapsed=True)
    pagerank = nx.pagerank(reference, alpha=0.85, weight="strength", tol=1e-12, max_iter=10_000)
    betweenness = nx.betweenness_centrality(reference, weight="cost", normalized=True)
    for entity in reference.nodes:
        row = table.loc[entity]
        assert row["pagerank"] == pytest.approx(pagerank[entity], abs=1e-6), entity
        assert row["betweenness"] == pytest.approx(betweenness[entity], abs=1e-9), entity
        assert row["strength_in"] == pytest.approx(reference.in_degree(entity, weight="strength")), entity
        assert row["strength_out"] == pytest.approx(reference.out_degree(entity, weight="strength")), entity
        assert row["degree_in"] == reference.in_degree(entity)
        assert row["degree_out"] == reference.out_degree(entity)


def test_tiny_graph_by_hand_and_against_networkx(tiny_graph):
    table = centrality_table(tiny_graph).set_index("id")
    # Shortest cost paths through an entity (6 entities, directed: divide by 5 x 4):
    # acme on alice->bob, bob on acme->campaign, pac on alice->campaign (cheaper than via acme and bob).
    assert table["betweenness"].to_dict() == pytest.approx(
        {"acme": 1 / 20, "alice": 0.0, "bob": 1 / 20, "campaign": 0.0, "pac": 1 / 20, "rival-co": 0.0})
    assert table["pagerank"].sum() == pytest.approx(1.0)
    assert table["pagerank"].idxmax() == "campaign"
    cross_check(tiny_graph)


def test_bundled_data_against_networkx(bundled_graph):
    cross_check(bundled_graph)


def test_florentine_families_medici_broker_most():
    families = nx.florentine_families_graph()
    graph = InfluenceGraph.from_edges([(u, v, 1.0) for u, v in families.edges], directed=False)
    table = centrality_table(graph).set_index("id")
    assert table["betweenness"].idxmax() == "Medici"
    # The Medici lie on 47.5 of the shortest paths between the 91 pairs of the other 14 families.
    assert table.loc["Medici", "betweenness"] == pytest.approx(47.5 / (14 * 13 / 2))
    cross_check(graph)


def test_weights_change_paths_the_way_costs_say():
    # a->c directly is weak (cost 1); a->b->c is strong (cost 0.25 + 0.25): b brokers it.
    graph = InfluenceGraph.from_edges([("a", "c", 1.0), ("a", "b", 4.0), ("b", "c", 4.0)])
    table = centrality_table(graph).set_index("id")
    assert table.loc["b", "betweenness"] == pytest.approx(1 / 2)
    cross_check(graph)
