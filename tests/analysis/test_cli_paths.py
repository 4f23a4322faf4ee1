"""The path, ego, flows and timeline commands, run through a fresh parser with their `register` functions."""

import argparse
import json

import pytest

from analysis.commands import ego, flows, path, timeline
from network.errors import UnknownEntityError
from tests.conftest import TINY

COMMANDS = {"path": path, "ego": ego, "flows": flows, "timeline": timeline}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="influence")
    commands = top.add_subparsers(dest="command")
    for module in COMMANDS.values():
        module.register(commands)
    return top


def run(argv):
    args = parser().parse_args(argv)
    return args.handler(args)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_ends_with_an_example(name, capsys):
    with pytest.raises(SystemExit) as done:
        parser().parse_args([name, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    example = text.split("example:\n", 1)[1]
    assert f"$ influence {name}" in example
    assert "--since" in text and "--until" in text  # every analysis command takes the time filters


def test_path_on_the_bundled_data(capsys):
    assert run(["path", "elon-musk", "donald-trump", "--k", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Influence paths from Elon Musk (elon-musk) to Donald Trump (donald-trump), strongest first\n")
    assert "1. Elon Musk -> Donald Trump  (cost 0.1587, 1 hop)" in out
    assert "2. Elon Musk -> America PAC -> Trump 2024 presidential campaign -> Donald Trump  (cost 0.5838, 3 hops)" in out
    assert "3. Elon Musk -> Trump 2024 presidential campaign -> Donald Trump  (cost 0.6481, 2 hops)" in out
    assert "r001  elon-musk donation america-pac  $43,600,000  2024-10-01..2024-10-16  reported" in out
    assert "r003  elon-musk donation trump-campaign-2024  at least $100,000,000 [aggregate" in out
    assert "4. " not in out


def test_path_accepts_arabic_names(capsys):
    assert run(["path", "سام التمان", "ترامب", "--k", "1"]) == 0
    assert "1. Sam Altman -> Donald Trump" in capsys.readouterr().out


def test_path_json_on_tiny(capsys):
    assert run(["path", "alice", "campaign", "--data", str(TINY), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [p["entities"] for p in result["paths"]] == [["alice", "pac", "campaign"], ["alice", "acme", "bob", "campaign"]]
    first_hop = result["paths"][0]["steps"][0]
    assert [r["relationship_id"] for r in first_hop["relationships"]] == ["r1", "r2", "r3"]
    assert first_hop["relationships"][2]["aggregate"] is True
    assert first_hop["relationships"][0]["sources"] == "Example Times: Alice funds a PAC (2024-11-06)"


def test_unknown_and_ambiguous_names():
    with pytest.raises(UnknownEntityError, match="did you mean: Elon Musk \\(elon-musk, person\\)"):
        run(["path", "Elon Muks", "donald-trump"])
    with pytest.raises(UnknownEntityError, match="names 2 entities: Cameron Winklevoss \\(cameron-winklevoss"):
        run(["ego", "Winklevoss"])


def test_no_path_exits_1_with_advice(capsys):
    assert run(["path", "campaign", "alice", "--data", str(TINY)]) == 1
    err = capsys.readouterr().err
    assert "no influence path from campaign to alice" in err and "--include-conflict" in err
    assert run(["path", "rival-co", "bob", "--data", str(TINY), "--include-conflict"]) == 0


def test_filters_that_isolate_an_entity(capsys):
    assert run(["path", "alice", "campaign", "--data", str(TINY), "--layer", "control"]) == 1
    assert "campaign has no ties left after the filters" in capsys.readouterr().err
    assert run(["path", "alice", "bob", "--data", str(TINY), "--layer", "money"]) == 1  # both left, no route
    assert "try --include-conflict or removing filters" in capsys.readouterr().err


def test_ego_csv_and_json(capsys):
    assert run(["ego", "pac", "--radius", "2", "--data", str(TINY), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("id,name,type,distance,")
    assert [line.split(",")[0] for line in lines[1:]] == ["pac", "alice", "campaign", "acme", "bob"]
    assert run(["ego", "Able PAC", "--data", str(TINY), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["center"] == "pac"
    assert [r["id"] for r in result["relationships"]] == ["r1", "r2", "r3", "r4"]


def test_ego_table_on_bundled_data(capsys):
    assert run(["ego", "America PAC", "--since", "2024-06"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Entities within 1 hop of America PAC (america-pac)\n")
    assert "Relationships among them" in out and "r001" in out


def test_flows_tiny_table(capsys):
    assert run(["flows", "--data", str(TINY)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Money by entity (docs/money.md: received = contributions received;")
    rows = {line.split()[0]: line for line in out[3:7]}
    assert rows["alice"].split()[4:6] == ["1,500,000", "0"]  # given 1.5M, received 0
    assert rows["campaign"].split()[4:7] == ["0", "0", "2,000,000"]  # received 0: the PAC's $2M is outside spending for it
    # alice's $1.5M reaches the PAC, which spends $2M: $1.5M of it can be alice's, so it is counted once
    assert out[-1] == ("counted: $3,500,000 moved gross in 3 transfers with an amount (0 more give none); $2,000,000 net "
                       "of pass-through ($1,500,000 that recipients passed on, not added twice); "
                       "pledged apart: $100,000 in 1 pledge; 1 aggregate row (stated totals) not added (see --stated)")


def test_flows_csv_bundled(capsys):
    assert run(["flows", "--by", "pair", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("source,target,types,relationships,without_amount,given_usd")
    assert "elon-musk,america-pac,donation,2,0,118600000,exact" in lines[2]


def test_flows_by_period_json(capsys):
    assert run(["flows", "--data", str(TINY), "--by", "period", "--period", "quarter", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [(r["period"], r["given_usd"], r["pledged_usd"]) for r in result] == [
        ("2024-Q1", 1_500_000, 0), ("2024-Q3", 0, 100_000), ("2024-Q4", 2_000_000, 0)]


def test_flows_cofunding_and_stated(capsys):
    assert run(["flows", "--cofunding"]) == 0
    out = capsys.readouterr().out
    assert "america-pac  timothy-mellon  21,000,000" in out
    assert run(["flows", "--stated", "--format", "csv"]) == 0
    assert [line.split(",")[0] for line in capsys.readouterr().out.splitlines()[1:]] == ["r003", "r015", "r057"]


def test_out_file_is_written(tmp_path, capsys):
    target = tmp_path / "sub" / "flows.json"
    assert run(["flows", "--data", str(TINY), "--format", "json", "--out", str(target)]) == 0
    assert capsys.readouterr().out == f"wrote {target} (4 rows)\n"
    assert [r["id"] for r in json.loads(target.read_text(encoding="utf-8"))] == ["pac", "campaign", "alice", "bob"]


def test_timeline_custom_periods(capsys):
    argv = ["timeline", "--period", "custom", "--periods", "2024-06:2024-11,2024-12:2025-01", "--metric", "strength_in",
            "--top", "2"]
    assert run(argv) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split() == ["id", "name", "2024-06:2024-11", "2024-12:2025-01", "change"]
    assert out[3].split()[0] == "trump-inaugural-fund-2025"


def test_timeline_long_csv_on_tiny(capsys):
    assert run(["timeline", "--data", str(TINY), "--period", "year", "--metric", "strength_in", "--long",
                "--format", "csv", "--top", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "period,start,end,id,name,value,rank,rank_change"
    assert lines[1].startswith("2019,2019-01-01,2019-12-31,acme,Acme Corp,4,1,")


def test_timeline_bad_requests(capsys):
    with pytest.raises(ValueError, match="needs --periods"):
        run(["timeline", "--period", "custom", "--data", str(TINY)])
    with pytest.raises(ValueError, match="unknown metric"):
        run(["timeline", "--data", str(TINY), "--metric", "fame"])
    assert run(["timeline", "--data", str(TINY), "--period", "custom", "--periods", "2010:2011"]) == 1
    assert "no dated ties" in capsys.readouterr().err
