"""docs/money.md: every numbered rule has a test here (test_rule_NN_...), and each test checks the rule by hand."""

import csv
import io
import math
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.flow_groups import flows_by_group
from analysis.flows import chain_totals, flows_by_entity, money_relationships, with_qualifiers
from analysis.paths import strongest_paths
from analysis.rankings import HEADLINES, competition_ranks
from network.contract.load import load_tables
from network.contract.schema import load_schema
from network.contract.validate import validated_tables
from network.fec.filings.rules import KIND_TYPES
from network.fec.writing import write_schema
from network.graph import build_influence_graph
from network.graph.edges import sum_qualifier
from tests.conftest import TINY

DOC = Path(__file__).resolve().parents[1] / "docs" / "money.md"
LOG = math.log10


def _folder(tmp_path: Path, extra_rows: str, *, fec_schema: bool = False) -> Path:
    """tests/fixtures/tiny with more relationship rows (and the FEC ingest's schema, which adds `oppose`)."""
    folder = tmp_path / "data"
    shutil.copytree(TINY, folder)
    with open(folder / "relationships.csv", "a", encoding="utf-8") as handle:
        handle.write(extra_rows)
    if fec_schema:
        write_schema(folder / "schema.toml")
    return folder


def _graph(folder: Path):
    schema = load_schema(folder / "schema.toml") if (folder / "schema.toml").exists() else load_schema()
    return build_influence_graph(validated_tables(load_tables(folder), schema), schema)


OPPOSE_ROW = "r9,pac,campaign,oppose,ads against the candidate,50000,exact,2024-10,2024-10,confirmed,false,s1,s1 ¶9: 24A\n"


def test_every_rule_has_a_test():
    rules = [int(n) for n in re.findall(r"\*\*Rule (\d+)\.", DOC.read_text(encoding="utf-8"))]
    assert rules == list(range(1, len(rules) + 1)) and len(rules) >= 18
    tested = {int(m) for m in re.findall(r"^def test_rule_(\d\d)_", Path(__file__).read_text(encoding="utf-8"), re.M)}
    assert tested == set(rules)


def test_rule_01_money_kinds_are_read_from_the_schema(tmp_path):
    schema = load_schema()
    assert [schema.money_kind(t) for t in ("donation", "in_kind", "pledge", "spending", "gift", "founder")] == [
        "contribution", "in_kind", "pledge", "support", "contribution", ""]
    assert schema.money.kind_of("oppose") == "oppose"  # named though the bundled schema does not define it
    changed = tmp_path / "schema.toml"
    changed.write_text((DOC.parents[1] / "data" / "schema.toml").read_text(encoding="utf-8")
                       .replace('support = ["spending"]', 'support = []\ncontribution_extra = ["spending"]'), encoding="utf-8")
    with pytest.raises(Exception, match="unknown money kind"):
        load_schema(changed)
    twice = tmp_path / "twice.toml"
    twice.write_text((DOC.parents[1] / "data" / "schema.toml").read_text(encoding="utf-8")
                     .replace('pledge = ["pledge"]', 'pledge = ["pledge", "donation"]'), encoding="utf-8")
    with pytest.raises(Exception, match="type already in another kind"):
        load_schema(twice)


def test_rule_02_a_contribution_is_given_and_received(tiny_graph):
    rows = flows_by_entity(tiny_graph).set_index("id")
    assert rows.loc["alice", "given_usd"] == 1_000_000 + 500_000 == rows.loc["pac", "received_usd"]


def test_rule_03_in_kind_counts_as_a_contribution(tmp_path, bundled_graph):
    folder = _folder(tmp_path, "r9,bob,pac,in_kind,office space,20000,approx,2024-05,2024-05,reported,false,s1,s1 ¶9\n")
    rows = flows_by_entity(_graph(folder)).set_index("id")
    assert rows.loc["bob", "given_usd"] == 20_000 and rows.loc["pac", "received_usd"] == 1_500_000 + 20_000
    assert rows.loc["pac", "received_qualifier"] == "approx"  # exact + about
    musk = flows_by_entity(bundled_graph).set_index("id").loc["elon-musk"]  # r005: in-kind with no amount
    assert musk["given_usd"] == 118_600_000 and musk["given_count"] == 4  # r001, r002, r004 (pledge), r005


