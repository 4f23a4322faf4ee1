import itertools
from dataclasses import replace

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from analysis.centrality import centrality_table
from analysis.communities import (
    METHODS, _jaccard_with, adjusted_rand_index, community_partition, community_summary, consensus_communities,
    detect_communities, method_agreement, normalized_mutual_information,
)
from network.graph import InfluenceGraph


def karate():
    return InfluenceGraph.from_edges([(str(u), str(v), 1.0) for u, v in nx.karate_club_graph().edges], directed=False)


def test_two_triangles_split_and_numbering_is_by_size():
    edges = [("a", "b", 1), ("b", "c", 1), ("a", "c", 1), ("c", "d", 1), ("d", "a", 1),
             ("x", "y", 1), ("y", "z", 1), ("x", "z", 1), ("c", "x", 0.1)]
    table, modularity = detect_communities(InfluenceGraph.from_edges(edges, directed=False))
    assert dict(zip(table["id"], table["community"])) == {"a": 1, "b": 1, "c": 1, "d": 1, "x": 2, "y": 2, "z": 2}
    reference = nx.Graph()
    reference.add_weighted_edges_from(edges, weight="w")
    assert modularity == pytest.approx(nx.community.modularity(reference, [{"a", "b", "c", "d"}, {"x", "y", "z"}], weight="w"))


def test_karate_club_modularity_matches_networkx_and_is_near_the_optimum():
    table, modularity = detect_communities(karate(), seed=0)
    parts = [set(group["id"].astype(int)) for _, group in table.groupby("community")]
    assert modularity == pytest.approx(nx.community.modularity(nx.karate_club_graph(), parts, weight=None))
    assert modularity >= 0.4197  # the optimum is 0.4198 (Brandes et al. 2008)


def test_same_seed_same_partition_and_rng_is_restored():
    import random  # the module itself, whose state igraph must leave alone

    random.seed(5)
    expected_next = random.random()
    random.seed(5)
    first, _ = detect_communities(karate(), seed=3)
    assert random.random() == expected_next  # igraph used its own generator, not the caller's
    second, _ = detect_communities(karate(), seed=3)
    assert first.equals(second)


# ---------------------------------------------------------------- methods, consensus, stability, agreement
def undirected_reference(graph, include_conflict=False):
    """The networkx view our modularity is defined on: one edge per pair, strengths of both directions added."""
    reference = nx.Graph()
    reference.add_nodes_from(graph.ids)
    for edge in graph.edges.itertuples():
        if edge.layer == "conflict" and not include_conflict:
            continue
        added = edge.strength * (1 if edge.directed else 2)  # a mutual edge counts in both directions
        previous = reference.get_edge_data(edge.source, edge.target, {"w": 0.0})["w"]
        reference.add_edge(edge.source, edge.target, w=previous + added)
    return reference


def weighted_directed():
    """Two dense groups joined weakly, with asymmetric strengths in both directions on some pairs."""
    edges = [("a", "b", 3.0), ("b", "a", 1.0), ("b", "c", 2.0), ("c", "a", 2.5), ("a", "d", 1.5), ("d", "c", 0.5),
             ("x", "y", 2.0), ("y", "z", 4.0), ("z", "x", 1.0), ("x", "z", 0.5), ("w", "x", 2.0), ("y", "w", 1.0),
             ("d", "w", 0.2)]
    return InfluenceGraph.from_edges(edges)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_gives_a_numbered_partition_whose_modularity_matches_networkx(method):
    graph = weighted_directed()
    table, modularity = community_partition(graph, method=method, seed=1)
    assert table["id"].tolist() == sorted(graph.ids)
    sizes = table["community"].value_counts().sort_index()
    assert sizes.index.tolist() == list(range(1, len(sizes) + 1))
    assert sizes.is_monotonic_decreasing  # numbered by size, largest first
    parts = [set(group["id"]) for _, group in table.groupby("community")]
    assert modularity == pytest.approx(nx.community.modularity(undirected_reference(graph), parts, weight="w"), abs=1e-12)


@pytest.mark.parametrize("include_conflict", [False, True])
def test_bundled_modularity_matches_networkx_with_and_without_conflict_ties(bundled_graph, include_conflict):
    table, modularity = community_partition(bundled_graph, method="louvain", seed=2, include_conflict=include_conflict)
    parts = [set(group["id"]) for _, group in table.groupby("community")]
    expected = nx.community.modularity(undirected_reference(bundled_graph, include_conflict), parts, weight="w")
    assert modularity == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("resolution", [0.5, 1.0, 2.0])
def test_modularity_at_other_resolutions_matches_networkx(resolution):
    graph = InfluenceGraph.from_edges([(str(u), str(v), float(d["weight"])) for u, v, d in nx.karate_club_graph().edges(data=True)], directed=False)
    table, modularity = community_partition(graph, method="leiden", resolution=resolution, seed=0)
    parts = [set(group["id"]) for _, group in table.groupby("community")]
    assert modularity == pytest.approx(nx.community.modularity(undirected_reference(graph), parts, weight="w", resolution=resolution), abs=1e-12)


