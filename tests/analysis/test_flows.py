"""Money totals checked by hand: aggregate rows never added, pledges apart, each relationship counted once."""

import math

import pytest

from analysis.flow_groups import flows_by_group, period_label
from analysis.flows import GROUP_COLUMNS, flows_between, flows_by_entity, money_relationships, stated_totals

# tests/fixtures/tiny: r1 alice->pac 1,000,000 and r2 500,000 (donations); r3 alice->pac 1,500,000 at_least,
# aggregate (restates r1 + r2); r4 pac->campaign 2,000,000 spending; r8 bob->campaign 100,000 pledge.


def test_money_relationships_are_marked(tiny_graph):
    money = money_relationships(tiny_graph).set_index("id")
    assert money.index.tolist() == ["r1", "r2", "r3", "r4", "r8"]
    assert money["transfer"].to_dict() == {"r1": True, "r2": True, "r3": False, "r4": True, "r8": False}
    assert money["pledge"].to_dict() == {"r1": False, "r2": False, "r3": False, "r4": False, "r8": True}
    assert money["stated"].to_dict() == {"r1": False, "r2": False, "r3": True, "r4": False, "r8": False}


def test_tiny_by_entity_by_hand(tiny_graph):
    table = flows_by_entity(tiny_graph)
    assert table["id"].tolist() == ["pac", "campaign", "alice", "bob"]  # by all it moved: 3.5M, 2M, 1.5M, 0
    rows = table.set_index("id")
    assert rows.loc["alice", "given_usd"] == 1_500_000          # r1 + r2; r3 is not added
    assert rows.loc["alice", "stated_given_usd"] == 1_500_000   # r3, shown apart
    assert rows.loc["alice", "given_count"] == 2
    assert rows.loc["alice", "given_qualifier"] == "exact"
    assert rows.loc["alice", "given_donation_usd"] == 1_500_000
    assert rows.loc["pac", "received_usd"] == 1_500_000
    assert rows.loc["pac", "given_usd"] == 0                    # r4 is spending for the campaign, not a contribution
    assert rows.loc["pac", "spent_for_usd"] == 2_000_000
    assert rows.loc["pac", "net_usd"] == 1_500_000              # received minus given
    assert rows.loc["pac", "pass_through_usd"] == 1_500_000     # min(received 1.5M, out 2M)
    assert math.isnan(rows.loc["pac", "stated_given_usd"])
    assert rows.loc["pac", "stated_received_usd"] == 1_500_000
    assert rows.loc["campaign", "received_usd"] == 0            # outside spending and a pledge are not money received
    assert rows.loc["campaign", "outside_for_usd"] == 2_000_000
    assert rows.loc["campaign", "pledges_received_usd"] == 100_000
    assert rows.loc["campaign", "received_count"] == 2          # r4 and r8
    assert rows.loc["bob", "given_usd"] == 0
    assert rows.loc["bob", "pledged_usd"] == 100_000
    assert rows.loc["bob", "given_count"] == 1
    assert table["given_usd"].sum() == table["received_usd"].sum() == 1_500_000
    assert table["spent_for_usd"].sum() == table["outside_for_usd"].sum() == 2_000_000
    assert {"given_in_kind_usd", "received_gift_usd", "given_contract_usd"} <= set(table.columns)
    assert "given_pledge_usd" not in table.columns and "given_spending_usd" not in table.columns


def test_tiny_pairs(tiny_graph):
    pairs = flows_between(tiny_graph)
    assert pairs[["source", "target", "given_usd", "pledged_usd", "relationships", "aggregate_rows"]].values.tolist() == [
        ["pac", "campaign", 2_000_000, 0, 1, 0],
        ["alice", "pac", 1_500_000, 0, 2, 1],
        ["bob", "campaign", 0, 100_000, 1, 0],
    ]


@pytest.mark.parametrize("by, period, expected", [
    ("type", "year", {"donation": (2, 1_500_000, 0, 1), "pledge": (1, 0, 100_000, 0), "spending": (1, 2_000_000, 0, 0)}),
    ("period", "year", {"2024": (4, 3_500_000, 100_000, 1)}),
    ("period", "quarter", {"2024-Q1": (2, 1_500_000, 0, 1), "2024-Q3": (1, 0, 100_000, 0), "2024-Q4": (1, 2_000_000, 0, 0)}),
    ("period", "month", {"2024-01": (1, 1_000_000, 0, 0), "2024-03": (1, 500_000, 0, 1), "2024-09": (1, 0, 100_000, 0),
                         "2024-10": (1, 2_000_000, 0, 0)}),
    ("layer", "year", {"money only": (4, 3_500_000, 100_000, 1)}),
])
def test_tiny_groups_by_hand(tiny_graph, by, period, expected):
    table = flows_by_group(tiny_graph, by, period=period)
    assert list(table.columns) == [by, *GROUP_COLUMNS]
    got = {row[by]: (row["relationships"], row["given_usd"], row["pledged_usd"], row["aggregate_rows"])
           for row in table.to_dict("records")}
    assert got == expected


