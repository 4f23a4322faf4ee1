import json

import networkx as nx
import pandas as pd
import pytest

from network.errors import DataError
from network.formats.export import write_export, write_table
from network.graph import build_influence_graph
from network.formats.read import read_data
from network.formats.read import export_kind, read_export
from network.contract.schema import load_schema
from network.contract.validate import validated_tables

LOSSLESS = {"graphml": "g.graphml", "gexf": "g.gexf", "json": "g.json", "ftm": "g.ftm.json", "relationships": "relationships.csv"}


def rebuilt(path):
    """The graph built from an exported file, through the same door as `--data FILE`."""
    tables = read_data(path)
    schema = load_schema(tables.paths["schema"])
    return build_influence_graph(validated_tables(tables, schema), schema)


def assert_same(left, right):
    pd.testing.assert_frame_equal(left.reset_index(drop=True), right.reset_index(drop=True), check_dtype=False)


def with_metrics(graph):
    from analysis.commands.pipeline import analyze

    return analyze(graph, seed=0)[0]


@pytest.mark.parametrize("export_format", sorted(LOSSLESS))
@pytest.mark.parametrize("graph_name", ["tiny_graph", "bundled_graph"])
def test_export_then_import_gives_the_same_graph(tmp_path, request, graph_name, export_format):
    graph = request.getfixturevalue(graph_name)
    nodes = with_metrics(graph)
    path = write_export(graph, export_format, tmp_path / LOSSLESS[export_format], nodes=nodes, provenance={"x": 1})
    if export_format == "relationships":  # entity attributes come from the node table written beside it
        write_table(nodes, tmp_path / "nodes.csv")
    back = rebuilt(path)
    assert_same(back.entities, graph.entities)
    assert_same(back.relationships, graph.relationships)
    assert_same(back.sources, graph.sources)
    assert_same(back.edges, graph.edges)
    assert back.graph.get_edgelist() == graph.graph.get_edgelist()


@pytest.mark.parametrize("export_format", ["graphml", "gexf", "json", "ftm"])
def test_filtered_export_reads_back_as_the_filtered_graph(tmp_path, bundled_graph, export_format):
    money = bundled_graph.filter(layers=["money"], min_amount_usd=1_000_000)
    back = rebuilt(write_export(money, export_format, tmp_path / LOSSLESS[export_format]))
    assert_same(back.entities, money.entities)
    assert_same(back.relationships, money.relationships)
    assert_same(back.edges, money.edges)
    cited = sorted({s for ids in money.relationships["source_ids"] for s in ids.split(";")})
    assert set(cited) <= set(back.sources["id"])  # GEXF carries the cited sources; the others carry all


def test_relationships_csv_without_its_node_table_keeps_names_and_types(tmp_path, tiny_graph):
    back = rebuilt(write_export(tiny_graph, "relationships", tmp_path / "relationships-x.csv"))
    assert_same(back.entities[["id", "name", "type"]], tiny_graph.entities[["id", "name", "type"]])
    assert set(back.entities["aliases"]) == {""}
    assert_same(back.relationships, tiny_graph.relationships)
    assert_same(back.sources, tiny_graph.sources)
    assert_same(back.edges, tiny_graph.edges)


def test_edge_list_reads_back_one_relationship_per_edge(tmp_path, tiny_graph):
    write_table(with_metrics(tiny_graph), tmp_path / "nodes-x.csv")
    back = rebuilt(write_export(tiny_graph, "csv", tmp_path / "edges-x.csv"))
    assert_same(back.entities, tiny_graph.entities)
    kept = ["source", "target", "layer", "directed", "types", "strength", "cost", "amount_usd", "stated_total_usd",
            "first_date", "last_date", "status", "source_ids"]
    assert_same(back.edges[kept], tiny_graph.edges[kept])
    # alice -> pac merged r1, r2 and the aggregate r3: read back as one counted and one stated total
    assert back.relationships.set_index("id").loc[["r1", "r3"], "aggregate"].tolist() == [False, True]
    assert set(back.sources["title"]) == set(tiny_graph.sources["title"])


