"""`influence robustness`: how far the top ranking survives other weights, layers, uncertain ties and sources."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from analysis.commands.common import add_command, add_data_option, add_filter_options, filtered_graph
from analysis.commands.communities import FORMATS, fixed_width
from analysis.commands.output import csv_text, emit, json_records
from analysis.robustness import ROBUSTNESS_RESAMPLES, robustness_summary
from analysis.commands.values import finite_float, whole_number

__all__ = ["register"]


def register(commands) -> None:
    parser = add_command(
        commands, "robustness", help="test how stable the top-k ranking is, and flag single-source actors",
        description="Compare the top-k ranking by a metric (default weighted PageRank) with its ranking when the "
                    "graph is rebuilt with linear or unweighted money, with one layer only or one layer left "
                    "out, with confirmed ties only, with --resamples random drops of reported, planned and "
                    "alleged ties (each with probability --drop-probability), and without each source document. "
                    "Agreement is Kendall's tau-b on the union of the two top-k sets and the top-k overlap "
                    "|A and B| / k. An entity of the top k is flagged single-source when every relationship it "
                    "takes part in cites one and the same source, or when it leaves the top k without one "
                    "source. --format csv writes the comparisons (or, with --table entities, the per-entity "
                    "ranks); json holds both.",
        example="  $ influence robustness --top 10 --resamples 50 --seed 1\n"
                "  Robustness of the top 10 by pagerank (log money weights; 67 entities, 115 relationships) ...\n"
                "  $ influence robustness --format csv --table entities --out outputs/robustness-entities.csv\n"
                "  wrote outputs/robustness-entities.csv (33 entities, 17 comparisons)\n")
    add_data_option(parser)
    parser.add_argument("--metric", default="pagerank", metavar="M",
                        help="a centrality column to rank by: pagerank, betweenness, strength_in, ... (default: pagerank)")
    parser.add_argument("--top", type=whole_number(), default=10, metavar="K", help="size of the ranking compared (default: 10)")
    parser.add_argument("--resamples", type=whole_number(), default=ROBUSTNESS_RESAMPLES, metavar="N",
                        help="random drops of uncertain ties (default: 50)")
    parser.add_argument("--drop-probability", type=finite_float(0.0, 1.0), default=0.5, metavar="P",
                        help="chance each reported, planned or alleged tie is dropped in a resample (default: 0.5)")
    parser.add_argument("--seed", type=whole_number(), default=0, metavar="S", help="seed of the resampling (default: 0)")
    parser.add_argument("--include-conflict", action="store_true", help="count conflict ties in the metric")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--table", choices=("comparisons", "entities"), default="comparisons",
                        help="which table --format csv writes (default: comparisons)")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    add_filter_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    graph, _ = filtered_graph(args)
    comparisons, entities = robustness_summary(
        graph, metric=args.metric, top=args.top, resamples=args.resamples, seed=args.seed,
        drop_probability=args.drop_probability, include_conflict=args.include_conflict)
    what = f"{len(entities)} entities, {len(comparisons)} comparisons"
    if args.format == "csv":
        emit(csv_text(entities if args.table == "entities" else comparisons), args.out, what=what)
        return 0
    parameters = {"metric": args.metric, "top": args.top, "resamples": args.resamples, "seed": args.seed,
                  "drop_probability": args.drop_probability, "include_conflict": args.include_conflict,
                  "money_scale": graph.weights.money_scale}
    if args.format == "json":
        document = {**parameters, "comparisons": json_records(comparisons), "entities": json_records(entities)}
        emit(json.dumps(document, indent=2, ensure_ascii=False) + "\n", args.out, what=what)
        return 0
    k = min(args.top, len(graph.entities))
    scenario_ranks = entities[[c for c in entities.columns if c.startswith("rank: ")]]
    shown = entities.assign(best=scenario_ranks.min(axis=1), worst=scenario_ranks.max(axis=1))
    columns = ["rank", "id", "type", "score", "best", "worst"]
    if "resampled_min" in shown:
        shown = shown.rename(columns={"resampled_min": "res_min", "resampled_median": "res_median", "resampled_max": "res_max"})
        columns += ["res_min", "res_median", "res_max"]
    columns += ["sources", "reason"]
    top = shown[shown["rank"] <= k][columns].rename(columns={"score": args.metric, "sources": "single source"})
    extra = len(entities) - len(top)
    lines = [
        f"Robustness of the top {k} by {args.metric} ({graph.weights.money_scale} money weights; "
        f"{len(graph.entities)} entities, {len(graph.relationships)} relationships)",
        "kendall_tau: Kendall's tau-b on the union of both top-k sets; top_k_overlap: |A and B| / k; "
        "resampling: mean and worst over resamples",
        "",
        fixed_width(comparisons, digits=3),
        f"The top {k}: baseline rank; best and worst rank over the scenarios above; rank over resamples "
        "(min, median, max); single source",
        fixed_width(top, digits=4, column_digits={"res_median": 1}),
        f"{extra} more {'entity enters' if extra == 1 else 'entities enter'} the top {k} in some scenario "
        "(all ranks: --format csv --table entities).",
        "",
    ]
    emit("\n".join(lines), args.out, what=what)
    return 0