@pytest.mark.parametrize("method", ["leiden", "louvain"])
def test_karate_club_best_partition_over_runs_reaches_the_optimum(method):
    table, runs = consensus_communities(karate(), method=method, runs=10, seed=0)
    assert runs["modularity"].max() >= 0.4197  # the optimum is 0.4198 (Brandes et al. 2008)
    assert runs["seed"].tolist() == list(range(10))
    consensus = runs[runs["consensus"]]
    assert len(consensus) == 1
    parts = [set(group["id"].astype(int)) for _, group in table.groupby("community")]
    assert consensus["modularity"].iloc[0] == pytest.approx(nx.community.modularity(nx.karate_club_graph(), parts, weight=None))


def test_the_consensus_is_the_run_agreeing_best_with_the_others():
    _, runs = consensus_communities(karate(), method="label_propagation", runs=6, seed=0)
    chosen = runs[runs["consensus"]].iloc[0]
    assert chosen["mean_nmi"] == runs["mean_nmi"].max()
    assert runs["mean_nmi"].between(0, 1).all()


def test_unknown_method_and_no_runs_are_refused():
    with pytest.raises(ValueError, match="unknown community method 'walktrap'"):
        community_partition(karate(), method="walktrap")
    with pytest.raises(ValueError, match="at least 1"):
        consensus_communities(karate(), runs=0)


def three_cliques_and_a_switcher():
    """Cliques A and B, with x tied equally to both; clique C far away (one weak tie)."""
    cliques = (["a1", "a2", "a3", "a4", "a5"], ["b1", "b2", "b3", "b4", "b5"], ["c1", "c2", "c3", "c4"])
    edges = [(u, v, 1.0) for clique in cliques for u, v in itertools.combinations(clique, 2)]
    edges += [("x", "a1", 1.0), ("x", "b1", 1.0), ("c1", "a5", 0.05)]
    return InfluenceGraph.from_edges(edges, directed=False)


def test_an_entity_that_switches_community_is_less_stable_than_a_clique_member():
    table, runs = consensus_communities(three_cliques_and_a_switcher(), method="label_propagation", runs=10, seed=0)
    stability = dict(zip(table["id"], table["stability"]))
    assert stability["x"] < 1.0  # x joins A in some runs and B in others
    assert all(stability[c] == 1.0 for c in ("c1", "c2", "c3", "c4"))  # C never changes
    assert all(0.0 < s <= 1.0 for s in stability.values())


def test_stability_is_the_mean_jaccard_overlap_with_the_consensus_community():
    reference = np.array([1, 1, 1, 2, 2])  # a1 a2 x | b1 b2
    other = np.array([1, 1, 2, 2, 2])      # a1 a2 | x b1 b2
    # x: consensus community {a1,a2,x}, in the other run {x,b1,b2}: overlap {x} of union of 5 -> 1/5.
    # a1: {a1,a2,x} vs {a1,a2}: 2/3. b1: {b1,b2} vs {x,b1,b2}: 2/3.
    assert _jaccard_with(reference, other).tolist() == pytest.approx([2 / 3, 2 / 3, 1 / 5, 2 / 3, 2 / 3])
    assert _jaccard_with(reference, reference).tolist() == [1.0] * 5


def test_nmi_and_ari_by_hand():
    a = [0, 0, 1, 1, 2, 2]
    b = [0, 0, 0, 1, 1, 1]
    # Contingency (rows a, columns b): [[2, 0], [1, 1], [0, 2]], n = 6.
    # NMI = 2 I / (H(a) + H(b)) with H(a) = ln 3 and H(b) = ln 2. I sums p ln(p / (p_a p_b)) over cells:
    # cells (0,0) and (2,1): p = 2/6, p_a p_b = 2/6 * 3/6 = 1/6, so 1/3 ln 2 each;
    # cells (1,0) and (1,1): p = 1/6 = p_a p_b, so 0. I = (2/3) ln 2.
    # NMI = (4/3) ln 2 / (ln 3 + ln 2) = 0.924196 / 1.791759 = 0.515804.
    assert normalized_mutual_information(a, b) == pytest.approx((4 / 3) * np.log(2) / np.log(6))
    assert normalized_mutual_information(a, b) == pytest.approx(0.515804, abs=1e-6)
    # ARI: pairs together in both = C(2,2) + C(2,2) = 2; row sums 2,2,2 -> 3 pairs; column sums 3,3 -> 6 pairs;
    # all pairs C(6,2) = 15; expected = 3 * 6 / 15 = 1.2; maximum = (3 + 6) / 2 = 4.5;
    # ARI = (2 - 1.2) / (4.5 - 1.2) = 0.8 / 3.3 = 0.242424.
    assert adjusted_rand_index(a, b) == pytest.approx(0.8 / 3.3)
    assert normalized_mutual_information(b, a) == normalized_mutual_information(a, b)


