import argparse
import io
import json

import pandas as pd
import pytest

from analysis.commands import robustness
from tests.analysis.test_robustness import single_source_data


def parser():
    top = argparse.ArgumentParser(prog="influence")
    commands = top.add_subparsers()
    robustness.register(commands)
    return top


def run(argv, capsys):
    args = parser().parse_args(["robustness", *argv])
    status = args.handler(args)
    return status, capsys.readouterr().out


def test_table_shows_comparisons_and_the_top_k(capsys):
    status, out = run(["--top", "5", "--resamples", "2"], capsys)
    assert status == 0
    assert out.startswith("Robustness of the top 5 by pagerank (log money weights; 67 entities, ")
    for scenario in ("linear weights", "unweighted weights", "only money", "without control", "confirmed only",
                     "2 resamples (drop p=0.5)", "without latimes-2024-12"):
        assert scenario in out
    assert "donald-trump" in out


def test_single_source_actor_is_flagged_from_a_data_folder(tmp_path, capsys):
    data = single_source_data(tmp_path / "data")
    status, out = run(["--data", str(data), "--top", "1", "--resamples", "2"], capsys)
    assert status == 0
    line = next(row for row in out.splitlines() if row.lstrip().startswith("1  pac"))
    assert line.rstrip().endswith("s1             only source, out of top k without it")


def test_csv_is_byte_identical_for_the_same_seed(tmp_path, capsys):
    paths = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for path in paths:
        status, out = run(["--resamples", "3", "--seed", "4", "--top", "5", "--format", "csv", "--table", "entities",
                           "--out", str(path)], capsys)
        assert status == 0 and out.startswith(f"wrote {path} (")
    assert paths[0].read_bytes() == paths[1].read_bytes()
    entities = pd.read_csv(paths[0])
    assert entities.columns[:5].tolist() == ["id", "name", "type", "score", "rank"]
    assert {"resampled_min", "resampled_median", "resampled_max", "single_source", "sources", "reason"} <= set(entities.columns)


def test_comparisons_csv_and_json(capsys):
    _, out = run(["--resamples", "2", "--format", "csv", "--metric", "betweenness"], capsys)
    comparisons = pd.read_csv(io.StringIO(out))
    assert comparisons["top_k_overlap"].between(0, 1).all()
    assert comparisons["kendall_tau"].dropna().between(-1, 1).all()
    _, out = run(["--resamples", "2", "--format", "json", "--layer", "money"], capsys)
    document = json.loads(out)
    assert document["metric"] == "pagerank" and document["resamples"] == 2
    assert {row["group"] for row in document["comparisons"]} == {"weights", "status", "resampling", "sources"}
    assert all(0 <= row["top_k_overlap"] <= 1 for row in document["comparisons"])


def test_unknown_metric_is_an_error(capsys):
    with pytest.raises(ValueError, match="unknown metric fame"):
        run(["--metric", "fame", "--resamples", "0"], capsys)


def test_help_ends_with_an_example(capsys):
    with pytest.raises(SystemExit):
        parser().parse_args(["robustness", "--help"])
    out = capsys.readouterr().out
    assert "$ influence robustness --top 10 --resamples 50 --seed 1" in out[out.index("example:"):]
    assert out.rstrip().endswith("wrote outputs/robustness-entities.csv (33 entities, 17 comparisons)")