def test_rule_04_a_pledge_is_never_given(tiny_graph):
    rows = flows_by_entity(tiny_graph).set_index("id")
    assert (rows.loc["bob", "given_usd"], rows.loc["bob", "pledged_usd"]) == (0, 100_000)
    assert (rows.loc["campaign", "received_usd"], rows.loc["campaign", "pledges_received_usd"]) == (0, 100_000)


def test_rule_05_outside_spending_for_is_not_received(bundled_graph, tiny_graph):
    campaign = flows_by_entity(bundled_graph).set_index("id").loc["trump-campaign-2024"]
    assert campaign["received_usd"] == 150_000_000  # Timothy Mellon (r009)
    assert (campaign["outside_for_usd"], campaign["outside_for_qualifier"]) == (21_000_000, "at_least")  # r014
    pac = flows_by_entity(bundled_graph).set_index("id").loc["america-pac"]
    assert (pac["spent_for_usd"], pac["given_usd"]) == (21_000_000, 0)
    tiny = flows_by_entity(tiny_graph).set_index("id")
    assert (tiny.loc["campaign", "outside_for_usd"], tiny.loc["pac", "spent_for_usd"]) == (2_000_000, 2_000_000)


def test_rule_06_opposing_money_is_counted(tmp_path, capsys):
    folder = _folder(tmp_path, OPPOSE_ROW, fec_schema=True)
    graph = _graph(folder)
    rows = flows_by_entity(graph).set_index("id")
    assert rows.loc["pac", "spent_against_usd"] == 50_000 and rows.loc["campaign", "outside_against_usd"] == 50_000
    assert rows.loc["campaign", "received_usd"] == 0
    by_type = flows_by_group(graph, "type").set_index("type")
    assert by_type.loc["oppose", "given_usd"] == 50_000
    assert set(graph.edges[graph.edges["types"] == "oppose"]["layer"]) == {"conflict"}  # not an influence tie
    assert main(["flows", "--by", "type", "--data", str(folder)]) == 0
    assert re.search(r"^oppose\s+1\s+0\s+50,000", capsys.readouterr().out, re.M)
    assert main(["report", "--data", str(folder), "--out", str(tmp_path / "report")]) == 0
    report = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    money = report[report.index("## Money"):report.index("## Robustness")]
    assert "| oppose | 1 | 0 | $50,000 | $0 | 0 |  |" in money
    assert "| Candidate 2024 | campaign | $0 | $0 | $2,000,000 | $50,000 |" in money  # outside for, against
    assert "$3,550,000 gross" in money


def test_rule_07_aggregate_rows_are_never_added(bundled_graph):
    musk = flows_by_entity(bundled_graph).set_index("id").loc["elon-musk"]
    assert (musk["given_usd"], musk["stated_given_usd"]) == (118_600_000, 200_000_000)
    money = money_relationships(bundled_graph).set_index("id")
    assert money.loc[["r003", "r015", "r057"], "stated"].all() and not money.loc[["r003", "r015", "r057"], "transfer"].any()


def test_rule_08_each_relationship_falls_in_one_group(bundled_graph):
    money = money_relationships(bundled_graph)
    for by in ("type", "period", "layer"):
        table = flows_by_group(bundled_graph, by)
        assert table["relationships"].sum() + table["aggregate_rows"].sum() == len(money)
        assert table["given_usd"].sum() == pytest.approx(money.loc[money["transfer"], "amount_usd"].sum())


def test_rule_09_aggregate_rows_never_weigh(bundled_graph, tmp_path):
    edges = bundled_graph.edges.set_index(["source", "target", "layer"])
    musk = edges.loc[("elon-musk", "trump-campaign-2024", "money")]
    assert musk["relationship_ids"] == "r003;r004;r005;r057"
    assert musk["strength"] == pytest.approx(2.0 * 0.9)  # r005 in-kind, reported; not r057's 1 + log10(200001) = 6.3
    pac = edges.loc[("america-pac", "trump-campaign-2024", "money")]
    assert pac["strength"] == pytest.approx(1 + LOG(21_001))  # r014 confirmed; r015 (aggregate, reported) adds nothing
    folder = _folder(tmp_path, "r9,bob,pac,donation,total,900000,at_least,2024,2024,reported,true,s1,s1 ¶9: stated\n")
    graph = _graph(folder)
    only = graph.edges.set_index(["source", "target", "layer"]).loc[("bob", "pac", "money")]
    assert only["strength"] == 0 and math.isnan(only["cost"])
    metric = graph.metric_graph()
    assert not metric.are_adjacent(graph.ids.index("bob"), graph.ids.index("pac"))
    assert strongest_paths(graph, "bob", "pac").empty


