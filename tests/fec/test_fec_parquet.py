"""Parquet data folders: `fec ingest --format parquet` writes the CSV folder's twin, and every command reads it alike."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.cli import main
from fec_helpers import FEC, read_rows
from network.contract.load import load_tables, read_csv_table
from network.storage.parquet import csv_to_parquet, read_parquet_table, write_parquet

TABLES = ("entities", "relationships", "sources", "exclusions", "merge_log", "company_totals")


def ingest(out: Path, *extra: str) -> int:
    return main(["fec", "ingest", "--indiv", str(FEC / "itcont.txt"), "--oth", str(FEC / "itoth.txt"),
                 "--pas2", str(FEC / "itpas2.txt"), "--cm", str(FEC / "cm.txt"), "--cn", str(FEC / "cn.txt"),
                 "--ccl", str(FEC / "ccl.txt"), "--quiet", "--out", str(out), *extra])


@pytest.fixture(scope="module")
def twins(tmp_path_factory) -> tuple[Path, Path]:
    """The fixtures ingested twice on DuckDB, every donor kept, as CSV and as Parquet."""
    root = tmp_path_factory.mktemp("twins")
    assert ingest(root / "csv") == 0
    assert ingest(root / "parquet", "--format", "parquet") == 0
    return root / "csv", root / "parquet"


def test_the_parquet_folder_holds_every_table_cell_for_cell(twins):
    text, parquet = twins
    assert sorted(p.name for p in parquet.iterdir()) == sorted(
        [f"{name}.parquet" for name in TABLES] + ["schema.toml", "ingest_summary.json"])
    assert (parquet / "schema.toml").read_bytes() == (text / "schema.toml").read_bytes()
    for name in TABLES:
        header = tuple(read_rows(text / f"{name}.csv")[0]) if read_rows(text / f"{name}.csv") else ()
        from_csv, problems = read_csv_table(text / f"{name}.csv", header)
        from_parquet, more = read_parquet_table(parquet / f"{name}.parquet", header)
        assert problems == more == []
        assert from_csv.reset_index(drop=True).equals(from_parquet.reset_index(drop=True)), name
        assert len(from_parquet) > 0, name


def test_ids_are_text_and_amounts_exact_decimals(twins):
    text, parquet = twins
    schema = pq.read_schema(parquet / "relationships.parquet")
    assert schema.field("id").type == pa.string() and schema.field("source").type == pa.string()
    assert schema.field("amount_usd").type == pa.decimal128(38, 0)  # the fixtures' amounts are whole dollars
    stored = pq.read_table(parquet / "relationships.parquet").column("amount_usd").to_pylist()
    written = [row["amount_usd"] for row in read_rows(text / "relationships.csv")]
    assert [None if not cell else Decimal(cell) for cell in written] == stored
    assert sum(1 for cell in written if cell) > 20


def test_csv_to_parquet_keeps_cents_quotes_and_lines(tmp_path):
    """Whole dollars and cents in one column, a formula-quoted cell and a cell over two lines, as the CSV reader reads them."""
    source = tmp_path / "relationships.csv"
    source.write_text('id,amount_usd,evidence\nr1,1500,"line one\nline two"\nr2,1500.50,\'=HYPERLINK(1)\n'
                      'r3,,"a, ""quoted"" b"\nr4,0.07,\'\'-x\n', encoding="utf-8")
    assert csv_to_parquet(source, tmp_path / "relationships.parquet") == 4
    table = pq.read_table(tmp_path / "relationships.parquet")
    assert table.schema.field("amount_usd").type == pa.decimal128(38, 2)
    assert table.column("amount_usd").to_pylist() == [Decimal("1500.00"), Decimal("1500.50"), None, Decimal("0.07")]
    assert table.column("evidence").to_pylist() == ["line one\nline two", "=HYPERLINK(1)", 'a, "quoted" b', "'-x"]
    from_csv, _ = read_csv_table(source, ("id", "amount_usd", "evidence"))
    from_parquet, _ = read_parquet_table(tmp_path / "relationships.parquet", ("id", "amount_usd", "evidence"))
    assert from_parquet.reset_index(drop=True).equals(from_csv.reset_index(drop=True))
    assert from_parquet["amount_usd"].tolist() == ["1500", "1500.50", "", "0.07"]


def test_the_summary_names_the_parquet_files(twins):
    import json

    text, parquet = twins
    summary = json.loads((parquet / "ingest_summary.json").read_text(encoding="utf-8"))
    csv_summary = json.loads((text / "ingest_summary.json").read_text(encoding="utf-8"))
    assert summary["parameters"]["format"] == "parquet" and csv_summary["parameters"]["format"] == "csv"
    assert summary["outputs"] == {name.replace(".csv", ".parquet"): rows for name, rows in csv_summary["outputs"].items()}
    assert summary["rows"] == csv_summary["rows"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_run_on_the_parquet_twin_writes_the_same_outputs(twins, tmp_path, capsys):
    """The acceptance point: byte-identical outputs, except where the provenance names the input files.

    run.json, report.md, report.html, map.html, maps/*.html, graph.gexf, graph.graphml and graph.json record each
    input's path and SHA-256 (run.json also the other outputs' hashes); with the Parquet files' paths and hashes
    replaced by the CSV files' they are identical too. run-timings.json holds wall-clock times and is left out
    (it differs between two runs on one folder).
    """
    text, parquet = twins
    assert main(["run", "--data", str(text), "--out", str(tmp_path / "from-csv")]) == 0
    assert main(["run", "--data", str(parquet), "--out", str(tmp_path / "from-parquet")]) == 0
    printed = capsys.readouterr().out
    assert "communities" in printed
    replace = {str(parquet / "schema.toml"): str(text / "schema.toml")}
    for name in ("entities", "relationships", "sources"):
        replace[str(parquet / f"{name}.parquet")] = str(text / f"{name}.csv")
        replace[_sha(parquet / f"{name}.parquet")] = _sha(text / f"{name}.csv")
    files = sorted(p.relative_to(tmp_path / "from-csv") for p in (tmp_path / "from-csv").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "from-parquet") for p in (tmp_path / "from-parquet").rglob("*") if p.is_file())
    recording = set()
    for name in sorted(files, key=lambda p: p.name == "run.json"):  # run.json, which hashes the others, last
        if name.name == "run-timings.json":
            continue
        expected, found = (tmp_path / "from-csv" / name).read_bytes(), (tmp_path / "from-parquet" / name).read_bytes()
        if expected != found:
            recording.add(str(name))
            # run.json lists the outputs' hashes: those of files that differ only by the inputs they record
            replace[hashlib.sha256(found).hexdigest()] = hashlib.sha256(expected).hexdigest()
            for old, new in replace.items():
                found = found.replace(old.encode(), new.encode())
        assert found == expected, name
    assert {"run.json", "report.md", "nodes.csv", "edges.csv"} & recording == {"run.json", "report.md"}
    assert len(files) > 15


def test_export_parquet_reads_back_as_the_same_graph(twins, tmp_path, capsys):
    text, _ = twins
    out = tmp_path / "exported"
    assert main(["export", "--data", str(text), "--format", "parquet", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["entities.parquet", "export.json", "relationships.parquet",
                                                      "schema.toml", "sources.parquet"]
    assert main(["export", "--data", str(text), "--format", "relationships", "--out", str(tmp_path / "a.csv")]) == 0
    assert main(["export", "--data", str(out), "--format", "relationships", "--out", str(tmp_path / "b.csv")]) == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert "wrote" in capsys.readouterr().out


def test_a_folder_with_both_csv_and_parquet_is_refused(twins, tmp_path, capsys):
    import shutil

    _, parquet = twins
    folder = tmp_path / "both"
    shutil.copytree(parquet, folder)
    (folder / "entities.csv").write_text("id,name,type\n", encoding="utf-8")
    tables = load_tables(folder)
    assert [p.problem for p in tables.problems] == ["the folder holds both entities.csv and entities.parquet"]
    assert main(["validate", "--data", str(folder)]) == 1
    assert f"{folder / 'entities.parquet'}: (file): the folder holds both" in capsys.readouterr().err


def test_ingest_will_not_write_one_format_beside_the_other(twins, tmp_path, capsys):
    import shutil

    text, _ = twins
    folder = tmp_path / "again"
    shutil.copytree(text, folder)
    before = sorted(p.name for p in folder.iterdir())
    assert ingest(folder, "--format", "parquet") == 1
    assert "already holds entities.csv" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == before


def test_amounts_typed_by_other_tools_read_as_the_same_text(tmp_path):
    """A decimal(10,2), an int64 and a text amount column give the cells a CSV file of the same dollars gives."""
    base = {"id": ["r1", "r2", "r3"], "source": ["a"] * 3, "target": ["b"] * 3}
    for kind, values, expected in (
            (pa.decimal128(10, 2), [Decimal("1500.00"), Decimal("20.50"), None], ["1500", "20.50", ""]),
            (pa.int64(), [1500, 20, None], ["1500", "20", ""]),
            (pa.string(), [" 1500 ", "20.5", None], ["1500", "20.5", ""])):
        path = tmp_path / "r.parquet"
        pq.write_table(pa.table({**{k: pa.array(v) for k, v in base.items()}, "amount_usd": pa.array(values, kind)}), path)
        frame, problems = read_parquet_table(path, ("id", "amount_usd"))
        assert problems == [] and frame["amount_usd"].tolist() == expected, kind
        assert frame.index.tolist() == [1, 2, 3]


def test_write_parquet_keeps_every_decimal(tmp_path):
    frame = pd.DataFrame({"id": ["r1", "r2", "r3", "r4"], "amount_usd": ["999999999999999", "0.125", "", "7"]})
    write_parquet(frame, tmp_path / "r.parquet")
    assert pq.read_schema(tmp_path / "r.parquet").field("amount_usd").type == pa.decimal128(38, 3)
    back, _ = read_parquet_table(tmp_path / "r.parquet", ("id",))
    assert back["amount_usd"].tolist() == ["999999999999999", "0.125", "", "7"]
    # a cell that is not a plain number keeps the column as text, cell for cell
    write_parquet(frame.assign(amount_usd=["25,000", "1e3", "", "7"]), tmp_path / "t.parquet")
    assert pq.read_schema(tmp_path / "t.parquet").field("amount_usd").type == pa.string()
    assert read_parquet_table(tmp_path / "t.parquet", ("id",))[0]["amount_usd"].tolist() == ["25,000", "1e3", "", "7"]


def test_cells_are_stripped_as_python_strips_them_and_blank_rows_skipped(tmp_path):
    names = ["\u3000Ada\x1f", None, "  ", "Grace\u00a0", "x\ty"]
    ids = ["a", None, "", "b", " c "]
    pq.write_table(pa.table({"id": pa.array(ids, pa.string()), "name": pa.array(names, pa.string())}), tmp_path / "e.parquet")
    frame, problems = read_parquet_table(tmp_path / "e.parquet", ("id", "name"))
    assert problems == []
    assert frame.index.tolist() == [1, 4, 5]  # rows 2 and 3 are blank; the others keep their numbers
    assert frame["name"].tolist() == ["Ada", "Grace", "x\ty"] == [n.strip() for n in names if n and n.strip()]
    assert frame["id"].tolist() == ["a", "b", "c"]


def test_pandas_categories_and_many_row_groups_read_alike(tmp_path):
    """Dictionary-encoded columns (a pandas category) and several row groups, each with its own dictionary."""
    types = ["person", "pac", "person", " campaign ", None] * 3
    frame = pd.DataFrame({"id": [f"e{i:02d}" for i in range(15)], "type": pd.Categorical(types)})
    frame.to_parquet(tmp_path / "e.parquet", engine="pyarrow", index=False, row_group_size=4)
    assert pa.types.is_dictionary(pq.read_schema(tmp_path / "e.parquet").field("type").type)
    assert pq.ParquetFile(tmp_path / "e.parquet").num_row_groups == 4
    read, problems = read_parquet_table(tmp_path / "e.parquet", ("id", "type"))
    assert problems == [] and read.index.tolist() == list(range(1, 16))
    assert read["type"].tolist() == ["" if t is None else t.strip() for t in types]
    plain = tmp_path / "p.parquet"
    pq.write_table(pa.table({"id": [f"x{i % 3}" for i in range(10)]}), plain, row_group_size=3)
    assert read_parquet_table(plain, ("id",))[0]["id"].tolist() == [f"x{i % 3}" for i in range(10)]
