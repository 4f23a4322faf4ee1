"""The co-funding network: shared recipients weighted by the smaller amount, and its centrality."""

import math

import networkx as nx
import pandas as pd
import pytest

from analysis.cofunding import cofunding_centrality, cofunding_edges, cofunding_graph
from network.graph import build_influence_graph
from network.contract.load import DataTables


def money_graph(schema, rows):
    """A graph from (source, target, type, amount_usd, aggregate) rows; every entity a person."""
    names = sorted({n for s, t, *_ in rows for n in (s, t)})
    entities = pd.DataFrame({"id": names, "name": [n.upper() for n in names], "type": "person", "name_ar": "",
                             "aliases": "", "description": ""})
    relationships = pd.DataFrame({
        "id": [f"r{i}" for i in range(len(rows))], "source": [r[0] for r in rows], "target": [r[1] for r in rows],
        "type": [r[2] for r in rows], "role": "", "amount_usd": [float(r[3]) for r in rows],
        "amount_qualifier": "exact", "start_date": "2024", "end_date": "2024", "status": "confirmed",
        "aggregate": [r[4] for r in rows], "source_ids": "s1", "evidence": "",
    })
    sources = pd.DataFrame({"id": ["s1"], "publisher": ["P"], "title": ["T"], "published": ["2024"], "language": ["en"],
                            "url": [""], "document": [""]})
    return build_influence_graph(DataTables(entities, relationships, sources, paths={}), schema)


@pytest.fixture
def hand_graph(schema):
    return money_graph(schema, [
        ("a", "r", "donation", 10, False),
        ("b", "r", "donation", 4, False),
        ("a", "s", "donation", 3, False),
        ("c", "s", "donation", 5, False),
        ("b", "s", "pledge", 2, False),     # a pledge: no co-funding
        ("c", "r", "donation", 100, True),  # an aggregate total: no co-funding
        ("d", "r", "donation", 6, False),
        ("d", "r", "donation", 1, False),   # d gives r 7 in all
    ])


def test_edges_by_hand(hand_graph):
    edges = cofunding_edges(hand_graph)
    assert edges.values.tolist() == [
        ["a", "d", 7.0, 1, "r"],   # min(10, 6 + 1)
        ["a", "b", 4.0, 1, "r"],   # min(10, 4)
        ["b", "d", 4.0, 1, "r"],   # min(4, 7)
        ["a", "c", 3.0, 1, "s"],   # min(3, 5); b-s is a pledge, c-r an aggregate
    ]


def test_two_shared_recipients_add(schema):
    graph = money_graph(schema, [("a", "r", "donation", 10, False), ("b", "r", "donation", 4, False),
                                 ("a", "s", "donation", 3, False), ("b", "s", "in_kind", 5, False)])
    assert cofunding_edges(graph).values.tolist() == [["a", "b", 7.0, 2, "r;s"]]
    assert cofunding_edges(graph, types=["donation"]).values.tolist() == [["a", "b", 4.0, 1, "r"]]


def test_graph_attributes(hand_graph):
    network = cofunding_graph(hand_graph)
    assert not network.is_directed()
    assert network.vs["name"] == ["a", "b", "c", "d"]
    assert network.vs["label"] == ["A", "B", "C", "D"]
    shared = {tuple(sorted((network.vs[e.source]["name"], network.vs[e.target]["name"]))): e["shared_usd"] for e in network.es}
    assert shared == {("a", "d"): 7.0, ("a", "b"): 4.0, ("b", "d"): 4.0, ("a", "c"): 3.0}
    assert network.es["cost"] == pytest.approx([1 / w for w in network.es["strength"]])


def test_centrality_by_hand_and_against_networkx(hand_graph):
    table = cofunding_centrality(hand_graph).set_index("id")
    assert table["shared_usd"].to_dict() == {"a": 14.0, "d": 11.0, "b": 8.0, "c": 3.0}
    assert table["partners"].to_dict() == {"a": 3, "d": 2, "b": 2, "c": 1}
    # c reaches the others only through a: a lies on c-b and c-d (cost 1/3 + 1/4 < any other route); 3 pairs of 3.
    assert table.loc["a", "betweenness"] == pytest.approx(2 / 3)
    reference = nx.Graph()
    for row in cofunding_edges(hand_graph).itertuples():
        reference.add_edge(row.giver_a, row.giver_b, weight=row.shared_usd, cost=1 / row.shared_usd)
    betweenness = nx.betweenness_centrality(reference, weight="cost", normalized=True)
    eigenvector = nx.eigenvector_centrality_numpy(reference, weight="weight")
    top = max(eigenvector.values())
    for giver in reference:
        assert table.loc[giver, "betweenness"] == pytest.approx(betweenness[giver], abs=1e-12)
        assert table.loc[giver, "eigenvector"] == pytest.approx(eigenvector[giver] / top, abs=1e-6)
    assert table.loc["a", "eigenvector"] == 1.0


def test_bundled_cofunding(bundled_graph):
    edges = cofunding_edges(bundled_graph)
    assert edges[["giver_a", "giver_b", "shared_usd"]].values.tolist() == [
        ["america-pac", "timothy-mellon", 21_000_000],   # both fund the Trump campaign: min(21M, 150M)
        ["amazon", "meta", 1_000_000],                   # the 2025 inaugural fund
        ["amazon", "perplexity", 1_000_000],
        ["meta", "perplexity", 1_000_000],
    ]
    table = cofunding_centrality(bundled_graph).set_index("id")
    assert table["component"].to_dict() == {"america-pac": 1, "timothy-mellon": 1, "amazon": 2, "meta": 2, "perplexity": 2}
    assert table["eigenvector"].tolist() == pytest.approx([1.0] * 5)  # each component is symmetric
    assert "elon-musk" not in table.index       # his money to the campaign is only in aggregate rows


def test_no_money_no_network(tiny_graph):
    assert cofunding_edges(tiny_graph.filter(layers=["control"])).empty
    assert cofunding_centrality(tiny_graph.filter(layers=["control"])).empty
    assert math.isclose(len(cofunding_edges(tiny_graph)), 0)  # alice and pac fund different recipients
