"""The main job's steps, shared by `run`, `report`, `map` and `export`: metrics and communities, the
provenance record, the maps and the report, staged into an output folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.centrality import METRICS, centrality_table
from analysis.commands.common import shown_inputs
from analysis.communities import detect_communities
from network.formats.export import node_table
from network.graph import InfluenceGraph
from network.maps.render import render_map
from network.storage.files import StagedOutputs
from network.storage.provenance import provenance_record

__all__ = ["MAP_LIMIT", "analyze", "draw_map", "run_record", "write_maps", "write_report"]


def analyze(graph: InfluenceGraph, *, seed: int) -> tuple[pd.DataFrame, float]:
    """The node table of `influence run`: entity attributes, metrics, community; and the modularity."""
    metrics = centrality_table(graph)
    communities, modularity = detect_communities(graph, seed=seed)
    return node_table(graph, metrics, communities), modularity


def draw_map(graph: InfluenceGraph, nodes: pd.DataFrame, path: Path, *, title: str, provenance: dict | None,
             seed: int, size_by: str = "pagerank", color_by: str = "type", labels: str = "en",
             max_entities: int = 20000) -> Path:
    """Render the map of ``graph`` with the rows of ``nodes`` (metrics) for its entities."""
    shown = nodes[nodes["id"].isin(set(graph.entities["id"]))].reset_index(drop=True)
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


def write_report(graph: InfluenceGraph, nodes: pd.DataFrame, record: dict, staged: StagedOutputs, out: Path, *, seed: int) -> dict[str, Path]:
    """Stage report.html, report.md and the charts under ``out/report/``; return what was staged."""
    from analysis.report import build_report, render_html, render_markdown

    report = build_report(graph, nodes, record, seed=seed)
    written = {}
    for name, png in sorted(report.charts.items()):
        path = staged.stage(out / "report" / name)
        path.write_bytes(png)
        written[f"report/{name}"] = path
    written["report.md"] = staged.stage(out / "report.md")
    written["report.md"].write_text(render_markdown(report, chart_folder="report"), encoding="utf-8")
    written["report.html"] = staged.stage(out / "report.html")
    written["report.html"].write_text(render_html(report), encoding="utf-8")
    return written


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


def write_maps(graph: InfluenceGraph, nodes: pd.DataFrame, staged: StagedOutputs, out: Path, record: dict, *,
               seed: int, egos: int = 5) -> dict[str, Path]:
    """Stage map.html, maps/money.html and an ego map (radius 1) of each of the ``egos`` entities with the
    greatest total tie strength (in + out).

    A map above `MAP_LIMIT` entities would not open usably, so each is cut to that many, and its title
    says so: map.html and the money map keep the entities of highest PageRank (of the whole graph), an
    ego map keeps the entity and its neighbours with the strongest ties to it.
    """
    from analysis.paths import ego_graph

    written: dict[str, Path] = {}
    whole = graph
    title = "Influence map"
    if len(graph.entities) > MAP_LIMIT:
        whole = graph.restrict(_top_by_pagerank(nodes, graph.entities["id"], MAP_LIMIT))
        title += f": top {MAP_LIMIT:,} of {len(graph.entities):,} entities by PageRank"
    written["map.html"] = draw_map(whole, nodes, staged.stage(out / "map.html"), title=title, provenance=record, seed=seed)
    money = graph.filter(layers=["money"])
    if len(money.entities):
        money_title = "Influence map: money layer (metrics on money ties only)"
        if len(money.entities) > MAP_LIMIT:
            money_title = (f"Influence map: money layer, top {MAP_LIMIT:,} of {len(money.entities):,} "
                           "entities by PageRank (metrics on these money ties only)")
            money = money.restrict(_top_by_pagerank(nodes, money.entities["id"], MAP_LIMIT))
        money_nodes, _ = analyze(money, seed=seed)
        written["maps/money.html"] = draw_map(money, money_nodes, staged.stage(out / "maps" / "money.html"),
                                              title=money_title, provenance=record, seed=seed)
    central = nodes.assign(total=nodes["strength_in"] + nodes["strength_out"])
    for entity in central.sort_values(["total", "id"], ascending=[False, True])["id"].head(egos):
        ego = ego_graph(graph, entity, 1)
        label = graph.entities.set_index("id").loc[entity, "name"]
        ego_title = f"Influence map: {label} and its ties"
        if len(ego.entities) > MAP_LIMIT:
            ego_title += f" (the {MAP_LIMIT - 1:,} strongest of {len(ego.entities) - 1:,} neighbours)"
            ego = ego.restrict(_strongest_neighbours(ego, entity, MAP_LIMIT))
        name = f"maps/ego-{_file_stem(entity)}.html"
        written[name] = draw_map(ego, nodes, staged.stage(out / name), title=ego_title, provenance=record, seed=seed)
    return written


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
