import math

import pandas as pd
import pytest

from network.formats.export import (
    EXPORT_FORMATS, RUN_FILE_NAMES, edge_list, export_file_name, node_table, relationship_table,
    write_all_exports, write_edge_list_csv, write_export, write_relationships_csv, write_table,
)
from network.storage.files import StagedOutputs
from network.formats import common
from network.formats.common import stable_float


def test_edge_list_has_names_and_sources_per_edge(tiny_graph):
    table = edge_list(tiny_graph)
    money = table[(table["source"] == "alice") & (table["target"] == "pac")].iloc[0]
    assert list(table.columns[:4]) == ["source", "target", "source_name", "target_name"]
    assert (money["source_name"], money["target_name"]) == ("Alice Able", "Able PAC")
    assert money["source_ids"] == "s1;s2"
    assert money["source_titles"] == "Alice funds a PAC;Tech money in 2024"
    assert money["source_urls"] == "https://example.org/a;"  # s2 has no URL
    assert money["amount_usd"] == 1_500_000


def test_relationship_table_is_unaggregated_with_provenance(tiny_graph):
    table = relationship_table(tiny_graph)
    assert table["id"].tolist() == ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"]
    r5 = table.set_index("id").loc["r5"]
    assert (r5["source_name"], r5["source_type"], r5["target_name"], r5["target_type"]) == ("Alice Able", "person", "Acme Corp", "company")
    assert r5["source_publishers"] == "Example Times | Example Post"
    assert r5["source_titles"] == "Alice funds a PAC | Tech money in 2024"
    assert r5["source_published"] == "2024-11-06 | 2024-12"
    assert r5["source_urls"] == "https://example.org/a | "
    assert r5["layer"] == "control" and r5["strength"] == pytest.approx(4.0)
    r3 = table.set_index("id").loc["r3"]
    assert bool(r3["aggregate"]) and r3["amount_qualifier"] == "at_least"


def test_relationships_csv_writes_amounts_exactly(tmp_path, tiny_graph):
    big = tiny_graph.relationships.assign(amount_usd=tiny_graph.relationships["amount_usd"] * 1000 + 0.01)
    graph = type(tiny_graph)(tiny_graph.entities, big, tiny_graph.sources, tiny_graph.edges, tiny_graph.graph,
                             tiny_graph.schema, tiny_graph.weights)
    text = write_relationships_csv(graph, tmp_path / "r.csv").read_text(encoding="utf-8")
    assert ",1000000000.01,exact," in text  # FLOAT_FORMAT (10 digits) would write 1000000000
    assert ",false," in text and ",true," in text


@pytest.mark.parametrize("chunk", [1, 3, 1000])
def test_streamed_csv_matches_the_whole_table(tmp_path, bundled_graph, monkeypatch, chunk):
    monkeypatch.setattr(common, "_CHUNK_ROWS", chunk)
    whole = write_table(edge_list(bundled_graph), tmp_path / "whole.csv").read_bytes()
    assert write_edge_list_csv(bundled_graph, tmp_path / "streamed.csv").read_bytes() == whole
    table = relationship_table(bundled_graph)
    streamed = pd.read_csv(write_relationships_csv(bundled_graph, tmp_path / "r.csv"), keep_default_na=False)
    assert streamed["id"].tolist() == table["id"].tolist()
    assert streamed.columns.tolist() == table.columns.tolist()


def test_export_file_names_follow_format_and_filters():
    assert export_file_name("csv", layers=["money"]) == "edges-money.csv"
    assert export_file_name("relationships", types=["donation", "pledge"]) == "relationships-donation-pledge.csv"
    assert export_file_name("gexf", seed=0) == "graph.gexf"
    assert export_file_name("json", seed=3, statuses=["confirmed"]) == "graph-confirmed-seed3.json"
    assert export_file_name("csv", seed=3) == "edges.csv"  # the seed changes no edge
    assert export_file_name("graphml", since="2024-01", until="2024-12-31", min_amount_usd=2500.5) == \
        "graph-since2024-01-until2024-12-31-min2500.5.graphml"
    with pytest.raises(ValueError, match="unknown export format 'svg'"):
        export_file_name("svg")


def test_write_all_exports_stages_every_format(tmp_path, tiny_graph):
    nodes = node_table(tiny_graph)
    with StagedOutputs() as staged:
        written = write_all_exports(tiny_graph, nodes, staged, tmp_path, {"command": "test"})
        assert not (tmp_path / "graph.gexf").exists()  # nothing lands before the block ends
        assert all(path.is_file() and path.stat().st_size for path in written.values())
    assert sorted(written) == sorted(RUN_FILE_NAMES.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(RUN_FILE_NAMES.values())


def test_failed_block_writes_nothing(tmp_path, tiny_graph):
    with pytest.raises(RuntimeError):
        with StagedOutputs() as staged:
            write_all_exports(tiny_graph, node_table(tiny_graph), staged, tmp_path)
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("export_format", EXPORT_FORMATS)
def test_same_input_and_seed_give_identical_bytes(tmp_path, bundled_graph, export_format):
    from analysis.commands.pipeline import analyze

    first = write_export(bundled_graph, export_format, tmp_path / "a", nodes=analyze(bundled_graph, seed=5)[0],
                         provenance={"seed": 5}, seed=5).read_bytes()
    second = write_export(bundled_graph, export_format, tmp_path / "b", nodes=analyze(bundled_graph, seed=5)[0],
                          provenance={"seed": 5}, seed=5).read_bytes()
    assert first == second
    assert b"\r\n" not in first


def test_stable_float_hides_solver_noise():
    assert stable_float(2.4001128431858975e-17) == 0.0
    assert stable_float(-1e-18) == 0.0 and math.copysign(1, stable_float(-1e-18)) == 1.0
    assert stable_float(0.12703240908830538) == 0.127032409088
    assert stable_float(1234567.25) == 1234567.25
