"""Run the ingest query on Spark (pyspark): local[2] on a laptop, or any cluster through its master URL."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Mapping, Sequence

import pandas as pd

from network.fec.inputs import InputFile
from network.fec.query import Step
from network.storage.cells import FORMULA_START, WHOLE_NUMBER

__all__ = ["MIN_JAVA", "JavaMissingError", "SparkEngine", "check_java", "find_java", "java_major_version", "spark_session"]

MIN_JAVA = 17
"""PySpark 4 runs on Java 17 or newer."""


class JavaMissingError(ValueError):
    """--engine spark was asked for but no Java 17+ runtime is available."""


def find_java(*, java_home: str | None, path: str | None) -> Path | None:
    """The ``java`` Spark will start: ``$JAVA_HOME/bin/java`` when JAVA_HOME is set, else the one on PATH.

    Examples
    --------
    >>> find_java(java_home=None, path="/nonexistent") is None
    True
    """
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        return candidate if candidate.is_file() else None
    found = shutil.which("java", path=path) if path is not None else None
    return Path(found) if found else None


def java_major_version(version_text: str) -> int | None:
    """The major version in ``java -version`` output (``1.8.0_392`` is 8, ``17.0.15`` is 17).

    Examples
    --------
    >>> java_major_version('openjdk version "17.0.15" 2025-04-15')
    17
    >>> java_major_version('java version "1.8.0_392"')
    8
    >>> java_major_version("no version here") is None
    True
    """
    match = re.search(r'version "(\d+)(?:\.(\d+))?', version_text)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def check_java(*, java_home: str | None, path: str | None) -> str:
    """Make sure a Java 17+ runtime is there for Spark; return its version line.

    Parameters
    ----------
    java_home, path : str or None
        The JAVA_HOME and PATH Spark will see (the CLI passes the environment's).

    Raises
    ------
    JavaMissingError
        With a message saying what is missing and how to fix it.

    Examples
    --------
    >>> try:
    ...     check_java(java_home=None, path="/nonexistent")
    ... except JavaMissingError as err:
    ...     print(str(err).splitlines()[0])
    --engine spark needs a Java 17+ runtime, and none was found: no `java` on PATH and JAVA_HOME is not set.
    """
    java = find_java(java_home=java_home, path=path)
    fix = ("Install one (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) and put it on PATH or set "
           "JAVA_HOME, or use --engine duckdb, which needs no Java.")
    if java is None:
        where = (f"JAVA_HOME={java_home} has no bin/java" if java_home
                 else "no `java` on PATH and JAVA_HOME is not set")
        raise JavaMissingError(f"--engine spark needs a Java {MIN_JAVA}+ runtime, and none was found: {where}.\n{fix}")
    try:
        result = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=60, check=False)
    except OSError as err:
        raise JavaMissingError(f"--engine spark needs a Java {MIN_JAVA}+ runtime; {java} could not run ({err}).\n{fix}") from err
    text = (result.stderr or result.stdout).strip()
    major = java_major_version(text)
    if major is None or major < MIN_JAVA:
        raise JavaMissingError(f"--engine spark needs Java {MIN_JAVA} or newer; {java} is "
                               f"{text.splitlines()[0] if text else 'of unknown version'}.\n{fix}")
    return text.splitlines()[0]


def spark_session(master: str | None = "local[2]", *, app_name: str = "influence-fec-ingest", shuffle_partitions: int | None = None,
                  config: Mapping[str, str] | None = None):
    """A SparkSession set up for the ingest: no UI, no console progress bar, few shuffle partitions when local.

    ``config`` adds settings (tests use it to make a small JVM warm up faster). With ``master`` None,
    the master ``spark-submit --master`` was given is used when the tool runs under spark-submit
    (docs/fec.md, "Spark on a cluster"), else ``local[2]``.

    Raises
    ------
    ValueError
        If pyspark is not installed (it is the ``[spark]`` extra).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as err:
        raise ValueError("--engine spark needs pyspark: pip install 'influence-network[spark]'") from err
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:  # not started by spark-submit
        master = "local[2]"
    builder = SparkSession.builder if master is None else SparkSession.builder.master(master)
    builder = (builder.appName(app_name)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.session.timeZone", "UTC"))
    partitions = shuffle_partitions or (4 if (master or "").startswith("local") else None)
    if partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions))
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _literal_path(path: str) -> str:
    r"""A path Spark reads as itself: its readers expand ``[ ] { } * ?`` as a glob, unless escaped.

    Examples
    --------
    >>> _literal_path("/tmp/run[2]/x*")
    '/tmp/run\\[2\\]/x\\*'
    """
    return re.sub(r"([\\\[\]{}*?])", r"\\\1", path)


