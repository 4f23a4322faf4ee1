"""What every subcommand shares: the --data option, loading checked data, provenance names."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.commands.steps import StepClock
from network.graph import InfluenceGraph, build_influence_graph
from network.contract.load import DataTables
from network.formats.read import read_data
from network.contract.schema import Schema, default_data_dir, load_schema
from network.contract.validate import validated_tables
from analysis.commands.values import amount_usd, partial_date

__all__ = [
    "UNDATED_RULES", "add_command", "add_data_option", "add_filter_options", "filter_record", "filters_from_args",
    "filtered_graph", "undated_rule",
    "load_checked", "load_graph", "shown_inputs",
]


def add_command(commands, name: str, *, help: str, description: str, example: str) -> argparse.ArgumentParser:
    """A subcommand parser whose help ends with an example invocation."""
    return commands.add_parser(
        name, help=help, description=description, epilog="example:\n" + example,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="DIR", type=Path, default=None,
                        help="folder with entities.csv, relationships.csv, sources.csv "
                             "(and optionally schema.toml); default: the bundled data")


def load_checked(data_dir: Path | None, *, clock: StepClock | None = None) -> tuple[DataTables, Schema]:
    """Read the schema and tables of a data folder and validate them (raises DataError).

    With a ``clock``, reading and validating are timed as its steps ``read`` and ``validate``.
    """
    clock = clock or StepClock("", [])
    with clock.step("read"):
        tables = read_data(data_dir)
        schema = load_schema(tables.paths["schema"])
    with clock.step("validate"):
        return validated_tables(tables, schema), schema


def load_graph(data_dir: Path | None, *, clock: StepClock | None = None) -> tuple[InfluenceGraph, DataTables]:
    """Validated tables and the graph built from them (with a ``clock``, the build is its step ``build graph``)."""
    tables, schema = load_checked(data_dir, clock=clock)
    with (clock or StepClock("", [])).step("build graph"):
        return build_influence_graph(tables, schema), tables


def shown_inputs(tables: DataTables, data_dir: Path | None) -> dict[str, str]:
    """How provenance names each input: ``bundled:NAME``, or the path as the user gave it.

    Keeps machine-specific absolute paths out of outputs, so that two clones
    give the same bytes.
    """
    shown = {}
    if data_dir is not None and data_dir.is_file():  # one of our exports, read back
        return {name: (f"bundled:{path.name}" if path.parent == default_data_dir() else str(data_dir))
                for name, path in tables.paths.items()}
    for name, path in tables.paths.items():
        if data_dir is None or (path.parent == default_data_dir() and data_dir.resolve() != default_data_dir()):
            shown[name] = f"bundled:{path.name}"
        else:
            shown[name] = str(data_dir / path.name)
    return shown


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """The filters every analysis command shares."""
    group = parser.add_argument_group("filters")
    group.add_argument("--layer", action="append", metavar="L", dest="layers",
                       help="keep only this layer (money, control, affiliation, access, conflict); repeatable")
    group.add_argument("--type", action="append", metavar="T", dest="types",
                       help="keep only this relationship type (donation, founder, ...); repeatable")
    group.add_argument("--since", type=partial_date, metavar="DATE", help="keep ties overlapping this date or later (YYYY[-MM[-DD]])")
    group.add_argument("--until", type=partial_date, metavar="DATE", help="keep ties overlapping this date or earlier (YYYY[-MM[-DD]])")
    group.add_argument("--min-amount-usd", type=amount_usd, metavar="X",
                       help="drop money ties below X dollars (or with no amount); other layers stay")
    group.add_argument("--status", action="append", metavar="S", dest="statuses",
                       help="keep only this status (confirmed, reported, planned, alleged); repeatable")
    group.add_argument("--min-sources", type=int, metavar="N",
                       help="keep only relationships that cite at least N distinct sources (2 drops single-source ties)")
    group.add_argument("--undated", choices=UNDATED_RULES, default=None,
                       help="what --since/--until (and timeline's periods) do with ties that have no date at all: "
                            "drop them, since they cannot be shown to fall in the window (default, the same in every "
                            "command), or keep them as in force in every window")


UNDATED_RULES = ("drop", "keep")
"""``--undated``: the first is the default of every command."""


def undated_rule(args: argparse.Namespace) -> str:
    """``keep`` or ``drop``: the rule for undated ties under date filters, as given or by default."""
    return getattr(args, "undated", None) or UNDATED_RULES[0]


def filters_from_args(args: argparse.Namespace) -> dict:
    """The filter keyword arguments for `InfluenceGraph.filter`, only those given.

    ``--undated`` becomes ``include_undated``; it is given only when it
    matters, that is with ``--since`` or ``--until`` (run.json records the
    rule in force either way, see `filter_record`).
    """
    given = {
        "layers": getattr(args, "layers", None), "types": getattr(args, "types", None),
        "since": getattr(args, "since", None), "until": getattr(args, "until", None),
        "min_amount_usd": getattr(args, "min_amount_usd", None), "statuses": getattr(args, "statuses", None),
        "min_sources": getattr(args, "min_sources", None),
    }
    chosen = {name: value for name, value in given.items() if value is not None}
    if "since" in chosen or "until" in chosen:
        chosen["include_undated"] = undated_rule(args) == "keep"
    return chosen


def filter_record(args: argparse.Namespace, *, always_undated: bool = True) -> dict:
    """The filters as provenance records them: those given, and the undated rule.

    run.json and report.json record the rule always; an export or a map
    only when a date filter makes it matter (``always_undated=False``).
    """
    chosen = filters_from_args(args)
    record = {name: value for name, value in chosen.items() if name != "include_undated"}
    if always_undated or "include_undated" in chosen:
        record["undated"] = undated_rule(args)
    return record


def filtered_graph(args: argparse.Namespace, *, clock: StepClock | None = None) -> tuple[InfluenceGraph, DataTables]:
    """Load, validate, build, and apply the filters given on the command line (timed by ``clock`` if given)."""
    graph, tables = load_graph(getattr(args, "data", None), clock=clock)
    filters = filters_from_args(args)
    if not filters:
        return graph, tables
    with (clock or StepClock("", [])).step("filter"):
        return graph.filter(**filters), tables
