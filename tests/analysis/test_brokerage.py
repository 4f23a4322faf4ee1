import igraph as ig
import numpy as np
import pytest

from analysis.brokerage import brokerage


def graph(edges):
    g = ig.Graph(n=1 + max(max(u, v) for u, v, _ in edges), edges=[(u, v) for u, v, _ in edges], directed=True)
    g.es["strength"] = [w for _, _, w in edges]
    return g


def test_triangle_with_pendant_by_hand():
    # ties (mutual weights): 0-1: 1, 1-2: 2, 0-2: 3, 0-3: 4; row sums 8, 3, 5, 4; row maxima 4, 2, 3, 4
    constraint, effective = brokerage(graph([(0, 1, 1.0), (1, 2, 2.0), (2, 0, 3.0), (0, 3, 4.0)]))
    # effective size of 0: (1 - p02*m12) + (1 - p01*m21) + 1 = (1 - 3/8 * 1) + (1 - 1/8 * 2/3) + 1
    assert effective[0] == pytest.approx((1 - 3 / 8) + (1 - 1 / 12) + 1)
    # constraint of 0: (p01 + p02 p21)^2 + (p02 + p01 p12)^2 + p03^2
    p01, p02, p03, p21, p12 = 1 / 8, 3 / 8, 4 / 8, 2 / 5, 2 / 3
    assert constraint[0] == pytest.approx((p01 + p02 * p21) ** 2 + (p02 + p01 * p12) ** 2 + p03 ** 2)
    assert constraint[3] == pytest.approx(1.0) and effective[3] == pytest.approx(1.0)


def test_reciprocal_ties_add_their_strengths_and_isolates_are_nan():
    one_way = graph([(0, 1, 3.0), (1, 2, 1.0), (0, 2, 1.0), (3, 3, 0.0)][:3] + [(3, 4, 1.0)])
    both_ways = graph([(0, 1, 1.0), (1, 0, 2.0), (1, 2, 1.0), (0, 2, 1.0), (3, 4, 1.0)])
    assert brokerage(one_way)[0][:3] == pytest.approx(brokerage(both_ways)[0][:3])
    g = ig.Graph(n=3, edges=[(0, 1)], directed=True)
    g.es["strength"] = [1.0]
    constraint, effective = brokerage(g)
    assert np.isnan(constraint[2]) and np.isnan(effective[2])


def test_matches_igraph_constraint_on_a_hub_heavy_graph():
    rng = np.random.default_rng(0)
    hubs = 5
    edges = [(int(d), int(rng.integers(0, hubs)), float(rng.uniform(1, 5))) for d in range(hubs, 600)]
    edges += [(int(d), int(rng.integers(0, hubs)), 1.0) for d in range(hubs, 600, 3)]
    g = graph(edges)
    g.simplify(combine_edges={"strength": "sum"})
    constraint, _ = brokerage(g)
    assert constraint == pytest.approx(np.asarray(g.constraint(weights="strength")), nan_ok=True)


def test_a_graph_without_ties_gives_nan_everywhere():
    g = ig.Graph(n=3, directed=True)
    g.es["strength"] = []
    constraint, effective = brokerage(g)
    assert np.isnan(constraint).all() and np.isnan(effective).all()