def test_rule_10_edge_amounts_and_qualifiers(tmp_path, bundled_graph):
    edges = bundled_graph.edges.set_index(["source", "target", "layer"])
    pac = edges.loc[("america-pac", "trump-campaign-2024", "money")]
    assert (pac["amount_usd"], pac["amount_qualifier"], pac["stated_total_usd"]) == (21_000_000, "at_least", 800_000)
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "edges.csv")]) == 0
    with open(tmp_path / "edges.csv", encoding="utf-8") as handle:
        rows = {(r["source"], r["target"], r["layer"]): r for r in csv.DictReader(handle)}
    row = rows[("america-pac", "trump-campaign-2024", "money")]
    assert (row["amount_usd"], row["amount_qualifier"], row["status"]) == ("21000000", "at_least", "confirmed")
    for fmt, name in (("gexf", "graph.gexf"), ("graphml", "graph.graphml"), ("json", "graph.json")):
        assert main(["export", "--format", fmt, "--out", str(tmp_path / name)]) == 0
        assert "amount_qualifier" in (tmp_path / name).read_text(encoding="utf-8")


def test_rule_11_chain_totals_count_a_pass_through_once(tiny_graph, bundled_graph):
    # alice -> pac 1.5M; pac -> campaign 2M: gross 3.5M, of which up to 1.5M is alice's money passed on
    tiny = chain_totals(tiny_graph)
    assert (tiny["gross_usd"], tiny["pass_through_usd"], tiny["net_usd"]) == (3_500_000, 1_500_000, 2_000_000)
    totals = chain_totals(bundled_graph)
    assert (totals["gross_usd"], totals["pass_through_usd"], totals["net_usd"]) == (292_658_000, 21_000_000, 271_658_000)
    assert flows_by_entity(bundled_graph).set_index("id").loc["america-pac", "pass_through_usd"] == 21_000_000


@pytest.mark.parametrize("qualifiers, expected", [
    (["exact", "exact"], "exact"), (["exact", "at_least"], "at_least"), (["at_most", "exact"], "at_most"),
    (["at_least", "at_most"], "approx"), (["approx", "exact"], "approx"), (["", "at_least"], "at_least"),
])
def test_rule_12_a_sum_says_how_exact_it_is(qualifiers, expected):
    assert sum_qualifier(qualifiers, [1.0, 2.0]) == expected


