import json
from pathlib import Path

import pytest
from lxml import etree

from network.formats.export import node_table
from network.formats.gexf import write_gexf
from network.maps.page import seeded_layout
from network.maps.records import NODE_SIZE_RANGE
from network.maps.style import node_sizes, type_color

RNG = Path(__file__).resolve().parents[1] / "fixtures" / "gexf-1.3" / "gexf.rng"
NS = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}


def nodes_with_metrics(graph):
    from analysis.commands.pipeline import analyze

    return analyze(graph, seed=0)[0]


@pytest.mark.parametrize("graph_name", ["tiny_graph", "bundled_graph"])
def test_gexf_validates_against_the_gexf_1_3_relax_ng(tmp_path, request, graph_name):
    graph = request.getfixturevalue(graph_name)
    path = write_gexf(graph, tmp_path / "g.gexf", nodes=nodes_with_metrics(graph), provenance={"command": "test"})
    schema = etree.RelaxNG(etree.parse(str(RNG)))
    schema.assertValid(etree.parse(str(path)))


def test_gexf_without_metrics_also_validates(tmp_path, tiny_graph):
    path = write_gexf(tiny_graph, tmp_path / "g.gexf", nodes=node_table(tiny_graph))
    etree.RelaxNG(etree.parse(str(RNG))).assertValid(etree.parse(str(path)))


def test_gexf_declares_typed_attributes(tmp_path, tiny_graph):
    doc = etree.parse(str(write_gexf(tiny_graph, tmp_path / "g.gexf", nodes=nodes_with_metrics(tiny_graph))))
    node_types = {a.get("title"): a.get("type") for a in doc.findall(".//g:attributes[@class='node']/g:attribute", NS)}
    edge_types = {a.get("title"): a.get("type") for a in doc.findall(".//g:attributes[@class='edge']/g:attribute", NS)}
    assert node_types["type"] == node_types["name_ar"] == node_types["aliases"] == "string"
    assert node_types["pagerank"] == node_types["betweenness"] == "double"
    assert node_types["community"] == "integer"
    assert edge_types["layer"] == edge_types["types"] == edge_types["first_date"] == edge_types["source_ids"] == "string"
    assert edge_types["amount_usd"] == edge_types["stated_total_usd"] == edge_types["strength"] == "double"
    assert edge_types["relationship_count"] == "integer"
    assert edge_types["directed"] == "boolean"
    assert doc.getroot().get("version") == "1.3"


def test_gexf_edges_weigh_their_strength_and_keep_their_relationships(tmp_path, tiny_graph):
    doc = etree.parse(str(write_gexf(tiny_graph, tmp_path / "g.gexf")))
    titles = {a.get("id"): a.get("title") for a in doc.findall(".//g:attributes[@class='edge']/g:attribute", NS)}
    edges = doc.findall(".//g:edge", NS)
    attributes = [{titles[v.get("for")]: v.get("value") for v in e.findall(".//g:attvalue", NS)} for e in edges]
    firsts = [(e, a) for e, a in zip(edges, attributes) if "mirror_of" not in a]
    assert len(firsts) == len(tiny_graph.edges)
    for (element, values), row in zip(firsts, tiny_graph.edges.itertuples()):
        assert (element.get("source"), element.get("target")) == (row.source, row.target)
        assert float(element.get("weight")) == row.strength
        assert values["layer"] == row.layer == element.get("kind").removesuffix("-mutual")
        assert [r["id"] for r in json.loads(values["relationships"])] == row.relationship_ids.split(";")
        assert sorted(s["id"] for s in json.loads(values["sources"])) == row.source_ids.split(";")
        assert element.get("type") == "directed"
    # the one mutual edge (acme competitor rival-co) is written both ways; the mirror carries no relationships
    assert {e.get("type") for e in edges} == {"directed"}
    mutual = [(e.get("id"), e.get("source"), e.get("target"), e.get("kind"), a.get("mirror_of"), "relationships" in a)
              for e, a in zip(edges, attributes) if e.get("kind").endswith("-mutual")]
    first = mutual[0][0]
    assert mutual == [(first, "acme", "rival-co", "conflict-mutual", None, True),
                      (f"e{int(first[1:]) + 1}", "rival-co", "acme", "conflict-mutual", first, False)]
    assert doc.find(".//g:edges", NS).get("count") == str(len(edges)) == str(len(tiny_graph.edges) + 1)


def test_gexf_reads_the_same_in_networkx_and_igraph(tmp_path, bundled_graph):
    """The whole bundled graph (mutual ties included) loads in networkx (which refused the undirected edges
    in a directed graph this file used to have) and in igraph, with one directed edge per direction."""
    import igraph as ig
    import networkx as nx

    path = write_gexf(bundled_graph, tmp_path / "graph.gexf")
    mutual = int((~bundled_graph.edges["directed"].astype(bool)).sum())
    assert mutual > 0
    expected = len(bundled_graph.edges) + mutual
    reference = nx.read_gexf(path)
    assert reference.is_directed() and reference.number_of_edges() == expected
    assert reference.number_of_nodes() == len(bundled_graph.entities)
    pairs = {(u, v) for u, v in reference.edges()}
    for row in bundled_graph.edges[~bundled_graph.edges["directed"].astype(bool)].itertuples():
        assert (row.source, row.target) in pairs and (row.target, row.source) in pairs
    # python-igraph has no GEXF reader of its own; its documented bridge is from_networkx
    converted = ig.Graph.from_networkx(reference)
    assert converted.is_directed() and converted.ecount() == expected
    names = converted.vs["_nx_name"]
    assert {(names[e.source], names[e.target]) for e in converted.es} == pairs


def test_gexf_reads_back_each_mutual_relationship_once(tmp_path, tiny_graph):
    from network.formats.read import read_data

    tables = read_data(write_gexf(tiny_graph, tmp_path / "g.gexf"))
    assert sorted(tables.relationships["id"]) == sorted(tiny_graph.relationships["id"])


def test_gexf_viz_matches_the_map_style(tmp_path, tiny_graph):
    nodes = nodes_with_metrics(tiny_graph)
    doc = etree.parse(str(write_gexf(tiny_graph, tmp_path / "g.gexf", nodes=nodes, seed=4)))
    positions = seeded_layout(tiny_graph.ids, list(zip(tiny_graph.edges["source"], tiny_graph.edges["target"])), seed=4)
    sizes = dict(zip(nodes["id"], node_sizes(nodes["pagerank"], low=NODE_SIZE_RANGE[0], high=NODE_SIZE_RANGE[1])))
    for element in doc.findall(".//g:node", NS):
        entity = tiny_graph.entities.set_index("id").loc[element.get("id")]
        color = element.find("viz:color", NS)
        assert "#{:02X}{:02X}{:02X}".format(*(int(color.get(c)) for c in "rgb")) == type_color(entity["type"]).upper()
        assert float(element.find("viz:size", NS).get("value")) == pytest.approx(sizes[element.get("id")], abs=1e-3)
        position = element.find("viz:position", NS)
        assert (float(position.get("x")), float(position.get("y"))) == positions[element.get("id")]
        assert element.get("label") == entity["name"]
