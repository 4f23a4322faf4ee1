"""FEC bulk files -> entities.csv, relationships.csv, sources.csv (our data contract), on DuckDB or Spark."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from network.errors import DataError, Problem
from network.fec.inputs import InputFile, prepare_inputs
from network.fec.layouts import CODE_LABELS, COMMITTEE_TYPES, LAYOUTS
from network.fec.lists import default_tech_employers, empty_overrides, load_overrides, load_tech_employers
from network.fec.progress import Progress
from network.fec.query import OUTPUTS, last_uses, render_steps
from network.fec.writing import shape_summary, write_schema, write_sources
from network.storage.files import StagedOutputs
from network.storage.provenance import file_sha256, library_versions

__all__ = ["REQUIRED_INPUTS", "IngestOptions", "IngestResult", "ingest_fec", "make_engine"]

REQUIRED_INPUTS = ("indiv", "cm", "cn", "ccl")
TRANSACTION_INPUTS = ("indiv", "oth", "pas2")
WRITE_ORDER = ("merge_log.csv", "company_totals.csv", "exclusions.csv", "entities.csv", "relationships.csv")
"""The order the outputs of `OUTPUTS` are written in (the bytes do not depend on it): after each, the
tables that only it still read are freed (`query.last_uses`), so that the largest sort, relationships,
runs with the least else held in memory."""


@dataclass(frozen=True)
class IngestOptions:
    """How to run an ingest.

    Attributes
    ----------
    engine : str
        ``duckdb`` (default, embedded) or ``spark``.
    tech_only : bool
        Keep only donors whose EMPLOYER is on the tech list (and the committee money one hop on).
    match_employer : bool
        Resolve donors by name + ZIP5 + employer instead of name + ZIP5.
    limit : int, optional
        Read only the first ``limit`` lines of each transaction file (a quick look).
    spark_master : str, optional
        Spark master URL (``local[2]``, ``spark://host:7077``, ``yarn``, ...); None (the default): the
        master spark-submit was given when run under spark-submit, else ``local[2]``.
    memory_limit : str
        DuckDB's memory limit.
    threads : int, optional
        DuckDB threads (default: all cores).
    file_format : str
        ``csv`` (default) or ``parquet``: the tables' files (schema.toml and
        ingest_summary.json are written either way; `network.storage.parquet`).
    """

    engine: str = "duckdb"
    tech_only: bool = False
    match_employer: bool = False
    limit: int | None = None
    spark_master: str | None = None
    memory_limit: str = "3GB"
    threads: int | None = None
    file_format: str = "csv"


@dataclass(frozen=True)
class IngestResult:
    """What an ingest wrote: file name -> rows, and the summary record (also in ingest_summary.json)."""

    out_dir: Path
    written: Mapping[str, int]
    summary: Mapping[str, Any] = field(default_factory=dict)


def make_engine(options: IngestOptions, temp_dir: Path):
    """The engine object for ``options.engine`` (Spark is imported only when asked for)."""
    if options.engine == "duckdb":
        from network.fec.engine_duckdb import DuckDBEngine

        return DuckDBEngine(temp_dir=temp_dir, memory_limit=options.memory_limit, threads=options.threads)
    if options.engine == "spark":
        from network.fec.engine_spark import SparkEngine

        return SparkEngine(master=options.spark_master, temp_dir=temp_dir)
    raise ValueError(f"unknown engine {options.engine!r}; expected duckdb or spark")


def _check_request(paths: Mapping[str, Any], options: IngestOptions) -> None:
    missing = [f"--{key}" for key in REQUIRED_INPUTS if not paths.get(key)]
    if missing:
        raise ValueError(f"missing FEC input(s): {', '.join(missing)}")
    if options.limit is not None and options.limit < 1:
        raise ValueError(f"--limit must be a positive number of lines, not {options.limit}")
    if options.file_format not in ("csv", "parquet"):
        raise ValueError(f"unknown format {options.file_format!r}; expected csv or parquet")


def _check_out(out: Path, file_format: str) -> None:
    """A folder must not end up with both entities.csv and entities.parquet: `--data` would refuse it."""
    other = "parquet" if file_format == "csv" else "csv"
    stale = [f"{Path(name).stem}.{other}" for name in [*OUTPUTS, "sources.csv"]
             if (out / f"{Path(name).stem}.{other}").exists()]
    if stale:
        raise ValueError(f"{out} already holds {', '.join(stale)} from an earlier ingest; writing {file_format} beside "
                         f"them would leave two versions of a table. Remove them or choose another --out folder.")


def _stage_table(staged: StagedOutputs, out: Path, file_name: str, file_format: str, work: Path, write) -> tuple[str, int]:
    """Stage one table: ``write(path)`` writes it as CSV; for Parquet that CSV is converted, cell for cell."""
    if file_format == "csv":
        target = staged.stage(out / file_name)
        write(target)
        return file_name, _count_rows(target)
    from network.storage.parquet import csv_to_parquet

    name = Path(file_name).stem + ".parquet"
    text = work / f"out-{file_name}"
    write(text)
    rows = csv_to_parquet(text, staged.stage(out / name))
    text.unlink()
    return name, rows


def _small_tables(inputs: Mapping[str, InputFile], tech: pd.DataFrame, overrides: pd.DataFrame) -> dict[str, pd.DataFrame]:
    files = pd.DataFrame([(key, inputs[key].shown if key in inputs else LAYOUTS[key].member) for key in LAYOUTS],
                         columns=["src", "file"])
    labels = pd.DataFrame([(name, code, label) for name, codes in CODE_LABELS.items() for code, label in codes.items()],
                          columns=["field", "code", "label"])
    kinds = pd.DataFrame([(tp, kind, side) for tp, (kind, side) in sorted(COMMITTEE_TYPES.items())],
                         columns=["tp", "kind", "side"])
    return {"files": files, "tech_list": tech, "overrides": overrides, "code_labels": labels, "committee_kinds": kinds}


def _check_variants(engine, tech_path: Path) -> None:
    """Two companies must not share a variant once normalized (GOOGLE INC. and GOOGLE are one)."""
    clashes = engine.fetch(
        "SELECT variant_norm, min(line), max(line) FROM tech_variants GROUP BY variant_norm "
        "HAVING count(DISTINCT company_id) > 1 ORDER BY 2")
    if clashes:
        raise DataError([Problem(str(tech_path), int(last), "variant", f"same normalized name as line {int(first)} "
                                 "but another company", str(norm), "each spelling for one company") for norm, first, last in clashes])


def _release_plan(engine, steps):
    """A function of an event (a table step, ``out_summary``, an output view) that frees what only it read last.

    Only for an engine with a ``release`` method (DuckDB); a no-op otherwise.
    """
    if not hasattr(engine, "release"):
        return lambda event: None
    events = [(step.name, step.sql) for step in steps if step.kind == "table"]
    events += [("out_summary", "SELECT * FROM out_summary")] + [(OUTPUTS[name][0], f"SELECT * FROM {OUTPUTS[name][0]}") for name in WRITE_ORDER]
    plan = last_uses(steps, events)
    return lambda event: engine.release(plan.get(event, []))


def _count_rows(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")) - 1


def ingest_fec(
    paths: Mapping[str, str | Path | None],
    out_dir: str | Path,
    *,
    options: IngestOptions = IngestOptions(),
    tech_employers: str | Path | None = None,
    overrides: str | Path | None = None,
    temp_dir: str | Path | None = None,
    engine=None,
    progress: Progress | None = None,
) -> IngestResult:
    """Read FEC bulk files and write a data folder that `influence run --data` accepts.

    Parameters
    ----------
    paths : mapping
        ``indiv``, ``cm``, ``cn``, ``ccl`` (required) and ``oth``, ``pas2``
        (optional): plain .txt files or the FEC's .zip files.
    out_dir : path-like
        Receives entities.csv, relationships.csv, sources.csv, schema.toml,
        exclusions.csv, merge_log.csv, company_totals.csv and
        ingest_summary.json, all at once (nothing half-written on error).
    options : IngestOptions
    tech_employers : path-like, optional
        The employer list; data/tech_employers.csv by default.
    overrides : path-like, optional
        Donor-resolution overrides (see `network.fec.lists.load_overrides`).
    temp_dir : path-like, optional
        Where zips are extracted and DuckDB spills; the system temp folder by default.
    engine : optional
        An engine object to use instead of making one (tests share one SparkSession).
    progress : Progress, optional
        Shows a progress line; the CLI passes one.

    Returns
    -------
    IngestResult

    Raises
    ------
    DataError
        For a missing or unreadable input, a bad tech list or overrides file.
    ValueError
        For a bad request (missing input, bad limit, unknown engine).
    """
    _check_request(paths, options)
    tech_path = Path(tech_employers) if tech_employers else default_tech_employers()
    tech = load_tech_employers(tech_path)
    override_table = load_overrides(overrides) if overrides else empty_overrides()
    out = Path(out_dir)
    _check_out(out, options.file_format)
    work = Path(tempfile.mkdtemp(prefix="fec-ingest-", dir=temp_dir))
    progress = progress or Progress(None, enabled=False)  # type: ignore[arg-type]
    own_engine = engine is None
    try:
        given = {key: path for key, path in paths.items() if path}
        inputs = prepare_inputs(given, work)
        engine = engine or make_engine(options, work)
        for name, frame in _small_tables(inputs, tech, override_table).items():
            engine.register_frame(name, frame)
        for key, layout in LAYOUTS.items():
            limit = options.limit if key in TRANSACTION_INPUTS else None
            engine.register_lines(key, layout.columns, inputs.get(key), limit=limit)
        transaction_lines = sum(inputs[key].lines for key in TRANSACTION_INPUTS if key in inputs)
        if options.limit:
            transaction_lines = sum(min(inputs[key].lines, options.limit) for key in TRANSACTION_INPUTS if key in inputs)
        steps = [replace(step, kind="view") if step.name in getattr(engine, "as_views", ()) else step
                 for step in render_steps(tech_only=options.tech_only, match_employer=options.match_employer)]
        release = _release_plan(engine, steps)
        for step in steps:
            if step.kind == "view":
                engine.run_step(step)
                continue
            rows = transaction_lines if step.name == "tx" else None
            with progress.step(step.name, engine.progress, total_rows=rows):
                engine.run_step(step)
            if step.name == "tech_variants":
                _check_variants(engine, tech_path)
            release(step.name)
        summary_rows = engine.fetch("SELECT * FROM out_summary")
        release("out_summary")
        written: dict[str, int] = {}
        with StagedOutputs() as staged:
            for file_name in WRITE_ORDER:
                view, order_by = OUTPUTS[file_name]
                with progress.step(f"writing {file_name}", engine.progress):
                    name, rows = _stage_table(staged, out, file_name, options.file_format, work,
                                              lambda path, view=view, order_by=order_by: engine.write_csv(view, order_by, path))
                written[name] = rows
                release(view)
            stems = [Path(file_name).stem for file_name in OUTPUTS]  # reported in the usual order
            written = dict(sorted(written.items(), key=lambda item: stems.index(Path(item[0]).stem)))
            name, rows = _stage_table(staged, out, "sources.csv", options.file_format, work,
                                      lambda path: write_sources(inputs, tech_path, path))
            written[name] = rows
            added = write_schema(staged.stage(out / "schema.toml"))
            summary = _summary(inputs, summary_rows, written, options, tech_path, overrides, engine, added)
            staged.stage(out / "ingest_summary.json").write_text(
                json.dumps(summary, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        return IngestResult(out, written, summary)
    finally:
        if own_engine and engine is not None:
            engine.close()
        shutil.rmtree(work, ignore_errors=True)


def _summary(inputs, summary_rows, written, options, tech_path, overrides, engine, added) -> dict[str, Any]:
    versions = library_versions()
    versions[engine.name] = engine.version
    return {
        "tool": "influence-network",
        "command": "fec ingest",
        "parameters": {
            "engine": options.engine, "tech_only": options.tech_only, "match_employer": options.match_employer,
            "limit": options.limit, "spark_master": getattr(engine, "master", options.spark_master) if options.engine == "spark" else None,
            "memory_limit": options.memory_limit if options.engine == "duckdb" else None,
            "format": options.file_format,
        },
        "inputs": {key: {"path": source.shown, "sha256": source.sha256, "bytes": source.size_bytes, "lines": source.lines}
                   for key, source in sorted(inputs.items())},
        "lists": {"tech_employers": {"path": str(tech_path), "sha256": file_sha256(tech_path)},
                  "overrides": {"path": str(overrides), "sha256": file_sha256(overrides)} if overrides else None},
        **shape_summary(summary_rows, inputs),
        "outputs": dict(sorted(written.items())),
        "schema_types_added": added,
        "versions": versions,
    }
