"""`influence run`: the main job, from data to every output."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from analysis.commands.common import add_command, add_data_option, add_filter_options, filtered_graph, filters_from_args
from analysis.commands.output import printable
from analysis.commands.pipeline import analyze, run_record, write_maps, write_report
from network.formats.export import edge_list, write_all_exports
from network.storage.files import StagedOutputs
from network.storage.provenance import file_sha256
from analysis.commands.values import whole_number

__all__ = ["register", "run", "summary"]


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
    parser.add_argument("--seed", type=whole_number(), default=0, help="seed for community detection (default: 0)")
    parser.add_argument("--top", type=whole_number(), default=5, help="how many entities each ranking in the summary lists (default: 5)")
    add_filter_options(parser)
    parser.set_defaults(handler=run)


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
        names = [printable(n)[:60] for n in ranked["name"]]
        width = max([12, *(len(n) for n in names)])
        lines.append(f"{title}:")
        for rank, (row, name) in enumerate(zip(ranked.itertuples(), names), start=1):
            lines.append(f"{rank:>4}  {name:<{width}}  {row.type:<12} {getattr(row, metric):>8.4f}   community {row.community}")
        lines.append("")
    communities = int(nodes["community"].max()) if len(nodes) else 0
    lines.append(f"{communities} communities (Leiden on strength, modularity {modularity:.3f})")
    return "\n".join(lines)
