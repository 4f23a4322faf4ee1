"""What every subcommand shares: the --data option, loading checked data, provenance names."""

from __future__ import annotations

import argparse
from pathlib import Path

from network.graph import InfluenceGraph, build_influence_graph
from network.contract.load import DataTables
from network.formats.read import read_data
from network.contract.schema import Schema, default_data_dir, load_schema
from network.contract.validate import validated_tables
from analysis.commands.values import amount_usd, partial_date

__all__ = [
    "add_command", "add_data_option", "add_filter_options", "filters_from_args", "filtered_graph",
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


def load_checked(data_dir: Path | None) -> tuple[DataTables, Schema]:
    """Read the schema and tables of a data folder and validate them (raises DataError)."""
    tables = read_data(data_dir)
    schema = load_schema(tables.paths["schema"])
    return validated_tables(tables, schema), schema


def load_graph(data_dir: Path | None) -> tuple[InfluenceGraph, DataTables]:
    """Validated tables and the graph built from them."""
    tables, schema = load_checked(data_dir)
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


def filters_from_args(args: argparse.Namespace) -> dict:
    """The filter keyword arguments for `InfluenceGraph.filter`, only those given."""
    given = {
        "layers": getattr(args, "layers", None), "types": getattr(args, "types", None),
        "since": getattr(args, "since", None), "until": getattr(args, "until", None),
        "min_amount_usd": getattr(args, "min_amount_usd", None), "statuses": getattr(args, "statuses", None),
    }
    return {name: value for name, value in given.items() if value is not None}


def filtered_graph(args: argparse.Namespace) -> tuple[InfluenceGraph, DataTables]:
    """Load, validate, build, and apply the filters given on the command line."""
    graph, tables = load_graph(getattr(args, "data", None))
    filters = filters_from_args(args)
    return (graph.filter(**filters) if filters else graph), tables
