"""`influence fec ingest` end to end: the output passes network.contract.validate and builds a graph."""

from __future__ import annotations

import argparse
import io
import time

import pytest

from analysis.commands import fec
from fec_helpers import FEC
from network.graph import build_influence_graph
from network.contract.load import load_tables
from network.contract.schema import load_schema
from network.contract.validate import validate_tables, validated_tables


def parse(argv: list[str]) -> argparse.Namespace:
    """A fresh `influence` parser with only the fec command registered (the lead adds it to analysis.cli)."""
    parser = argparse.ArgumentParser(prog="influence")
    fec.register(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    return parser.parse_args(argv)


def inputs(*extra: str) -> list[str]:
    return ["fec", "ingest", "--indiv", str(FEC / "itcont.txt"), "--oth", str(FEC / "itoth.txt"),
            "--pas2", str(FEC / "itpas2.txt"), "--cm", str(FEC / "cm.txt"), "--cn", str(FEC / "cn.txt"),
            "--ccl", str(FEC / "ccl.txt"), "--quiet", *extra]


def test_ingest_writes_a_data_folder_that_validates(tmp_path, capsys):
    out = tmp_path / "fec-out"
    args = parse(inputs("--out", str(out)))
    assert args.handler(args) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == f"wrote {out / 'entities.csv'} (36 entities)"
    assert printed[1] == f"wrote {out / 'relationships.csv'} (38 relationships)"
    assert f"wrote {out / 'exclusions.csv'} (25 lines left out, with file, line and reason)" in printed
    assert any(line.startswith("indiv: 39 lines read, 25 counted; malformed: bad_amount 1") for line in printed)
    tables = load_tables(out)
    assert tables.paths["schema"] == out / "schema.toml"  # the folder's own schema, with `oppose`
    schema = load_schema(tables.paths["schema"])
    assert validate_tables(tables, schema) == []
    graph = build_influence_graph(validated_tables(tables, schema), schema)
    assert graph.graph.vcount() == 36
    assert set(graph.relationships["type"]) == {"donation", "spending", "oppose", "employee", "leadership", "beneficiary"}


def test_tech_ingest_validates_too(tmp_path, capsys):
    out = tmp_path / "tech"
    args = parse(inputs("--out", str(out), "--tech"))
    assert args.handler(args) == 0
    assert "filtered: not_tech_donor 13" in capsys.readouterr().out
    tables = load_tables(out)
    assert validate_tables(tables, load_schema(tables.paths["schema"])) == []


def test_spark_without_java_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    args = parse(inputs("--out", str(tmp_path / "out"), "--engine", "spark"))
    assert args.handler(args) == 1
    error = capsys.readouterr().err
    assert error.startswith("influence: error: --engine spark needs a Java 17+ runtime")
    assert not (tmp_path / "out").exists()


def test_bad_data_is_reported_with_file_and_line(tmp_path, capsys):
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("action,name_key,zip5,target_name_key,target_zip5\nsplit,A,12345,,\n", encoding="utf-8")
    args = parse(inputs("--out", str(tmp_path / "out"), "--overrides", str(overrides)))
    assert args.handler(args) == 1
    assert f"{overrides}:2: action: unknown action" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_help_ends_with_an_example(capsys):
    with pytest.raises(SystemExit):
        parse(["fec", "ingest", "--help"])
    text = capsys.readouterr().out
    assert "example:" in text and "influence fec ingest --indiv" in text and "--spark-master" in text


def test_progress_line_shows_rows_per_second(tmp_path):
    from network.fec.progress import Progress

    stream = io.StringIO()
    progress = Progress(stream, enabled=True, interval=0.01)
    with progress.step("tx", lambda: 0.5, total_rows=1000):
        time.sleep(0.05)
    text = stream.getvalue()
    assert "fec ingest: tx 50.0%  500 of 1,000 rows" in text
    assert "fec ingest: tx done in" in text and "rows/s" in text
    quiet = io.StringIO()
    with Progress(quiet, enabled=False).step("tx", lambda: 0.5, total_rows=1000):
        pass
    assert quiet.getvalue() == ""


def test_run_on_the_ingest_output_writes_maps_and_metrics(tmp_path, capsys):
    """The acceptance point: `influence run --data <ingest output>` gives maps and metrics of the FEC graph."""
    import csv
    import json

    from analysis.cli import main

    data, out = tmp_path / "fec-out", tmp_path / "run"
    assert main([*inputs("--out", str(data))]) == 0
    assert main(["run", "--data", str(data), "--out", str(out)]) == 0
    capsys.readouterr()
    with open(out / "nodes.csv", encoding="utf-8", newline="") as handle:
        nodes = list(csv.DictReader(handle))
    with open(data / "entities.csv", encoding="utf-8", newline="") as handle:
        entities = {row["id"] for row in csv.DictReader(handle)}
    assert {row["id"] for row in nodes} == entities
    assert {"pagerank", "betweenness", "community"} <= set(nodes[0])
    assert all(row["pagerank"] not in ("", "nan") for row in nodes)
    for page in ("map.html", "maps/money.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert "vis-network" in text or "vis.Network" in text
        assert "<script src=" not in text  # self-contained
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert str(data / "entities.csv") in json.dumps(record)
