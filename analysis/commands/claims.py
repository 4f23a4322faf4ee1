"""`influence claims`: every news-sourced money relationship checked against FEC filings."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from dataclasses import replace

import pandas as pd

from analysis.claims import claim_check_texts, claims_table, report_coverage
from analysis.commands.common import add_command, load_checked
from analysis.commands.output import add_output_options, emit, render
from network.merge.folders import made_aggregate_ids, merge_folders

__all__ = ["claims_summary", "filed_claims", "register", "run", "with_claim_checks"]

TABLE_COLUMNS = ("relationship_id", "source", "target", "claimed_usd", "qualifier", "period", "outcome", "filed_usd",
                 "difference_usd", "reason")
"""What the text table shows; csv and json give every column (coverage, filer, filed rows, filing lines)."""

EXAMPLE = """  $ influence merge data/ filings/ --out merged/
  $ influence claims --data merged/
  $ influence claims data/ filings/          # the same, merging in a temporary folder
  $ influence claims --data merged/ --format csv --out claims.csv
"""


def register(commands) -> None:
    parser = add_command(
        commands, "claims", help="check reported money (news) against FEC filings",
        description="Compare every money relationship that comes from a news source with the FEC-filed money between "
                    "the same two entities in its period: matches filings, filings show more, filings show less, no "
                    "filing found, or not checkable (with the reason). Amount qualifiers are honoured (exact to the "
                    "claim's precision, approx within 10%%, at_least, at_most); aggregate rows are compared with the "
                    "sum. Give a merged folder with --data, or two or more folders to merge first (docs/claims.md).",
        example=EXAMPLE)
    parser.add_argument("folders", nargs="*", type=Path, metavar="DIR",
                        help="data folders to merge first (news data and `fec filing` output); instead of --data")
    parser.add_argument("--data", metavar="DIR", type=Path, default=None,
                        help="a folder made by `influence merge` (default: the bundled data)")
    parser.add_argument("--overrides", metavar="FILE", type=Path, default=None,
                        help="with DIR DIR ...: the merge's decided pairs (a filled-in merge_review.csv)")
    add_output_options(parser)
    parser.set_defaults(handler=run)


def claims_summary(table) -> str:
    """One line: how many claims, and how many of each outcome (or why none is checkable)."""
    if not len(table):
        return "no news-sourced money relationship with an amount to check"
    counts = table["outcome"].value_counts()
    line = f"{len(table)} claims: " + ", ".join(f"{counts[o]} {o}" for o in counts.index.sort_values())
    if (table["outcome"] == "not checkable").all():
        reasons = sorted(set(table["reason"]))
        line += ". None is checkable: " + "; ".join(reasons[:3]) + ("; ..." if len(reasons) > 3 else "")
        if not table["coverage"].astype(bool).any():
            line += ". The data holds no FEC report: read filings with `influence fec filing` and join them with `influence merge`."
    return line


def filed_claims(tables, schema, data_dir: Path | None) -> pd.DataFrame | None:
    """The claims table of a folder that holds FEC reports (`run` writes it as claims.csv), else None."""
    if not report_coverage(tables.sources):
        return None
    return claims_table(tables, schema, made_aggregate=made_aggregate_ids(data_dir) if data_dir and data_dir.is_dir() else ())


def with_claim_checks(graph, claims: pd.DataFrame):
    """The graph with a ``claim_check`` column on its relationships, which the map's panels show."""
    texts = claim_check_texts(claims)
    relationships = graph.relationships.assign(claim_check=[texts.get(i, "") for i in graph.relationships["id"]])
    return replace(graph, relationships=relationships)


def run(args: argparse.Namespace) -> int:
    if args.folders and args.data:
        raise ValueError("give either folders to merge or --data, not both")
    if len(args.folders) == 1:
        raise ValueError("give two or more folders to merge (or one merged folder with --data)")
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.data
        if args.folders:
            folder = Path(scratch) / "merged"
            merge_folders(args.folders, folder, overrides=args.overrides)
        tables, schema = load_checked(folder)
        table = claims_table(tables, schema, made_aggregate=made_aggregate_ids(folder) if folder else ())
    shown = table[list(TABLE_COLUMNS)] if args.format == "table" else table
    emit(render(shown, args.format, title=claims_summary(table)), args.out, what=f"{len(table)} claims")
    return 0
