"""`influence run` and `influence validate` end to end, as a user runs them."""

import json
import re

import pandas as pd
import pytest

from analysis.cli import main
from tests.conftest import BAD, TINY

OUTPUTS = ("nodes.csv", "edges.csv", "map.html", "run.json", "report.html", "report.md")


@pytest.fixture(scope="module")
def bundled_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    assert main(["run", "--out", str(out)]) == 0
    return out


def test_run_on_the_bundled_data_writes_every_output(bundled_run, capsys):
    for name in OUTPUTS:
        assert (bundled_run / name).is_file(), name
    nodes = pd.read_csv(bundled_run / "nodes.csv")
    assert len(nodes) == 67
    assert {"pagerank", "betweenness", "strength_in", "strength_out", "community"} <= set(nodes.columns)
    assert nodes["pagerank"].sum() == pytest.approx(1.0)
    edges = pd.read_csv(bundled_run / "edges.csv", keep_default_na=False)
    assert (edges["source_ids"] != "").all() and (edges["source_titles"] != "").all()
    run = json.loads((bundled_run / "run.json").read_text(encoding="utf-8"))
    assert set(run["inputs"]) == {"entities", "relationships", "sources", "schema"}
    assert all(re.fullmatch(r"[0-9a-f]{64}", item["sha256"]) for item in run["inputs"].values())
    assert run["inputs"]["entities"]["path"] == "bundled:entities.csv"
    assert run["parameters"]["seed"] == 0 and "igraph" in run["versions"]
    assert set(OUTPUTS) - {"run.json"} <= set(run["outputs"])


def test_run_prints_the_files_and_a_ranked_summary(tmp_path, capsys):
    assert main(["run", "--data", str(TINY), "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert f"wrote {tmp_path / 'nodes.csv'} (6 entities)" in printed
    assert f"wrote {tmp_path / 'edges.csv'} (6 edges from 8 relationships)" in printed
    assert re.search(r"Receive the most money influence.*\n\s+1  Candidate 2024", printed)
    assert re.search(r"Give or control the most.*\n\s+1  Alice Able", printed)


def test_two_runs_give_byte_identical_files(bundled_run, tmp_path):
    assert main(["run", "--out", str(tmp_path)]) == 0
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (bundled_run / name).read_bytes(), name


def test_run_on_bad_data_leaves_outputs_untouched(tmp_path, capsys):
    (tmp_path / "nodes.csv").write_text("previous run\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["run", "--data", str(BAD / "many"), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("5 problems in the data\n")
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "nodes.csv").read_text(encoding="utf-8") == "previous run\n"


@pytest.mark.parametrize("kind", ["bad_amount", "encoding", "self_loop", "missing_column"])
def test_validate_exits_1_with_the_line_precise_message(kind, capsys):
    assert main(["validate", "--data", str(BAD / kind)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "1 problem in the data"
    assert re.match(rf"{re.escape(str(BAD / kind))}/\w+\.csv:\d+: ", err[1])


def test_validate_ok_and_python_m_analysis(capsys):
    import subprocess
    import sys

    assert main(["validate"]) == 0
    assert capsys.readouterr().out == "ok: bundled data: 67 entities, 115 relationships, 5 sources\n"
    done = subprocess.run([sys.executable, "-m", "analysis", "validate", "--data", str(TINY)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("ok: ")


def test_unknown_filter_value_is_a_clear_error(capsys):
    assert main(["centrality", "--layer", "cash"]) == 1
    assert capsys.readouterr().err == "influence: error: unknown layer cash; expected one of money, control, affiliation, access, conflict\n"


def test_run_writes_the_money_map_and_five_ego_maps_all_offline(bundled_run):
    maps = sorted(p.name for p in (bundled_run / "maps").iterdir())
    assert maps == ["ego-america-pac.html", "ego-donald-trump.html", "ego-elon-musk.html", "ego-meta.html",
                    "ego-trump-campaign-2024.html", "money.html"]
    for page in [bundled_run / "map.html", *(bundled_run / "maps").iterdir()]:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"""<(script|link|img|iframe)[^>]*(src|href)=["']?(https?:)?//""", text), page.name


def test_map_command_names_its_file_and_narrows_the_graph(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["map", "--layer", "money", "--min-amount-usd", "10000"]) == 0
    assert capsys.readouterr().out == "wrote outputs/map-money-min10000.html (10 entities, 9 edges)\n"
    assert main(["map", "--ego", "إيلون ماسك", "--radius", "1", "--labels", "both", "--out", "ego.html"]) == 0
    assert capsys.readouterr().out.startswith("wrote ego.html (16 entities")
    assert main(["map", "--top", "5", "--out", "top.html"]) == 0
    assert capsys.readouterr().out == "wrote top.html (5 entities, 4 edges)\n"
    assert main(["map", "--max-entities", "3", "--out", "big.html"]) == 1
    assert "--top" in capsys.readouterr().err and not (tmp_path / "big.html").exists()


def test_a_run_whose_printed_summary_cannot_be_written_fails(tmp_path):
    """`influence run > /dev/full` (a full disk behind a redirect): the outputs are written, but the summary is
    lost, so the exit status is 1 with a message, buffered output or not; never a silent 0."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    for unbuffered in (False, True):
        env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
        if unbuffered:
            env["PYTHONUNBUFFERED"] = "1"
        with open("/dev/full", "w") as full:
            done = subprocess.run([sys.executable, "-m", "analysis", "run", "--out", str(tmp_path / f"o{unbuffered}")],
                                  stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=300)
        assert done.returncode == 1, (unbuffered, done.stderr)
        assert "influence: error:" in done.stderr and "No space left" in done.stderr
