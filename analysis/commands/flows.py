"""`influence flows`: money in and out by entity, pair, type, period or layer; the co-funding network."""

from __future__ import annotations

import argparse
import json
import math

from analysis.cofunding import cofunding_centrality, cofunding_edges
from analysis.commands.common import add_command, add_data_option, add_filter_options, filtered_graph
from analysis.commands.output import add_output_options, emit, json_records, render
from analysis.flows import PERIODS, flows_between, flows_by_entity, flows_by_group, money_relationships, stated_totals
from analysis.commands.values import whole_number

__all__ = ["register", "run"]

_ENTITY_SHOWN = ["id", "name", "type", "given_usd", "received_usd", "net_usd", "pledged_usd", "pledges_received_usd",
                 "given_count", "received_count", "stated_given_usd"]


def register(commands) -> None:
    parser = add_command(
        commands, "flows", help="money given, received and pledged, never counting a dollar twice; co-funding network",
        description="Sum the money that moved, by entity (given, received, net = received - given, counts, "
                    "and a column per money type), by giver-recipient pair, by type, by period or by layer "
                    "(the strongest other tie between giver and recipient: control, access, affiliation, "
                    "conflict, or money only). Aggregate rows, which restate money other rows already count "
                    "(\"more than $100 million in all\"), are never added: they are shown apart as stated totals "
                    "(--stated lists them). Pledges are promises, not transfers: pledged_usd, apart from given_usd. "
                    "Each relationship falls in one group only. --cofunding prints the co-funding network instead: "
                    "givers linked by the recipients they share, weighted by the money both gave (the sum over "
                    "shared recipients of the smaller amount), with weighted degree, eigenvector and betweenness.",
        example="  $ influence flows --top 4\n"
                "  Money by entity (aggregate rows not added; pledges apart), largest first\n"
                "  id                   name                              type        given_usd  received_usd       net_usd ...\n"
                "  -------------------  --------------------------------  --------  -----------  ------------  ------------ ...\n"
                "  trump-campaign-2024  Trump 2024 presidential campaign  campaign            0   171,000,000   171,000,000 ...\n"
                "  timothy-mellon       Timothy Mellon                    person    150,000,000             0  -150,000,000 ...\n"
                "  america-pac          America PAC                       pac        21,000,000   118,600,000    97,600,000 ...\n"
                "  elon-musk            Elon Musk                         person    118,600,000             0  -118,600,000 ...\n"
                "  counted: $292,658,000 moved in 8 transfers with an amount (16 more give none); pledged apart: ...\n"
                "  $ influence flows --by period --period quarter --since 2024\n"
                "  $ influence flows --cofunding\n")
    parser.add_argument("--by", choices=("entity", "pair", "type", "period", "layer"), default="entity",
                        help="how to group the money (default: entity)")
    parser.add_argument("--period", choices=PERIODS, default="year", help="with --by period: the period length (default: year)")
    parser.add_argument("--top", type=whole_number(), default=None, metavar="N", help="with --by entity or pair: only the first N rows")
    parser.add_argument("--stated", action="store_true", help="list the aggregate rows (stated totals) instead")
    parser.add_argument("--cofunding", action="store_true", help="print the co-funding network and its centrality instead")
    add_output_options(parser)
    add_data_option(parser)
    add_filter_options(parser)
    parser.set_defaults(handler=run)


def _footer(graph) -> str:
    money = money_relationships(graph)
    transfers = money[money["transfer"]]
    priced = transfers[transfers["amount_usd"].notna()]
    pledges = money[money["pledge"]]
    stated = money[money["stated"]]
    total = math.fsum(priced["amount_usd"])
    return (f"counted: ${total:,.0f} moved in {_count(len(priced), 'transfer')} with an amount "
            f"({len(transfers) - len(priced)} more give none); pledged apart: "
            f"${math.fsum(pledges['amount_usd'].dropna()):,.0f} in {_count(len(pledges), 'pledge')}; "
            f"{_count(len(stated), 'aggregate row')} (stated totals) not added (see --stated)\n")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def run(args: argparse.Namespace) -> int:
    graph, _ = filtered_graph(args)
    if args.cofunding:
        centrality, edges = cofunding_centrality(graph), cofunding_edges(graph)
        what = f"{len(centrality)} givers, {len(edges)} co-funding ties"
        if args.format == "json":
            text = json.dumps({"givers": json_records(centrality), "ties": json_records(edges)},
                              ensure_ascii=False, indent=2) + "\n"
        elif args.format == "csv":
            text = render(centrality, "csv")
        else:
            text = (render(centrality, "table", title="Co-funding centrality (givers linked by shared recipients, "
                                                       "weighted by shared money: sum of min(a->r, b->r))")
                    + "\n" + render(edges, "table", title="Co-funding ties"))
        emit(text, args.out, what=what)
        return 0
    if args.stated:
        table, title = stated_totals(graph), "Stated totals (aggregate rows: restate money other rows count; never added)"
    elif args.by == "entity":
        table, title = flows_by_entity(graph), "Money by entity (aggregate rows not added; pledges apart), largest first"
    elif args.by == "pair":
        table, title = flows_between(graph), "Money by giver and recipient (aggregate rows not added; pledges apart)"
    else:
        table = flows_by_group(graph, args.by, period=args.period)
        title = f"Money by {args.by}" + (f" ({args.period} of the end date)" if args.by == "period" else "")
    if args.top is not None and (args.by in ("entity", "pair") and not args.stated):
        table = table.head(args.top)
    if args.format == "table":
        shown = table[[c for c in _ENTITY_SHOWN if c in table.columns]] if args.by == "entity" and not args.stated else table
        if args.stated:
            shown = table.drop(columns=["source_ids"])
        text = render(shown, "table", title=title) + _footer(graph)
    else:
        text = render(table, args.format)
    emit(text, args.out, what=f"{len(table)} rows")
    return 0
