"""FEC electronic filings -> a data folder in our contract, written all at once, with a summary that adds up."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping, Sequence

from network.contract.load import ENTITY_COLUMNS, RELATIONSHIP_COLUMNS, SOURCE_COLUMNS
from network.errors import DataError, Problem
from network.fec.filings.fates import Fate, line_fates, supersessions
from network.fec.filings.read import Filing, filing_files, read_filing
from network.fec.filings.rules import usd_text
from network.fec.filings.tables import FILING_URL, FilingTables, filing_tables
from network.fec.lists import load_overrides
from network.fec.writing import write_schema
from network.storage.files import StagedOutputs
from network.storage.provenance import file_sha256, library_versions
from network.storage.cells import write_neutralized_csv

__all__ = ["EXCLUSION_COLUMNS", "FilingResult", "ingest_filings", "schedule_summary"]

EXCLUSION_COLUMNS = ("file", "filing_id", "line", "schedule", "form", "transaction_id", "reason", "detail", "amount_usd")
_MERGE_COLUMNS = ("donor_id", "how", "name_key", "zip5", "name", "employer", "rows", "net_usd")


@dataclass(frozen=True)
class FilingResult:
    """What `ingest_filings` wrote: file name -> rows, and the summary (also in filing_summary.json)."""

    out_dir: Path
    written: Mapping[str, int]
    summary: Mapping[str, Any] = field(default_factory=dict)


def schedule_summary(fates: Sequence[Fate], kept_ids: set[str]) -> dict[str, dict[str, Any]]:
    """Per schedule: lines read, kept (with dollars), excluded by reason (with dollars), and ``unaccounted``.

    ``kept_ids`` are the relationship ids written (``f<filing>-<line>``); a line is kept if its relationship
    was written, excluded if it has a reason, and unaccounted otherwise (always 0 unless something is wrong).

    Examples
    --------
    >>> from network.fec.filings.read import Record
    >>> class F:  # a stand-in for a Filing
    ...     class file: filing_id = "7"
    >>> fates = [Fate(F, Record(3, "SA11AI", {"contribution_amount": "10"}), "contribution", "", ""),
    ...          Fate(F, Record(4, "SA11AI", {"contribution_amount": "5", "memo_code": "X"}), "", "memo", "")]
    >>> schedule_summary(fates, {"f7-3"})["A"]
    {'read': 2, 'kept': 1, 'kept_usd': '10', 'excluded': {'memo': {'rows': 1, 'usd': '5'}}, 'unaccounted': 0}
    """
    out: dict[str, dict[str, Any]] = {}
    for fate in fates:
        entry = out.setdefault(fate.schedule, {"read": 0, "kept": 0, "kept_usd": Decimal(0), "excluded": {}, "unaccounted": 0})
        entry["read"] += 1
        amount = fate.amount
        if f"f{fate.filing.file.filing_id}-{fate.record.line}" in kept_ids:
            entry["kept"] += 1
            entry["kept_usd"] += amount or 0
        elif fate.reason:
            reason = entry["excluded"].setdefault(fate.reason, {"rows": 0, "usd": Decimal(0)})
            reason["rows"] += 1
            reason["usd"] += amount or 0
        else:
            entry["unaccounted"] += 1
    for entry in out.values():
        entry["kept_usd"] = usd_text(entry["kept_usd"])
        entry["excluded"] = {k: {"rows": v["rows"], "usd": usd_text(v["usd"])} for k, v in sorted(entry["excluded"].items())}
    return dict(sorted(out.items()))


def _refit(fates: list[Fate], tables: FilingTables) -> list[Fate]:
    """The fates as finally decided: a counted line that became an exclusion (self transfer) takes its reason."""
    later = {(row["filing_id"], int(row["line"])): row for row in tables.exclusions}
    result = []
    for fate in fates:
        row = later.get((fate.filing.file.filing_id, fate.record.line))
        result.append(Fate(fate.filing, fate.record, "", row["reason"], row["detail"]) if fate.kind and row else fate)
    return result


def _filing_entry(filing: Filing, fates: list[Fate], kept: set[str], replaced: Mapping[str, str]) -> dict[str, Any]:
    digest, size = filing.file.sha256()
    report = filing.report
    return {
        "path": filing.file.shown, "sha256": digest, "bytes": size, "url": FILING_URL.format(filing_id=filing.file.filing_id),
        "form_type": filing.form_type, "format_version": filing.version, "filer": filing.filer,
        "committee": report.get("committee_name"), "report_code": report.get("report_code"),
        "coverage": [report.get("coverage_from_date"), report.get("coverage_through_date")],
        "amends": filing.amends or None, "superseded_by": replaced.get(filing.file.filing_id),
        "rows": schedule_summary([f for f in fates if f.filing is filing], kept),
    }


def ingest_filings(paths: Sequence[str | Path], out_dir: str | Path, *, overrides: str | Path | None = None,
                   tech_employers: str | Path | None = None, match_employer: bool = False) -> FilingResult:
    """Read FEC electronic filings (.fec, or .zip archives of them) into a data folder.

    Writes entities.csv, relationships.csv (one per counted line), sources.csv
    (one per filing), schema.toml, exclusions.csv (every line left out, with
    its reason), merge_log.csv and filing_summary.json into ``out_dir``, all
    at once: on any problem nothing is written.

    Raises
    ------
    DataError
        Naming every unreadable or unsupported filing (file and line), a
        filing given twice, or an amendment naming another committee's filing.
    """
    files, problems = filing_files([Path(p) for p in paths])
    filings: list[Filing] = []
    seen: dict[str, str] = {}
    for file in files:
        if file.filing_id and file.filing_id in seen:
            problems.append(Problem(file.shown, 0, "(file name)", f"filing given twice (also {seen[file.filing_id]})",
                                    file.filing_id, "each filing once"))
            continue
        seen[file.filing_id] = file.shown
        try:
            filings.append(read_filing(file))
        except DataError as err:
            problems.extend(err.problems)
    if not files and not problems:
        problems.append(Problem("(command line)", 0, "FILE", "no filing given", None, "one or more .fec files or .zip archives"))
    replaced, notes, link_problems = supersessions(filings) if not problems else ({}, [], [])
    problems.extend(link_problems)
    if problems:
        raise DataError(problems)
    override_table = load_overrides(overrides) if overrides else None
    fates = line_fates(filings, replaced)
    tables = filing_tables(filings, fates, replaced, overrides=override_table, tech_employers=tech_employers,
                           match_employer=match_employer)
    fates = _refit(fates, tables)
    kept = {row["id"] for row in tables.relationships}
    out = Path(out_dir)
    columns = {"entities.csv": (*ENTITY_COLUMNS, "identifiers"), "relationships.csv": RELATIONSHIP_COLUMNS,
               "sources.csv": SOURCE_COLUMNS, "exclusions.csv": EXCLUSION_COLUMNS}
    ordered = {"entities.csv": tables.entities, "relationships.csv": sorted(tables.relationships, key=lambda r: r["id"]),
               "sources.csv": sorted(tables.sources, key=lambda r: r["id"]),
               "exclusions.csv": sorted(tables.exclusions, key=lambda r: (int(r["filing_id"]), int(r["line"])))}
    written: dict[str, int] = {}
    with StagedOutputs() as staged:
        for name, rows in ordered.items():
            written[name] = write_neutralized_csv(staged.stage(out / name), columns[name], rows)
        merge_rows = tables.merge_log.to_dict("records") if len(tables.merge_log) else []
        written["merge_log.csv"] = write_neutralized_csv(staged.stage(out / "merge_log.csv"), _MERGE_COLUMNS, merge_rows)
        added = write_schema(staged.stage(out / "schema.toml"))
        summary = _summary(filings, fates, kept, replaced, notes, tables, written, added, overrides, tech_employers, match_employer)
        staged.stage(out / "filing_summary.json").write_text(
            json.dumps(summary, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return FilingResult(out, written, summary)


def _summary(filings, fates, kept, replaced, notes, tables, written, added, overrides, tech_employers, match_employer) -> dict:
    from importlib import metadata

    import duckdb

    versions = library_versions()
    versions.update({"fastfec": metadata.version("fastfec"), "duckdb": duckdb.__version__})
    return {
        "tool": "influence-network",
        "command": "fec filing",
        "parameters": {"match_employer": match_employer},
        "lists": {"overrides": {"path": str(overrides), "sha256": file_sha256(overrides)} if overrides else None,
                  "tech_employers": {"path": str(tech_employers), "sha256": file_sha256(tech_employers)} if tech_employers else None},
        "filings": {f.file.filing_id: _filing_entry(f, fates, kept, replaced) for f in sorted(filings, key=lambda f: int(f.file.filing_id))},
        "amendments": {"replaced": dict(sorted(replaced.items(), key=lambda kv: int(kv[0]))), "notes": notes},
        "rows": schedule_summary(fates, kept),
        "donors": {"resolved": tables.donors, "merged_from_several_spellings": tables.merged_donors},
        "outputs": dict(sorted(written.items())),
        "schema_types_added": added,
        "versions": versions,
    }
