import pytest

from analysis import cli
from analysis.commands import export, import_edges
from tests.conftest import BAD, TINY


@pytest.fixture
def main(monkeypatch, tmp_path):
    """`analysis.cli.main` with `export` and `import-edges` registered (until cli.COMMANDS lists them), run in tmp_path."""
    missing = tuple(module for module in (export, import_edges) if module not in cli.COMMANDS)
    monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, *missing))
    monkeypatch.chdir(tmp_path)
    return cli.main


@pytest.mark.parametrize("export_format, name", [
    ("csv", "edges.csv"), ("relationships", "relationships.csv"), ("nodes", "nodes.csv"), ("gexf", "graph.gexf"),
    ("graphml", "graph.graphml"), ("json", "graph.json"), ("ftm", "graph.ftm.json"),
])
def test_export_writes_one_file_with_a_default_name(main, capsys, tmp_path, export_format, name):
    assert main(["export", "--format", export_format, "--data", str(TINY)]) == 0
    assert capsys.readouterr().out == f"wrote outputs/{name} (6 entities, 6 edges)\n"
    assert (tmp_path / "outputs" / name).stat().st_size > 0


def test_export_filters_and_names_the_file_after_them(main, capsys, tmp_path):
    assert main(["export", "--format", "gexf", "--data", str(TINY), "--layer", "money", "--min-amount-usd", "500000",
                 "--seed", "2"]) == 0
    assert capsys.readouterr().out == "wrote outputs/graph-money-min500000-seed2.gexf (3 entities, 2 edges)\n"
    assert main(["export", "--format", "csv", "--data", str(TINY), "--status", "planned", "--out", "x/planned.csv"]) == 0
    assert capsys.readouterr().out == "wrote x/planned.csv (2 entities, 1 edges)\n"
    assert (tmp_path / "x" / "planned.csv").read_text(encoding="utf-8").count("\n") == 2


def test_export_reads_its_own_exports_back(main, capsys, tmp_path):
    assert main(["export", "--format", "graphml", "--data", str(TINY), "--out", "g.graphml"]) == 0
    assert main(["export", "--format", "relationships", "--data", "g.graphml", "--out", "back.csv"]) == 0
    assert main(["export", "--format", "relationships", "--data", str(TINY), "--out", "direct.csv"]) == 0
    assert (tmp_path / "back.csv").read_bytes() == (tmp_path / "direct.csv").read_bytes()
    assert capsys.readouterr().out.splitlines()[1] == "wrote back.csv (6 entities, 6 edges)"


def test_export_from_a_file_names_it_in_the_provenance(main, tmp_path):
    import json

    assert main(["export", "--format", "graphml", "--data", str(TINY), "--out", "g.graphml"]) == 0
    assert main(["export", "--format", "json", "--data", "g.graphml", "--out", "g.json"]) == 0
    meta = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["graph"]["meta"]
    assert meta["command"] == "export" and meta["parameters"] == {"format": "json", "seed": 0}
    assert {name: value["path"] for name, value in meta["inputs"].items()} == {
        "entities": "g.graphml", "relationships": "g.graphml", "sources": "g.graphml", "schema": "bundled:schema.toml"}
    assert meta["counts"] == {"edges": 6, "entities": 6, "relationships": 8, "sources": 2}


def test_export_is_byte_identical_for_the_same_seed(main, tmp_path):
    for name in ("a.json", "b.json"):
        assert main(["export", "--format", "json", "--seed", "7", "--out", name]) == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_export_errors_are_one_line_without_traceback(main, capsys):
    assert main(["export", "--format", "csv", "--data", str(TINY), "--layer", "gossip"]) == 1
    assert capsys.readouterr().err.startswith("influence: error: unknown layer gossip; expected one of")
    assert main(["export", "--format", "csv", "--data", str(TINY), "--layer", "money", "--min-amount-usd", "1e12"]) == 1
    assert capsys.readouterr().err == "influence: error: no relationship passes the filters; nothing to export\n"
    assert main(["export", "--format", "csv", "--data", str(BAD / "bad_amount")]) == 1
    assert "relationships.csv:5: amount_usd: not a number (found 'n/a'" in capsys.readouterr().err


