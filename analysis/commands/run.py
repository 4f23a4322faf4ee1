"""`influence run`: the main job, from data to every output."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from analysis.commands.claims import claims_summary, filed_claims, with_claim_checks
from analysis.commands.common import (
    add_command, add_data_option, add_filter_options, filter_record, filtered_graph, filters_from_args,
)
from analysis.commands.output import csv_text, printable
from analysis.commands.pipeline import analyze, run_record, write_maps, write_report
from analysis.commands.steps import TIMINGS_FILE, StepClock
from analysis.flows import flows_by_entity
from analysis.rankings import HEADLINES, PLAIN_PAGERANK, headline_scores, headline_table
from analysis.commands.background import start_in_background
from network.formats.export import EXPORT_FORMATS, RUN_FILE_NAMES, write_exports
from network.graph import InfluenceGraph
from network.storage.files import StagedOutputs
from network.storage.provenance import file_sha256
from analysis.commands.values import whole_number

__all__ = ["STEPS", "register", "run", "summary"]


def register(commands) -> None:
    parser = add_command(
        commands, "run", help="validate, build the graph, compute metrics and communities, write every output",
        description="The main job: validate the data, build the weighted graph, compute every centrality "
                    "metric (strength, weighted PageRank, betweenness on cost, ...) and seeded Leiden communities, and write nodes.csv, "
                    "edges.csv, map.html and run.json to the output folder; when the data holds FEC reports (after `influence merge`), "
                    "claims.csv too, with news money checked against them. Nothing is written if the data "
                    "has problems.",
        example="  $ influence run --data my-data/ --out my-outputs/ --seed 7\n"
                "  wrote my-outputs/nodes.csv (67 entities)\n  ...\n"
                "  $ influence run --data fec-data/ --layer money --min-amount-usd 10000 --out fec-run/\n")
    add_data_option(parser)
    parser.add_argument("--out", metavar="DIR", type=Path, default=Path("outputs"), help="output folder (default: outputs/)")
    parser.add_argument("--seed", type=whole_number(), default=0, help="seed for community detection (default: 0)")
    parser.add_argument("--top", type=whole_number(), default=5, help="how many entities each ranking in the summary lists (default: 5)")
    add_filter_options(parser)
    parser.set_defaults(handler=run)


STEPS = ("read", "validate", "build graph", "filter", "metrics", "communities", "exports", "maps", "report", "run.json")
"""The steps of `run` in order, as run-timings.json names them ("filter" only with filters)."""


def run(args: argparse.Namespace) -> int:
    clock = StepClock("influence run", [s for s in STEPS if s != "filter" or filters_from_args(args)], sys.stderr)
    graph, tables = filtered_graph(args, clock=clock)
    nodes, modularity = analyze(graph, seed=args.seed, clock=clock)
    record = run_record("run", graph, tables, nodes, modularity, data_dir=args.data, seed=args.seed,
                        extra={"filters": filter_record(args),
                               "headline_rankings": [{"metric": h.metric, "layers": list(h.layers or []),
                                                      "title": h.title} for h in HEADLINES]})

    claims = filed_claims(tables, graph.schema, args.data)
    mapped = graph if claims is None else with_claim_checks(graph, claims)
    del tables  # not read again: freed before the second process starts, which would otherwise keep a copy of its pages

    out: Path = args.out
    with StagedOutputs() as staged:
        with clock.step("exports"):  # in a second process, beside the maps and the report (nothing reads them back)
            paths = {export_format: staged.stage(out / RUN_FILE_NAMES[export_format]) for export_format in EXPORT_FORMATS}
            written = {RUN_FILE_NAMES[export_format]: path for export_format, path in paths.items()}
            from analysis.report import report_robustness

            # first the robustness tables, which the report waits for; then the exports and their hashes
            exporting = start_in_background(lambda: report_robustness(graph, seed=args.seed),
                                            lambda: _written_exports(graph, nodes, paths, record, seed=args.seed))

        def robustness() -> tuple[pd.DataFrame, pd.DataFrame]:
            return exporting.part(0)

        try:
            with clock.step("maps"):
                money = flows_by_entity(graph)  # the maps' and the report's (the maps' own when claims add checks)
                maps = write_maps(mapped, nodes, staged, out, record, seed=args.seed, clock=clock,
                                  money=money if mapped is graph else None)
                written.update(maps)
            with clock.step("report"):
                rankings = {h: headline_scores(graph, h, seed=args.seed, nodes=nodes) for h in (*HEADLINES, PLAIN_PAGERANK)}  # report and summary
                written.update(write_report(graph, nodes, record, staged, out, seed=args.seed, maps=sorted(maps),
                                            claims=claims, robustness=robustness,
                                            entity_flows=money,
                                            rankings=rankings))
                if claims is not None:
                    written["claims.csv"] = staged.stage(out / "claims.csv")
                    written["claims.csv"].write_text(csv_text(claims), encoding="utf-8")
        except BaseException:
            exporting.stop()
            raise
        with clock.step("exports"):  # the time spent waiting for them adds to the step's
            hashed = exporting.wait()  # the exports', hashed by the second process after writing them
        with clock.step("run.json"):
            record["outputs"] = {name: hashed[name] if name in hashed else file_sha256(path)
                                 for name, path in sorted(written.items())}
            staged.stage(out / "run.json").write_text(
                json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        # wall times differ from run to run: beside run.json, never in it, never in its output hashes
        staged.stage(out / TIMINGS_FILE).write_text(json.dumps(clock.record(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out / 'nodes.csv'} ({len(nodes)} entities)")
    print(f"wrote {out / 'edges.csv'} ({len(graph.edges)} edges from {len(graph.relationships)} relationships)")  # one row per edge
    print(f"wrote {out / 'relationships.csv'} ({len(graph.relationships)} relationships with their sources)")
    for name in ("graph.gexf", "graph.graphml", "graph.json", "graph.ftm.json"):
        print(f"wrote {out / name} ({len(nodes)} entities, {len(graph.edges)} edges)")
    for name in sorted(n for n in written if n.endswith(".html") and not n.startswith("report")):
        print(f"wrote {out / name} (interactive map)")
    print(f"wrote {out / 'report.html'} and {out / 'report.md'} (tables, charts, robustness, method notes, provenance)")
    if claims is not None:
        print(f"wrote {out / 'claims.csv'} ({claims_summary(claims)})")
    print(f"wrote {out / 'run.json'} (input hashes, parameters, versions, seed {args.seed})")
    print(f"wrote {out / TIMINGS_FILE} (wall time of each step)")
    print()
    print(summary(graph, nodes, top=args.top, modularity=modularity, seed=args.seed, rankings=rankings))
    return 0


def _written_exports(graph: InfluenceGraph, nodes: pd.DataFrame, paths: dict, record: dict, *,
                     seed: int) -> dict[str, str]:
    """The second process's last part: write the exports and hash them (for run.json); each export's SHA-256 by
    its name in the output folder.

    Before it the child has scored the report's robustness scenarios (sent back at once: the report needs them
    before the exports are done). The consensus communities stay with the main process. At 1.5M relationships a
    third process for the robustness scenarios was tried: more memory (8.2 GiB for the three) and no faster.
    """
    write_exports(graph, nodes, paths, record, seed=seed)
    return {RUN_FILE_NAMES[export_format]: file_sha256(path) for export_format, path in paths.items()}


def summary(graph: InfluenceGraph, nodes: pd.DataFrame, *, top: int, modularity: float, seed: int = 0,
            rankings: dict | None = None) -> str:
    """The headline rankings (`analysis.rankings.HEADLINES`: recipients of money, givers and owners, brokers),
    each computed on the layers its title states; then the communities. Ties share a rank; entities
    with a zero score are left out. ``rankings``: each headline's `analysis.rankings.headline_scores`
    with ``seed``, when already computed."""
    lines: list[str] = []
    for headline in HEADLINES:
        ranked = headline_table(graph, headline, top=top, seed=seed, communities=nodes, scores=(rankings or {}).get(headline))
        lines.append(f"{headline.title}:")
        if ranked.empty:
            lines.append("   (no entity has a score above zero)")
        names = [printable(n)[:60] for n in ranked["name"]]
        width = max([12, *(len(n) for n in names)])
        for row, name in zip(ranked.itertuples(), names):
            community = "" if pd.isna(row.community) else f"   community {int(row.community)}"
            lines.append(f"{row.rank:>4}  {name:<{width}}  {row.type:<12} {getattr(row, headline.metric):>8.4f}{community}")
        lines.append("")
    communities = int(nodes["community"].max()) if len(nodes) else 0
    lines.append(f"{communities} communities (Leiden on strength, modularity {modularity:.3f})")
    return "\n".join(lines)
