"""Commands that write a folder (fec ingest, fec filing, merge) fail whole: an existing --out is left
byte-identical and a new one is not left behind; what they write is neutralized and reads back exactly."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from analysis.cli import main
from network.contract.load import load_tables

ROOT = Path(__file__).resolve().parents[1]
FEC = ROOT / "fixtures" / "fec"
TINY = ROOT / "fixtures" / "tiny"


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its bytes (None for a folder)."""
    return {str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes()) for p in sorted(folder.rglob("*"))}


def fec_ingest(out: Path) -> list[str]:
    return ["fec", "ingest", "--indiv", str(FEC / "itcont.txt"), "--cm", str(FEC / "cm.txt"), "--cn", str(FEC / "cn.txt"),
            "--ccl", str(FEC / "ccl.txt"), "--out", str(out), "--quiet"]


def fec_filing(out: Path) -> list[str]:
    return ["fec", "filing", str(FEC / "filings" / "1550126.fec"), "--out", str(out)]


def merge(out: Path) -> list[str]:
    return ["merge", str(TINY), str(ROOT.parent / "data"), "--out", str(out)]


COMMANDS = {"fec-ingest": (fec_ingest, "network.fec.ingest.write_schema", "schema.toml"),
            "fec-filing": (fec_filing, "network.fec.filings.ingest.write_schema", "schema.toml"),
            "merge": (merge, None, "merge.json")}


@pytest.mark.parametrize("name", COMMANDS)
def test_a_folder_where_an_output_goes_leaves_the_old_folder_as_it_was(name, tmp_path, capsys):
    command, _, last = COMMANDS[name]
    out = tmp_path / "out"
    assert main(command(out)) == 0
    (out / last).unlink()
    (out / last).mkdir()  # the last file written cannot replace a folder: the failure comes after all the others
    (out / last / "keep.txt").write_text("mine", encoding="utf-8")
    (out / "notes.txt").write_text("the user's own file", encoding="utf-8")
    before = snapshot(out)
    capsys.readouterr()
    assert main(command(out)) == 1
    err = capsys.readouterr().err
    assert err.startswith("influence: error: ") and last in err and "Traceback" not in err
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder or file left beside it


@pytest.mark.parametrize("name", [n for n, (_, patched, _) in COMMANDS.items() if patched])
def test_a_failure_while_writing_leaves_nothing(name, tmp_path, capsys, monkeypatch):
    command, patched, _ = COMMANDS[name]
    module, function = patched.rsplit(".", 1)

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    out = tmp_path / "out"
    assert main(command(out)) == 0
    before = snapshot(out)
    monkeypatch.setattr(f"{module}.{function}", fail)
    assert main(command(out)) == 1
    assert snapshot(out) == before
    assert main(command(tmp_path / "new" / "out")) == 1
    assert not (tmp_path / "new").exists()
    assert "No space left on device" in capsys.readouterr().err


def test_merge_neutralizes_formula_names_and_reads_them_back(tmp_path):
    news = tmp_path / "news"
    shutil.copytree(TINY, news)
    path = news / "entities.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Acme Corp", '=HYPERLINK("http://x")', 1), encoding="utf-8")
    out = tmp_path / "merged"
    assert main(["merge", str(news), str(ROOT.parent / "data"), "--out", str(out)]) == 0
    names = [row["name"] for row in csv.DictReader(open(out / "entities.csv", encoding="utf-8"))]
    assert "'=HYPERLINK(\"http://x\")" in names and '=HYPERLINK("http://x")' not in names
    assert '=HYPERLINK("http://x")' in set(load_tables(out).entities["name"])
