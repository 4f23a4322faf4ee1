"""`influence merge`: read several data folders, merge them, write one folder (all files or none) with its log."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, Sequence

from network.contract.load import ENTITY_COLUMNS, RELATIONSHIP_COLUMNS, SOURCE_COLUMNS, DataTables, load_tables, read_csv_table
from network.contract.schema import load_schema
from network.contract.validate import validate_tables
from network.errors import DataError, Problem
from network.fec.writing import write_schema
from network.merge.combine import LOG_COLUMNS, MergedTables, merge_tables
from network.merge.entities import REVIEW_COLUMNS
from network.storage.cells import write_neutralized_csv
from network.storage.files import StagedOutputs
from network.storage.provenance import file_sha256, library_versions

__all__ = ["DECISIONS", "made_aggregate_ids", "merge_folders", "read_overrides"]

DECISIONS = ("merge", "keep_apart")
"""What the ``decision`` column of an overrides file (a filled-in merge_review.csv) may say."""


def read_overrides(path: str | Path, entity_refs: set[str]) -> dict[frozenset, str]:
    """Pairs decided by hand: a CSV with ``left``, ``right`` (``N:id``) and ``decision`` (blank rows are skipped).

    Raises
    ------
    DataError
        Naming the line of every unknown entity or decision.
    """
    frame, problems = read_csv_table(path, ("left", "right", "decision"))
    decisions: dict[frozenset, str] = {}
    for line, row in zip(frame.index, frame.to_dict("records")):
        if not row["decision"]:
            continue
        if row["decision"] not in DECISIONS:
            problems.append(Problem(str(path), int(line), "decision", "unknown decision", row["decision"], " or ".join(DECISIONS)))
        for column in ("left", "right"):
            if row[column] not in entity_refs:
                problems.append(Problem(str(path), int(line), column, "no such entity in the folders given", row[column],
                                        "N:id, N the folder's place on the command line (1 = first)"))
        decisions[frozenset((row["left"], row["right"]))] = row["decision"]
    if problems:
        raise DataError(problems)
    return decisions


def _input_record(folder: Path, tables: DataTables) -> dict[str, Any]:
    files = {name: {"sha256": file_sha256(tables.paths[name]), "rows": len(getattr(tables, name))}
             for name in ("entities", "relationships", "sources")}
    files["schema"] = {"sha256": file_sha256(tables.paths["schema"])}
    return {"path": str(folder), "files": files}


def merge_folders(folders: Sequence[str | Path], out_dir: str | Path, *, overrides: str | Path | None = None) -> MergedTables:
    """Merge data folders into ``out_dir``: entities.csv, relationships.csv, sources.csv, schema.toml,
    merge_log.csv, merge_review.csv and merge.json (inputs with their SHA-256, the counts, the overrides).

    Every input is validated first (all problems of all inputs in one error),
    and so is the result; on any problem nothing is written.

    Raises
    ------
    DataError
        Listing every problem, each with file and line.
    """
    folders = [Path(f) for f in folders]
    problems: list[Problem] = []
    if len(folders) < 2:
        problems.append(Problem("(command line)", 0, "DIR", "fewer than two folders given", str(len(folders)), "two or more data folders"))
    inputs: list[DataTables] = []
    for folder in folders:
        if not folder.is_dir():
            problems.append(Problem(str(folder), 0, "(folder)", "not a folder", None, "a data folder with entities.csv, relationships.csv, sources.csv"))
            continue
        tables = load_tables(folder)
        problems.extend(validate_tables(tables, load_schema(tables.paths["schema"])))
        inputs.append(tables)
    if problems:
        raise DataError(problems)
    refs = {f"{n}:{entity_id}" for n, t in enumerate(inputs, 1) for entity_id in t.entities["id"]}
    decisions = read_overrides(overrides, refs) if overrides else {}
    out = Path(out_dir)
    with tempfile.TemporaryDirectory() as scratch:
        schema_path = Path(scratch) / "schema.toml"
        write_schema(schema_path)
        schema = load_schema(schema_path)
        merged = merge_tables(inputs, schema, decisions=decisions)
        check = Path(scratch) / "check"
        check.mkdir()
        written = _write_all(check, merged, schema_path)
        found = validate_tables(load_tables(check), schema)
        if found:
            raise DataError([Problem(p.path.replace(str(check), str(out)), p.line, p.column, "merged data: " + p.problem, p.found,
                                     p.expected) for p in found])
        record = {
            "tool": "influence-network", "command": "merge",
            "inputs": {str(n): _input_record(folder, tables) for n, (folder, tables) in enumerate(zip(folders, inputs), 1)},
            "overrides": {"path": str(overrides), "sha256": file_sha256(overrides), "decisions": len(decisions)} if overrides else None,
            "counts": merged.counts, "outputs": written, "versions": library_versions(),
        }
        with StagedOutputs() as staged:
            for name in written:
                staged.stage(out / name).write_bytes((check / name).read_bytes())
            staged.stage(out / "merge.json").write_text(json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                                                        encoding="utf-8")
    return merged


def _write_all(folder: Path, merged: MergedTables, schema_path: Path) -> dict[str, int]:
    written = {
        "entities.csv": write_neutralized_csv(folder / "entities.csv", (*ENTITY_COLUMNS, "identifiers"), merged.entities),
        "relationships.csv": write_neutralized_csv(folder / "relationships.csv", RELATIONSHIP_COLUMNS, merged.relationships),
        "sources.csv": write_neutralized_csv(folder / "sources.csv", SOURCE_COLUMNS, merged.sources),
        "merge_log.csv": write_neutralized_csv(folder / "merge_log.csv", LOG_COLUMNS, merged.log),
        "merge_review.csv": write_neutralized_csv(folder / "merge_review.csv", REVIEW_COLUMNS, merged.review),
    }
    (folder / "schema.toml").write_bytes(schema_path.read_bytes())
    written["schema.toml"] = 1
    return written


def made_aggregate_ids(folder: str | Path) -> set[str]:
    """Relationship ids that `merge` made aggregate (merge_log.csv, kind ``money_overlap``); none if there is no log."""
    path = Path(folder) / "merge_log.csv"
    if not path.is_file():
        return set()
    frame, _ = read_csv_table(path, LOG_COLUMNS)
    return {row["new_id"] for row in frame.to_dict("records") if row["kind"] == "money_overlap"}
