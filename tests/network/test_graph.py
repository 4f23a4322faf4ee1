import math

import pandas as pd
import pytest

from network.graph import InfluenceGraph, build_influence_graph, filter_relationships
from network.contract.load import load_tables
from network.contract.validate import validated_tables
from tests.conftest import TINY

LOG = math.log10


def edge(graph, source, target, layer):
    rows = graph.edges[(graph.edges["source"] == source) & (graph.edges["target"] == target) & (graph.edges["layer"] == layer)]
    assert len(rows) == 1, f"expected one {layer} edge {source}->{target}, found {len(rows)}"
    return rows.iloc[0]


def test_edges_follow_influence_direction_and_merge_per_pair_and_layer(tiny_graph):
    pairs = list(zip(tiny_graph.edges["source"], tiny_graph.edges["target"], tiny_graph.edges["layer"]))
    assert pairs == [
        ("acme", "bob", "affiliation"),     # bob employee acme: influence flows employer -> employee
        ("acme", "rival-co", "conflict"),   # mutual, stored once in id order
        ("alice", "acme", "control"),
        ("alice", "pac", "money"),          # r1, r2 and the aggregate r3 merged
        ("bob", "campaign", "money"),
        ("pac", "campaign", "money"),
    ]
    assert tiny_graph.graph.vcount() == 6 and tiny_graph.graph.ecount() == 6
    assert tiny_graph.graph.vs["name"] == ["acme", "alice", "bob", "campaign", "pac", "rival-co"]
    assert edge(tiny_graph, "acme", "rival-co", "conflict")["directed"] == False  # noqa: E712


def test_aggregate_rows_are_not_added_to_money(tiny_graph):
    money = edge(tiny_graph, "alice", "pac", "money")
    assert money["amount_usd"] == 1_500_000        # r1 + r2; r3 restates them
    assert money["stated_total_usd"] == 1_500_000  # r3 kept apart
    assert money["relationship_count"] == 3
    assert money["relationship_ids"] == "r1;r2;r3"
    assert money["source_ids"] == "s1;s2"
    assert money["status"] == "confirmed"
    assert (money["first_date"], money["last_date"]) == ("2024-01", "2024-03")  # r3 runs to the end of March
    assert tiny_graph.edges["amount_usd"].sum() == 1_500_000 + 2_000_000 + 100_000


def test_weight_policy_by_hand(tiny_graph):
    # money: (1 + log10(1 + amount / 1000)) x best status factor
    assert edge(tiny_graph, "alice", "pac", "money")["strength"] == pytest.approx(1 + LOG(1501))
    assert edge(tiny_graph, "pac", "campaign", "money")["strength"] == pytest.approx(1 + LOG(2001))
    assert edge(tiny_graph, "bob", "campaign", "money")["strength"] == pytest.approx((1 + LOG(101)) * 0.5)  # planned
    # others: default strength x status factor
    assert edge(tiny_graph, "alice", "acme", "control")["strength"] == pytest.approx(4.0)
    assert edge(tiny_graph, "acme", "bob", "affiliation")["strength"] == pytest.approx(1.5 * 0.9)  # reported
    for row in tiny_graph.edges.itertuples():
        assert row.cost == pytest.approx(1 / row.strength)
    assert tiny_graph.graph.es["cost"] == pytest.approx(tiny_graph.edges["cost"].tolist())


def test_linear_and_unweighted_policies(schema):
    tables = validated_tables(load_tables(TINY), schema)
    linear = build_influence_graph(tables, schema, weights=schema.weights.with_scale("linear"))
    assert edge(linear, "alice", "pac", "money")["strength"] == pytest.approx(1500.0)
    unweighted = build_influence_graph(tables, schema, weights=schema.weights.with_scale("unweighted"))
    assert set(unweighted.edges["strength"]) == {1.0}
    with pytest.raises(ValueError, match="unknown money scale"):
        schema.weights.with_scale("sqrt")