def test_edge_list_of_the_bundled_data_keeps_endpoints_amounts_and_sources(tmp_path, bundled_graph):
    back = rebuilt(write_export(bundled_graph, "csv", tmp_path / "edges-x.csv"))
    kept = ["source", "target", "layer", "directed", "amount_usd", "stated_total_usd", "first_date", "last_date",
            "status", "source_ids"]
    assert_same(back.edges[kept], bundled_graph.edges[kept])
    assert set(back.entities["type"]) == {"organization"}  # no node table beside it
    single = (bundled_graph.edges["relationship_count"] == 1).to_numpy()
    assert back.edges["strength"][single].tolist() == pytest.approx(bundled_graph.edges["strength"][single].tolist())


def test_export_kind_by_name_and_content(tmp_path, tiny_graph):
    assert export_kind(write_export(tiny_graph, "ftm", tmp_path / "plain.json")) == "ftm"
    assert export_kind(write_export(tiny_graph, "json", tmp_path / "g.json")) == "json"
    assert export_kind(write_export(tiny_graph, "csv", tmp_path / "a.csv")) == "csv"
    assert export_kind(write_export(tiny_graph, "relationships", tmp_path / "b.csv")) == "relationships"
    assert export_kind(write_export(tiny_graph, "nodes", tmp_path / "c.csv")) == "nodes"
    (tmp_path / "d.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="neither an edge list nor a relationships table"):
        export_kind(tmp_path / "d.csv")
    with pytest.raises(ValueError, match="cannot read this kind of file"):
        export_kind(tmp_path / "g.svg")
    with pytest.raises(ValueError, match="a node table has no relationships"):
        read_export(tmp_path / "c.csv")


def test_broken_xml_is_reported_with_its_line(tmp_path, tiny_graph):
    path = write_export(tiny_graph, "graphml", tmp_path / "g.graphml")
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines) if '<node id="bob">' in line)
    lines[broken] = lines[broken].replace("</node>", "</nod>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tables = read_data(path)
    assert [(p.line, p.column) for p in tables.problems] == [(broken + 1, "(xml)")]


def test_bad_values_in_an_export_point_at_the_file_line(tmp_path, tiny_graph):
    path = write_export(tiny_graph, "json", tmp_path / "g.json")
    text = path.read_text(encoding="utf-8").replace('"amount_usd": 500000.0', '"amount_usd": "n/a"')
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if '"id": "r2"' in row and '"n/a"' in row)
    with pytest.raises(DataError, match=rf"g\.json:{line}: amount_usd: not a number"):
        rebuilt(path)


def test_foreign_graphml_gives_one_relationship_per_edge(tmp_path):
    foreign = nx.DiGraph()
    foreign.add_node("a", label="Alpha Fund", type="fund")
    foreign.add_node("b", label="Beta PAC", type="pac")
    foreign.add_edge("a", "b", types="donation", amount_usd=5000.0, source_ids="s1", status="confirmed", layer="money")
    nx.write_graphml(foreign, tmp_path / "foreign.graphml")
    tables = read_data(tmp_path / "foreign.graphml")
    assert tables.entities[["id", "name", "type"]].values.tolist() == [["a", "Alpha Fund", "fund"], ["b", "Beta PAC", "pac"]]
    assert tables.relationships[["source", "target", "type", "amount_usd", "aggregate"]].values.tolist() == [
        ["a", "b", "donation", "5000.0", "false"]]


def test_networkx_node_link_graph_reads_our_json(tmp_path, tiny_graph):
    data = json.loads(write_export(tiny_graph, "json", tmp_path / "g.json").read_text(encoding="utf-8"))
    graph = nx.node_link_graph(data, edges="links")
    assert graph.number_of_nodes() == 6 and graph.number_of_edges() == 6
    assert graph.nodes["alice"]["color"] == "#E69F00"
    assert data["graph"]["entity_columns"] == ["id", "name", "type", "name_ar", "aliases", "description", "identifiers"]
    assert [link["amount_usd"] for link in data["links"]][:2] == [None, None]  # NaN is null