@pytest.mark.parametrize("partition", [[0, 0, 1, 1, 2], [5, 5, 5, 5, 5], [0, 1, 2, 3, 4], ["x", "y", "x", "y", "z"]])
def test_identical_partitions_agree_exactly(partition):
    relabeled = [f"label-{p}" for p in partition]
    assert normalized_mutual_information(partition, relabeled) == 1.0
    assert adjusted_rand_index(partition, relabeled) == 1.0


def test_nmi_and_ari_match_igraph_on_random_partitions():
    generator = np.random.default_rng(3)
    for _ in range(20):
        a, b = generator.integers(0, 4, 30).tolist(), generator.integers(0, 3, 30).tolist()
        assert normalized_mutual_information(a, b) == pytest.approx(ig.compare_communities(a, b, method="nmi"), abs=1e-12)
        assert adjusted_rand_index(a, b) == pytest.approx(ig.compare_communities(a, b, method="adjusted_rand"), abs=1e-12)


def test_method_agreement_is_a_symmetric_matrix_with_a_unit_diagonal():
    agreement = method_agreement(karate(), runs=2, seed=0)
    assert len(agreement) == 16
    assert agreement[agreement["method_a"] == agreement["method_b"]][["nmi", "ari"]].eq(1.0).all().all()
    matrix = agreement.pivot(index="method_a", columns="method_b", values="nmi")
    assert np.allclose(matrix.to_numpy(), matrix.to_numpy().T)
    assert agreement["nmi"].between(0, 1).all() and agreement["ari"].between(-1, 1).all()


def test_communities_are_named_by_their_highest_pagerank_member_and_summarized_by_type(tiny_graph):
    table = pd.DataFrame({"id": ["acme", "alice", "bob", "campaign", "pac", "rival-co"], "community": [1, 1, 1, 2, 2, 3],
                          "stability": [1.0, 1.0, 0.5, 1.0, 1.0, 1.0]})
    ranks = centrality_table(tiny_graph, metrics=["pagerank"])
    summary = community_summary(tiny_graph, table, ranks)
    assert summary["community"].tolist() == [1, 2, 3]
    assert summary["size"].tolist() == [3, 2, 1]
    pagerank = dict(zip(ranks["id"], ranks["pagerank"]))
    assert summary.loc[0, "id"] == max(["acme", "alice", "bob"], key=lambda i: pagerank[i])
    assert summary.loc[1, "id"] == "campaign"  # money flows alice -> pac -> campaign
    assert summary["types"].tolist() == ["person 2, company 1", "campaign 1, pac 1", "company 1"]
    assert summary["stability"].tolist() == pytest.approx([2.5 / 3, 1.0, 1.0])


def test_consensus_is_deterministic_for_a_seed():
    first = consensus_communities(karate(), method="louvain", runs=4, seed=11)
    second = consensus_communities(karate(), method="louvain", runs=4, seed=11)
    assert first[0].equals(second[0]) and first[1].equals(second[1])


def _summary_row_by_row(graph, table, centrality):
    """community_summary as it was written first: one sort and one count per community (the reference)."""
    columns = ["id", "community"] + (["stability"] if "stability" in table.columns else [])
    merged = (table[columns].merge(graph.entities[["id", "name", "type"]], on="id", how="left")
              .merge(centrality[["id", "pagerank"]], on="id", how="left"))
    rows = []
    for community, members in merged.groupby("community", sort=True):
        top = members.sort_values(["pagerank", "id"], ascending=[False, True], kind="stable").iloc[0]
        counts = members["type"].value_counts()
        types = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        rows.append({"community": int(community), "size": len(members), "id": top["id"], "name": top["name"],
                     "pagerank": float(top["pagerank"]), "types": ", ".join(f"{kind} {count}" for kind, count in types),
                     "stability": float(members["stability"].mean()) if "stability" in members else float("nan")})
    return pd.DataFrame(rows, columns=["community", "size", "id", "name", "pagerank", "types", "stability"])


@pytest.mark.parametrize("seed", range(4))
def test_community_summary_column_wise_equals_row_by_row(seed):
    """Ties in PageRank (broken by id), tied type counts (broken by name), members out of order, with and without stability."""
    import numpy as np

    rng = np.random.default_rng(seed)
    count = 400
    ids = [f"e{i:04d}" for i in rng.permutation(count)]
    edges = [(ids[i], ids[(i * 7 + 1) % count], 1.0) for i in range(count)]
    graph = InfluenceGraph.from_edges(edges)
    kinds = np.array(["person", "pac", "company", "campaign"], dtype=object)
    graph = replace(graph, entities=graph.entities.assign(type=kinds[rng.integers(0, 4, len(graph.entities))]))
    table = pd.DataFrame({"id": ids, "community": rng.integers(1, 30, count), "stability": rng.random(count)})
    ranks = pd.DataFrame({"id": ids, "pagerank": rng.integers(0, 5, count) / 10.0})
    for chosen in (table, table.drop(columns="stability")):
        expected = _summary_row_by_row(graph, chosen, ranks)
        pd.testing.assert_frame_equal(community_summary(graph, chosen, ranks), expected, check_exact=True)