class SparkEngine:
    """The ingest steps as Spark temporary views (a table step staged as Parquet or checkpointed).

    Parameters
    ----------
    master : str
        Spark master URL; ignored when ``session`` is given.
    temp_dir : Path
        Where CSV part files are written before they are joined into one output.
    session : SparkSession, optional
        An existing session to use (and leave running on close).
    stage_dir : str, optional
        Where each table step is written as Parquet and read back, so that later steps read only the
        columns they use (a local checkpoint is scanned whole, row by row). Default
        ``temp_dir/spark-tables``: like ``temp_dir``, a folder the driver and every executor see at
        the same path. Each table is deleted once no later step reads it
        (a local folder; files under a URI are left to the caller), and the default folder on
        `close`. Setting the attribute to None makes table steps local checkpoints in the
        executors' memory and disk instead.

    Notes
    -----
    Lines are read with Spark's text source (split on ``\\n`` only);
    ``monotonically_increasing_id`` plus the row counts of the partitions
    before it give each row its line number. A line that is not UTF-8 is
    decoded as ISO-8859-1, as the DuckDB engine and the pre-pass do.
    """

    name = "spark"

    def __init__(self, *, master: str | None = "local[2]", temp_dir: Path, session=None, stage_dir: str | None = None) -> None:
        self._own = session is None
        self.spark = session or spark_session(master)
        self.temp_dir = Path(temp_dir)
        self._writes = 0
        self._staged: dict[str, str] = {}
        self._checkpoints: dict = {}
        self._own_stage = stage_dir is None
        self.stage_dir: str | None = (stage_dir or str(self.temp_dir / "spark-tables")).rstrip("/")
        """Where table steps are staged as Parquet; None checkpoints them instead."""

    @property
    def version(self) -> str:
        return self.spark.version

    @property
    def master(self) -> str:
        """The master the session runs on (``local[2]``, ``spark://...``, ``yarn``)."""
        return self.spark.sparkContext.master

    def register_frame(self, name: str, frame: pd.DataFrame) -> None:
        from pyspark.sql.types import LongType, StringType, StructField, StructType

        fields = [StructField(column, LongType() if str(frame[column].dtype).startswith("int") else StringType())
                  for column in frame.columns]
        rows = [tuple(None if value is None else (int(value) if isinstance(field.dataType, LongType) else str(value))
                      for value, field in zip(record, fields)) for record in frame.itertuples(index=False)]
        self.spark.createDataFrame(rows, StructType(fields)).createOrReplaceTempView(name)

    def register_lines(self, key: str, columns: Sequence[str], source: InputFile | None, *, limit: int | None = None) -> None:
        """``rows_<key>``: one row per line with ``line, record, n_fields`` and the named fields."""
        from pyspark.sql import functions as F

        fields = ", ".join(f"get(l, {index}) AS {name}" for index, name in enumerate(columns))
        if source is None:
            empty = ", ".join(f"CAST(NULL AS STRING) AS {name}" for name in columns)
            self.spark.sql(f"SELECT CAST(NULL AS BIGINT) AS line, CAST(NULL AS STRING) AS record, "
                           f"CAST(NULL AS INT) AS n_fields, {empty} WHERE false").createOrReplaceTempView(f"rows_{key}")
            return
        text = self.spark.read.option("lineSep", "\n").text(_literal_path(str(source.text_path)))
        ids = text.select(F.monotonically_increasing_id().alias("id"), F.col("value"))
        ids.createOrReplaceTempView(f"ids_{key}")
        offsets, total = [(0, 0)], 0
        if text.rdd.getNumPartitions() > 1:  # a small file is one partition: no offsets to count
            counts = sorted(self.spark.sql(f"SELECT shiftright(id, 33) AS p, count(*) AS n FROM ids_{key} GROUP BY 1").collect())
            offsets = []
            for row in counts:
                offsets.append((int(row["p"]), total))
                total += int(row["n"])
        self.register_frame(f"offsets_{key}", pd.DataFrame(offsets, columns=["p", "offset"]).astype("int64"))
        record = ("CASE WHEN is_valid_utf8(value) THEN value ELSE decode(CAST(value AS BINARY), 'ISO-8859-1') END")
        lines = (f"SELECT o.offset + (i.id - shiftleft(shiftright(i.id, 33), 33)) + 1 AS line, {record} AS text "
                 f"FROM ids_{key} i JOIN offsets_{key} o ON o.p = shiftright(i.id, 33)")
        if limit:
            lines = f"SELECT * FROM ({lines}) WHERE line <= {int(limit)}"
        strip = "CASE WHEN text LIKE concat('%', chr(13)) THEN substr(text, 1, length(text) - 1) ELSE coalesce(text, '') END"
        # '\\|' (an escaped single character) takes Java's String.split fast path: twice as fast as '[|]'
        self.spark.sql(
            f"SELECT line, record, CAST(size(l) AS INT) AS n_fields, {fields} "
            f"FROM (SELECT line, record, split(record, '\\\\|', -1) AS l FROM (SELECT line, {strip} AS record FROM ({lines})))"
        ).createOrReplaceTempView(f"rows_{key}")

    def run_step(self, step: Step) -> None:
        frame = self.spark.sql(step.sql)
        if step.kind == "table":
            # Materialize and cut the lineage: later steps then plan against a scan of
            # this result, not against the whole chain of steps before it.
            if self.stage_dir is not None:
                # Parquet: written column by column on every core, read back with only the columns
                # and rows a later step asks for (a checkpoint is scanned whole, row by row).
                path = f"{self.stage_dir}/{step.name}"
                self._staged[step.name] = path  # before writing: a failed write leaves files too
                frame.write.mode("overwrite").parquet(path)
                frame = self.spark.read.parquet(_literal_path(path))
            else:
                frame = frame.localCheckpoint(eager=True)
                self._checkpoints[step.name] = frame
        frame.createOrReplaceTempView(step.name)

    def release(self, names: Sequence[str]) -> None:
        """Forget tables no later step reads (`query.last_uses`): the view is dropped, so that a read after
        this fails at once, and a staged table's files are deleted (a local folder; a URI's stay). A
        checkpoint's blocks are left to Spark's cleaner once nothing refers to them."""
        for name in names:
            if name.startswith("rows_"):
                continue  # the inputs: read lazily from the files, nothing held
            path = self._staged.pop(name, None)
            self._checkpoints.pop(name, None)
            self.spark.catalog.dropTempView(name)
            if path is not None and "://" not in path:
                shutil.rmtree(path, ignore_errors=True)

    def fetch(self, sql: str) -> list[tuple]:
        return [tuple(row) for row in self.spark.sql(sql).collect()]

    def write_csv(self, view: str, order_by: Sequence[str], path: Path) -> None:
        """Write a view as one CSV file in the bytes DuckDB writes (header, comma, double quotes, '\\n'),
        text cells neutralized as `network.storage.cells.neutralize_cell` does, after sorting."""
        from pyspark.sql import functions as F

        frame = self.spark.table(view)
        columns = frame.columns
        text = {name for name, kind in frame.dtypes if kind == "string"}

        def cell(column: str):
            value = F.col(column).cast("string")
            if column not in text:
                return value.alias(column)
            # neutralize_cell's rule (docs/exports.md), in Java regexes: the same patterns as the DuckDB engine
            risky = value.rlike(FORMULA_START) & ~value.rlike(WHOLE_NUMBER)
            return F.when(risky, F.concat(F.lit("'"), value)).otherwise(value).alias(column)

        # A global sort: rows are range-partitioned by the sort columns and each partition sorted on its
        # own core, so part-00000, part-00001, ... hold consecutive runs and are joined in partition order.
        frame = (frame.orderBy(*[F.col(column).asc_nulls_first() for column in order_by])
                 .select(*[cell(column) for column in columns]))
        self._writes += 1
        parts = self.temp_dir / f"spark-csv-{self._writes}"
        (frame.write.mode("overwrite")
         .option("header", "false").option("quote", '"').option("escape", '"').option("escapeQuotes", "true")
         .option("ignoreLeadingWhiteSpace", "false").option("ignoreTrailingWhiteSpace", "false")
         .option("emptyValue", "").option("nullValue", "").option("lineSep", "\n").option("encoding", "UTF-8")
         .csv(str(parts)))
        with open(path, "wb") as target:
            target.write((",".join(columns) + "\n").encode("utf-8"))
            for part in sorted(parts.glob("part-*"), key=lambda part: (int(part.name.split("-")[1]), part.name)):
                with open(part, "rb") as source:
                    shutil.copyfileobj(source, target)
        shutil.rmtree(parts, ignore_errors=True)

    def progress(self) -> float | None:
        """Completed tasks over all tasks of the running stages, or None."""
        tracker = self.spark.sparkContext.statusTracker()
        done = total = 0
        for stage_id in tracker.getActiveStageIds():
            info = tracker.getStageInfo(stage_id)
            if info is not None:
                done += info.numCompletedTasks
                total += info.numTasks
        return done / total if total else None

    def close(self) -> None:
        self._checkpoints = {}
        for path in [*self._staged.values(), *([self.stage_dir] if self._own_stage and self.stage_dir else [])]:
            if "://" not in path:  # a URI's files are the caller's to remove
                shutil.rmtree(path, ignore_errors=True)
        self._staged = {}
        for name in [table.name for table in self.spark.catalog.listTables() if table.isTemporary]:
            self.spark.catalog.dropTempView(name)
        if self._own:
            self.spark.stop()
