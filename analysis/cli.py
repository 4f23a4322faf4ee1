"""The `influence` command line (also `python -m analysis`)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

import network
from analysis.commands import brokers, centrality, claims, communities, ego, export, fec, flows, import_edges, maps, merge, path, report, robustness, run, timeline, validate
from analysis.commands.output import printable
from network.errors import DataError, EmptyGraphError, UnknownEntityError

__all__ = ["COMMANDS", "INTERNAL_ERROR", "build_parser", "main", "printable"]

COMMANDS = (run, validate, maps, centrality, communities, robustness, path, brokers, ego, flows, timeline, report, export, import_edges, fec,
            merge, claims)
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


INTERNAL_ERROR = 70
"""Exit status for a failure of the tool itself (EX_SOFTWARE): a short message, never a traceback."""


def entry() -> None:
    """The ``influence`` executable and ``python -m analysis``: `main` with the process's arguments, then exit.

    After a successful ``influence run`` the process leaves at once (``os._exit``, once stdout and stderr are
    flushed): every output is written, renamed into place and closed by then, and tearing down the tables of a
    million-relationship run one Python object at a time took about 6 s. If standard output cannot be flushed
    (a full disk behind a redirect), that is an error with status 1, as Python's own exit would fail; a closed pipe
    is not. Any other command, or a failure, exits normally.
    """
    argv = sys.argv[1:]
    code = main(argv)
    if code == 0 and argv[:1] == ["run"]:
        try:
            sys.stdout.flush()
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as `main` does
            pass
        except OSError as err:  # a full disk behind a redirect: the summary was not written; say so, status 1
            try:
                print(f"influence: error: writing standard output: {printable(err.strerror or err)}", file=sys.stderr)
                sys.stderr.flush()
            except OSError:
                pass
            os._exit(1)
        try:
            sys.stderr.flush()
        except OSError:
            pass
        os._exit(0)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status.

    1 for bad data, a bad option or a bad request (a message naming the file, line and
    column where there is one); 70 for an unexpected failure of the tool itself, with a
    one-line message and no traceback (set ``INFLUENCE_DEBUG=1`` to see the traceback).
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as done:  # argparse: 0 after --help, 2 after printing a usage error
        if done.code in (0, None):
            raise
        return 1
    try:
        return int(args.handler(args))
    except DataError as err:
        print(printable(err), file=sys.stderr)
        return 1
    except (UnknownEntityError, EmptyGraphError, ValueError) as err:
        print(f"influence: error: {printable(err)}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the reader went away (`influence ... | head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as err:  # an output folder under a file, in /proc, full disk, ...
        where = f": {err.filename}" if err.filename else ""
        print(f"influence: error: {printable(err.strerror or err)}{printable(where)}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, RecursionError, MemoryError) as err:
        print(f"influence: stopped: {type(err).__name__}", file=sys.stderr)
        return 130 if isinstance(err, KeyboardInterrupt) else INTERNAL_ERROR
    except Exception as err:  # noqa: BLE001 - the last line of defence: a message, not a traceback
        if os.environ.get("INFLUENCE_DEBUG"):
            raise
        print(f"influence: internal error ({type(err).__name__}): {printable(err)[:300]}; "
              f"please report it (INFLUENCE_DEBUG=1 shows the traceback)", file=sys.stderr)
        return INTERNAL_ERROR
