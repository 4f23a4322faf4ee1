"""`influence communities`: partitions, their consensus and stability, and agreement between methods."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Mapping

import pandas as pd

from analysis.centrality import centrality_table
from analysis.commands.common import add_command, add_data_option, add_filter_options, filtered_graph
from analysis.commands.output import csv_text, emit, json_records
from analysis.communities import METHODS, community_summary, consensus_communities, method_agreement
from analysis.commands.values import finite_float, whole_number

__all__ = ["FORMATS", "fixed_width", "register"]

FORMATS = ("table", "csv", "json")


def register(commands) -> None:
    parser = add_command(
        commands, "communities", help="find communities (blocs), their stability, and how methods agree",
        description="Partition the entities with Leiden or Louvain (modularity on the undirected strength graph), "
                    "Infomap (map equation on the directed graph) or label propagation, over --runs seeded runs "
                    "(seeds S..S+N-1). Reports the consensus partition (the run agreeing best with the others, by "
                    "mean NMI), its modularity and the best found, each entity's stability (mean Jaccard overlap "
                    "of its community in each run with its consensus community), and each community's most "
                    "central member (highest weighted PageRank) and entity types. --compare instead prints the "
                    "NMI and ARI agreement between the four methods. Conflict ties are left out unless "
                    "--include-conflict.",
        example="  $ influence communities --method louvain --runs 20 --seed 7\n"
                "  louvain communities on the undirected strength graph (resolution 1, 20 runs, seeds 7-26): ...\n"
                "  $ influence communities --compare --format csv --out outputs/agreement.csv\n"
                "  wrote outputs/agreement.csv (4 methods)\n")
    add_data_option(parser)
    parser.add_argument("--method", choices=METHODS, default="leiden", help="community method (default: leiden)")
    parser.add_argument("--resolution", type=finite_float(0.0, 1e6, low_open=True), default=1.0, metavar="R",
                        help="modularity resolution for leiden and louvain; higher gives smaller communities (default: 1)")
    parser.add_argument("--seed", type=whole_number(), default=0, metavar="S", help="first seed (default: 0)")
    parser.add_argument("--runs", type=whole_number(), default=10, metavar="N", help="seeded runs for the consensus (default: 10)")
    parser.add_argument("--include-conflict", action="store_true", help="count conflict ties (lawsuits, rivalries) as bonds")
    parser.add_argument("--compare", action="store_true", help="print NMI and ARI between the four methods instead")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    add_filter_options(parser)
    parser.set_defaults(handler=run)


def _cell(value: object, digits: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def fixed_width(frame: pd.DataFrame, *, digits: int = 4, column_digits: Mapping[str, int] | None = None) -> str:
    """A readable fixed-width table: text left-aligned, numbers right-aligned, floats to ``digits`` places.

    ``column_digits`` overrides the places for some columns. Missing values show as ``-``.

    Examples
    --------
    >>> print(fixed_width(pd.DataFrame({"id": ["a", "bb"], "score": [0.5, 1.25]}), digits=2), end="")
    id  score
    a    0.50
    bb   1.25
    """
    places = {c: (column_digits or {}).get(c, digits) for c in frame.columns}
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]) for c in frame.columns]
    cells = [[_cell(v.item() if hasattr(v, "item") else v, places[c]) for v in frame[c]] for c in frame.columns]
    widths = [max([len(str(c)), *map(len, column)]) for c, column in zip(frame.columns, cells)]
    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if right else v.ljust(w) for v, w, right in zip(values, widths, numeric)).rstrip()
    rows = [line([str(c) for c in frame.columns])]
    rows += [line([column[i] for column in cells]) for i in range(len(frame))]
    return "\n".join(rows) + "\n"


def _seeds(args: argparse.Namespace) -> str:
    return f"{args.runs} run{'s' if args.runs != 1 else ''}, seeds {args.seed}-{args.seed + args.runs - 1}"


def _partition_output(graph, args: argparse.Namespace) -> tuple[str, str]:
    table, runs = consensus_communities(graph, method=args.method, runs=args.runs, seed=args.seed,
                                        resolution=args.resolution, include_conflict=args.include_conflict)
    centrality = centrality_table(graph, metrics=["pagerank"], include_conflict=args.include_conflict)
    summary = community_summary(graph, table, centrality)
    consensus = runs[runs["consensus"]].iloc[0]
    best = runs.sort_values(["modularity", "run"], ascending=[False, True], kind="stable").iloc[0]
    members = (table.merge(graph.entities[["id", "name", "type"]], on="id", how="left")
               .merge(summary[["community", "name"]].rename(columns={"name": "community_name"}), on="community")
               [["id", "name", "type", "community", "community_name", "stability"]]
               .sort_values(["community", "id"], kind="stable").reset_index(drop=True))
    what = f"{len(members)} entities, {len(summary)} communities"
    if args.format == "csv":
        return csv_text(members), what
    if args.format == "json":
        document = {
            "method": args.method, "resolution": args.resolution, "runs": args.runs, "seed": args.seed,
            "include_conflict": args.include_conflict, "modularity": round(float(consensus["modularity"]), 10),
            "consensus_seed": int(consensus["seed"]), "best_modularity": round(float(best["modularity"]), 10),
            "best_seed": int(best["seed"]), "communities": json_records(summary),
            "entities": json_records(members), "runs_detail": json_records(runs),
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n", what
    view = "the directed strength graph" if args.method == "infomap" else "the undirected strength graph"
    resolution = f"resolution {args.resolution:g}, " if args.method in ("leiden", "louvain") else ""
    unstable = int((table["stability"] < 0.8).sum())
    lines = [
        f"{args.method} communities on {view} ({resolution}{_seeds(args)}): "
        f"{len(summary)} communities, {len(members)} entities",
        f"modularity {consensus['modularity']:.4f} (consensus: seed {int(consensus['seed'])}, mean NMI with the "
        f"other runs {consensus['mean_nmi']:.3f}); best run {best['modularity']:.4f} (seed {int(best['seed'])})",
        f"stability (mean Jaccard overlap with the consensus community): mean {table['stability'].mean():.3f}; "
        f"entities below 0.8: {unstable}",
        "",
        fixed_width(summary[["community", "size", "name", "pagerank", "stability", "types"]]
                    .rename(columns={"name": "named after (highest pagerank)"}), digits=3),
        fixed_width(members.drop(columns=["community_name"]), digits=3),
    ]
    return "\n".join(lines), what


def _compare_output(graph, args: argparse.Namespace) -> tuple[str, str]:
    agreement = method_agreement(graph, runs=args.runs, seed=args.seed, resolution=args.resolution,
                                 include_conflict=args.include_conflict)
    what = f"{len(METHODS)} methods"
    if args.format == "csv":
        return csv_text(agreement), what
    if args.format == "json":
        return json.dumps(json_records(agreement), indent=2, ensure_ascii=False) + "\n", what
    parts = [f"agreement between community methods (consensus of each over {_seeds(args)}; "
             f"resolution {args.resolution:g})", ""]
    for measure, label in (("nmi", "normalized mutual information"), ("ari", "adjusted Rand index")):
        matrix = agreement.pivot(index="method_a", columns="method_b", values=measure).loc[list(METHODS), list(METHODS)]
        parts += [f"{label} ({measure.upper()}):",
                  fixed_width(matrix.rename_axis(columns=None).reset_index().rename(columns={"method_a": "method"}), digits=3)]
    return "\n".join(parts), what


def run(args: argparse.Namespace) -> int:
    if args.runs < 1:
        raise ValueError(f"--runs must be at least 1 (found {args.runs})")
    graph, _ = filtered_graph(args)
    text, what = (_compare_output if args.compare else _partition_output)(graph, args)
    emit(text, args.out, what=what)
    return 0
