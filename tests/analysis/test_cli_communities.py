import argparse
import io
import json

import pandas as pd
import pytest

from analysis.commands import communities
from tests.conftest import TINY


def parser():
    top = argparse.ArgumentParser(prog="influence")
    commands = top.add_subparsers()
    communities.register(commands)
    return top


def run(argv, capsys):
    args = parser().parse_args(["communities", *argv])
    status = args.handler(args)
    return status, capsys.readouterr().out


def test_table_names_communities_and_reports_modularity_and_stability(capsys):
    status, out = run(["--runs", "3", "--seed", "2"], capsys)
    assert status == 0
    first = out.splitlines()[0]
    assert first.startswith("leiden communities on the undirected strength graph (resolution 1, 3 runs, seeds 2-4): ")
    assert "modularity 0." in out and "best run 0." in out and "stability" in out
    assert "Donald Trump" in out  # the community of the top PageRank entity is named after him
    assert "named after (highest pagerank)" in out


@pytest.mark.parametrize("method", ["louvain", "infomap", "label_propagation"])
def test_every_method_runs_from_the_command_line(method, capsys):
    status, out = run(["--method", method, "--runs", "2", "--data", str(TINY)], capsys)
    assert status == 0
    assert out.startswith(f"{method} communities on")


def test_csv_is_byte_identical_for_the_same_seed(tmp_path, capsys):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    for path in (first, second):
        status, out = run(["--method", "label_propagation", "--runs", "4", "--seed", "5", "--format", "csv", "--out", str(path)], capsys)
        assert status == 0
        assert out == f"wrote {path} (67 entities, {pd.read_csv(path)['community'].max()} communities)\n"
    assert first.read_bytes() == second.read_bytes()
    table = pd.read_csv(first)
    assert table.columns.tolist() == ["id", "name", "type", "community", "community_name", "stability"]
    assert table["stability"].between(0, 1).all()
    assert table.sort_values(["community", "id"]).index.tolist() == list(range(len(table)))
    _, printed = run(["--method", "label_propagation", "--runs", "4", "--seed", "5", "--format", "csv"], capsys)
    assert printed.encode("utf-8") == first.read_bytes()


def test_json_holds_partition_summary_and_runs(capsys):
    status, out = run(["--method", "louvain", "--runs", "3", "--format", "json"], capsys)
    document = json.loads(out)
    assert status == 0
    assert document["method"] == "louvain" and document["runs"] == 3
    assert document["best_modularity"] >= document["modularity"] > 0
    assert [c["community"] for c in document["communities"]] == list(range(1, len(document["communities"]) + 1))
    assert sum(c["size"] for c in document["communities"]) == len(document["entities"]) == 67
    assert len(document["runs_detail"]) == 3


def test_compare_prints_nmi_and_ari_between_the_four_methods(capsys):
    status, out = run(["--compare", "--runs", "2"], capsys)
    assert status == 0
    assert "normalized mutual information (NMI):" in out and "adjusted Rand index (ARI):" in out
    assert out.count("label_propagation") == 4  # a row and a column in each matrix
    status, out = run(["--compare", "--runs", "2", "--format", "csv"], capsys)
    agreement = pd.read_csv(io.StringIO(out))
    assert len(agreement) == 16
    assert agreement.loc[agreement["method_a"] == agreement["method_b"], "nmi"].eq(1.0).all()


def test_filters_apply(capsys):
    status, out = run(["--layer", "money", "--runs", "2", "--format", "json"], capsys)
    assert status == 0
    assert len(json.loads(out)["entities"]) < 67  # entities with no money tie are dropped


def test_zero_runs_is_an_error(capsys):
    with pytest.raises(ValueError, match="--runs must be at least 1"):
        run(["--runs", "0"], capsys)


def test_help_ends_with_an_example(capsys):
    with pytest.raises(SystemExit):
        parser().parse_args(["communities", "--help"])
    out = capsys.readouterr().out
    example = out[out.index("example:"):]
    assert "$ influence communities" in example
    assert out.rstrip().endswith("wrote outputs/agreement.csv (4 methods)")