def test_rule_13_every_amount_table_shows_its_qualifier(capsys, tmp_path):
    assert main(["flows", "--top", "3"]) == 0
    out = capsys.readouterr().out
    campaign = next(line for line in out.splitlines() if line.startswith("trump-campaign-2024"))
    assert "150,000,000" in campaign and "at least 21,000,000" in campaign
    for by in ("pair", "type"):
        assert main(["flows", "--by", by]) == 0
        assert "at least 21,000,000" in capsys.readouterr().out
    assert main(["flows", "--stated"]) == 0
    assert "at least 200,000,000" in capsys.readouterr().out
    assert main(["flows", "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split(",")
    for amount in ("given", "received", "outside_for", "outside_against", "spent_for", "spent_against", "pledged"):
        assert header.index(f"{amount}_qualifier") == header.index(f"{amount}_usd") + 1
    shown = with_qualifiers(pd.DataFrame({"x_usd": [5.0, math.nan], "x_qualifier": ["at_most", ""]}))
    assert shown["x_usd"].str.strip().tolist() == ["at most 5", ""]
    assert main(["map", "--layer", "money", "--out", str(tmp_path / "money.html")]) == 0
    page = (tmp_path / "money.html").read_text(encoding="utf-8")
    assert '"amountQualifier"' in page and "at_least" in page


def test_rule_14_an_edge_status_is_the_best_of_its_relationships(tiny_graph, bundled_graph):
    alice = tiny_graph.edges.set_index(["source", "target", "layer"]).loc[("alice", "pac", "money")]
    assert alice["status"] == "confirmed"  # r1, r2 confirmed; r3 reported
    musk = bundled_graph.edges.set_index(["source", "target", "layer"]).loc[("elon-musk", "trump-campaign-2024", "money")]
    assert musk["status"] == "reported"    # r003, r005, r057 reported; r004 planned


def test_rule_15_fec_ingests_type_money_by_the_model(tmp_path):
    write_schema(tmp_path / "schema.toml")
    schema = load_schema(tmp_path / "schema.toml")
    assert schema.money_kind(KIND_TYPES["ie_support"][0]) == "support"
    assert schema.money_kind(KIND_TYPES["ie_oppose"][0]) == "oppose"
    assert schema.money_kind(KIND_TYPES["contribution"][0]) == "contribution"
    sql = (DOC.parents[1] / "network" / "fec" / "ingest.sql").read_text(encoding="utf-8")
    assert "WHEN 'ie-support' THEN 'spending'" in sql and "WHEN 'ie-oppose' THEN 'oppose'" in sql


def _ranking(text: str, title: str) -> list[tuple[int, str]]:
    block = text[text.index(title + ":"):].split("\n\n")[0].splitlines()[1:]
    return [(int(line.split()[0]), re.split(r"\s{2,}", line.strip())[1]) for line in block]


def test_rule_16_headline_rankings_compute_what_they_say(tmp_path, capsys):
    assert main(["run", "--out", str(tmp_path / "out")]) == 0
    summary = capsys.readouterr().out
    for headline in HEADLINES:
        ranked = _ranking(summary, headline.title)
        layers = [arg for layer in headline.layers or () for arg in ("--layer", layer)]
        assert main(["centrality", "--metric", headline.metric, *layers, "--top", "0", "--format", "csv"]) == 0
        table = pd.read_csv(io.StringIO(capsys.readouterr().out))
        expected = table[table["rank"] <= 5]
        assert ranked == list(zip(expected["rank"].astype(int), expected["name"]))
    receivers = [name for _, name in _ranking(summary, HEADLINES[0].title)]
    assert "Mar-a-Lago" not in receivers and "The Joe Rogan Experience" not in receivers
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    for headline in HEADLINES:
        assert headline.title in report and headline.command in report


def test_rule_17_zero_scores_unranked_and_ties_shared(capsys):
    assert competition_ranks(pd.Series([0.2, 0.0, 0.2, 0.1])).tolist()[:1] == [1.0]
    assert main(["centrality", "--metric", "betweenness", "--top", "0", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert table.loc[table["betweenness"] == 0, "rank"].isna().all()
    assert table.loc[table["betweenness"] > 0, "rank"].notna().all()
    assert main(["timeline", "--metric", "betweenness", "--top", "8", "--format", "csv"]) == 0
    wide = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert len(wide) < 30  # entities with betweenness 0 in every period are not listed as ranked


def test_rule_18_money_chains_respect_time(tmp_path, capsys):
    # bob gives the PAC $300K on 2024-11-01; the PAC's spending for the campaign ran 2024-06..2024-10
    folder = _folder(tmp_path, "r9,bob,pac,donation,,300000,exact,2024-11-01,2024-11-01,confirmed,false,s1,s1 ¶9\n")
    graph = _graph(folder).filter(layers=["money"])
    anytime = strongest_paths(graph, "bob", "campaign")["entities"].tolist()
    assert anytime == ["bob;pac;campaign", "bob;campaign"]
    timed = strongest_paths(graph, "bob", "campaign", time_respecting=True)
    assert timed["entities"].tolist() == ["bob;campaign"] and timed["undated_hops"].tolist() == [0]
    assert main(["path", "bob", "campaign", "--data", str(folder), "--layer", "money"]) == 0  # the default for money
    out = capsys.readouterr().out
    assert "time-respecting" in out and "Able PAC" not in out.split("\n\n")[1]
    assert main(["path", "bob", "campaign", "--data", str(folder), "--layer", "money", "--any-time"]) == 0
    assert "1. Bob Baker -> Able PAC -> Candidate 2024" in capsys.readouterr().out
