"""The `influence` command line (also `python -m analysis`)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

import network
from analysis.commands import brokers, centrality, communities, ego, export, fec, flows, import_edges, maps, path, report, robustness, run, timeline, validate
from network.errors import DataError, EmptyGraphError, UnknownEntityError

__all__ = ["COMMANDS", "build_parser", "main"]

COMMANDS = (run, validate, maps, centrality, communities, robustness, path, brokers, ego, flows, timeline, report, export, import_edges, fec)
"""Modules whose ``register(commands)`` adds a subcommand, in help order."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="influence",
        description="Map and measure influence networks: money, control, affiliation, access and conflict "
                    "between people, companies, PACs, campaigns and governments.",
    )
    parser.add_argument("--version", action="version", version=f"influence {network.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status (1 for bad data or a bad request)."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except DataError as err:
        print(err, file=sys.stderr)
        return 1
    except (UnknownEntityError, EmptyGraphError, ValueError) as err:
        print(f"influence: error: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the reader went away (`influence ... | head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
