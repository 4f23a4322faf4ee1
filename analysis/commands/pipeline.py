"""The main job's steps, shared by `run`, `report`, `map` and `export`: metrics and communities, the
provenance record, the maps and the report, staged into an output folder."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Sequence

import pandas as pd

from analysis.centrality import METRICS, centrality_table
from analysis.commands.common import shown_inputs
from analysis.commands.steps import StepClock
from analysis.communities import detect_communities
from network.formats.export import node_table
from network.contract.validate import split_list
from network.graph import InfluenceGraph, filter_relationships
from network.maps.columns import collection_paused
from network.maps.records import MONEY_FACTS
from network.maps.render import render_map
from network.storage.files import StagedOutputs
from network.storage.provenance import provenance_record

__all__ = ["MAP_LIMIT", "analyze", "draw_map", "run_record", "write_maps", "write_report"]


def analyze(graph: InfluenceGraph, *, seed: int, clock: StepClock | None = None) -> tuple[pd.DataFrame, float]:
    """The node table of `influence run`: entity attributes, metrics, community; and the modularity.

    With a ``clock``, the steps ``metrics`` and ``communities`` are timed.
    """
    clock = clock or StepClock("", [])
    with clock.step("metrics"):
        metrics = centrality_table(graph)
    with clock.step("communities"):
        communities, modularity = detect_communities(graph, seed=seed)
    return node_table(graph, metrics, communities), modularity


def with_money(nodes: pd.DataFrame, graph: InfluenceGraph, money: pd.DataFrame | None = None) -> pd.DataFrame:
    """``nodes`` with the money columns the map's entity panel shows (`network.maps.records.MONEY_FACTS`: given,
    received, outside spending for and against, its own spending, pledged), each with its ``*_qualifier``, counted as
    `analysis.flows.flows_by_entity` counts them (docs/money.md); 0 for no money. ``money``: that table
    of ``graph``, when already computed (several maps of one run show the whole graph's money)."""
    from analysis.flows import flows_by_entity

    money = flows_by_entity(graph) if money is None else money
    columns = [c for c in MONEY_FACTS if c in money.columns]
    qualifiers = [q for q in (c.removesuffix("_usd") + "_qualifier" for c in columns) if q in money.columns]
    for table, name in ((nodes, "nodes"), (money, "money table")):  # as merge(validate="one_to_one"), 4x faster
        if not table["id"].is_unique:
            raise ValueError(f"the {name} repeats an entity id")
    merged = nodes.drop(columns=[c for c in (*columns, *qualifiers) if c in nodes.columns]).merge(
        money[["id", *columns, *qualifiers]], on="id", how="left")
    merged[columns] = merged[columns].fillna(0.0)
    merged[qualifiers] = merged[qualifiers].fillna("")
    return merged


def draw_map(graph: InfluenceGraph, nodes: pd.DataFrame, path: Path, *, title: str, provenance: dict | None,
             seed: int, size_by: str = "pagerank", color_by: str = "type", labels: str = "en",
             max_entities: int = 20000, money_graph: InfluenceGraph | None = None,
             money: pd.DataFrame | None = None) -> Path:
    """Render the map of ``graph`` with the rows of ``nodes`` (metrics) for its entities.

    The entity panel shows each entity's money given and received in ``money_graph`` (default: ``graph``;
    the whole graph for an ego map, so that a neighbour's money is not cut to the neighbourhood);
    ``money`` is `analysis.flows.flows_by_entity` of that graph when the caller has it already.
    """
    shown = nodes[nodes["id"].isin(set(graph.entities["id"]))].reset_index(drop=True)
    shown = with_money(shown, money_graph if money_graph is not None else graph, money)
    return render_map(shown, graph.edges, graph.relationships, graph.sources, path, size_by=size_by,
                      color_by=color_by, labels=labels, title=title, provenance=provenance, seed=seed,
                      max_entities=max_entities)


def run_record(command: str, graph: InfluenceGraph, tables, nodes: pd.DataFrame, modularity: float, *,
               data_dir: Path | None, seed: int, extra: dict | None = None) -> dict:
    """The provenance record of a run: inputs with hashes, parameters, counts, versions (no timestamp)."""
    schema = graph.schema
    parameters = {
        "seed": seed,
        "metrics": {name: {"weight": m.weight, "direction": m.direction, "normalization": m.normalization}
                    for name, m in METRICS.items()},
        "communities": {"method": "leiden", "objective": "modularity", "resolution": 1.0,
                        "weight": "strength", "undirected": True},
        "include_conflict": False,
        "weights": {"money_scale": schema.weights.money_scale, "money_base": schema.weights.money_base,
                    "money_unit_usd": schema.weights.money_unit_usd, "status": dict(schema.weights.status_factor)},
    }
    counts = {"entities": len(graph.entities), "relationships": len(graph.relationships), "edges": len(graph.edges),
              "sources": len(graph.sources), "communities": int(nodes["community"].max())}
    record = provenance_record(command, tables.paths, parameters, shown_paths=shown_inputs(tables, data_dir), counts=counts)
    record["modularity"] = round(modularity, 10)

    record["parameters"].update(extra or {})
    return record


def write_report(graph: InfluenceGraph, nodes: pd.DataFrame, record: dict, staged: StagedOutputs, out: Path, *, seed: int,
                 maps: Sequence[str] = (), claims: pd.DataFrame | None = None,
                 robustness: Callable[[], tuple[pd.DataFrame, pd.DataFrame]] | None = None,
                 entity_flows: pd.DataFrame | None = None, rankings: dict | None = None) -> dict[str, Path]:
    """Stage report.html, report.md and the charts under ``out/report/``; return what was staged.

    ``maps`` are the maps written beside the report (paths relative to ``out``), linked from its header.
    ``claims`` (from `analysis.claims.claims_table`) adds the section on reported money against filings.
    ``robustness`` gives those tables when they are computed elsewhere, ``entity_flows`` the
    graph's `analysis.flows.flows_by_entity` table and ``rankings`` the headline scores when they are at hand
    (`analysis.report.build_report`).
    """
    from analysis.report import build_report
    from analysis.report_render import html_pieces, markdown_pieces

    report = build_report(graph, nodes, record, seed=seed, maps=maps, claims=claims, robustness=robustness,
                          entity_flows=entity_flows, rankings=rankings)
    written = {}
    for name, png in sorted(report.charts.items()):
        path = staged.stage(out / "report" / name)
        path.write_bytes(png)
        written[f"report/{name}"] = path
    written["report.md"] = _written_text(staged.stage(out / "report.md"), markdown_pieces(report, chart_folder="report"))
    written["report.html"] = _written_text(staged.stage(out / "report.html"), html_pieces(report))
    return written


def _written_text(path: Path, pieces: Iterable[str]) -> Path:
    """Write a text given in pieces (UTF-8, as `Path.write_text` writes it whole); return ``path``."""
    with open(path, "w", encoding="utf-8") as out:
        for piece in pieces:
            out.write(piece)
    return path


MAP_LIMIT = 5000
"""Above this many entities `run` maps the top entities by PageRank (``influence map`` draws more)."""


def _top_by_pagerank(nodes: pd.DataFrame, ids, limit: int) -> pd.Series:
    """The ``limit`` ids among ``ids`` with the highest whole-graph PageRank (ties by id)."""
    chosen = nodes[nodes["id"].isin(set(ids))]
    return chosen.sort_values(["pagerank", "id"], ascending=[False, True])["id"].head(limit)


def _strongest_neighbours(ego: InfluenceGraph, entity: str, limit: int) -> list[str]:
    """``entity`` and its ``limit - 1`` neighbours with the greatest total tie strength to it (ties by id)."""
    edges = ego.edges
    touching = edges[(edges["source"] == entity) | (edges["target"] == entity)]
    other = touching["target"].where(touching["source"] == entity, touching["source"])
    strength = touching.groupby(other.to_numpy())["strength"].sum()
    ranked = pd.DataFrame({"id": strength.index, "strength": strength.to_numpy()})
    ranked = ranked[ranked["id"] != entity].sort_values(["strength", "id"], ascending=[False, True])
    return [entity, *ranked["id"].head(limit - 1)]


def _cut_ego(graph: InfluenceGraph, entity: str, limit: int) -> tuple[InfluenceGraph, int] | None:
    """``ego_graph(graph, entity, 1).restrict(_strongest_neighbours(...))`` built at the map's size, and the
    whole neighbourhood's entity count; None when the neighbourhood has at most ``limit`` entities.

    The edges touching ``entity`` are the same in the whole graph as in its ego graph (every relationship of
    the entity is in it), so are its strongest neighbours; the cut graph holds the relationships among those
    and, as the ego graph's restriction did, the sources cited anywhere in the whole neighbourhood.
    tests/analysis/test_run_maps.py compares both ways on a hub.
    """
    edges = graph.edges
    touching = ((edges["source"] == entity) | (edges["target"] == entity)).to_numpy()
    members = {entity, *edges["source"].to_numpy()[touching], *edges["target"].to_numpy()[touching]}
    if len(members) <= limit:
        return None
    rel = graph.relationships
    inside = rel["source"].isin(members).to_numpy() & rel["target"].isin(members).to_numpy()
    cited = {s for text in pd.unique(rel["source_ids"].to_numpy()[inside]) for s in split_list(text)}
    kept = _strongest_neighbours(graph, entity, limit)
    return graph.restrict(kept, sources=graph.sources[graph.sources["id"].isin(cited).to_numpy()]), len(members)


def write_maps(graph: InfluenceGraph, nodes: pd.DataFrame, staged: StagedOutputs, out: Path, record: dict, *,
               seed: int, egos: int = 5, clock: StepClock | None = None, money: pd.DataFrame | None = None) -> dict[str, Path]:
    """Stage map.html, maps/money.html and an ego map (radius 1) of each of the ``egos`` entities with the
    greatest total tie strength (in + out). A ``clock`` shows which map is being drawn.

    A map above `MAP_LIMIT` entities would not open usably, so each is cut to that many, and its title
    says so: map.html and the money map keep the entities of highest PageRank (of the whole graph), an
    ego map keeps the entity and its neighbours with the strongest ties to it. ``money``: the graph's
    `analysis.flows.flows_by_entity` table, when the caller has it already.
    """
    with collection_paused():  # the tables and records of seven maps: no cycles among them (see collection_paused)
        return _write_maps(graph, nodes, staged, out, record, seed=seed, egos=egos, clock=clock or StepClock("", []),
                           money=money)


def _write_maps(graph: InfluenceGraph, nodes: pd.DataFrame, staged: StagedOutputs, out: Path, record: dict, *,
                seed: int, egos: int, clock: StepClock, money: pd.DataFrame | None) -> dict[str, Path]:
    from analysis.flows import flows_by_entity
    from analysis.paths import ego_graph

    maps = 2 + min(egos, len(nodes))
    written: dict[str, Path] = {}
    clock.note(f"map 1 of {maps}: map.html")
    whole = graph
    title = "Influence map"
    if len(graph.entities) > MAP_LIMIT:
        whole = graph.restrict(_top_by_pagerank(nodes, graph.entities["id"], MAP_LIMIT))
        title += f": top {MAP_LIMIT:,} of {len(graph.entities):,} entities by PageRank"
    whole_money = flows_by_entity(graph) if money is None else money  # every map but the money layer's shows the whole graph's money
    written["map.html"] = draw_map(whole, nodes, staged.stage(out / "map.html"), title=title, provenance=record, seed=seed,
                                   money_graph=graph, money=whole_money)
    clock.note(f"map 2 of {maps}: maps/money.html")
    money_ids = _money_entities(graph)
    if len(money_ids):
        money_title = "Influence map: money layer (metrics on money ties only)"
        if len(money_ids) > MAP_LIMIT:
            money_title = (f"Influence map: money layer, top {MAP_LIMIT:,} of {len(money_ids):,} "
                           "entities by PageRank (metrics on these money ties only)")
            # the graph that filtering the money layer, then keeping these entities gives (they keep the
            # entities without money ties among them), built at the size of the map, not of the money layer
            money = graph.restrict(_top_by_pagerank(nodes, money_ids, MAP_LIMIT)).filter(layers=["money"],
                                                                                         drop_isolated=False)
        else:
            money = graph.filter(layers=["money"])
        money_nodes, _ = analyze(money, seed=seed)
        written["maps/money.html"] = draw_map(money, money_nodes, staged.stage(out / "maps" / "money.html"),
                                              title=money_title, provenance=record, seed=seed)
    central = nodes.assign(total=nodes["strength_in"] + nodes["strength_out"])
    for number, entity in enumerate(central.sort_values(["total", "id"], ascending=[False, True])["id"].head(egos), start=3):
        clock.note(f"map {number} of {maps}: maps/ego-{entity}.html")
        label = graph.entities.set_index("id").loc[entity, "name"]
        ego_title = f"Influence map: {label} and its ties"
        cut = _cut_ego(graph, entity, MAP_LIMIT)
        if cut is None:
            ego = ego_graph(graph, entity, 1)
        else:
            ego, size = cut
            ego_title += f" (the {MAP_LIMIT - 1:,} strongest of {size - 1:,} neighbours)"
        name = f"maps/ego-{_file_stem(entity)}.html"
        written[name] = draw_map(ego, nodes, staged.stage(out / name), title=ego_title, provenance=record, seed=seed,
                                 money_graph=graph, money=whole_money)
    return written


def _money_entities(graph: InfluenceGraph) -> pd.Series:
    """The ids of the entities with a relationship in the money layer: those of ``graph.filter(layers=["money"])``."""
    kept = filter_relationships(graph.relationships, graph.schema, layers=["money"])
    ids = graph.entities["id"]
    return ids[ids.isin(set(kept["source"]) | set(kept["target"]))]


def _file_stem(entity_id: str) -> str:
    """The id itself, or for an id too long for a file name (over 100 characters) its start and a hash.

    Examples
    --------
    >>> _file_stem("elon-musk"), _file_stem("a" * 300)
    ('elon-musk', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-003ef1ba9e')
    """
    if len(entity_id) <= 100:
        return entity_id
    import hashlib
    return f"{entity_id[:80]}-{hashlib.sha1(entity_id.encode('utf-8')).hexdigest()[:10]}"
