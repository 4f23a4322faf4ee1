"""`influence run` takes the same filters as the other commands, and records them in run.json."""

from __future__ import annotations

import csv
import json

from analysis.cli import main
from conftest import TINY


def test_run_with_filters_keeps_only_those_ties(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", "--data", str(TINY), "--out", str(out), "--layer", "money", "--min-amount-usd", "600000"]) == 0
    capsys.readouterr()
    with open(out / "relationships.csv", encoding="utf-8", newline="") as handle:
        kept = sorted(row["id"] for row in csv.DictReader(handle))
    # money ties of the tiny data: r1 $1M, r2 $500k (below 600k), r3 aggregate $1.5M, r4 $2M, r8 pledge $100k (below)
    assert kept == ["r1", "r3", "r4"]
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["parameters"]["filters"] == {"layers": ["money"], "min_amount_usd": 600000.0}


def test_run_without_filters_records_none(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", "--data", str(TINY), "--out", str(out)]) == 0
    capsys.readouterr()
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["parameters"]["filters"] == {}
