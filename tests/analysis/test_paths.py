"""Strongest influence paths (checked by hand and against networkx), their evidence, and ego neighborhoods."""

import itertools
import math

import networkx as nx
import pytest

from analysis.paths import HOP_COLUMNS, PATH_COLUMNS, ego_graph, ego_table, path_hops, strongest_paths
from network.graph.convert import to_networkx
from network.errors import UnknownEntityError
from network.graph import InfluenceGraph

# tests/fixtures/tiny under the bundled schema's log money scale: strength = 1 + log10(1 + amount / 1000)
ALICE_PAC = 1 / (1 + math.log10(1 + 1_500_000 / 1000))          # r1 + r2 (r3 restates them), confirmed
PAC_CAMPAIGN = 1 / (1 + math.log10(1 + 2_000_000 / 1000))       # r4
ALICE_ACME = 1 / 4.0                                             # r5 executive
ACME_BOB = 1 / (1.5 * 0.9)                                       # r7 bob employee acme: acme directs bob; reported
BOB_CAMPAIGN = 1 / ((1 + math.log10(1 + 100_000 / 1000)) * 0.5)  # r8 pledge, planned


def networkx_costs(graph, source, target, k, include_conflict=False):
    """The costs of the k shortest simple paths by networkx on the same collapsed graph."""
    reference = to_networkx(graph, collapsed=True, include_conflict=include_conflict)
    try:
        paths = list(itertools.islice(nx.shortest_simple_paths(reference, source, target, weight="cost"), k))
    except nx.NetworkXNoPath:
        return []
    return [nx.path_weight(reference, p, "cost") for p in paths]


def test_tiny_paths_by_hand(tiny_graph):
    paths = strongest_paths(tiny_graph, "alice", "campaign")
    assert list(paths.columns) == list(PATH_COLUMNS)
    assert paths["entities"].tolist() == ["alice;pac;campaign", "alice;acme;bob;campaign"]
    assert paths["hops"].tolist() == [2, 3]
    assert paths["cost"].tolist() == pytest.approx([ALICE_PAC + PAC_CAMPAIGN, ALICE_ACME + ACME_BOB + BOB_CAMPAIGN])
    assert paths["path"].tolist() == [1, 2]


def test_names_are_resolved(tiny_graph):
    assert strongest_paths(tiny_graph, "Alice Able", "Candidate 2024", k=1)["entities"].tolist() == ["alice;pac;campaign"]
    with pytest.raises(UnknownEntityError):
        strongest_paths(tiny_graph, "Alicia", "campaign")


def test_direction_of_influence_is_followed(tiny_graph):
    assert strongest_paths(tiny_graph, "campaign", "alice").empty  # money flows to the campaign, not back
    assert strongest_paths(tiny_graph, "bob", "acme").empty        # bob works for acme: acme directs bob


def test_conflict_ties_only_when_asked(tiny_graph):
    assert strongest_paths(tiny_graph, "rival-co", "bob").empty
    paths = strongest_paths(tiny_graph, "rival-co", "bob", include_conflict=True)
    assert paths["entities"].tolist() == ["rival-co;acme;bob"]
    assert paths["cost"].iloc[0] == pytest.approx(1 / (1.0 * 0.9) + ACME_BOB)  # r6 competitor, reported


def test_bad_requests(tiny_graph):
    with pytest.raises(ValueError, match="same entity"):
        strongest_paths(tiny_graph, "alice", "Alice")
    with pytest.raises(ValueError, match="k must be"):
        strongest_paths(tiny_graph, "alice", "pac", k=0)


@pytest.mark.parametrize("source, target", [
    ("elon-musk", "donald-trump"),
    ("peter-thiel", "donald-trump"),
    ("mark-zuckerberg", "donald-trump"),
    ("jeff-bezos", "trump-inaugural-fund-2025"),
    ("elon-musk", "youtube"),
    ("sam-altman", "trump-administration-2025"),
])
@pytest.mark.parametrize("include_conflict", [False, True])
def test_costs_agree_with_networkx(bundled_graph, source, target, include_conflict):
    paths = strongest_paths(bundled_graph, source, target, k=6, include_conflict=include_conflict)
    expected = networkx_costs(bundled_graph, source, target, 6, include_conflict)
    assert paths["cost"].tolist() == pytest.approx(expected, rel=1e-12)
    # every listed cost is the sum of the metric graph's edge costs along the path
    reference = to_networkx(bundled_graph, collapsed=True, include_conflict=include_conflict)
    for entities, cost in zip(paths["entities"], paths["cost"]):
        assert nx.path_weight(reference, entities.split(";"), "cost") == pytest.approx(cost)
        assert len(set(entities.split(";"))) == len(entities.split(";"))  # loopless


def test_costs_agree_with_networkx_on_a_dense_graph():
    weights = [("a", "b", 1.0), ("a", "c", 3.0), ("b", "c", 2.0), ("b", "d", 1.0), ("c", "d", 5.0),
               ("c", "e", 1.0), ("d", "e", 2.0), ("b", "e", 0.5), ("e", "a", 1.0)]
    graph = InfluenceGraph.from_edges(weights)
    paths = strongest_paths(graph, "a", "e", k=10)
    assert paths["cost"].tolist() == pytest.approx(networkx_costs(graph, "a", "e", 10))
    assert len(paths) == 6  # every simple path from a to e


