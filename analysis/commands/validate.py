"""`influence validate`: check the data files and report every problem."""

from __future__ import annotations

import argparse

from analysis.commands.common import add_command, add_data_option, load_checked

__all__ = ["register"]


def register(commands) -> None:
    parser = add_command(
        commands, "validate", help="check the data files and report every problem",
        description="Check encoding, columns, ids, types, references, amounts, dates, self-loops and "
                    "duplicates. Prints every problem as path:line: column: problem (found X, expected Y); "
                    "exit status 1 if there is any.",
        example="  $ influence validate --data my-data/\n"
                "  my-data/relationships.csv:14: amount_usd: not a number (found 'n/a', expected a non-negative number ...)\n")
    add_data_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    tables, _ = load_checked(args.data)
    where = args.data or "bundled data"
    print(f"ok: {where}: {len(tables.entities)} entities, {len(tables.relationships)} relationships, "
          f"{len(tables.sources)} sources")
    return 0
