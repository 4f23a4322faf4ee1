"""`influence timeline`: how entities' ranks move from one period to the next."""

from __future__ import annotations

import argparse
import sys

from analysis.commands.common import add_command, add_data_option, add_filter_options, filtered_graph, undated_rule
from analysis.commands.output import add_output_options, emit, render
from analysis.timeline import calendar_windows, parse_windows, rank_timeline, timeline_table
from analysis.commands.values import whole_number

__all__ = ["register", "run"]


def register(commands) -> None:
    parser = add_command(
        commands, "timeline", help="how entities' ranks move between periods (years, quarters, months or your own)",
        description="Cut the graph into periods, keep in each the ties whose dates overlap it (undated ties are "
                    "left out of every period, as --since/--until leave them out, unless --undated keep; ongoing "
                    "ties count from their start), compute the metric on each "
                    "period's graph alone and rank the entities (1 = highest). The table gives each entity's rank "
                    "per period and the change from the first period to the last (positive = rose). Calendar "
                    "periods run over the dated ties (or --since..--until); periods with no dated tie are left "
                    "out and runs of periods holding exactly the same ties are merged (FIRST..LAST). --long "
                    "prints one row per entity and period with the score and the change from the previous period.",
        example="  The campaign months against the inaugural donations:\n"
                "  $ influence timeline --period custom --periods 2024-06:2024-11,2024-12:2025-01 --metric strength_in --top 3\n"
                "  Rank by strength_in per period (1 = highest; blank = no dated tie in the period, or a score of zero; ties share a rank; ...)\n"
                "  id                         name                              2024-06:2024-11  2024-12:2025-01  change\n"
                "  -------------------------  --------------------------------  ---------------  ---------------  ------\n"
                "  trump-inaugural-fund-2025  Trump inaugural fund (2025)                                      1\n"
                "  donald-trump               Donald Trump                                    3                2       1\n"
                "  america-pac                America PAC                                     1                3      -2\n"
                "  trump-campaign-2024        Trump 2024 presidential campaign                2                4      -2\n"
                "  $ influence timeline --period quarter --since 2024 --metric pagerank --top 5\n")
    parser.add_argument("--period", choices=("year", "quarter", "month", "custom"), default="year",
                        help="period length, or custom with --periods (default: year)")
    parser.add_argument("--periods", metavar="A:B,C:D", default=None,
                        help="with --period custom: periods as START:END partial dates, comma-separated "
                             "(for example 2024-06:2024-11,2024-12:2025-01)")
    parser.add_argument("--metric", default="pagerank",
                        help="the metric to rank by: pagerank, betweenness, strength_in, ... (default: pagerank)")
    parser.add_argument("--top", type=whole_number(), default=10, metavar="N",
                        help="only entities ranked N or better in some period (default: 10; 0 for all)")
    parser.add_argument("--include-conflict", action="store_true", help="count conflict ties in the metric")
    parser.add_argument("--long", action="store_true",
                        help="one row per entity and period (period, start, end, id, name, value, rank, rank_change)")
    add_output_options(parser)
    add_data_option(parser)
    add_filter_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.period == "custom":
        if not args.periods:
            raise ValueError("--period custom needs --periods START:END[,START:END...]")
        windows, merge = parse_windows(args.periods), False
    else:
        if args.periods:
            raise ValueError("--periods goes with --period custom")
        windows, merge = None, True
    graph, _ = filtered_graph(args)
    if windows is None:
        windows = calendar_windows(graph, args.period, since=args.since, until=args.until)
    keep_undated = undated_rule(args) == "keep"
    ranks = rank_timeline(graph, windows, metric=args.metric, include_conflict=args.include_conflict,
                          merge_unchanged=merge, include_undated=keep_undated)
    if ranks.empty:
        print("influence: no dated ties fall in the periods asked for", file=sys.stderr)
        return 1
    top = args.top if args.top and args.top > 0 else None
    if args.long:
        table = ranks if top is None else ranks[ranks["id"].isin(set(ranks.loc[ranks["rank"] <= top, "id"]))]
        table = table.drop(columns="order").reset_index(drop=True)
    else:
        table = timeline_table(ranks, top=top)
    periods = list(dict.fromkeys(ranks["period"]))
    skipped = [w.label for w in windows if args.period == "custom" and w.label not in periods]
    title = (f"Rank by {args.metric} per period (1 = highest; blank = no dated tie in the period, or a score of zero; "
             f"ties share a rank; change = first period's rank - last period's; undated ties "
             + ("counted in every period)" if keep_undated else "left out)"))
    text = render(table, args.format, title=title)
    if skipped and args.format == "table":
        text += f"no dated ties in: {', '.join(skipped)}\n"
    emit(text, args.out, what=f"{len(table)} rows, {len(periods)} periods")
    return 0
