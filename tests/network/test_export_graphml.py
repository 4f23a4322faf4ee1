import json
import math

import igraph as ig
import networkx as nx
import pytest

from network.formats.graphml import write_graphml


@pytest.fixture
def written(tmp_path, bundled_graph):
    from analysis.commands.pipeline import analyze

    nodes = analyze(bundled_graph, seed=0)[0]
    return write_graphml(bundled_graph, tmp_path / "g.graphml", nodes=nodes, provenance={"command": "test"}), nodes


def same(found, expected):
    if isinstance(expected, float) and math.isnan(expected):
        return found is None or (isinstance(found, float) and math.isnan(found))
    if isinstance(expected, float):
        return found == pytest.approx(expected, rel=1e-11, abs=1e-11)
    return found == expected


def test_networkx_reads_every_attribute_typed(written, bundled_graph):
    path, nodes = written
    graph = nx.read_graphml(path, force_multigraph=True)
    assert sorted(graph.nodes) == sorted(bundled_graph.entities["id"])
    assert graph.number_of_edges() == len(bundled_graph.edges)
    for row in nodes.to_dict("records"):
        data = graph.nodes[row["id"]]
        for column, value in row.items():
            if column == "id":
                continue
            assert same(data.get(column, "" if isinstance(value, str) else None), value), (row["id"], column)
    assert isinstance(graph.nodes["elon-musk"]["community"], int)
    assert isinstance(graph.nodes["elon-musk"]["pagerank"], float)
    by_key = {(u, v, d["layer"], d["directed"]): d for u, v, d in graph.edges(data=True)}
    for row in bundled_graph.edges.to_dict("records"):
        data = by_key[(row["source"], row["target"], row["layer"], row["directed"])]
        for column in ("types", "relationship_ids", "relationship_count", "strength", "cost", "amount_usd",
                       "stated_total_usd", "first_date", "last_date", "status", "source_ids"):
            expected = row[column]
            assert same(data.get(column, "" if isinstance(expected, str) else None), expected), (row["source"], column)
        assert isinstance(data["directed"], bool) and isinstance(data["relationship_count"], int)
        assert [r["id"] for r in json.loads(data["relationships"])] == row["relationship_ids"].split(";")
    assert json.loads(graph.graph["meta"]) == {"command": "test"}
    assert [s["id"] for s in json.loads(graph.graph["sources"])] == sorted(bundled_graph.sources["id"])


def test_igraph_reads_every_attribute_as_numbers_and_booleans(written, bundled_graph):
    path, nodes = written
    graph = ig.Graph.Read_GraphML(str(path))
    assert graph.is_directed()
    assert graph.vs["id"] == sorted(bundled_graph.entities["id"])
    table = nodes.set_index("id")
    for vertex in graph.vs:
        row = table.loc[vertex["id"]]
        assert vertex["name"] == row["name"] and vertex["type"] == row["type"] and vertex["aliases"] == row["aliases"]
        assert vertex["pagerank"] == pytest.approx(row["pagerank"], abs=1e-11)
        assert vertex["community"] == row["community"]  # igraph keeps every number as a double
    edges = bundled_graph.edges
    assert graph.ecount() == len(edges)
    assert [(graph.vs[e.source]["id"], graph.vs[e.target]["id"]) for e in graph.es] == list(zip(edges["source"], edges["target"]))
    assert graph.es["layer"] == edges["layer"].tolist()
    assert graph.es["directed"] == edges["directed"].tolist() and all(isinstance(v, bool) for v in graph.es["directed"])
    assert graph.es["strength"] == pytest.approx(edges["strength"].tolist())
    assert graph.es["relationship_count"] == edges["relationship_count"].tolist()
    amounts = [a for a in graph.es["amount_usd"]]
    assert [math.isnan(a) for a in amounts] == edges["amount_usd"].isna().tolist()
    assert [a for a in amounts if a == a] == edges["amount_usd"].dropna().tolist()
    assert graph.es["first_date"] == edges["first_date"].tolist()
    assert graph["format"] == "influence-network"


def test_graphml_of_a_graph_without_metrics(tmp_path, tiny_graph):
    graph = nx.read_graphml(write_graphml(tiny_graph, tmp_path / "g.graphml"))
    assert graph.nodes["alice"]["name_ar"] == "أليس"
    assert "pagerank" not in graph.nodes["alice"]
    assert "amount_usd" not in graph.edges["acme", "bob"]  # no amount: left out, not written as NaN
