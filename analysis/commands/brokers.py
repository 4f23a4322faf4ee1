"""`influence brokers`: who carries the strongest chains from one group of entities to another."""

from __future__ import annotations

import argparse
import json

import pandas as pd

from analysis.brokers import brokers_between, group_betweenness
from analysis.commands.common import add_command, add_data_option, add_filter_options, filtered_graph
from analysis.commands.output import add_output_options, emit, json_records, render
from analysis.groups import GROUP_HELP, resolve_group
from analysis.paths import path_hops

__all__ = ["register", "run"]


def register(commands) -> None:
    parser = add_command(
        commands, "brokers", help="who brokers between two groups (group betweenness on cost = 1/strength)",
        description="Rank the entities that lie on the strongest chains from one group to another: for each "
                    "entity, the sum over (from, to) pairs of the share of their shortest chains through it "
                    "(subset betweenness), where a chain's length is the sum of cost = 1/strength along the "
                    "direction of influence (all layers merged, conflict left out unless --include-conflict). "
                    "Also prints the group betweenness of the top brokers together (the share of chains that "
                    "pass through at least one of them) and, for each broker, one strongest chain through it "
                    "with the relationships and sources behind every hop. --group G alone prints the group "
                    "betweenness of G over all pairs (normalized by (n-|G|)(n-|G|-1), as networkx does).",
        example="  $ influence brokers --from type:company --to type:campaign --to \"Donald Trump\" --top 4\n"
                "  Brokers from 13 entities to 2 entities (shortest chains on cost = 1/strength, ...): 3 connected pairs\n"
                "  rank  id                         name                         type  chains   share  example\n"
                "     1  trump-inaugural-fund-2025  Trump inaugural fund (2025)  fund  3.0000  1.0000  amazon;...\n"
                "  ...\n"
                "  $ influence brokers --group type:pac\n")
    parser.add_argument("--from", dest="from_group", action="append", metavar="GROUP", help="where chains start: " + GROUP_HELP)
    parser.add_argument("--to", dest="to_group", action="append", metavar="GROUP", help="where chains end (same forms)")
    parser.add_argument("--group", action="append", metavar="GROUP",
                        help="print the group betweenness of this group (over the --from/--to pairs if given)")
    parser.add_argument("--top", type=int, default=10, metavar="N", help="how many brokers to list (default: 10)")
    parser.add_argument("--include-conflict", action="store_true", help="let chains run through conflict ties")
    parser.add_argument("--seed", type=int, default=0, help="seed for community:K groups (default: 0)")
    add_output_options(parser)
    add_data_option(parser)
    add_filter_options(parser)
    parser.set_defaults(handler=run)


def _evidence(graph, chain: str, include_conflict: bool) -> list[str]:
    hops = path_hops(graph, pd.DataFrame({"path": [1], "entities": [chain]}), include_conflict=include_conflict)
    lines = []
    for (u, v), rows in hops.groupby(["from_id", "to_id"], sort=False):
        cited = "; ".join(f"{r['relationship_id']} {r['type']} ({r['sources'] or 'no source'})" for r in rows.to_dict("records"))
        lines.append(f"     {u} -> {v}: {cited}")
    return lines


def run(args: argparse.Namespace) -> int:
    graph, _ = filtered_graph(args)
    if args.top < 1:
        raise ValueError(f"--top must be at least 1 (found {args.top})")
    if not args.from_group and not args.to_group:
        if not args.group:
            raise ValueError("give --from GROUP and --to GROUP, or --group GROUP")
        members = resolve_group(graph, args.group, seed=args.seed)
        value = group_betweenness(graph, members, include_conflict=args.include_conflict)
        result = {"group": members, "group_betweenness": value, "cost": "1/strength"}
        text = (json.dumps(result, ensure_ascii=False, indent=2) + "\n" if args.format == "json" else
                f"Group betweenness of {len(members)} entities (share of all shortest chains, on cost = 1/strength, "
                f"passing through at least one of them): {value:.4f}\n")
        emit(text, args.out, what="group betweenness")
        return 0
    if not args.from_group or not args.to_group:
        raise ValueError("give both --from GROUP and --to GROUP")
    sources = resolve_group(graph, args.from_group, seed=args.seed)
    targets = resolve_group(graph, args.to_group, seed=args.seed)
    result = brokers_between(graph, sources, targets, top=args.top, include_conflict=args.include_conflict)
    table = result.table.head(args.top)
    chosen = resolve_group(graph, args.group, seed=args.seed) if args.group else list(table["id"])
    share = (group_betweenness(graph, chosen, sources=sources, targets=targets, include_conflict=args.include_conflict)
             if chosen else 0.0)
    label = "the given group" if args.group else f"the top {len(chosen)} brokers"
    if args.format == "json":
        text = json.dumps({"from": sources, "to": targets, "pairs": result.pairs, "cost": "1/strength",
                           "group": chosen, "group_betweenness": share, "brokers": json_records(table)},
                          ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        text = render(table, "csv")
    else:
        title = (f"Brokers from {len(sources)} entities to {len(targets)} entities (shortest chains on cost = "
                 f"1/strength, direction of influence): {result.pairs} connected pairs")
        lines = [render(table, "table", title=title).rstrip("\n"),
                 f"{label} together lie on {share:.1%} of the shortest chains between pairs outside them "
                 f"(group betweenness {share:.4f})", ""]
        for row in table.itertuples(index=False):
            if row.example:
                lines.append(f"{row.rank}. {row.name} ({row.id}): " + " -> ".join(row.example.split(";")))
                lines.extend(_evidence(graph, row.example, args.include_conflict))
        text = "\n".join(lines) + "\n"
    emit(text, args.out, what=f"{len(table)} brokers")
    return 0
