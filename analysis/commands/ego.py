"""`influence ego`: an entity's neighborhood within R hops, as tables of entities and relationships."""

from __future__ import annotations

import argparse
import json
import sys

from analysis.commands.common import add_command, add_data_option, add_filter_options
from analysis.commands.output import add_output_options, emit, json_records, render
from analysis.commands.path import resolved_and_filtered
from analysis.paths import RELATIONSHIP_COLUMNS, ego_graph, ego_table
from analysis.commands.values import whole_number

__all__ = ["register", "run"]

_SHOWN = ["id", "name", "type", "distance", "pagerank", "betweenness", "strength_in", "strength_out",
          "degree_in", "degree_out"]


def register(commands) -> None:
    parser = add_command(
        commands, "ego", help="an entity's neighborhood within R hops: entities with metrics, and their relationships",
        description="Show everything within R ties of an entity, counting ties in either direction and every "
                    "layer (conflict too, unless --exclude-conflict): the entities with their distance and their "
                    "metrics in the whole (filtered) network, and every relationship among them. ID may be an "
                    "id, a name or an alias, in English or Arabic. With --format csv, --table chooses which "
                    "table to print.",
        example="  $ influence ego america-pac --radius 1 --since 2024-06\n"
                "  Entities within 1 hop of America PAC (america-pac)\n"
                "  id                   name                              type      distance  pagerank  betweenness ...\n"
                "  -------------------  --------------------------------  --------  --------  --------  ----------- ...\n"
                "  america-pac          America PAC                       pac              0    0.0635       0.0212 ...\n"
                "  cameron-winklevoss   Cameron Winklevoss                person           1    0.0094       0.0000 ...\n"
                "  ...\n"
                "  Relationships among them\n"
                "  id    source              target               type        role ...\n"
                "  r001  elon-musk           america-pac          donation         ...\n"
                "  $ influence ego \"Elon Musk\" --radius 2 --format json --out musk-ego.json\n")
    parser.add_argument("entity", metavar="ID", help="the center: an id, name or alias")
    parser.add_argument("--radius", type=whole_number(), default=1, help="how many hops out (default: 1)")
    parser.add_argument("--exclude-conflict", action="store_true",
                        help="do not count conflict ties (lawsuits, rivalries, competitors) as neighbors")
    parser.add_argument("--table", choices=("entities", "relationships"), default="entities",
                        help="with --format csv: which table to print (default: entities)")
    add_output_options(parser)
    add_data_option(parser)
    add_filter_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    _, graph, (center,) = resolved_and_filtered(args, args.entity)
    if center not in set(graph.entities["id"]):
        print(f"influence: {center} has no ties left after the filters; remove or widen them", file=sys.stderr)
        return 1
    include_conflict = not args.exclude_conflict
    entities = ego_table(graph, center, args.radius, include_conflict=include_conflict)
    relationships = ego_graph(graph, center, args.radius, include_conflict=include_conflict).relationships
    relationships = relationships[list(RELATIONSHIP_COLUMNS)].reset_index(drop=True)
    name = graph.entities.set_index("id").loc[center, "name"]
    what = f"{len(entities)} entities, {len(relationships)} relationships"
    if args.format == "json":
        text = json.dumps({"center": center, "radius": args.radius, "include_conflict": include_conflict,
                           "entities": json_records(entities), "relationships": json_records(relationships)},
                          ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        text = render(entities if args.table == "entities" else relationships, "csv")
    else:
        hops = "hop" if args.radius == 1 else "hops"
        shown = entities[[c for c in _SHOWN if c in entities.columns]]
        text = (render(shown, "table", title=f"Entities within {args.radius} {hops} of {name} ({center})") + "\n"
                + render(relationships.drop(columns=["layer", "source_ids"]), "table", title="Relationships among them"))
    emit(text, args.out, what=what)
    return 0
