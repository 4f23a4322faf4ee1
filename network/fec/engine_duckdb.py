"""Run the ingest query on DuckDB: embedded, out of core, reading the FEC files itself."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pandas as pd

from network.fec.inputs import SEPARATOR, InputFile
from network.fec.query import Step
from network.storage.cells import FORMULA_START, WHOLE_NUMBER

__all__ = ["DuckDBEngine"]


_BUCKET = 4096


def _neutralized(column: str) -> str:
    """SQL for a text column's cells as `neutralize_cell` writes them (RE2 reads the same patterns)."""
    risky, number = (pattern.replace("'", "''") for pattern in (FORMULA_START, WHOLE_NUMBER))
    # the first character alone rules out almost every cell, at a fraction of a regex's cost
    first = "chr(39), '=', '+', '-', '@', chr(9), chr(13)"
    return (f"CASE WHEN left(t.{column}, 1) IN ({first}) AND regexp_matches(t.{column}, '{risky}') "
            f"AND NOT regexp_matches(t.{column}, '{number}') THEN chr(39) || t.{column} ELSE t.{column} END AS {column}")


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class DuckDBEngine:
    """The ingest steps as DuckDB temporary tables and views.

    Parameters
    ----------
    temp_dir : Path
        Where DuckDB spills when the memory limit is reached.
    memory_limit : str
        DuckDB's ``memory_limit`` (default ``3GB``); the process stays near it.
    threads : int, optional
        DuckDB's ``threads`` (default: every core).

    Notes
    -----
    Each line is read whole (the column separator is a byte the FEC never
    writes) and split on ``|`` in SQL, with quoting off. ``row_number()``
    over the scan in file order gives the line numbers. The Python pre-pass
    (`network.fec.inputs`) supplies the rare lines DuckDB cannot read: a
    line that is not UTF-8 is rejected by DuckDB, so it is added back and
    the lines after it are renumbered through a small table of line buckets; a line holding the
    separator byte is read cut short, so its whole text replaces it.
    """

    name = "duckdb"
    as_views = frozenset({"classified"})
    """Table steps this engine leaves as views. ``classified`` is ``tx`` joined to the few repeated
    SUB_IDs: as a table it is a second copy of every counted row (spilled at 10M lines), while each
    step that reads it reads only a few of its columns. (``rel_core`` was tried as a view too: its
    evidence text is then built while writing, and the writes ran out of memory at 10M lines.)"""

    def __init__(self, *, temp_dir: Path, memory_limit: str = "3GB", threads: int | None = None) -> None:
        import duckdb

        self.con = duckdb.connect(":memory:")
        self.con.execute(f"SET memory_limit = '{memory_limit}'")
        self.con.execute(f"SET temp_directory = {_quote(temp_dir)}")
        self.con.execute("SET preserve_insertion_order = true")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        self._checks: list[tuple[str, int]] = []
        self._numbered = False

    @property
    def version(self) -> str:
        import duckdb

        return duckdb.__version__

    def register_frame(self, name: str, frame: pd.DataFrame) -> None:
        """A small pandas table (lists, labels) as a DuckDB table of text."""
        self.con.register(f"{name}_frame", frame)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_frame")
        self.con.unregister(f"{name}_frame")

    def register_lines(self, key: str, columns: Sequence[str], source: InputFile | None, *, limit: int | None = None) -> None:
        """``rows_<key>``: one row per line with ``line, record, n_fields`` and the named fields."""
        if self._numbered:  # an engine used for a second ingest: number its lines in file order again
            self.con.execute("SET preserve_insertion_order = true")
            self._numbered = False
        fields = ", ".join(f"l[{index}] AS {name}" for index, name in enumerate(columns, start=1))
        if source is None:
            empty = ", ".join(f"CAST(NULL AS VARCHAR) AS {name}" for name in columns)
            self.con.execute(f"CREATE OR REPLACE TEMP VIEW rows_{key} AS SELECT CAST(NULL AS BIGINT) AS line, "
                             f"CAST(NULL AS VARCHAR) AS record, CAST(NULL AS INTEGER) AS n_fields, {empty} WHERE false")
            return
        reader = (f"read_csv({_quote(source.text_path)}, delim='{SEPARATOR}', header=false, quote='', escape='', "
                  f"auto_detect=false, comment='', strict_mode=false, store_rejects=true, "
                  f"rejects_table='rejects_{key}', rejects_scan='rejects_scan_{key}', max_line_size=10000000, "
                  f"columns={{'text': 'VARCHAR'}})")
        scan = f"SELECT text FROM {reader}" + (f" LIMIT {int(limit)}" if limit else "")
        numbered = f"SELECT row_number() OVER () AS ordinal, text FROM ({scan})"
        inserted = [(line, text) for line, text, latin1 in source.odd_lines if latin1]
        replaced = [(line, text) for line, text, latin1 in source.odd_lines if not latin1]
        lines = f"SELECT ordinal AS line, text FROM ({numbered})"
        if inserted:
            # DuckDB rejects a line that is not UTF-8, so the i-th such line L_i moves every later
            # row up by one: a row read as ordinal r sits on line r + #{i : L_i - i + 1 <= r}.
            # The count comes from a table of 4096-row buckets (base count + thresholds inside).
            self.register_frame(f"inserted_{key}", pd.DataFrame(inserted, columns=["line", "text"]).astype({"line": "int64"}))
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE thresholds_{key} AS "
                             f"SELECT line - row_number() OVER (ORDER BY line) + 1 AS t FROM inserted_{key}")
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE buckets_{key} AS SELECT b.range AS bucket, "
                f"(SELECT count(*) FROM thresholds_{key} WHERE t < b.range * {_BUCKET}) AS base, "
                f"coalesce((SELECT list(t) FROM thresholds_{key} WHERE t >= b.range * {_BUCKET} "
                f"AND t < (b.range + 1) * {_BUCKET}), []) AS inside "
                f"FROM range({source.lines // _BUCKET + 2}) b")
            lines = (f"SELECT n.ordinal + b.base + len(list_filter(b.inside, lambda t: t <= n.ordinal)) AS line, n.text "
                     f"FROM ({numbered}) n JOIN buckets_{key} b ON b.bucket = n.ordinal // {_BUCKET} "
                     f"UNION ALL SELECT line, text FROM inserted_{key}")
        if replaced:
            # A UTF-8 line holding the separator byte is read cut short: put its whole text back.
            self.register_frame(f"replaced_{key}", pd.DataFrame(replaced, columns=["line", "text"]).astype({"line": "int64"}))
            lines = (f"SELECT a.line, coalesce(r.text, a.text) AS text FROM ({lines}) a "
                     f"LEFT JOIN replaced_{key} r ON a.line = r.line")
        if limit:
            lines = f"SELECT * FROM ({lines}) WHERE line <= {int(limit)}"
        # Numbering needs the scan in file order, which DuckDB does on one thread; materialize the
        # numbered lines first so that splitting and checking them (the costly part) runs on every core.
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE lines_{key} AS {lines}")
        lines = f"SELECT line, text FROM lines_{key}"
        record = "CASE WHEN text LIKE '%' || chr(13) THEN substr(text, 1, length(text) - 1) ELSE coalesce(text, '') END"
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW rows_{key} AS SELECT line, record, CAST(len(l) AS INTEGER) AS n_fields, {fields} "
            f"FROM (SELECT line, record, string_split(record, '|') AS l FROM (SELECT line, {record} AS record FROM ({lines})))")
        self._checks.append((key, len(inserted)))

    def _check_rejects(self) -> None:
        """Every line DuckDB rejected must be one the pre-pass supplied, or the numbering would shift."""
        for key, expected in self._checks:
            tables = {row[0] for row in self.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
            found = 0
            if f"rejects_{key}" in tables:
                found = self.con.execute(f"SELECT count(DISTINCT line) FROM rejects_{key}").fetchone()[0]
            if found > expected:
                raise RuntimeError(f"DuckDB could not read {found - expected} lines of the {key} file that the "
                                   f"pre-pass read; line numbers would be wrong")
        self._checks = []

    def run_step(self, step: Step) -> None:
        if not self._numbered:
            # Line numbers come from scans in file order (`register_lines`); every later result is
            # either grouped or sorted by its values, so from here on order need not be kept.
            self.con.execute("SET preserve_insertion_order = false")
            self._numbered = True
        kind = "TABLE" if step.kind == "table" else "VIEW"
        self.con.execute(f"CREATE OR REPLACE TEMP {kind} {step.name} AS {step.sql}")
        if step.name == "tx":
            self._check_rejects()

    def release(self, names: Sequence[str]) -> None:
        """Free tables no later step reads (`query.last_uses`), so that they stop taking memory or spill space."""
        for name in names:
            if name.startswith("rows_"):
                key = name[len("rows_"):]
                self.con.execute(f"DROP VIEW IF EXISTS {name}")
                for table in (f"lines_{key}", f"buckets_{key}", f"thresholds_{key}", f"inserted_{key}", f"replaced_{key}"):
                    self.con.execute(f"DROP TABLE IF EXISTS {table}")
            else:
                self.con.execute(f"DROP TABLE IF EXISTS {name}")

    def fetch(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def write_csv(self, view: str, order_by: Sequence[str], path: Path) -> None:
        """Write a view as CSV (header, comma, double quotes), sorted; NULL and '' are both written as nothing.

        Text cells are neutralized as `network.storage.cells.neutralize_cell` does (a leading ``'``
        before a formula character, docs/exports.md), in the final SELECT so that it stays columnar;
        rows are sorted by their values before that (``t.column``), as the Spark engine sorts them.
        """
        columns = self.con.execute(f"DESCRIBE SELECT * FROM {view}").fetchall()
        cells = ", ".join(_neutralized(name) if kind == "VARCHAR" else f"t.{name}" for name, kind, *_ in columns)
        order = ", ".join(f"t.{column} ASC NULLS FIRST" for column in order_by)
        self.con.execute(f"COPY (SELECT {cells} FROM {view} AS t ORDER BY {order}) TO {_quote(path)} "
                         f"(FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"', NEW_LINE '\\n')")

    def progress(self) -> float | None:
        """The running query's completion (0..1), or None."""
        try:
            value = self.con.query_progress()
        except Exception:  # noqa: BLE001 - progress is best effort
            return None
        return None if value is None or value < 0 else min(value / 100.0, 1.0)

    def close(self) -> None:
        self.con.close()
