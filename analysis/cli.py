"""The `influence` command line (also `python -m analysis`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

import pandas as pd

import network
from network.errors import DataError, EmptyGraphError, UnknownEntityError
from network.export import edge_list, node_table, write_table
from network.files import StagedOutputs
from network.graph import InfluenceGraph, build_influence_graph
from network.load import DataTables, load_tables
from network.provenance import file_sha256, provenance_record
from network.schema import Schema, default_data_dir, load_schema
from network.validate import validated_tables

from analysis.centrality import centrality_table
from analysis.communities import detect_communities

__all__ = ["main", "build_parser"]

EPILOG_RUN = """example:
  $ influence run
  wrote outputs/nodes.csv (62 entities)
  ...
  $ influence run --data my-data/ --out my-outputs/ --seed 7
"""
EPILOG_VALIDATE = """example:
  $ influence validate --data my-data/
  my-data/relationships.csv:14: amount_usd: not a number (found 'n/a', expected a non-negative number ...)
"""


def _add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="DIR", type=Path, default=None,
                        help="folder with entities.csv, relationships.csv, sources.csv "
                             "(and optionally schema.toml); default: the bundled data")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="influence",
        description="Map and measure influence networks: money, control, access and conflict.",
    )
    parser.add_argument("--version", action="version", version=f"influence {network.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser(
        "run", help="validate, build the graph, compute metrics and communities, write outputs",
        description="The main job: validate the data, build the weighted graph, compute strength, "
                    "weighted PageRank, betweenness (on cost) and seeded Leiden communities, and write "
                    "nodes.csv, edges.csv, map.html and run.json.",
        epilog=EPILOG_RUN, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_data_option(run)
    run.add_argument("--out", metavar="DIR", type=Path, default=Path("outputs"), help="output folder (default: outputs/)")
    run.add_argument("--seed", type=int, default=0, help="seed for community detection (default: 0)")
    run.add_argument("--top", type=int, default=10, help="how many entities to print in the summary (default: 10)")
    run.set_defaults(handler=command_run)

    validate = commands.add_parser(
        "validate", help="check the data files and report every problem",
        description="Check encoding, columns, ids, types, references, amounts, dates, self-loops and "
                    "duplicates. Prints every problem as path:line: column: problem; exit status 1 if any.",
        epilog=EPILOG_VALIDATE, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_data_option(validate)
    validate.set_defaults(handler=command_validate)
    return parser


def load_checked(data_dir: Path | None) -> tuple[DataTables, Schema]:
    """Read the schema and tables of a data folder and validate them (raises DataError)."""
    tables = load_tables(data_dir)
    schema = load_schema(tables.paths["schema"])
    return validated_tables(tables, schema), schema


def _shown_inputs(tables: DataTables, data_dir: Path | None) -> dict[str, str]:
    """How to name each input in provenance: as the user gave it, or bundled:NAME."""
    shown = {}
    for name, path in tables.paths.items():
        if data_dir is None or path.parent == default_data_dir() and data_dir.resolve() != default_data_dir():
            shown[name] = f"bundled:{path.name}"
        else:
            shown[name] = str(data_dir / path.name)
    return shown


def command_validate(args: argparse.Namespace) -> int:
    tables, _ = load_checked(args.data)
    where = args.data or "bundled data"
    print(f"ok: {where}: {len(tables.entities)} entities, {len(tables.relationships)} relationships, "
          f"{len(tables.sources)} sources")
    return 0


def analyze(graph: InfluenceGraph, *, seed: int) -> tuple[pd.DataFrame, float]:
    """The node table of `influence run`: entity attributes, metrics, community."""
    metrics = centrality_table(graph)
    communities, modularity = detect_communities(graph, seed=seed)
    return node_table(graph, metrics, communities), modularity


def command_run(args: argparse.Namespace) -> int:
    from network.views import render_map

    tables, schema = load_checked(args.data)
    graph = build_influence_graph(tables, schema)
    nodes, modularity = analyze(graph, seed=args.seed)
    edges = edge_list(graph)
    parameters = {
        "seed": args.seed,
        "metrics": {"pagerank": {"weight": "strength", "damping": 0.85, "directed": True},
                    "betweenness": {"weight": "cost", "directed": True, "normalized": True},
                    "communities": {"method": "leiden", "objective": "modularity", "resolution": 1.0,
                                    "weight": "strength", "undirected": True}},
        "include_conflict": False,
        "weights": {"money_scale": schema.weights.money_scale, "money_base": schema.weights.money_base,
                    "money_unit_usd": schema.weights.money_unit_usd, "status": dict(schema.weights.status_factor)},
    }
    counts = {"entities": len(graph.entities), "relationships": len(graph.relationships), "edges": len(graph.edges),
              "sources": len(graph.sources), "communities": int(nodes["community"].max())}
    record = provenance_record("run", tables.paths, parameters, shown_paths=_shown_inputs(tables, args.data), counts=counts)
    record["modularity"] = round(modularity, 10)

    out: Path = args.out
    with StagedOutputs() as staged:
        written = {
            "nodes.csv": write_table(nodes, staged.stage(out / "nodes.csv")),
            "edges.csv": write_table(edges, staged.stage(out / "edges.csv")),
        }
        written["map.html"] = render_map(
            nodes, graph.edges, graph.relationships, graph.sources, staged.stage(out / "map.html"),
            size_by="pagerank", color_by="type", title="Influence map", provenance=record, seed=args.seed)
        record["outputs"] = {name: file_sha256(path) for name, path in sorted(written.items())}
        staged_json = staged.stage(out / "run.json")
        staged_json.write_text(json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {out / 'nodes.csv'} ({len(nodes)} entities)")
    print(f"wrote {out / 'edges.csv'} ({len(edges)} edges from {len(graph.relationships)} relationships)")
    print(f"wrote {out / 'map.html'} ({len(nodes)} entities, {len(edges)} edges)")
    print(f"wrote {out / 'run.json'} (input hashes, parameters, versions, seed {args.seed})")
    print()
    print(_summary(nodes, top=args.top, modularity=modularity))
    return 0


def _summary(nodes: pd.DataFrame, *, top: int, modularity: float) -> str:
    """A short ranked table: the top entities by PageRank with betweenness and community."""
    ranked = nodes.sort_values(["pagerank", "id"], ascending=[False, True]).head(top)
    name_width = max(12, *(len(n) for n in ranked["name"]))
    lines = [f"Top {len(ranked)} by weighted PageRank (influence received along money and control):",
             f"{'rank':>4}  {'entity':<{name_width}}  {'type':<12} {'pagerank':>9} {'betweenness':>11} {'strength in':>11} {'community':>9}"]
    for rank, row in enumerate(ranked.itertuples(), start=1):
        lines.append(f"{rank:>4}  {row.name:<{name_width}}  {row.type:<12} {row.pagerank:>9.4f} {row.betweenness:>11.4f} "
                     f"{row.strength_in:>11.2f} {row.community:>9}")
    communities = int(nodes["community"].max()) if len(nodes) else 0
    lines.append(f"{communities} communities (Leiden, modularity {modularity:.3f})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except DataError as err:
        print(err, file=sys.stderr)
        return 1
    except (UnknownEntityError, EmptyGraphError, ValueError) as err:
        print(f"influence: error: {err}", file=sys.stderr)
        return 1
