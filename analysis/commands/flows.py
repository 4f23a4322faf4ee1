"""`influence flows`: money in and out by entity, pair, type, period or layer; the co-funding network."""

from __future__ import annotations

import argparse
import json
import math


from analysis.cofunding import cofunding_centrality, cofunding_edges
from analysis.commands.common import add_command, add_data_option, add_filter_options, filtered_graph
from analysis.commands.output import add_output_options, emit, json_records, render
from analysis.commands.values import whole_number
from analysis.entity_flows import DIRECTIONS, entity_flows
from analysis.resolve import resolve_entity
from analysis.flow_groups import flows_by_group
from analysis.flows import (PERIODS, QUALIFIER_WORDS, chain_totals, flows_between, flows_by_entity, money_relationships,
                            stated_totals, with_qualifiers)

__all__ = ["register", "run"]

_ENTITY_SHOWN = ["id", "name", "type", "given_usd", "received_usd", "outside_for_usd", "outside_against_usd",
                 "spent_for_usd", "spent_against_usd", "pass_through_usd", "pledged_usd", "pledges_received_usd",
                 "stated_given_usd"]
def register(commands) -> None:
    parser = add_command(
        commands, "flows", help="money given, received and pledged, never counting a dollar twice; co-funding network",
        description="Sum the money that moved, following docs/money.md: by entity (given, contributions received, "
                    "outside spending for and against it, what it spent for and against others, pass-through, net = "
                    "received - given, counts, and a column per contribution type; every amount with its qualifier), by giver-recipient pair, by type, by period or by layer "
                    "(the strongest other tie between giver and recipient: control, access, affiliation, "
                    "conflict, or money only). Aggregate rows, which restate money other rows already count "
                    "(\"more than $100 million in all\"), are never added: they are shown apart as stated totals "
                    "(--stated lists them). Pledges are promises, not transfers: pledged_usd, apart from given_usd. "
                    "Each relationship falls in one group only. --cofunding prints the co-funding network instead: "
                    "givers linked by the recipients they share, weighted by the money both gave (the sum over "
                    "shared recipients of the smaller amount), with weighted degree, eigenvector and betweenness.",
        example="  $ influence flows --top 3\n"
                "  Money by entity (docs/money.md: received = contributions received; outside spending for/against apart; ...\n"
                "  id                   ...  given_usd    received_usd  outside_for_usd      ...  spent_for_usd        ...  pass_through_usd ...\n"
                "  trump-campaign-2024  ...          0   150,000,000  at least 21,000,000  ...                    0  ...                 0 ...\n"
                "  timothy-mellon       ...  150,000,000             0                    0  ...                    0  ...                 0 ...\n"
                "  america-pac          ...          0   118,600,000                    0  ...  at least 21,000,000  ...  about 21,000,000 ...\n"
                "  counted: about $292,658,000 moved gross in 8 transfers with an amount (16 more give none); about $271,658,000 "
                "net of pass-through ...\n"
                "  $ influence flows --by period --period quarter --since 2024\n"
                "  $ influence flows --cofunding\n"
                "  $ influence flows --entity \"America PAC\" --direction in\n")
    parser.add_argument("--by", choices=("entity", "pair", "type", "period", "layer"), default="entity",
                        help="how to group the money (default: entity)")
    parser.add_argument("--period", choices=PERIODS, default="year", help="with --by period: the period length (default: year)")
    parser.add_argument("--top", type=whole_number(), default=None, metavar="N", help="with --by entity or pair: only the first N rows")
    parser.add_argument("--stated", action="store_true", help="list the aggregate rows (stated totals) instead")
    parser.add_argument("--cofunding", action="store_true", help="print the co-funding network and its centrality instead")
    parser.add_argument("--entity", metavar="X", default=None,
                        help="money in and out of one entity (id, name or alias, Arabic too): every counterpart with "
                             "the sums, the relationships and the sources behind them")
    parser.add_argument("--direction", choices=DIRECTIONS, default="both",
                        help="with --entity: money received (in), given (out) or both (default)")
    add_output_options(parser)
    add_data_option(parser)
    add_filter_options(parser)
    parser.set_defaults(handler=run)


