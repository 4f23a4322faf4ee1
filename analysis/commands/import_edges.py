"""`influence import-edges`: map any CSV or XLSX edge list into a data folder (entities, relationships, sources)."""

from __future__ import annotations

import argparse
from pathlib import Path

from network.errors import DataError
from network.formats.export import write_table
from network.storage.files import StagedOutputs
from network.formats.edge_cells import DATE_ORDERS
from network.formats.spreadsheet import EdgeColumns, csv_delimiter, import_edge_rows, read_spreadsheet
from network.formats.read import read_data
from network.contract.schema import load_schema
from network.contract.validate import validate_tables
from analysis.commands.common import add_command

__all__ = ["register", "run"]


def register(commands) -> None:
    parser = add_command(
        commands, "import-edges", help="turn any CSV/XLSX edge list into entities.csv, relationships.csv, sources.csv",
        description="Map an edge list from a spreadsheet into the data contract. Names become entities "
                    "(slugified ids; the same name, or names with the same slug, one entity; with --data, names "
                    "of existing entities are matched by id, name, Arabic name or alias, ignoring case, Arabic "
                    "letter variants and diacritics, and \"Last, First\" order). Each good row becomes one "
                    "relationship citing its URL, its source title or the file. An amount of n/a (unknown, -) "
                    "keeps the tie without an amount, with a note. A row that repeats a relationship of --data "
                    "(same ends, type and amount, overlapping dates) is reported and not added. Bad rows are "
                    "skipped and listed by line; the result is validated, and nothing is written if it has problems.",
        example="  $ influence import-edges donors.xlsx --source-col Donor --target-col Recipient \\\n"
                "      --amount-col Amount --date-col Date --type donation --out my-data/\n"
                "  read 120 rows from donors.xlsx\n  ...\n  wrote my-data/relationships.csv (118 relationships)\n")
    parser.add_argument("file", type=Path, help="a .csv, .tsv or .xlsx file with a header row")
    parser.add_argument("--source-col", required=True, metavar="C", help="column naming the source (donor, owner, ...)")
    parser.add_argument("--target-col", required=True, metavar="C", help="column naming the target (recipient, ...)")
    parser.add_argument("--amount-col", metavar="C", help="column with amounts in US dollars ($ and commas allowed)")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--type-col", metavar="C", help="column with each row's relationship type")
    kind.add_argument("--type", metavar="T", help="one relationship type for every row (default: donation with "
                                                  "--amount-col, else associate)")
    parser.add_argument("--date-col", metavar="C", help="column with the date, for start and end (see --date-format)")
    parser.add_argument("--source-col-url", metavar="C", help="column with the URL of each row's source")
    parser.add_argument("--start-col", metavar="C", help="column with the start date (instead of --date-col)")
    parser.add_argument("--end-col", metavar="C", help="column with the end date (instead of --date-col)")
    parser.add_argument("--date-format", choices=DATE_ORDERS, default="iso",
                        help="how the date cells are written: iso (YYYY[-MM[-DD]], the default), us (MM/DD/YYYY), "
                             "dayfirst (DD/MM/YYYY or DD.MM.YYYY) or excel (day numbers such as 45639); "
                             "ISO dates and XLSX date cells are read under every choice")
    parser.add_argument("--role-col", metavar="C", help="column with each relationship's role (CEO, co-chair, ...)")
    parser.add_argument("--status-col", metavar="C", help="column with each row's status (confirmed, reported, planned, alleged)")
    parser.add_argument("--source-title-col", metavar="C", help="column with the title of each row's source")
    parser.add_argument("--source-type-col", metavar="C", help="column with the entity type of each row's source, for new entities")
    parser.add_argument("--target-type-col", metavar="C", help="column with the entity type of each row's target, for new entities")
    parser.add_argument("--sheet", metavar="NAME", help="worksheet of an .xlsx file (default: the first)")
    parser.add_argument("--delimiter", metavar="D", help="delimiter of a CSV file (default: detected among , ; tab |)")
    parser.add_argument("--entity-type", default="organization", metavar="T",
                        help="type of new entities whose row gives none (default: organization)")
    parser.add_argument("--status", default="reported", help="status of rows without one (default: reported)")
    parser.add_argument("--data", metavar="DIR", type=Path, default=None,
                        help="an existing data folder: its entities are matched and its rows kept in the output")
    parser.add_argument("--out", metavar="DIR", type=Path, required=True, help="folder to write the three CSV files to")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    existing = read_data(args.data) if args.data is not None else None
    schema = load_schema(existing.paths["schema"] if existing else None)
    header, rows = read_spreadsheet(args.file, sheet=args.sheet, delimiter=args.delimiter)
    columns = EdgeColumns(args.source_col, args.target_col, args.amount_col, args.type_col, args.type,
                          args.date_col, args.source_col_url, args.entity_type, args.status,
                          role_column=args.role_col, status_column=args.status_col, start_column=args.start_col,
                          end_column=args.end_col, title_column=args.source_title_col,
                          source_type_column=args.source_type_col, target_type_column=args.target_type_col,
                          date_format=args.date_format)
    result = import_edge_rows(header, rows, columns, schema, shown=str(args.file), out_dir=args.out, existing=existing)
    where = f" (sheet {args.sheet})" if args.sheet else ""
    if args.file.suffix.lower() in (".csv", ".txt") and args.delimiter is None:
        delimiter = csv_delimiter(args.file)
        if delimiter != ",":
            where += f" (delimiter {delimiter!r} detected)"
    print(f"read {result.rows_read} rows from {args.file}{where}")
    print(f"created {len(result.entities_created)} entities, matched {result.entities_matched} existing")
    print(f"imported {result.relationships_written} relationships citing {len(result.sources_created)} new sources")
    if result.notes:
        print(f"imported with a note, {len(result.notes)}:")
        for problem in result.notes:
            print(f"  {problem}")
    if result.skipped:
        print(f"skipped {len(result.skipped)} rows" + (f" ({len(result.duplicates)} repeating relationships of "
                                                      f"{args.data}, not added)" if result.duplicates else "") + ":")
        for problem in result.skipped:
            print(f"  {problem}")
    if result.relationships_written == 0:
        raise ValueError(f"no row of {args.file} could be imported; nothing written")
    problems = validate_tables(result.tables, schema)
    if problems:
        raise DataError(problems)
    tables = result.tables
    with StagedOutputs() as staged:
        for name in ("entities", "relationships", "sources"):
            write_table(getattr(tables, name), staged.stage(tables.paths[name]))
    print(f"wrote {tables.paths['entities']} ({len(tables.entities)} entities)")
    print(f"wrote {tables.paths['relationships']} ({len(tables.relationships)} relationships)")
    print(f"wrote {tables.paths['sources']} ({len(tables.sources)} sources)")
    return 0