def test_non_money_strengths_add_up_within_a_layer(schema):
    g = InfluenceGraph.from_edges([("a", "b", 1.0)])
    rel = g.relationships.iloc[[0, 0]].assign(id=["x1", "x2"], type=["founder", "board"], status="confirmed")
    two = build_influence_graph(
        type("T", (), {"entities": g.entities, "relationships": rel[["id", "source", "target", "type", "role", "amount_usd", "amount_qualifier", "start_date", "end_date", "status", "aggregate", "source_ids", "evidence"]], "sources": g.sources})(),
        schema,
    )
    assert two.edges["strength"].tolist() == [pytest.approx(3.0 + 3.0)]
    assert two.edges["types"].tolist() == ["board;founder"]


def test_metric_graph_sums_layers_counts_mutual_both_ways_and_drops_conflict(tiny_graph):
    metric = tiny_graph.metric_graph()
    names = metric.vs["name"]
    pairs = {(names[e.source], names[e.target]): e["strength"] for e in metric.es}
    assert ("acme", "rival-co") not in pairs
    with_conflict = tiny_graph.metric_graph(include_conflict=True)
    names = with_conflict.vs["name"]
    pairs = {(names[e.source], names[e.target]): e["strength"] for e in with_conflict.es}
    assert pairs[("acme", "rival-co")] == pytest.approx(0.9) and pairs[("rival-co", "acme")] == pytest.approx(0.9)


def test_filters(tiny_graph, schema):
    rel = tiny_graph.relationships
    ids = lambda frame: sorted(frame["id"])  # noqa: E731
    assert ids(filter_relationships(rel, schema, layers=["money"])) == ["r1", "r2", "r3", "r4", "r8"]
    assert ids(filter_relationships(rel, schema, types=["pledge", "executive"])) == ["r5", "r8"]
    assert ids(filter_relationships(rel, schema, statuses=["planned", "reported"])) == ["r3", "r6", "r7", "r8"]
    # money below $1M or without amount goes; other layers stay
    assert ids(filter_relationships(rel, schema, min_amount_usd=1_000_000)) == ["r1", "r3", "r4", "r5", "r6", "r7"]
    # window: r2 is 2024-03-15; r3 spans 2024-01..2024-03; r5 (2019-) and r7 (2020-) are ongoing; r6 is undated
    assert ids(filter_relationships(rel, schema, since="2024-03", until="2024-03")) == ["r2", "r3", "r5", "r6", "r7"]
    assert ids(filter_relationships(rel, schema, since="2024-03", until="2024-03", include_undated=False)) == ["r2", "r3", "r5", "r7"]
    assert ids(filter_relationships(rel, schema, until="2018")) == ["r6"]
    with pytest.raises(ValueError, match="unknown layer cash"):
        filter_relationships(rel, schema, layers=["cash"])
    with pytest.raises(ValueError, match="--since: not a date"):
        filter_relationships(rel, schema, since="March")


def test_filter_builds_a_new_graph_and_leaves_the_old_one_alone(tiny_graph):
    before = tiny_graph.edges.copy()
    money = tiny_graph.filter(layers=["money"])
    assert sorted(money.entities["id"]) == ["alice", "bob", "campaign", "pac"]
    assert set(money.edges["layer"]) == {"money"}
    assert money.graph.vcount() == 4
    pd.testing.assert_frame_equal(tiny_graph.edges, before)
    kept_all = tiny_graph.filter(layers=["money"], drop_isolated=False)
    assert kept_all.graph.vcount() == 6


def test_min_sources_keeps_ties_citing_enough_distinct_sources(tiny_graph, schema):
    rel = tiny_graph.relationships
    # only r5 cites two sources (s1;s2); every other tie cites one
    assert sorted(filter_relationships(rel, schema, min_sources=2)["id"]) == ["r5"]
    assert len(filter_relationships(rel, schema, min_sources=1)) == len(rel)
    assert sorted(tiny_graph.filter(min_sources=2).entities["id"]) == ["acme", "alice"]
    with pytest.raises(ValueError, match="--min-sources: not a count"):
        filter_relationships(rel, schema, min_sources=-1)
