"""`influence merge`: several data folders -> one, entities joined by identifier and name, every row accounted for."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.commands.common import add_command
from network.merge.folders import merge_folders

__all__ = ["count_lines", "register", "run"]

EXAMPLE = """  $ influence fec filing america-pac-q3.fec --out filings/
  $ influence merge data/ filings/ --out merged/
  $ influence merge data/ filings/ --overrides decided.csv --out merged/   # merge_review.csv, decisions filled in
"""


def register(commands) -> None:
    parser = add_command(
        commands, "merge", help="combine data folders: entities joined by identifier, then by name",
        description="Combine two or more data folders into one. Entities sharing an identifier (fec_committee:..., "
                    "wikidata:...) become one; otherwise equal normalized names or aliases of the same type do "
                    "('MUSK, ELON R.' is 'Elon Musk'). Near misses are listed in merge_review.csv, not merged; put "
                    "'merge' or 'keep_apart' in its decision column and pass it back with --overrides. Every source "
                    "and relationship is kept (ids made unique); merge_log.csv says what became what and merge.json "
                    "records the inputs' SHA-256 and the counts (docs/merge.md).",
        example=EXAMPLE)
    parser.add_argument("folders", nargs="+", type=Path, metavar="DIR", help="data folders, in order of precedence")
    parser.add_argument("--out", metavar="DIR", type=Path, required=True, help="the merged data folder")
    parser.add_argument("--overrides", metavar="FILE", type=Path, default=None,
                        help="decided pairs: CSV with left, right (N:id) and decision (merge or keep_apart)")
    parser.set_defaults(handler=run)


def count_lines(counts: dict) -> list[str]:
    """The counts of a merge as lines that show they add up."""
    lines = []
    for name, joined in (("entities", counts["entities_joined"]), ("sources", counts["sources_joined"])):
        ins = counts["in"][name]
        lines.append(f"{name}: {' + '.join(map(str, ins))} in = {counts['out'][name]} out + {joined} joined")
    ins = counts["in"]["relationships"]
    lines.append(f"relationships: {' + '.join(map(str, ins))} in = {counts['out']['relationships']} out + "
                 f"{counts['relationships_joined_as_one_fact']} joined as one fact + {counts['relationships_dropped_self']} "
                 "dropped (both ends one entity)")
    lines.append(f"news money rows restating filed money, made aggregate: {counts['news_rows_made_aggregate']}")
    lines.append(f"pairs to review: {counts['review_pairs']}")
    return lines


def run(args: argparse.Namespace) -> int:
    merged = merge_folders(args.folders, args.out, overrides=args.overrides)
    for name in ("entities.csv", "relationships.csv", "sources.csv", "merge_log.csv", "merge_review.csv", "merge.json"):
        print(f"wrote {args.out / name}")
    for line in count_lines(merged.counts):
        print(line)
    return 0
