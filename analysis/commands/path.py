"""`influence path`: the strongest influence chains between two entities, with the evidence for each hop.

Also holds the output helpers the analysis commands share (fixed-width
tables, csv, json, --out files).
"""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd

from analysis.commands.common import add_command, add_data_option, add_filter_options, filtered_graph, filters_from_args, load_graph
from analysis.commands.output import add_output_options, emit, json_records, printable
from analysis.group_paths import strongest_group_paths
from analysis.groups import GROUP_HELP, resolve_group
from analysis.paths import path_hops, strongest_paths
from analysis.resolve import resolve_entity
from network.graph import InfluenceGraph
from analysis.commands.values import whole_number

__all__ = ["register", "run", "resolved_and_filtered"]


def register(commands) -> None:
    parser = add_command(
        commands, "path", help="the k strongest influence chains from one entity to another, with evidence",
        description="List the k strongest influence chains from SOURCE to TARGET: the k loopless paths of lowest "
                    "total cost, where a tie's cost is 1/strength and paths follow the direction influence flows "
                    "(money and control toward recipients; all layers between two entities merged). Each hop "
                    "lists the relationships behind it with type, amount and qualifier, dates, status and "
                    "sources. SOURCE and TARGET may be ids, names or aliases, in English or Arabic. Exit status "
                    "1 if a name is unknown or ambiguous, or if there is no path.",
        example="  $ influence path \"Elon Musk\" ترامب --k 2\n"
                "  Influence paths from Elon Musk (elon-musk) to Donald Trump (donald-trump), strongest first\n"
                "  ...\n"
                "  1. Elon Musk -> Donald Trump  (cost 0.1587, 1 hop)\n"
                "     Elon Musk -> Donald Trump  (hop cost 0.1587)\n"
                "       r007  elon-musk endorsement donald-trump  from 2024-07  reported\n"
                "             formal endorsement after the Pennsylvania assassination attempt\n"
                "             sources: Al-Ahram Gate (...): ... (2024-11-06) | Los Angeles Times ...\n"
                "  ...\n"
                "  $ influence path --from type:company --to \"Donald Trump\" --k 3\n")
    parser.add_argument("source", metavar="SOURCE", nargs="?", help="where influence starts: an id, name or alias")
    parser.add_argument("target", metavar="TARGET", nargs="?", help="where it arrives: an id, name or alias")
    parser.add_argument("--from", dest="from_group", action="append", metavar="GROUP",
                        help="instead of SOURCE, chains may start at any entity of a group: " + GROUP_HELP)
    parser.add_argument("--to", dest="to_group", action="append", metavar="GROUP",
                        help="instead of TARGET, chains may end at any entity of a group (same forms)")
    parser.add_argument("--seed", type=int, default=0, help="seed for community:K groups (default: 0)")
    parser.add_argument("--k", type=whole_number(), default=5, help="how many paths at most (default: 5)")
    parser.add_argument("--include-conflict", action="store_true",
                        help="let paths run through conflict ties (lawsuits, rivalries, competitors)")
    timing = parser.add_mutually_exclusive_group()
    timing.add_argument("--time-respecting", dest="time_respecting", action="store_true", default=None,
                        help="keep only chains whose hops can follow each other in time (undated hops allowed and "
                             "counted); the default with --layer money alone (docs/money.md, rule 18)")
    timing.add_argument("--any-time", dest="time_respecting", action="store_false",
                        help="chain hops whatever their dates (the default unless --layer money alone)")
    add_output_options(parser, formats=("table", "json"))
    add_data_option(parser)
    add_filter_options(parser)
    parser.set_defaults(handler=run)


def time_respecting(args: argparse.Namespace) -> bool:
    """--time-respecting / --any-time as given, else on for money chains (--layer money and no other layer)."""
    if args.time_respecting is not None:
        return bool(args.time_respecting)
    return list(dict.fromkeys(getattr(args, "layers", None) or [])) == ["money"]


# ---------------------------------------------------------------- shared output helpers

def resolved_and_filtered(args: argparse.Namespace, *names: str) -> tuple[InfluenceGraph, InfluenceGraph, list[str]]:
    """The full graph, the filtered graph, and the ids the names resolve to (in the full graph).

    Names are looked up before filtering, so that an entity the filters
    leave without ties is reported as such rather than as unknown.
    """
    full, _ = load_graph(getattr(args, "data", None))
    ids = [resolve_entity(full, name) for name in names]
    filters = filters_from_args(args)
    return full, (full.filter(**filters) if filters else full), ids


# ---------------------------------------------------------------- the command

def _amount(row: dict) -> str:
    amount = row["amount_usd"]
    if amount is None or amount != amount:
        return ""
    qualifier = {"exact": "", "approx": "about ", "at_least": "at least ", "at_most": "at most "}.get(row["amount_qualifier"], "")
    note = " [aggregate: restates money other rows count]" if row["aggregate"] else ""
    return f"{qualifier}${amount:,.0f}{note}"


def _dates(row: dict) -> str:
    start, end = row["start_date"], row["end_date"]
    if start and end:
        return start if start == end else f"{start}..{end}"
    if start:
        return f"from {start}"
    return f"until {end}" if end else "undated"


