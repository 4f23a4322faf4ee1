"""`influence export`: write the (filtered) graph as CSV, GEXF, GraphML, node-link JSON or FollowTheMoney."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.commands.common import (
    add_command, add_data_option, add_filter_options, filter_record, filtered_graph, filters_from_args, shown_inputs,
)
from network.errors import EmptyGraphError
from network.formats.export import EXPORT_FORMATS, export_file_name, write_export
from network.storage.files import atomic_path
from network.contract.load import DataTables
from network.storage.provenance import provenance_record
from network.contract.schema import default_data_dir
from analysis.commands.values import whole_number

__all__ = ["register", "run"]

_WITH_METRICS = ("nodes", "gexf", "graphml", "json")


def register(commands) -> None:
    parser = add_command(
        commands, "export", help="write the graph as CSV, GEXF, GraphML, node-link JSON or FollowTheMoney",
        description="Write the graph, after the filters, in one interchange format: csv (one row per edge), "
                    "relationships (one row per relationship with its sources), nodes (attributes, metrics, "
                    "community), gexf (Gephi, styled like the map), graphml (igraph, networkx, Cytoscape, yEd), "
                    "json (node-link, d3 and sigma.js) or ftm (FollowTheMoney JSON lines, Aleph). Every format "
                    "keeps amounts, dates and sources; gexf, graphml, json, ftm and relationships can be read back "
                    "with --data FILE. The columns and shapes are in docs/exports.md.",
        example="  $ influence export --format gexf --layer money --min-amount-usd 10000\n"
                "  wrote outputs/graph-money-min10000.gexf (10 entities, 9 edges)\n")
    add_data_option(parser)
    parser.add_argument("--format", required=True, choices=(*EXPORT_FORMATS, "parquet"),
                        help="the format to write (parquet: a data folder that --data reads back, docs/fec.md)")
    add_filter_options(parser)
    parser.add_argument("--seed", type=whole_number(), default=0, help="seed for communities and the GEXF/JSON layout (default: 0)")
    parser.add_argument("--out", metavar="FILE", type=Path, default=None,
                        help="file to write, a folder for parquet (default: outputs/ and a name from the format and filters)")
    parser.set_defaults(handler=run)


def _shown(tables: DataTables, data: Path | None) -> dict[str, str]:
    """How provenance names the inputs; a single exported file is named as the user gave it."""
    if data is not None and data.is_file():
        bundled = default_data_dir() / "schema.toml"
        return {name: (f"bundled:{path.name}" if path == bundled else str(data) if path == tables.paths["entities"]
                       else str(data.parent / path.name)) for name, path in tables.paths.items()}
    return shown_inputs(tables, data)


def run(args: argparse.Namespace) -> int:
    from analysis.commands.pipeline import analyze

    graph, tables = filtered_graph(args)
    filters = filters_from_args(args)
    if graph.entities.empty:
        raise EmptyGraphError("no relationship passes the filters; nothing to export")
    nodes = analyze(graph, seed=args.seed)[0] if args.format in _WITH_METRICS else None
    counts = {"entities": len(graph.entities), "relationships": len(graph.relationships), "edges": len(graph.edges),
              "sources": len(graph.sources)}
    parameters = {"format": args.format, "seed": args.seed, **filter_record(args, always_undated=False)}
    record = provenance_record("export", tables.paths, parameters, shown_paths=_shown(tables, args.data), counts=counts)
    if args.format == "parquet":
        return _write_parquet(graph, tables, args, record, filters)
    path = args.out or Path("outputs") / export_file_name(args.format, seed=args.seed, **filters)
    with atomic_path(path) as temp:
        write_export(graph, args.format, temp, nodes=nodes, provenance=record, seed=args.seed)
    print(f"wrote {path} ({len(graph.entities)} entities, {len(graph.edges)} edges)")
    return 0


def _write_parquet(graph, tables: DataTables, args: argparse.Namespace, record, filters) -> int:
    """A Parquet data folder of the filtered graph (`network.formats.parquet_folder`)."""
    from network.formats.parquet_folder import write_parquet_folder

    folder = args.out or Path("outputs") / ("data" + export_file_name("csv", **filters)[len("edges"):-len(".csv")] + "-parquet")
    counts = write_parquet_folder(graph, folder, schema_path=tables.paths["schema"], provenance=record)
    print(f"wrote {folder} ({counts['entities']} entities, {counts['relationships']} relationships, "
          f"{counts['sources']} sources as Parquet)")
    return 0