def _footer(graph) -> str:
    money = money_relationships(graph)
    transfers = money[money["transfer"]]
    pledges = money[money["pledge"]]
    stated = money[money["stated"]]
    totals = chain_totals(graph)
    bound = QUALIFIER_WORDS.get(totals["qualifier"], "")
    through = QUALIFIER_WORDS.get(totals["pass_through_qualifier"], "")
    net = bound if totals["qualifier"] == totals["pass_through_qualifier"] or not totals["pass_through_usd"] else "about "
    return (f"counted: {bound}${totals['gross_usd']:,.0f} moved gross in {_count(totals['transfers'], 'transfer')} with an "
            f"amount ({len(transfers) - totals['transfers']} more give none); {net}${totals['net_usd']:,.0f} net of "
            f"pass-through ({through}${totals['pass_through_usd']:,.0f} that recipients passed on, not added twice); pledged apart: "
            f"${math.fsum(pledges['amount_usd'].dropna()):,.0f} in {_count(len(pledges), 'pledge')}; "
            f"{_count(len(stated), 'aggregate row')} (stated totals) not added (see --stated)\n")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _run_entity(args: argparse.Namespace, graph) -> int:
    entity = resolve_entity(graph, args.entity)
    table = entity_flows(graph, entity, direction=args.direction)
    if args.top is not None:
        table = table.groupby("direction", sort=False).head(args.top).reset_index(drop=True)
    name = graph.entities.set_index("id").at[entity, "name"]
    if args.format == "table":
        row = flows_by_entity(graph).set_index("id").loc[[entity]]
        said = with_qualifiers(row, symbol="$", pad=False).iloc[0]
        shown = with_qualifiers(table.drop(columns=["source_ids"]))
        text = render(shown, "table", title=f"Money in and out of {name} ({entity}), by counterpart and kind "
                                            "(docs/money.md: aggregate rows not added; pledges apart; spending for or "
                                            "against a candidate is not money the candidate received)")
        parts = []
        if args.direction in ("in", "both"):
            parts.append(f"received: {said['received_usd']} in contributions, outside spending for it "
                         f"{said['outside_for_usd']} and against it {said['outside_against_usd']} "
                         f"(pledged to it {said['pledges_received_usd']})")
        if args.direction in ("out", "both"):
            parts.append(f"given: {said['given_usd']} in contributions, its own spending {said['spent_for_usd']} for and "
                         f"{said['spent_against_usd']} against (pledged by it {said['pledged_usd']})")
        text += "; ".join(parts) + " (all counterparts, before --top)\n"
    else:
        text = render(table, args.format)
    emit(text, args.out, what=f"{len(table)} counterparts")
    return 0


def run(args: argparse.Namespace) -> int:
    graph, _ = filtered_graph(args)
    if args.entity is not None:
        return _run_entity(args, graph)
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
        table, title = flows_by_entity(graph), ("Money by entity (docs/money.md: received = contributions received; outside "
                                                "spending for/against apart; aggregate rows not added; pledges apart), largest first")
    elif args.by == "pair":
        table, title = flows_between(graph), "Money by giver and recipient (aggregate rows not added; pledges apart)"
    else:
        table = flows_by_group(graph, args.by, period=args.period)
        title = f"Money by {args.by}" + (f" ({args.period} of the end date)" if args.by == "period" else "")
    if args.top is not None and (args.by in ("entity", "pair") and not args.stated):
        table = table.head(args.top)
    if args.format == "table":
        shown = table
        if args.by == "entity" and not args.stated:
            keep = [c for c in _ENTITY_SHOWN if c in table.columns]
            shown = table[keep + [c[:-4] + "_qualifier" for c in keep if c[:-4] + "_qualifier" in table.columns]]
        if args.stated:
            shown = table.drop(columns=["source_ids"])
        text = render(with_qualifiers(shown), "table", title=title) + _footer(graph)
    else:
        text = render(table, args.format)
    emit(text, args.out, what=f"{len(table)} rows")
    return 0