def _text(graph: InfluenceGraph, paths: pd.DataFrame, hops: pd.DataFrame, source: str, target: str,
          include_conflict: bool, in_time: bool = False, *, heading: str | None = None) -> str:
    names = graph.entities.set_index("id")["name"]
    heading = heading or f"Influence paths from {names[source]} ({source}) to {names[target]} ({target}), strongest first"
    lines = [heading,
             "(path length = sum of cost = 1/strength along the direction of influence, all layers merged; "
             + ("conflict ties included" if include_conflict else "conflict ties excluded")
             + ("; time-respecting: each hop can follow the one before, undated hops allowed)" if in_time else ")"), ""]
    for path in paths.itertuples(index=False):
        chain = path.entities.split(";")
        plural = "hop" if path.hops == 1 else "hops"
        undated = int(getattr(path, "undated_hops", 0) or 0)
        flag = f", {undated} undated {'hop' if undated == 1 else 'hops'}" if undated else ""
        lines.append(f"{path.path}. {' -> '.join(names[e] for e in chain)}  (cost {path.cost:.4f}, {path.hops} {plural}{flag})")
        steps = hops[hops["path"] == path.path]
        for (hop, u, v), rows in steps.groupby(["hop", "from_id", "to_id"], sort=True):
            lines.append(f"   {names[u]} -> {names[v]}  (hop cost {rows['hop_cost'].iloc[0]:.4f})")
            for row in rows.to_dict("records"):
                facts = "  ".join(p for p in (_amount(row), _dates(row), row["status"]) if p)
                lines.append(f"     {row['relationship_id']}  {row['source']} {row['type']} {row['target']}  {facts}")
                if row["role"]:
                    lines.append(f"           {row['role']}")
                lines.append(f"           sources: {row['sources']}")
        lines.append("")
    return printable("\n".join(lines))  # names from the data: an ESC sequence is shown, not obeyed


def _json(paths: pd.DataFrame, hops: pd.DataFrame, source: str, target: str, include_conflict: bool,
          in_time: bool = False) -> str:
    result = {"source": source, "target": target, "include_conflict": include_conflict, "time_respecting": in_time,
              "length": "sum of cost = 1/strength", "paths": []}
    for path in paths.itertuples(index=False):
        steps = []
        for (hop, u, v), rows in hops[hops["path"] == path.path].groupby(["hop", "from_id", "to_id"], sort=True):
            records = json_records(rows.drop(columns=["path", "hop", "from_id", "to_id", "hop_cost"]))
            steps.append({"hop": int(hop), "from": u, "to": v, "cost": float(rows["hop_cost"].iloc[0]),
                          "relationships": records})
        result["paths"].append({"path": int(path.path), "cost": float(path.cost), "hops": int(path.hops),
                                "entities": path.entities.split(";"), "steps": steps,
                                **({"undated_hops": int(path.undated_hops)} if in_time else {})})
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def _run_groups(args: argparse.Namespace) -> int:
    """Chains from any entity of --from (or SOURCE) to any entity of --to (or TARGET)."""
    positional = [name for name in (args.source, args.target) if name]
    from_specs = args.from_group or positional[:1]
    positional = positional if args.from_group else positional[1:]
    to_specs = args.to_group or positional[:1]
    positional = positional if args.to_group else positional[1:]
    if positional:
        raise ValueError(f"too many ends: {', '.join(positional)} besides --from/--to")
    if not from_specs or not to_specs:
        raise ValueError("give SOURCE or --from GROUP, and TARGET or --to GROUP")
    graph, _ = filtered_graph(args)
    sources, targets = resolve_group(graph, from_specs, seed=args.seed), resolve_group(graph, to_specs, seed=args.seed)
    paths = strongest_group_paths(graph, sources, targets, k=args.k, include_conflict=args.include_conflict)
    if paths.empty:
        print(f"influence: no influence path from the {len(sources)} entities of --from to the {len(targets)} of --to "
              "along the direction of influence", file=sys.stderr)
        return 1
    hops = path_hops(graph, paths, include_conflict=args.include_conflict)
    source, target = f"group of {len(sources)}", f"group of {len(targets)}"
    if args.format == "json":
        text = _json(paths, hops, sources, targets, args.include_conflict)
    else:
        names = graph.entities.set_index("id")["name"]
        label = lambda ids: names[ids[0]] if len(ids) == 1 else f"{len(ids)} entities"
        text = _text(graph, paths, hops, source, target, args.include_conflict,
                     heading=f"Influence paths from {label(sources)} to {label(targets)}, strongest first")
    emit(text, args.out, what=f"{len(paths)} paths")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.from_group or args.to_group:
        return _run_groups(args)
    if not args.source or not args.target:
        raise ValueError("give SOURCE and TARGET (or --from GROUP and --to GROUP)")
    full, graph, (source, target) = resolved_and_filtered(args, args.source, args.target)
    missing = [e for e in (source, target) if e not in set(graph.entities["id"])]
    if missing:
        print(f"influence: no influence path: {', '.join(missing)} has no ties left after the filters; "
              "remove or widen --layer/--type/--since/--until/--min-amount-usd/--status", file=sys.stderr)
        return 1
    in_time = time_respecting(args)
    paths = strongest_paths(graph, source, target, k=args.k, include_conflict=args.include_conflict,
                            time_respecting=in_time)
    if paths.empty:
        hint = [] if args.include_conflict else ["--include-conflict"]
        if filters_from_args(args):
            hint.append("removing filters")
        advice = f"; try {' or '.join(hint)}" if hint else ""
        print(f"influence: no influence path from {source} to {target} along the direction of influence{advice}",
              file=sys.stderr)
        return 1
    hops = path_hops(graph, paths, include_conflict=args.include_conflict)
    if args.format == "json":
        text = _json(paths, hops, source, target, args.include_conflict, in_time)
    else:
        text = _text(graph, paths, hops, source, target, args.include_conflict, in_time)
    emit(text, args.out, what=f"{len(paths)} paths")
    return 0
