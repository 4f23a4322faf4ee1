"""`influence fec ingest` (FEC bulk files) and `influence fec filing` (electronic filings) -> a data folder
that every other command reads."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis.commands.common import add_command
from network.errors import DataError
from network.fec.ingest import IngestOptions, IngestResult, ingest_fec
from network.fec.progress import Progress
from analysis.commands.values import whole_number

__all__ = ["filing_lines", "register", "summary_lines"]

EXAMPLE = """  $ influence fec ingest --indiv indiv16.zip --cm cm16.zip --cn cn16.zip --ccl ccl16.zip \\
        --oth oth16.zip --pas2 pas216.zip --tech --out fec-2016/
  wrote fec-2016/entities.csv (2,314 entities)
  ...
  $ influence run --data fec-2016/ --out fec-2016-run/
"""
FILING_EXAMPLE = """  $ influence fec filing 1550548.fec 752356.fec --out filings/
  wrote filings/entities.csv (100 entities)
  ...
  Schedule A: 76 lines read, 76 kept ($103,071.78)
  $ influence run --data filings/ --out filings-run/
"""


def register(commands) -> None:
    group = add_command(
        commands, "fec", help="read the FEC's bulk files or electronic filings into a data folder",
        description="Commands for the US Federal Election Commission's bulk data files and electronic filings (docs/fec.md).",
        example=EXAMPLE)
    actions = group.add_subparsers(dest="fec_command", metavar="ACTION", required=True)
    parser = add_command(
        actions, "ingest", help="FEC bulk files -> entities.csv, relationships.csv, sources.csv",
        description="Read the FEC's pipe-delimited bulk files (plain .txt or the FEC's .zip) and write our data "
                    "contract: donors resolved by name + ZIP5, committees, candidates and tech employers as "
                    "entities; net donations, committee transfers and independent expenditures as relationships. "
                    "Memo rows, earmark pass-throughs, refunds and itpas2/itoth duplicates are handled so that no "
                    "dollar counts twice; every line left out is listed in exclusions.csv. Runs on DuckDB "
                    "(embedded, default) or Spark (--engine spark, needs Java 17+).",
        example=EXAMPLE)
    files = parser.add_argument_group("FEC files (.txt or .zip)")
    files.add_argument("--indiv", metavar="FILE", type=Path, required=True, help="contributions by individuals (itcont.txt)")
    files.add_argument("--cm", metavar="FILE", type=Path, required=True, help="committee master (cm.txt)")
    files.add_argument("--cn", metavar="FILE", type=Path, required=True, help="candidate master (cn.txt)")
    files.add_argument("--ccl", metavar="FILE", type=Path, required=True, help="candidate-committee linkages (ccl.txt)")
    files.add_argument("--oth", metavar="FILE", type=Path, help="committee-to-committee transactions (itoth.txt)")
    files.add_argument("--pas2", metavar="FILE", type=Path, help="committee-to-candidate transactions (itpas2.txt)")
    parser.add_argument("--out", metavar="DIR", type=Path, required=True, help="output data folder")
    parser.add_argument("--format", dest="file_format", choices=("csv", "parquet"), default="csv",
                        help="the tables' files: csv (default) or parquet, which later commands load faster (docs/fec.md)")
    parser.add_argument("--tech", action="store_true",
                        help="keep only donors whose EMPLOYER is on the tech list (and the committee money one hop on)")
    parser.add_argument("--tech-employers", metavar="FILE", type=Path, default=None,
                        help="the employer list (default: data/tech_employers.csv)")
    parser.add_argument("--match-employer", action="store_true",
                        help="resolve donors by name + ZIP5 + employer (default: name + ZIP5)")
    parser.add_argument("--overrides", metavar="FILE", type=Path, default=None,
                        help="CSV of merge-log groups to keep apart or merge (docs/fec.md)")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb", help="query engine (default: duckdb)")
    parser.add_argument("--spark-master", metavar="URL", default=None,
                        help="Spark master: local[N], spark://HOST:PORT, yarn, k8s://... (default: the one spark-submit "
                             "was given, else local[2]; docs/fec.md)")
    parser.add_argument("--limit", metavar="N", type=whole_number(), default=None,
                        help="read only the first N lines of each transaction file (a quick look)")
    parser.add_argument("--memory-limit", metavar="SIZE", default="3GB", help="DuckDB memory limit (default: 3GB)")
    parser.add_argument("--threads", metavar="N", type=whole_number(), default=None, help="DuckDB threads (default: all cores)")
    parser.add_argument("--temp-dir", metavar="DIR", type=Path, default=None,
                        help="for unzipped files and DuckDB spill (default: the system temp folder)")
    parser.add_argument("--quiet", action="store_true", help="no progress line on stderr")
    parser.set_defaults(handler=run)
    _register_filing(actions)


def _register_filing(actions) -> None:
    parser = add_command(
        actions, "filing", help="FEC electronic filings (.fec) -> entities.csv, relationships.csv, sources.csv",
        description="Read reports as committees filed them (.fec files as the FEC publishes them at "
                    "docquery.fec.gov/dcdev/posted/<FILING_ID>.fec, or .zip archives of them) with fastfec, and write "
                    "our data contract: one relationship per itemized line (Schedule A receipts donor -> filer, "
                    "Schedule B disbursements filer -> payee, Schedule E independent expenditures and Schedule F "
                    "coordinated expenditures filer -> candidate), each citing its filing, line and transaction id. "
                    "Memo lines, loans, refunds and reports replaced by an amendment given in the same run are left "
                    "out and listed in exclusions.csv; donors are resolved as `fec ingest` resolves them (docs/fec.md).",
        example=FILING_EXAMPLE)
    parser.add_argument("files", metavar="FILE", type=Path, nargs="+", help="<FILING_ID>.fec files or .zip archives of them")
    parser.add_argument("--out", metavar="DIR", type=Path, required=True, help="output data folder")
    parser.add_argument("--overrides", metavar="FILE", type=Path, default=None,
                        help="CSV of merge-log groups to keep apart or merge (as for fec ingest)")
    parser.add_argument("--match-employer", action="store_true",
                        help="resolve people by name + ZIP5 + employer (default: name + ZIP5)")
    parser.add_argument("--tech-employers", metavar="FILE", type=Path, default=None,
                        help="the employer list the donor steps read (default: data/tech_employers.csv)")
    parser.set_defaults(handler=run_filing)


def filing_lines(summary) -> list[str]:
    """What `fec filing` prints after the files: per schedule, lines read, kept and left out, and why.

    Examples
    --------
    >>> filing_lines({"rows": {"A": {"read": 3, "kept": 2, "kept_usd": "1500", "unaccounted": 0,
    ...                               "excluded": {"memo": {"rows": 1, "usd": "100"}}}}})
    ['Schedule A: 3 lines read, 2 kept ($1,500); excluded: memo 1 ($100)']
    """
    def usd(text: str) -> str:
        whole, _, cents = text.partition(".")
        return f"${int(whole):,}" + (f".{cents}" if cents else "")

    lines = []
    for schedule, entry in summary.get("rows", {}).items():
        name = f"Schedule {schedule}" if len(schedule) == 1 else schedule
        text = f"{name}: {entry['read']:,} line{'s' if entry['read'] != 1 else ''} read, {entry['kept']:,} kept ({usd(entry['kept_usd'])})"
        if entry["excluded"]:
            text += "; excluded: " + ", ".join(f"{reason} {value['rows']:,}" + (f" ({usd(value['usd'])})" if value["usd"] != "0" else "")
                                               for reason, value in entry["excluded"].items())
        if entry.get("unaccounted"):
            text += f"; UNACCOUNTED {entry['unaccounted']:,}"
        lines.append(text)
    return lines


def run_filing(args: argparse.Namespace) -> int:
    from network.fec.filings.ingest import ingest_filings

    try:
        result = ingest_filings(args.files, args.out, overrides=args.overrides, tech_employers=args.tech_employers,
                                match_employer=args.match_employer)
    except DataError as err:
        print(err, file=sys.stderr)
        return 1
    nouns = {"entities.csv": "entities", "relationships.csv": "relationships, one per counted line",
             "sources.csv": "sources, one per filing", "exclusions.csv": "lines left out, with filing, line and reason",
             "merge_log.csv": "spellings merged into one person or organization"}
    for name, count in result.written.items():
        print(f"wrote {args.out / name} ({count:,} {nouns.get(name, 'rows')})")
    added = result.summary.get("schema_types_added", [])
    print(f"wrote {args.out / 'schema.toml'} (bundled schema{' + ' + ', '.join(added) if added else ''})")
    print(f"wrote {args.out / 'filing_summary.json'} (filings with hashes and URLs, amendments, counts, versions)")
    print()
    for note in result.summary.get("amendments", {}).get("notes", []):
        print(f"filing {note['filing']}: {note['note']}")
    for replaced, by in result.summary.get("amendments", {}).get("replaced", {}).items():
        print(f"filing {replaced}: replaced by amendment {by} (its lines are listed as superseded_by_amendment)")
    for line in filing_lines(result.summary):
        print(line)
    return 0


def summary_lines(result: IngestResult) -> list[str]:
    """What the command prints after the files: per input, rows read, counted and left out, and why.

    Examples
    --------
    >>> result = IngestResult(Path("out"), {}, {"rows": {"indiv": {"read": 4, "counted": 2, "unaccounted": 0,
    ...                                                   "excluded": {"memo": {"rows": 2}}}}})
    >>> summary_lines(result)
    ['indiv: 4 lines read, 2 counted; excluded: memo 2']
    """
    lines = []
    for key, entry in result.summary.get("rows", {}).items():
        done = entry.get("counted", entry.get("kept", 0))
        text = f"{key}: {entry.get('read', 0):,} lines read, {done:,} {'counted' if 'counted' in entry else 'kept'}"
        for part in ("malformed", "excluded", "filtered"):
            reasons = entry.get(part, {})
            if reasons:
                text += f"; {part}: " + ", ".join(f"{reason} {value['rows']:,}" for reason, value in reasons.items())
        if entry.get("unaccounted"):
            text += f"; UNACCOUNTED {entry['unaccounted']:,}"
        lines.append(text)
    return lines


def _check_engine(args: argparse.Namespace) -> None:
    if args.engine == "spark":
        from network.fec.engine_spark import check_java

        check_java(java_home=os.environ.get("JAVA_HOME"), path=os.environ.get("PATH"))


def run(args: argparse.Namespace) -> int:
    try:
        _check_engine(args)
        options = IngestOptions(engine=args.engine, tech_only=args.tech, match_employer=args.match_employer,
                                limit=args.limit, spark_master=args.spark_master, memory_limit=args.memory_limit,
                                threads=args.threads, file_format=args.file_format)
        paths = {"indiv": args.indiv, "oth": args.oth, "pas2": args.pas2, "cm": args.cm, "cn": args.cn, "ccl": args.ccl}
        progress = Progress(sys.stderr, enabled=sys.stderr.isatty() and not args.quiet)
        result = ingest_fec(paths, args.out, options=options, tech_employers=args.tech_employers,
                            overrides=args.overrides, temp_dir=args.temp_dir, progress=progress)
    except DataError as err:
        print(err, file=sys.stderr)
        return 1
    except ValueError as err:
        print(f"influence: error: {err}", file=sys.stderr)
        return 1
    nouns = {"entities.csv": "entities", "relationships.csv": "relationships", "sources.csv": "sources",
             "exclusions.csv": "lines left out, with file, line and reason", "merge_log.csv": "spellings merged into donors",
             "company_totals.csv": "companies: employees' gifts beside PAC money"}
    for name, count in result.written.items():
        print(f"wrote {args.out / name} ({count:,} {nouns.get(Path(name).stem + '.csv', 'rows')})")
    print(f"wrote {args.out / 'schema.toml'} (bundled schema{' + ' + ', '.join(result.summary.get('schema_types_added', [])) if result.summary.get('schema_types_added') else ''})")
    print(f"wrote {args.out / 'ingest_summary.json'} (input hashes, parameters, counts, versions)")
    print()
    for line in summary_lines(result):
        print(line)
    return 0
