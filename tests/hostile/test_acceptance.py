"""The named cases of issue 13, each checked against a hand-worked expected result.

Each of these failed before the change (run against main: see docs/security.md).
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

from analysis.cli import main
from corpus import BUNDLED_SCHEMA, TINY, XLSX_ROWS, xlsx_bytes

IMPORT = ["--source-col", "Donor", "--target-col", "Recipient", "--amount-col", "Amount"]


def _relationships(folder: Path) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in csv.DictReader(open(folder / "relationships.csv", encoding="utf-8"))}


def test_unquoted_million_is_reported_by_line_not_imported_as_one_dollar(tmp_path, capsys):
    path = tmp_path / "gifts.csv"
    path.write_text("Donor,Recipient,Amount\nAlice Doe,Bob PAC,$1,000,000\nCarol Doe,Dan PAC,2500\n", encoding="utf-8")
    assert main(["import-edges", str(path), *IMPORT, "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert f"{path}:2: (row): more cells than the header" in out
    assert "read 2 rows" in out and "imported 1 relationships" in out and "skipped 1 rows" in out
    assert {k: r["amount_usd"] for k, r in _relationships(tmp_path / "out").items()} == {"gifts-3": "2500"}


def test_xlsx_with_an_understated_dimension_is_read_whole(tmp_path, capsys):
    path = tmp_path / "gifts.xlsx"
    path.write_bytes(xlsx_bytes(XLSX_ROWS, dimension="A1:C2"))  # claims one data row; six are there
    assert main(["import-edges", str(path), *IMPORT, "--out", str(tmp_path / "out")]) == 0
    assert "read 6 rows" in capsys.readouterr().out
    amounts = {k: r["amount_usd"] for k, r in _relationships(tmp_path / "out").items()}
    assert amounts == {f"gifts-{n + 1}": str(1000 * n) for n in range(1, 7)}


def test_formula_without_a_saved_value_is_reported_not_read_as_blank(tmp_path, capsys):
    # arithmetic on numbers is evaluated (issue 15); a formula that needs other cells is reported by line, never blank
    path = tmp_path / "gifts.xlsx"
    path.write_bytes(xlsx_bytes([XLSX_ROWS[0], ["Alice", "Bob PAC", "=5500000*2"], ["Carol", "Bob PAC", "=C2+D9"]]))
    assert main(["import-edges", str(path), *IMPORT, "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr()
    assert f"{path}:3: " in printed.out + printed.err and "=C2+D9" in printed.out + printed.err
    amounts = {r["source"]: r["amount_usd"] for r in _relationships(tmp_path / "out").values()}
    assert amounts == {"alice": "11000000"}


def _tiny_with(tmp_path: Path, column: str, value: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    path = data / "relationships.csv"
    rows = list(csv.reader(open(path, encoding="utf-8")))
    rows[1][rows[0].index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return data


def test_underscore_amount_is_refused_with_file_and_line(tmp_path, capsys):
    data = _tiny_with(tmp_path, "amount_usd", "1_000")
    assert main(["validate", "--data", str(data)]) == 1
    assert f"{data / 'relationships.csv'}:2: amount_usd: not a number (found '1_000'" in capsys.readouterr().err


def test_arabic_indic_date_is_a_date_for_the_filters(tmp_path, capsys):
    data = _tiny_with(tmp_path, "start_date", "٢٠٢٣-٠٦")
    rows = list(csv.reader(open(data / "relationships.csv", encoding="utf-8")))
    rows[1][rows[0].index("end_date")] = "٢٠٢٣-٠٦"
    with open(data / "relationships.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    out = tmp_path / "r.csv"
    # r1 (alice -> pac, line 2) now dated June 2023: kept by a 2023 window, dropped by a 2024 one
    assert main(["export", "--data", str(data), "--format", "relationships", "--since", "2023-06", "--until", "2023-06",
                 "--out", str(out)]) == 0
    kept = {row["id"]: row for row in csv.DictReader(open(out, encoding="utf-8"))}
    assert "r1" in kept and kept["r1"]["start_date"] == "2023-06" and kept["r1"]["end_date"] == "2023-06"
    assert main(["export", "--data", str(data), "--format", "relationships", "--since", "2024-01",
                 "--out", str(out)]) == 0
    assert "r1" not in {row["id"] for row in csv.DictReader(open(out, encoding="utf-8"))}


def test_infinite_default_strength_is_refused_with_file_and_line(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    (data / "schema.toml").write_text(BUNDLED_SCHEMA.replace("default_strength = 3.0", "default_strength = inf", 1),
                                      encoding="utf-8")
    assert main(["run", "--data", str(data), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{data / 'schema.toml'}:72: relationship_types.donation.default_strength: not a positive number (found 'inf'" in err
    assert not (tmp_path / "out").exists()


def test_formula_names_are_neutralized_in_csv_and_restored_on_read_back(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    name = '=HYPERLINK("http://evil.example","click")'
    path = data / "entities.csv"
    rows = list(csv.reader(open(path, encoding="utf-8")))
    rows[1][1] = name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    assert main(["run", "--data", str(data), "--out", str(tmp_path / "out")]) == 0
    for written in ("nodes.csv", "edges.csv", "relationships.csv"):
        cells = [cell for row in csv.reader(open(tmp_path / "out" / written, encoding="utf-8")) for cell in row]
        assert "'" + name in cells and name not in cells, written
    from network.formats.read import read_data
    assert name in set(read_data(tmp_path / "out" / "relationships.csv").entities["name"])


def test_min_amount_nan_is_refused(capsys):
    assert main(["centrality", "--min-amount-usd", "nan"]) == 1
    assert "--min-amount-usd: not an amount of dollars: 'nan'" in capsys.readouterr().err


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
            for p in sorted(folder.rglob("*"))}


def test_a_failing_run_leaves_an_existing_output_folder_byte_identical(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", "--data", str(TINY), "--out", str(out), "--seed", "3"]) == 0
    (out / "report.md").unlink()
    (out / "report.md").mkdir()  # the last file cannot be put in place: everything must stay as it was
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = _hashes(out)
    assert main(["run", "--data", str(TINY), "--out", str(out), "--seed", "4"]) == 1
    assert "report.md" in capsys.readouterr().err
    assert _hashes(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_a_failing_run_into_a_new_folder_leaves_no_folder(tmp_path, monkeypatch):
    import analysis.commands.run as run_command

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(run_command, "write_report", broken)
    assert main(["run", "--data", str(TINY), "--out", str(tmp_path / "new" / "out")]) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_failing_export_into_a_new_folder_leaves_no_folder(tmp_path, capsys):
    (tmp_path / "new" / "deeper").mkdir(parents=True)
    (tmp_path / "new" / "deeper" / "x.csv").mkdir()  # the target is a folder: replacing it fails
    assert main(["export", "--data", str(TINY), "--format", "csv", "--out", str(tmp_path / "other" / "x.csv")]) == 0
    assert main(["export", "--data", str(TINY), "--format", "csv", "--out", str(tmp_path / "new" / "deeper" / "x.csv")]) == 1
    assert "x.csv" in capsys.readouterr().err
    from network.storage.files import atomic_path
    try:
        with atomic_path(tmp_path / "made" / "for" / "it.txt") as temp:
            temp.write_text("half")
            raise OSError(28, "No space left on device")
    except OSError:
        pass
    assert not (tmp_path / "made").exists()


def test_an_amount_on_a_type_without_money_is_refused_with_file_and_line(tmp_path, capsys):
    # the lead's case: amount_usd on r024 (executive) of the bundled data; and r025 (executive) with a
    # thousands separator, so that one run reports both
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[2] / "data", data)
    path = data / "relationships.csv"
    rows = list(csv.reader(open(path, encoding="utf-8")))
    lines = {row[0]: number for number, row in enumerate(rows, start=1)}
    for rel_id, amount in (("r024", "5000"), ("r025", "1,000")):
        row = rows[lines[rel_id] - 1]
        assert row[rows[0].index("type")] == "executive"
        row[rows[0].index("amount_usd")] = amount
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    assert main(["validate", "--data", str(data)]) == 1
    err = capsys.readouterr().err.splitlines()
    expected = "expected empty, or a money type (contract, donation, gift, in_kind, pledge, spending))"
    assert err == ["2 problems in the data",
                   f"{path}:{lines['r024']}: amount_usd: an amount on type 'executive', which carries no money "
                   f"(found '5000', {expected}",
                   f"{path}:{lines['r025']}: amount_usd: an amount on type 'executive', which carries no money "
                   f"(found '1,000', {expected}"]
