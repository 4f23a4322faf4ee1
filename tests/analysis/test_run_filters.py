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
    assert record["parameters"]["filters"] == {"layers": ["money"], "min_amount_usd": 600000.0, "undated": "drop"}


def test_run_without_filters_records_only_the_undated_rule(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", "--data", str(TINY), "--out", str(out)]) == 0
    capsys.readouterr()
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["parameters"]["filters"] == {"undated": "drop"}


def test_run_records_the_undated_rule_and_min_sources(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", "--data", str(TINY), "--out", str(out), "--since", "2024-03", "--min-sources", "1"]) == 0
    capsys.readouterr()
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["parameters"]["filters"] == {"since": "2024-03", "min_sources": 1, "undated": "drop"}
    with open(out / "relationships.csv", encoding="utf-8", newline="") as handle:
        kept = sorted(row["id"] for row in csv.DictReader(handle))
    assert "r6" not in kept  # undated: dropped under a date filter by default
    out_keep = tmp_path / "keep"
    assert main(["run", "--data", str(TINY), "--out", str(out_keep), "--since", "2024-03", "--undated", "keep"]) == 0
    capsys.readouterr()
    record = json.loads((out_keep / "run.json").read_text(encoding="utf-8"))
    assert record["parameters"]["filters"] == {"since": "2024-03", "undated": "keep"}
    with open(out_keep / "relationships.csv", encoding="utf-8", newline="") as handle:
        assert "r6" in {row["id"] for row in csv.DictReader(handle)}


def test_one_undated_rule_in_every_command(capsys):
    """`flows --since` and `timeline` treat undated ties alike: left out unless --undated keep.

    Timothy Mellon's $150,000,000 to MAGA Inc. is undated in the bundled data: counting it "since 2024-12"
    would be a wrong number.
    """
    assert main(["flows", "--since", "2024-12", "--format", "json"]) == 0
    dropped = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert "timothy-mellon" not in dropped
    assert main(["flows", "--since", "2024-12", "--undated", "keep", "--format", "json"]) == 0
    kept = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert kept["timothy-mellon"]["given_usd"] == 150_000_000
    for rule, present in (("drop", False), ("keep", True)):
        assert main(["timeline", "--period", "custom", "--periods", "2024-12:2025-01", "--metric", "strength_out",
                     "--top", "0", "--undated", rule, "--format", "csv"]) == 0
        assert ("timothy-mellon" in capsys.readouterr().out) is present
