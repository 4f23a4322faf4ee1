"""Group betweenness and brokers between groups: by hand, against networkx, and on the command line."""

import json
import random
import re

import networkx as nx
import pytest

from analysis.brokers import BROKER_COLUMNS, brokers_between, group_betweenness
from analysis.cli import main
from analysis.group_paths import strongest_group_paths
from analysis.groups import resolve_group
from analysis.paths import strongest_paths
from network.errors import UnknownEntityError
from network.graph import InfluenceGraph

STRENGTHS = (0.5, 1.0, 2.0, 4.0)  # costs 2, 1, 0.5, 0.25: sums are exact, so equal-length chains tie exactly


def random_edges(seed: int, n: int = 9, p: float = 0.3, *, strongly_connected: bool = True, dyadic: bool = True):
    rng = random.Random(seed)
    nodes = [f"n{i}" for i in range(n)]
    edges = {}
    if strongly_connected:  # a ring through every node
        for i in range(n):
            edges[(nodes[i], nodes[(i + 1) % n])] = rng.choice(STRENGTHS)
    for a in nodes:
        for b in nodes:
            if a != b and rng.random() < p:
                edges[(a, b)] = rng.choice(STRENGTHS) if dyadic else rng.uniform(0.3, 5.0)
    return [(a, b, w) for (a, b), w in sorted(edges.items())]


def networkx_graph(edges) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_weighted_edges_from([(a, b, 1.0 / w) for a, b, w in edges], weight="cost")
    return graph


def brute_force_group_betweenness(graph: nx.DiGraph, group) -> float:
    """The definition, pair by pair, from networkx's list of all shortest paths."""
    total, n, c = 0.0, len(graph), len(group)
    for s in graph:
        for t in graph:
            if s == t or s in group or t in group:
                continue
            try:
                paths = list(nx.all_shortest_paths(graph, s, t, weight="cost"))
            except nx.NetworkXNoPath:
                continue
            total += sum(1 for p in paths if set(p[1:-1]) & set(group)) / len(paths)
    return total / ((n - c) * (n - c - 1))


def test_group_betweenness_by_hand():
    # a -> b -> d and a -> c -> d, equally strong; d -> e
    graph = InfluenceGraph.from_edges([("a", "b", 1.0), ("b", "d", 1.0), ("a", "c", 1.0), ("c", "d", 1.0), ("d", "e", 1.0)])
    # pairs outside {b}: a->d (1 of 2 chains via b), a->e (1 of 2): 1.0; 4 others, 12 ordered pairs
    assert group_betweenness(graph, ["b"], normalized=False) == pytest.approx(1.0)
    assert group_betweenness(graph, ["b"]) == pytest.approx(1.0 / 12)
    # {b, c} together carry both chains a->d and a->e
    assert group_betweenness(graph, ["b", "c"], normalized=False) == pytest.approx(2.0)
    assert group_betweenness(graph, ["d"], normalized=False) == pytest.approx(3.0)  # a->e, b->e, c->e


@pytest.mark.parametrize("seed", range(24))
def test_group_betweenness_matches_networkx(seed):
    """networkx 3.6's group_betweenness_centrality is right for groups of one or two on strongly connected
    digraphs (larger groups and other graphs hit networkx issues #8559 and #8827): compare there."""
    edges = random_edges(seed)
    rng = random.Random(seed)
    reference = networkx_graph(edges)
    group = rng.sample(sorted(reference), rng.choice((1, 2)))
    ours = group_betweenness(InfluenceGraph.from_edges(edges), group)
    assert ours == pytest.approx(nx.group_betweenness_centrality(reference, group, weight="cost"), abs=1e-9)


@pytest.mark.parametrize("seed", range(12))
def test_group_betweenness_matches_the_definition_where_networkx_does_not(seed):
    edges = random_edges(seed, strongly_connected=False, p=0.35, dyadic=seed % 2 == 0)
    rng = random.Random(seed)
    reference = networkx_graph(edges)
    group = rng.sample(sorted(reference), 3)
    ours = group_betweenness(InfluenceGraph.from_edges(edges), group)
    assert ours == pytest.approx(brute_force_group_betweenness(reference, group), abs=1e-9)


@pytest.mark.parametrize("seed", range(16))
def test_brokers_match_networkx_subset_betweenness(seed):
    edges = random_edges(seed, strongly_connected=seed % 2 == 0, dyadic=seed % 3 != 0)
    rng = random.Random(seed)
    reference = networkx_graph(edges)
    sources, targets = rng.sample(sorted(reference), 3), rng.sample(sorted(reference), 3)
    expected = nx.betweenness_centrality_subset(reference, sources, targets, weight="cost", normalized=False)
    table = brokers_between(InfluenceGraph.from_edges(edges), sources, targets).table
    found = dict(zip(table["id"], table["chains"]))
    for entity, value in expected.items():
        assert found.get(entity, 0.0) == pytest.approx(value, abs=1e-9), entity


