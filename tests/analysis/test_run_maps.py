"""`influence run`'s maps on graphs above the map limit: cut to a size that opens, and titled so."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.commands import pipeline as run_command
from analysis.paths import ego_graph
from network.storage.files import StagedOutputs


def test_strongest_neighbours_by_hand(tiny_graph):
    # Tie strengths worked out by hand from data/schema.toml: alice -> pac is money, r1 + r2 = $1.5M
    # (r3 is their aggregate, not added): 1 + log10(1,500,000 / 1,000) = 4.18; alice -> acme is an
    # executive tie, default 4.0; acme's others: bob (employee, reported: 1.5 x 0.9 = 1.35) and
    # rival-co (competitor, reported: 1.0 x 0.9 = 0.9).
    alice = ego_graph(tiny_graph, "alice", 1)
    assert run_command._strongest_neighbours(alice, "alice", 2) == ["alice", "pac"]
    acme = ego_graph(tiny_graph, "acme", 1)
    assert run_command._strongest_neighbours(acme, "acme", 3) == ["acme", "alice", "bob"]
    assert run_command._strongest_neighbours(acme, "acme", 10) == ["acme", "alice", "bob", "rival-co"]


def test_maps_above_the_limit_are_cut_and_say_so(tiny_graph, tmp_path, monkeypatch):
    monkeypatch.setattr(run_command, "MAP_LIMIT", 3)
    nodes, _ = run_command.analyze(tiny_graph, seed=0)
    with StagedOutputs() as staged:
        written = run_command.write_maps(tiny_graph, nodes, staged, tmp_path, {"command": "test"}, seed=0)
    # 6 entities, 4 of them in the money layer (alice, pac, bob, campaign): every map is written
    assert sorted(written) == sorted(["map.html", "maps/money.html", *(f"maps/ego-{e}.html" for e in
                                      ["acme", "alice", "bob", "campaign", "pac"])])
    assert "top 3 of 6 entities by PageRank" in (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "money layer, top 3 of 4 entities by PageRank" in (tmp_path / "maps" / "money.html").read_text(encoding="utf-8")
    # acme's ego has 3 neighbours: the 2 strongest stay (alice, bob), rival-co goes
    acme = (tmp_path / "maps" / "ego-acme.html").read_text(encoding="utf-8")
    assert "the 2 strongest of 3 neighbours" in acme
    drawn = acme.split("influence-map-data", 1)[1].split("</script>", 1)[0]
    assert '"alice"' in drawn and '"bob"' in drawn and "rival-co" not in drawn


def _tables(graph):
    return [getattr(graph, name).reset_index(drop=True) for name in ("entities", "relationships", "edges")]


def test_the_money_map_graph_is_the_money_layer_cut_to_the_top_entities(tiny_graph):
    """Built at the map's size (keep the top entities, then their money ties) it is the graph that filtering
    the money layer and then cutting it gives: the same tables, entities without money ties among them too."""
    money = tiny_graph.filter(layers=["money"])
    assert run_command._money_entities(tiny_graph).tolist() == money.entities["id"].tolist()  # alice, bob, campaign, pac
    for top in (["alice", "pac", "campaign"], ["bob", "campaign"], ["alice", "bob"]):
        cut = money.restrict(top)
        built = tiny_graph.restrict(top).filter(layers=["money"], drop_isolated=False)
        for expected, got in zip(_tables(cut), _tables(built)):
            pd.testing.assert_frame_equal(got, expected)
        assert built.graph.get_edgelist() == cut.graph.get_edgelist()
    assert tiny_graph.restrict(["alice", "bob"]).filter(layers=["money"], drop_isolated=False).ids == ["alice", "bob"]


def test_money_joins_one_row_per_entity_and_refuses_repeated_ids(tiny_graph):
    nodes, _ = run_command.analyze(tiny_graph, seed=0)
    joined = run_command.with_money(nodes, tiny_graph)
    assert joined["id"].tolist() == nodes["id"].tolist()
    # alice gave r1 + r2 = $1.5M to the PAC (r3, their aggregate, is not added): docs/money.md
    assert joined.set_index("id").loc["alice", "given_usd"] == 1_500_000.0
    with pytest.raises(ValueError, match="repeats an entity id"):
        run_command.with_money(pd.concat([nodes, nodes.head(1)]), tiny_graph)


def test_a_cut_ego_graph_equals_the_ego_graph_restricted_to_the_strongest_neighbours(tmp_path):
    """Ego maps over the limit are built at the map's size: the same tables as building the whole neighbourhood."""
    import pandas as pd

    from analysis.commands.pipeline import _cut_ego, _strongest_neighbours
    from analysis.paths import ego_graph
    from benchmarks.run_data import generate_folder
    from network.contract.load import load_tables
    from network.contract.schema import load_schema
    from network.contract.validate import validated_tables
    from network.graph import build_influence_graph

    generate_folder(3000, tmp_path, seed=4)
    schema = load_schema()
    graph = build_influence_graph(validated_tables(load_tables(tmp_path), schema), schema)
    degree = pd.concat([graph.edges["source"], graph.edges["target"]]).value_counts()
    hubs = degree.index[:3].tolist()
    assert degree.iloc[0] > 40
    for hub in hubs:
        whole = ego_graph(graph, hub, 1)
        assert _cut_ego(graph, hub, len(whole.entities)) is None
        limit = 25
        expected = whole.restrict(_strongest_neighbours(whole, hub, limit))
        got, size = _cut_ego(graph, hub, limit)
        assert size == len(whole.entities)
        for name in ("entities", "relationships", "sources", "edges"):
            pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name), check_exact=True)
