"""`influence report`: ranked tables, communities, money charts, robustness, method notes, provenance."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from analysis.commands.common import add_command, add_data_option, add_filter_options, filter_record, filtered_graph
from analysis.commands.pipeline import analyze, run_record, write_report
from network.storage.files import StagedOutputs
from network.storage.provenance import file_sha256
from analysis.commands.values import whole_number

__all__ = ["register", "run"]


def register(commands) -> None:
    parser = add_command(
        commands, "report", help="write report.html (self-contained) and report.md with tables and charts",
        description="Write OUT/report.html (one self-contained file: charts inlined, opens offline), OUT/report.md and "
                    "the charts under OUT/report/: the top entities by PageRank, reverse PageRank, betweenness and "
                    "constraint; consensus communities; money given and received (counted once) and by type; the "
                    "robustness of the ranking; method notes; the provenance of the run. `influence run` writes it too.",
        example="  $ influence report --since 2024-12 --out outputs/inauguration\n"
                "  wrote outputs/inauguration/report.html, report.md and 3 charts\n")
    add_data_option(parser)
    add_filter_options(parser)
    parser.add_argument("--out", metavar="DIR", type=Path, default=Path("outputs"), help="output folder (default: outputs/)")
    parser.add_argument("--seed", type=whole_number(), default=0, help="seed for communities and resampling (default 0)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    graph, tables = filtered_graph(args)
    nodes, modularity = analyze(graph, seed=args.seed)
    record = run_record("report", graph, tables, nodes, modularity, data_dir=args.data, seed=args.seed,
                        extra={"filters": filter_record(args)})
    with StagedOutputs() as staged:
        written = write_report(graph, nodes, record, staged, args.out, seed=args.seed)
        record["outputs"] = {name: file_sha256(path) for name, path in sorted(written.items())}
        staged.stage(args.out / "report.json").write_text(
            json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    charts = sum(1 for name in written if name.startswith("report/"))
    print(f"wrote {args.out / 'report.html'}, report.md and {charts} charts (provenance in report.json)")
    return 0