def test_brokers_table_and_example_chains():
    graph = InfluenceGraph.from_edges([
        ("tech1", "pac", 4.0), ("tech2", "pac", 1.0), ("tech2", "lobby", 2.0),
        ("pac", "campaign", 2.0), ("lobby", "campaign", 2.0),
    ])
    result = brokers_between(graph, ["tech1", "tech2"], ["campaign"], top=1)
    assert list(result.table.columns) == list(BROKER_COLUMNS)
    # tech1 -> campaign only via pac; tech2: via pac costs 1 + 0.5, via lobby 0.5 + 0.5, so lobby
    assert result.table[["id", "chains", "share"]].values.tolist() == [["lobby", 1.0, 0.5], ["pac", 1.0, 0.5]]
    assert result.table["example"].tolist() == ["tech2;lobby;campaign", "tech1;pac;campaign"]
    assert result.pairs == 2
    assert result.top_group_share == pytest.approx(0.5)  # lobby alone carries tech2's chain, not tech1's


def test_group_paths_agree_with_single_paths():
    graph = InfluenceGraph.from_edges([("a", "x", 1.0), ("b", "x", 4.0), ("x", "t", 2.0), ("a", "u", 1.0)])
    paths = strongest_group_paths(graph, ["a", "b"], ["t", "u"], k=5)
    # costs: b->x 0.25, x->t 0.5, a->u 1, a->x 1
    assert paths["entities"].tolist() == ["b;x;t", "a;u", "a;x;t"]
    assert paths["cost"].tolist() == pytest.approx([0.75, 1.0, 1.5])
    single = {row.entities: row.cost for s in ("a", "b") for t in ("t", "u") for row in strongest_paths(graph, s, t).itertuples()}
    assert dict(zip(paths["entities"], paths["cost"])) == pytest.approx(single)
    # an entity in both groups is no chain of its own
    assert strongest_group_paths(graph, ["a", "x"], ["x", "t"])["entities"].tolist() == ["x;t", "a;x", "a;x;t"]


def test_resolve_group_terms(bundled_graph):
    companies = resolve_group(bundled_graph, ["type:company"])
    assert companies == sorted(bundled_graph.entities.loc[bundled_graph.entities["type"] == "company", "id"])
    assert resolve_group(bundled_graph, ["إيلون ماسك; donald-trump"]) == ["donald-trump", "elon-musk"]
    money = set(resolve_group(bundled_graph, ["layer:money"]))
    assert "america-pac" in money and len(money) < len(bundled_graph.entities)
    with pytest.raises(ValueError, match="unknown entity type"):
        resolve_group(bundled_graph, ["type:superpac"])
    with pytest.raises(UnknownEntityError):
        resolve_group(bundled_graph, ["nobody at all"])


def test_brokers_cli_on_the_bundled_data(capsys):
    assert main(["brokers", "--from", "type:company", "--to", "type:campaign", "--to", "Donald Trump", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["brokers"][0]["id"] == "trump-inaugural-fund-2025"
    assert result["pairs"] >= 1 and 0 < result["group_betweenness"] <= 1
    assert main(["brokers", "--from", "type:company", "--to", "Donald Trump"]) == 0
    out = capsys.readouterr().out
    assert "amazon -> trump-inaugural-fund-2025: r042 donation" in out


def test_brokers_cli_group_alone_equals_the_library(capsys, bundled_graph):
    assert main(["brokers", "--group", "America PAC", "--format", "json"]) == 0
    value = json.loads(capsys.readouterr().out)["group_betweenness"]
    assert value == pytest.approx(group_betweenness(bundled_graph, ["america-pac"]))
    assert main(["brokers"]) == 1
    assert "give --from GROUP and --to GROUP" in capsys.readouterr().err


def test_path_between_groups_cli(capsys):
    assert main(["path", "--from", "type:company", "--to", "Donald Trump", "--k", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Influence paths from 13 entities to Donald Trump, strongest first")
    # several companies gave the inaugural fund $1,000,000: equally strong chains
    assert re.search(r"^1\. [A-Za-z ]+ -> Trump inaugural fund \(2025\) -> Donald Trump  \(cost 0\.5278, 2 hops\)$", out, re.M)
    assert main(["path", "--from", "type:company", "Donald Trump", "--k", "1", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["paths"][0]["entities"][-1] == "donald-trump"
