"""Money in and out of one entity (flows --entity), checked against the bundled relationships by hand."""

import json

import pytest

from analysis.cli import main
from analysis.entity_flows import entity_flow_totals, entity_flows
from tests.conftest import TINY


def test_america_pac_received_by_hand(bundled_graph):
    table = entity_flows(bundled_graph, "america-pac", direction="in")
    # r001 $43.6M + r002 $75M from Musk; Lonsdale, Leone and the Winklevoss twins without amounts
    assert set(table["direction"]) == {"in"}
    musk = table.set_index("counterpart").loc["elon-musk"]
    assert musk["given_usd"] == 118_600_000 and musk["relationship_ids"] == "r001;r002"
    assert sorted(table["counterpart"]) == ["cameron-winklevoss", "doug-leone", "elon-musk", "joe-lonsdale", "tyler-winklevoss"]
    assert all(table["sources"].str.len() > 0)
    assert entity_flow_totals(table)["received_usd"] == 118_600_000


def test_tiny_both_directions_counts_money_once(tiny_graph):
    table = entity_flows(tiny_graph, "pac")
    by = {(row["direction"], row["counterpart"]): row for row in table.to_dict("records")}
    # alice -> pac: r1 $1M + r2 $500k counted; r3 (aggregate, at least $1.5M) kept apart
    assert by[("in", "alice")]["given_usd"] == 1_500_000
    assert by[("in", "alice")]["aggregate_rows"] == 1 and by[("in", "alice")]["stated_total_usd"] == 1_500_000
    assert by[("in", "alice")]["relationship_ids"] == "r1;r2;r3"
    assert by[("out", "campaign")]["given_usd"] == 2_000_000
    assert entity_flow_totals(table) == {"received_usd": 1_500_000, "given_usd": 2_000_000,
                                         "pledged_in_usd": 0.0, "pledged_out_usd": 0.0}
    assert list(entity_flows(tiny_graph, "pac", direction="out")["counterpart"]) == ["campaign"]
    with pytest.raises(ValueError, match="--direction"):
        entity_flows(tiny_graph, "pac", direction="sideways")


def test_flows_entity_cli(capsys):
    assert main(["flows", "--entity", "America PAC", "--direction", "in"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Money in and out of America PAC (america-pac), by counterpart")
    assert "received: $118,600,000 (pledged to it $0) (all counterparts, before --top)" in out
    assert main(["flows", "--data", str(TINY), "--entity", "bob", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["direction"], r["counterpart"], r["pledged_usd"]) for r in rows] == [("out", "campaign", 100_000)]
    assert main(["flows", "--entity", "nobody-at-all"]) == 1