def test_export_help_ends_with_an_example(main, capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert "example:\n  $ influence export --format gexf" in capsys.readouterr().out


def test_import_edges_reports_and_writes_a_data_folder(main, capsys, tmp_path):
    (tmp_path / "gifts.csv").write_text(
        "From,To,USD,When,Link\n"
        "Alpha Fund,Beta PAC,\"$2,500\",2024-03-05,https://example.org/a\n"
        "Alpha Fund,,1,2024,\n"
        "Alpha Fund,Gamma Campaign,lots,2024,\n"
        "Delta Corp,Beta PAC,100,2024-04,\n", encoding="utf-8")
    assert main(["import-edges", "gifts.csv", "--source-col", "From", "--target-col", "To", "--amount-col", "USD",
                 "--date-col", "When", "--source-col-url", "Link", "--out", "mine"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "read 4 rows from gifts.csv",
        "created 3 entities, matched 0 existing",
        "imported 2 relationships citing 2 new sources",
        "skipped 2 rows:",
        "  gifts.csv:3: To: empty name (found '', expected an entity name)",
        "  gifts.csv:4: USD: not a non-negative number (found 'lots', expected dollars, like 25000 or $25,000, or n/a when unknown)",
        "wrote mine/entities.csv (3 entities)",
        "wrote mine/relationships.csv (2 relationships)",
        "wrote mine/sources.csv (2 sources)",
    ]
    assert main(["validate", "--data", "mine"]) == 0
    assert main(["export", "--format", "csv", "--data", "mine", "--out", "e.csv"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "wrote e.csv (3 entities, 2 edges)"


def test_import_edges_writes_nothing_when_no_row_is_good(main, capsys, tmp_path):
    (tmp_path / "bad.csv").write_text("a,b\nx,x\n", encoding="utf-8")
    assert main(["import-edges", "bad.csv", "--source-col", "a", "--target-col", "b", "--out", "mine"]) == 1
    captured = capsys.readouterr()
    assert "  bad.csv:2: b: source and target are the same entity" in captured.out
    assert captured.err == "influence: error: no row of bad.csv could be imported; nothing written\n"
    assert not (tmp_path / "mine").exists()


def test_import_edges_unknown_column(main, capsys, tmp_path):
    (tmp_path / "e.csv").write_text("a,b\nx,y\n", encoding="utf-8")
    assert main(["import-edges", "e.csv", "--source-col", "a", "--target-col", "to", "--out", "mine"]) == 1
    assert capsys.readouterr().err == "influence: error: e.csv: no column 'to'; the header has a, b\n"


def test_import_edges_cli_maps_columns_and_reports_notes_and_duplicates(main, capsys, tmp_path):
    (tmp_path / "gifts.csv").write_text(
        "Giver;Type;Recipient;USD;When\n"
        "Musk, Elon;person;America PAC;43600000;10/16/2024\n"
        "Jane Roe;person;America PAC;n/a;11/01/2024\n", encoding="utf-8")
    assert main(["import-edges", "gifts.csv", "--source-col", "Giver", "--source-type-col", "Type",
                 "--target-col", "Recipient", "--amount-col", "USD", "--date-col", "When", "--date-format", "us",
                 "--data", str(__import__("network.contract.schema", fromlist=["x"]).default_data_dir()),
                 "--out", "mine"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "read 2 rows from gifts.csv (delimiter ';' detected)"
    assert "imported with a note, 1:" in out
    assert "  gifts.csv:3: USD: amount unknown: tie kept without an amount (found 'n/a')" in out
    assert any(line.startswith("skipped 1 rows (1 repeating relationships of ") for line in out)
    assert any(line.startswith("  gifts.csv:2: (row): repeats relationship r001 of the existing data") for line in out)
    assert main(["validate", "--data", "mine"]) == 0
