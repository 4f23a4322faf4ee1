"""`influence run`: the main job, from data to every output."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from analysis.centrality import METRICS, centrality_table
from analysis.commands.common import (
    add_command, add_data_option, add_filter_options, filtered_graph, filters_from_args, shown_inputs,
)
from analysis.communities import detect_communities
from network.export import edge_list, node_table, write_all_exports
from network.files import StagedOutputs
from network.graph import InfluenceGraph
from network.provenance import file_sha256, provenance_record

__all__ = ["register", "analyze", "run_record", "write_maps", "write_report"]


def register(commands) -> None:
    parser = add_command(
        commands, "run", help="validate, build the graph, compute metrics and communities, write every output",
        description="The main job: validate the data, build the weighted graph, compute every centrality "
                    "metric (strength, weighted PageRank, betweenness on cost, ...) and seeded Leiden communities, and write nodes.csv, "
                    "edges.csv, map.html and run.json to the output folder. Nothing is written if the data "
                    "has problems.",
        example="  $ influence run --data my-data/ --out my-outputs/ --seed 7\n"
                "  wrote my-outputs/nodes.csv (67 entities)\n  ...\n"
                "  $ influence run --data fec-data/ --layer money --min-amount-usd 10000 --out fec-run/\n")
    add_data_option(parser)
    parser.add_argument("--out", metavar="DIR", type=Path, default=Path("outputs"), help="output folder (default: outputs/)")
    parser.add_argument("--seed", type=int, default=0, help="seed for community detection (default: 0)")
    parser.add_argument("--top", type=int, default=5, help="how many entities each ranking in the summary lists (default: 5)")
    add_filter_options(parser)
    parser.set_defaults(handler=run)


def analyze(graph: InfluenceGraph, *, seed: int) -> tuple[pd.DataFrame, float]:
    """The node table of `influence run`: entity attributes, metrics, community; and the modularity."""
    metrics = centrality_table(graph)
    communities, modularity = detect_communities(graph, seed=seed)
    return node_table(graph, metrics, communities), modularity


def run(args: argparse.Namespace) -> int:
    graph, tables = filtered_graph(args)
    nodes, modularity = analyze(graph, seed=args.seed)
    edges = edge_list(graph)
    record = run_record("run", graph, tables, nodes, modularity, data_dir=args.data, seed=args.seed,
                        extra={"filters": filters_from_args(args)})

    out: Path = args.out
    with StagedOutputs() as staged:
        written = write_all_exports(graph, nodes, staged, out, record, seed=args.seed)
        written.update(write_maps(graph, nodes, staged, out, record, seed=args.seed))
        written.update(write_report(graph, nodes, record, staged, out, seed=args.seed))
        record["outputs"] = {name: file_sha256(path) for name, path in sorted(written.items())}
        staged.stage(out / "run.json").write_text(
            json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {out / 'nodes.csv'} ({len(nodes)} entities)")
    print(f"wrote {out / 'edges.csv'} ({len(edges)} edges from {len(graph.relationships)} relationships)")
    print(f"wrote {out / 'relationships.csv'} ({len(graph.relationships)} relationships with their sources)")
    for name in ("graph.gexf", "graph.graphml", "graph.json", "graph.ftm.json"):
        print(f"wrote {out / name} ({len(nodes)} entities, {len(edges)} edges)")
    for name in sorted(n for n in written if n.endswith(".html") and not n.startswith("report")):
        print(f"wrote {out / name} (interactive map)")
    print(f"wrote {out / 'report.html'} and {out / 'report.md'} (tables, charts, robustness, method notes, provenance)")
    print(f"wrote {out / 'run.json'} (input hashes, parameters, versions, seed {args.seed})")
    print()
    print(summary(nodes, top=args.top, modularity=modularity))
    return 0


def summary(nodes: pd.DataFrame, *, top: int, modularity: float) -> str:
    """Three short rankings side by side in meaning: recipients, givers, brokers; then the communities."""
    rankings = (
        ("pagerank", "Receive the most influence (weighted PageRank along money and control)"),
        ("reverse_pagerank", "Give or control the most (reverse PageRank: the reach of givers)"),
        ("betweenness", "Broker the strongest chains (betweenness on cost = 1/strength)"),
    )
    lines: list[str] = []
    for metric, title in rankings:
        ranked = nodes.sort_values([metric, "id"], ascending=[False, True]).head(top)
        width = max([12, *(len(n) for n in ranked["name"])])
        lines.append(f"{title}:")
        for rank, row in enumerate(ranked.itertuples(), start=1):
            lines.append(f"{rank:>4}  {row.name:<{width}}  {row.type:<12} {getattr(row, metric):>8.4f}   community {row.community}")
        lines.append("")
    communities = int(nodes["community"].max()) if len(nodes) else 0
    lines.append(f"{communities} communities (Leiden on strength, modularity {modularity:.3f})")
    return "\n".join(lines)


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
    from analysis.commands.maps import draw_map
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
        name = f"maps/ego-{entity}.html"
        written[name] = draw_map(ego, nodes, staged.stage(out / name), title=ego_title, provenance=record, seed=seed)
    return written