def test_musk_to_trump_on_the_bundled_data(bundled_graph):
    paths = strongest_paths(bundled_graph, "Elon Musk", "ترامب")
    assert paths["entities"].tolist()[:3] == [
        "elon-musk;donald-trump",
        "elon-musk;america-pac;trump-campaign-2024;donald-trump",  # the real money route, not the aggregate rows
        "elon-musk;trump-campaign-2024;donald-trump",
    ]
    hops = path_hops(bundled_graph, paths)
    first = hops[hops["path"] == 1]
    assert first["relationship_id"].tolist() == ["r007", "r022", "r093"]  # two endorsements and the advisor tie
    third_hop_one = hops[(hops["path"] == 2) & (hops["hop"] == 1)]
    assert third_hop_one["relationship_id"].tolist() == ["r001", "r002", "r013"]
    assert third_hop_one["amount_usd"].tolist()[:2] == [43_600_000, 75_000_000]
    assert "Al-Ahram" in third_hop_one["sources"].iloc[0]


def test_hops_list_every_relationship_with_its_sources(tiny_graph):
    hops = path_hops(tiny_graph, strongest_paths(tiny_graph, "alice", "campaign"))
    assert list(hops.columns) == list(HOP_COLUMNS)
    assert hops[["path", "hop", "relationship_id"]].values.tolist() == [
        [1, 1, "r1"], [1, 1, "r2"], [1, 1, "r3"], [1, 2, "r4"],
        [2, 1, "r5"], [2, 2, "r7"], [2, 3, "r8"]]
    r3 = hops.set_index("relationship_id").loc["r3"]
    assert bool(r3["aggregate"]) and r3["amount_qualifier"] == "at_least" and r3["status"] == "reported"
    assert r3["sources"] == "Example Post: Tech money in 2024 (2024-12)"
    r7 = hops.set_index("relationship_id").loc["r7"]
    # the hop runs acme -> bob; the relationship is shown as written (bob employee acme)
    assert (r7["from_id"], r7["to_id"], r7["source"], r7["type"], r7["target"]) == ("acme", "bob", "bob", "employee", "acme")
    assert hops.groupby(["path", "hop"])["hop_cost"].first().tolist() == pytest.approx(
        [ALICE_PAC, PAC_CAMPAIGN, ALICE_ACME, ACME_BOB, BOB_CAMPAIGN])


def test_mutual_ties_appear_in_either_direction(tiny_graph):
    hops = path_hops(tiny_graph, strongest_paths(tiny_graph, "rival-co", "acme", include_conflict=True),
                     include_conflict=True)
    assert hops["relationship_id"].tolist() == ["r6"]  # written acme competitor rival-co


def test_ego_graph_by_radius(tiny_graph):
    one = ego_graph(tiny_graph, "pac", 1)
    assert isinstance(one, InfluenceGraph)
    assert one.ids == ["alice", "campaign", "pac"]
    assert one.relationships["id"].tolist() == ["r1", "r2", "r3", "r4"]
    assert one.edges.set_index(["source", "target"]).loc[("alice", "pac"), "amount_usd"] == 1_500_000
    assert sorted(one.sources["id"]) == ["s1", "s2"]
    two = ego_graph(tiny_graph, "pac", 2)
    assert two.ids == ["acme", "alice", "bob", "campaign", "pac"]
    assert two.relationships["id"].tolist() == ["r1", "r2", "r3", "r4", "r5", "r7", "r8"]  # r7: among them, not on a route
    assert ego_graph(tiny_graph, "pac", 3).ids == sorted(tiny_graph.ids)
    assert "rival-co" not in ego_graph(tiny_graph, "pac", 3, include_conflict=False).ids
    assert ego_graph(tiny_graph, "Able PAC", 0).ids == ["pac"]
    with pytest.raises(ValueError, match="radius"):
        ego_graph(tiny_graph, "pac", -1)


def test_ego_table(tiny_graph):
    table = ego_table(tiny_graph, "pac", 3)
    assert table[["id", "distance"]].values.tolist() == [
        ["pac", 0], ["alice", 1], ["campaign", 1], ["acme", 2], ["bob", 2], ["rival-co", 3]]
    assert {"pagerank", "betweenness", "strength_in"} <= set(table.columns)
    assert table.set_index("id").loc["campaign", "degree_in"] == 2  # metrics of the whole graph


def test_ego_on_bundled_data(bundled_graph):
    ego = ego_graph(bundled_graph, "america-pac", 1)
    assert {"elon-musk", "trump-campaign-2024", "doug-leone", "youtube"} <= set(ego.ids)
    assert ego.edges.set_index(["source", "target", "layer"]).loc[("elon-musk", "america-pac", "money"), "amount_usd"] == 118_600_000