def test_bundled_musk_and_america_pac(bundled_graph):
    pairs = flows_between(bundled_graph).set_index(["source", "target"])
    assert pairs.loc[("elon-musk", "america-pac"), "given_usd"] == 118_600_000  # r001 + r002
    musk_campaign = pairs.loc[("elon-musk", "trump-campaign-2024")]
    assert musk_campaign["given_usd"] == 0                      # >$100M (r003) and >=$200M (r057) are aggregate
    assert musk_campaign["aggregate_rows"] == 2
    assert musk_campaign["stated_total_usd"] == 200_000_000
    entities = flows_by_entity(bundled_graph).set_index("id")
    assert entities.loc["elon-musk", "given_usd"] == 118_600_000
    assert entities.loc["elon-musk", "stated_given_usd"] == 200_000_000
    assert entities.loc["america-pac", "received_usd"] == 118_600_000
    assert entities.loc["america-pac", "given_usd"] == 0
    assert entities.loc["america-pac", "spent_for_usd"] == 21_000_000      # r015's $800K sits inside r014's $21M
    assert entities.loc["america-pac", "spent_for_qualifier"] == "at_least"
    assert entities.loc["trump-campaign-2024", "received_usd"] == 150_000_000  # Mellon; America PAC's $21M is outside spending
    assert entities.loc["trump-campaign-2024", "received_qualifier"] == "exact"
    assert entities.loc["trump-campaign-2024", "outside_for_usd"] == 21_000_000
    assert entities.loc["trump-campaign-2024", "outside_for_qualifier"] == "at_least"
    assert entities.loc["trump-inaugural-fund-2025", "received_usd"] == 3_000_000  # Meta, Amazon, Perplexity
    assert entities.loc["trump-inaugural-fund-2025", "pledges_received_usd"] == 1_000_000  # Altman's pledge
    assert entities.loc["sam-altman", "given_usd"] == 0
    assert entities.loc["amazon", "given_qualifier"] == "approx"        # $1M exact + about $58K


TOTAL_BUNDLED = 43_600_000 + 75_000_000 + 150_000_000 + 21_000_000 + 3 * 1_000_000 + 58_000


@pytest.mark.parametrize("by, period", [("type", "year"), ("period", "year"), ("period", "quarter"),
                                        ("period", "month"), ("layer", "year")])
def test_no_relationship_counted_twice(bundled_graph, by, period):
    money = money_relationships(bundled_graph)
    table = flows_by_group(bundled_graph, by, period=period)
    assert table["given_usd"].sum() == pytest.approx(TOTAL_BUNDLED)
    assert table["relationships"].sum() == (~money["stated"]).sum()
    assert table["aggregate_rows"].sum() == money["stated"].sum() == 3
    assert table[by].is_unique


def test_entity_and_pair_totals_balance(bundled_graph):
    entities = flows_by_entity(bundled_graph)
    assert (entities["given_usd"] + entities["spent_for_usd"]).sum() == pytest.approx(TOTAL_BUNDLED)
    assert (entities["received_usd"] + entities["outside_for_usd"]).sum() == pytest.approx(TOTAL_BUNDLED)
    assert flows_between(bundled_graph)["given_usd"].sum() == pytest.approx(TOTAL_BUNDLED)
    type_columns = [c for c in entities.columns if c.startswith("given_") and c.endswith("_usd") and c != "given_usd"]
    assert type_columns == ["given_contract_usd", "given_donation_usd", "given_gift_usd", "given_in_kind_usd"]
    assert entities[type_columns].sum(axis=1).tolist() == pytest.approx(entities["given_usd"].tolist())


def test_money_by_layer_on_bundled_data(bundled_graph):
    layers = flows_by_group(bundled_graph, "layer").set_index("layer")
    assert layers.loc["control", "given_usd"] == 118_600_000   # Musk founded the PAC he funds
    assert layers.loc["money only", "given_usd"] == pytest.approx(TOTAL_BUNDLED - 118_600_000)


def test_stated_totals(tiny_graph, bundled_graph):
    tiny = stated_totals(tiny_graph)
    assert tiny[["id", "amount_usd", "counted_pair_usd", "counted_given_usd"]].values.tolist() == [
        ["r3", 1_500_000, 1_500_000, 1_500_000]]
    bundled = stated_totals(bundled_graph).set_index("id")
    assert bundled.index.tolist() == ["r003", "r015", "r057"]
    assert bundled.loc["r003", "amount_usd"] == 100_000_000 and bundled.loc["r057", "amount_usd"] == 200_000_000
    assert bundled.loc["r057", "counted_given_usd"] == 118_600_000
    assert bundled.loc["r015", "counted_pair_usd"] == 21_000_000


@pytest.mark.parametrize("text, period, label", [
    ("2024-08-02", "year", "2024"), ("2024-08-02", "quarter", "2024-Q3"), ("2024-08-02", "month", "2024-08"),
    ("2024-12", "quarter", "2024-Q4"), ("2024", "quarter", "2024"), ("2024", "month", "2024"), ("", "month", "undated"),
])
def test_period_label(text, period, label):
    assert period_label(text, period) == label


def test_bad_groupings(tiny_graph):
    with pytest.raises(ValueError, match="unknown grouping"):
        flows_by_group(tiny_graph, "colour")
    with pytest.raises(ValueError, match="unknown period"):
        flows_by_group(tiny_graph, "period", period="week")


def test_filters_apply_before_counting(bundled_graph):
    since_october = flows_by_entity(bundled_graph.filter(since="2024-10", include_undated=False)).set_index("id")
    assert since_october.loc["elon-musk", "given_usd"] == 43_600_000  # r001 only; r002 ends in September


def test_chain_totals_from_a_given_entity_table_equal_its_own(bundled_graph):
    """The report hands chain_totals the flows table it has: the same totals as computing it again."""
    from analysis.flows import chain_totals, flows_by_entity

    assert chain_totals(bundled_graph, entity_flows=flows_by_entity(bundled_graph)) == chain_totals(bundled_graph)
