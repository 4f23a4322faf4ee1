"""`influence map`: one self-contained interactive HTML map of the (filtered) graph."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

from analysis.commands.common import add_command, add_data_option, add_filter_options, filter_record, filtered_graph, filters_from_args
from analysis.commands.pipeline import analyze, draw_map
from analysis.paths import ego_graph
from analysis.resolve import resolve_entity
from network.maps.render import COLOR_CHOICES, LABEL_CHOICES, render_overview
from analysis.commands.values import whole_number

__all__ = ["register", "run", "map_name"]


def register(commands) -> None:
    parser = add_command(
        commands, "map", help="draw an interactive HTML map (one file, opens offline) of the graph or a part of it",
        description="Write one self-contained HTML map: no request leaves the page, every string from the data is "
                    "escaped. Edges are colored by layer, dashed for conflict and planned ties; nodes are colored by "
                    "--color-by and sized by --size-by. Narrow big graphs with --top, --ego, --community or the filters, "
                    "or draw --overview (one node per community).",
        example="  $ influence map --layer money --min-amount-usd 10000\n"
                "  wrote outputs/map-money-min10000.html (12 entities, 12 edges)\n"
                "  $ influence map --ego \"إيلون ماسك\" --radius 2 --labels both\n")
    add_data_option(parser)
    add_filter_options(parser)
    parser.add_argument("--color-by", choices=COLOR_CHOICES, default="type", help="node color (default: type)")
    parser.add_argument("--size-by", default="pagerank", metavar="METRIC",
                        help="node size: any metric column of nodes.csv (default: pagerank)")
    parser.add_argument("--ego", metavar="ENTITY", help="only this entity's neighborhood (id, name or alias, Arabic too)")
    parser.add_argument("--radius", type=whole_number(), default=1, help="hops around --ego (default 1)")
    parser.add_argument("--community", type=whole_number(), metavar="K", help="only community K (numbers as in nodes.csv)")
    parser.add_argument("--top", type=whole_number(), metavar="N", help="only the N entities with the largest --size-by")
    parser.add_argument("--overview", action="store_true", help="one node per community, joined by inter-community strength")
    parser.add_argument("--labels", choices=LABEL_CHOICES, default="en", help="label language (default: en)")
    parser.add_argument("--seed", type=whole_number(), default=0, help="seed for communities and the layout (default 0)")
    parser.add_argument("--max-entities", type=whole_number(), default=20000, help="refuse maps larger than this (default 20000)")
    parser.add_argument("--out", metavar="FILE", type=Path, help="output file (default: outputs/map-<filters>.html)")
    parser.set_defaults(handler=run)


def map_name(args: argparse.Namespace) -> str:
    """A file name that says what the map shows: map-money-min10000.html, map-ego-elon-musk-r2.html."""
    parts = ["map"]
    filters = filters_from_args(args)
    for key in ("layers", "types", "statuses"):
        parts += filters.get(key, [])
    if "since" in filters:
        parts.append(f"from{filters['since']}")
    if "until" in filters:
        parts.append(f"to{filters['until']}")
    if "min_amount_usd" in filters:
        parts.append(f"min{filters['min_amount_usd']:g}")
    if "min_sources" in filters:
        parts.append(f"minsources{filters['min_sources']}")
    if filters.get("include_undated"):
        parts.append("withundated")
    if args.ego:
        parts += ["ego", args.ego, f"r{args.radius}"]
    if args.community is not None:
        parts.append(f"community{args.community}")
    if args.top:
        parts.append(f"top{args.top}")
    if args.overview:
        parts.append("overview")
    slug = re.sub(r"[^\w.-]+", "-", "-".join(str(p) for p in parts), flags=re.UNICODE).strip("-").lower()
    return slug + ".html"


def run(args: argparse.Namespace) -> int:
    graph, _ = filtered_graph(args)
    whole = graph
    nodes, _ = analyze(graph, seed=args.seed)
    if args.size_by not in nodes.columns or not pd.api.types.is_numeric_dtype(nodes[args.size_by]):
        raise ValueError(f"--size-by: no metric {args.size_by!r}; expected a numeric column of nodes.csv such as pagerank")
    title = "Influence map"
    if args.ego:
        entity = resolve_entity(graph, args.ego)
        graph = ego_graph(graph, entity, args.radius)
        title = f"Influence map: {graph.entities.set_index('id').loc[entity, 'name']} and {args.radius}-hop neighborhood"
    if args.community is not None:
        members = nodes.loc[nodes["community"] == args.community, "id"]
        if members.empty:
            raise ValueError(f"--community: no community {args.community}; communities run from 1 to {int(nodes['community'].max())}")
        graph = graph.restrict(members)
        title += f": community {args.community}"
    if args.top:
        ranked = nodes[nodes["id"].isin(set(graph.entities["id"]))].sort_values([args.size_by, "id"], ascending=[False, True])
        graph = graph.restrict(ranked["id"].head(args.top))
        title += f": top {args.top} by {args.size_by}"
    out = args.out or Path("outputs") / map_name(args)
    provenance = {"command": "map", "parameters": {**filter_record(args, always_undated=False), "ego": args.ego, "radius": args.radius,
                                                    "community": args.community, "top": args.top, "seed": args.seed}}
    if args.overview:
        render_overview(nodes[nodes["id"].isin(set(graph.entities["id"]))], graph.edges, out, provenance=provenance, seed=args.seed)
        print(f"wrote {out} ({nodes['community'].nunique()} communities of {len(graph.entities)} entities)")
        return 0
    draw_map(graph, nodes, out, title=title, provenance=provenance, seed=args.seed, size_by=args.size_by, money_graph=whole,
             color_by=args.color_by, labels=args.labels, max_entities=args.max_entities)
    print(f"wrote {out} ({len(graph.entities)} entities, {len(graph.edges)} edges)")
    return 0
