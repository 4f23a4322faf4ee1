"""`influence centrality`: rank entities by any of the documented metrics."""

from __future__ import annotations

import argparse

from analysis.centrality import METRICS, centrality_table
from analysis.commands.common import add_command, add_data_option, add_filter_options, filtered_graph
from analysis.commands.output import add_output_options, emit, render
from analysis.commands.values import whole_number
from analysis.rankings import competition_ranks

__all__ = ["register", "run"]

DEFAULT_METRICS = ("pagerank", "reverse_pagerank", "betweenness", "strength_in", "strength_out", "constraint")


def register(commands) -> None:
    parser = add_command(
        commands, "centrality", help="rank entities by centrality metrics (PageRank, betweenness, HITS, Burt's constraint, ...)",
        description="Score every entity and print the top N, ranked by the first --metric. Strength-based metrics use "
                    "edge strength; betweenness, closeness and harmonic use cost = 1/strength as the distance. "
                    "Metrics: " + ", ".join(METRICS) + ". The README's metric table says what each answers.",
        example="  $ influence centrality --layer money --metric pagerank --metric betweenness --top 5\n"
                "  $ influence centrality --metric constraint --format csv --out brokers.csv\n")
    add_data_option(parser)
    add_filter_options(parser)
    parser.add_argument("--metric", action="append", dest="metrics", metavar="M", choices=list(METRICS),
                        help=f"a metric to compute (repeatable; the first ranks the table); default: {', '.join(DEFAULT_METRICS)}")
    parser.add_argument("--top", type=whole_number(), default=15, help="how many entities to show (0 = all; default 15)")
    parser.add_argument("--include-conflict", action="store_true", help="count conflict edges (lawsuits, rivalries) as ties")
    parser.add_argument("--seed", type=whole_number(), default=0, help="seed for the sampled estimates on large graphs (default 0)")
    add_output_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    graph, _ = filtered_graph(args)
    metrics = list(dict.fromkeys(args.metrics or DEFAULT_METRICS))
    table = centrality_table(graph, metrics=metrics, include_conflict=args.include_conflict, seed=args.seed)
    names = graph.entities.set_index("id")[["name", "type"]]
    table = table.join(names, on="id")[["id", "name", "type", *[c for c in table.columns if c != "id"]]]
    first = metrics[0]
    low_is_central = first == "constraint"  # a low constraint marks a broker
    # ties share a rank; a zero (or missing) score is unranked and listed after the ranked entities
    table.insert(0, "rank", competition_ranks(table[first], ascending=low_is_central).astype("Int64"))
    table = table.sort_values(["rank", "id"], na_position="last", kind="stable")
    shown = table if args.top == 0 else table.head(args.top)
    title = f"{len(graph.entities)} entities, {len(graph.edges)} edges; ranked by {first} ({METRICS[first].question})"
    if table.attrs.get("sampled_sources"):
        title += f"\npath metrics estimated from {table.attrs['sampled_sources']} sampled sources; *_se = standard error"
    emit(render(shown, args.format, title=title), args.out, what=f"{len(shown)} entities")
    return 0
