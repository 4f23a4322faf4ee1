"""One query, two engines: DuckDB and Spark write the same bytes; Spark says clearly when Java is missing."""

from __future__ import annotations

import json
import os
import stat

import pytest
from pathlib import Path

from fec_helpers import fec_paths
from network.fec.engine_spark import JavaMissingError, SparkEngine, check_java, find_java
from network.fec.ingest import IngestOptions, ingest_fec

COMPARED = ("entities.csv", "relationships.csv", "sources.csv", "exclusions.csv", "merge_log.csv",
            "company_totals.csv", "schema.toml")


def _comparable_summary(folder):
    summary = json.loads((folder / "ingest_summary.json").read_text(encoding="utf-8"))
    for key in ("parameters", "versions"):
        summary.pop(key)
    return summary


@pytest.mark.parametrize("tech_only", [False, True], ids=["all-donors", "tech"])
def test_duckdb_and_spark_write_identical_bytes(tmp_path, spark, full, tech, tech_only):
    out = tmp_path / "spark"
    engine = SparkEngine(temp_dir=tmp_path, session=spark)
    try:
        ingest_fec(fec_paths(), out, options=IngestOptions(engine="spark", tech_only=tech_only), engine=engine)
    finally:
        engine.close()
    duck = (tech if tech_only else full).folder
    for name in COMPARED:
        assert (out / name).read_bytes() == (duck / name).read_bytes(), name
    assert _comparable_summary(out) == _comparable_summary(duck)
    assert json.loads((out / "ingest_summary.json").read_text())["versions"]["spark"] == spark.version


@pytest.mark.parametrize("materialize, partitions, tech_only", [("parquet", 5, False), ("checkpoint", 5, True)])
def test_spark_writes_the_duckdb_bytes_however_it_materializes_and_partitions(tmp_path, spark, full, tech, materialize,
                                                                              partitions, tech_only, monkeypatch):
    """Tables staged as Parquet (the default) or checkpointed, and outputs sorted across several range
    partitions and joined part by part, give the same bytes as DuckDB."""
    import network.fec.engine_spark as engine_spark

    stage = tmp_path / "stage"
    engine = SparkEngine(temp_dir=tmp_path, session=spark, stage_dir=str(stage))
    if materialize == "checkpoint":
        engine.stage_dir = None
    held: set[str] = set()
    run_step = engine.run_step

    def noting_step(step):
        run_step(step)
        held.update(engine._staged if materialize == "parquet" else engine._checkpoints)

    parts_joined: list[str] = []
    copy = engine_spark.shutil.copyfileobj

    def noting_copy(source, target):
        parts_joined.append(source.name)
        copy(source, target)

    monkeypatch.setattr(engine, "run_step", noting_step)
    monkeypatch.setattr(engine_spark.shutil, "copyfileobj", noting_copy)
    before = {key: spark.conf.get(key, None) for key in ("spark.sql.shuffle.partitions", "spark.sql.adaptive.coalescePartitions.enabled")}
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    spark.conf.set("spark.sql.adaptive.coalescePartitions.enabled", "false")  # keep every partition
    try:
        ingest_fec(fec_paths(), tmp_path / "out", options=IngestOptions(engine="spark", tech_only=tech_only), engine=engine)
        assert {"tx", "gifts", "gift_pairs", "rel_core"} <= held  # the tables were really staged or checkpointed
        # every staged table was deleted once no later step read it
        assert not stage.exists() or not any(stage.iterdir()), sorted(path.name for path in stage.iterdir())
        assert not engine._checkpoints and not engine._staged
        assert len({Path(name).parent for name in parts_joined}) == 5  # five outputs, written by Spark
        assert len(parts_joined) > 5  # some output was joined from several sorted parts
    finally:
        for key, value in before.items():
            if value is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, value)
        engine.close()
    duck = (tech if tech_only else full).folder
    for name in COMPARED:
        assert (tmp_path / "out" / name).read_bytes() == (duck / name).read_bytes(), name


def test_spark_reads_and_stages_under_folders_named_like_globs(tmp_path, spark):
    """Spark's readers expand [ ] { } * ? in a path: inputs and the temp folder under such names are read as
    themselves (the tables staged there too)."""
    odd = tmp_path / "run[2] {a}*?"
    odd.mkdir()
    paths = {}
    for key, path in fec_paths().items():
        paths[key] = odd / path.name
        paths[key].write_bytes(path.read_bytes())
    engine = SparkEngine(temp_dir=odd, session=spark)
    try:
        ingest_fec(paths, tmp_path / "spark", options=IngestOptions(engine="spark"), engine=engine, temp_dir=odd)
    finally:
        engine.close()
    assert not (odd / "spark-tables").exists()
    ingest_fec(paths, tmp_path / "duckdb", options=IngestOptions(engine="duckdb"), temp_dir=odd)
    for name in COMPARED:  # exclusions.csv names the inputs as given, in the odd folder for both
        assert (tmp_path / "spark" / name).read_bytes() == (tmp_path / "duckdb" / name).read_bytes(), name
    assert "run[2] {a}*?" in (tmp_path / "spark" / "exclusions.csv").read_text(encoding="utf-8")


def test_spark_stages_empty_tables_like_duckdb(tmp_path, spark):
    """A tech list that matches nobody and no itoth/itpas2: the pair, relationship and entity tables are empty,
    and an empty table staged as Parquet must read back with its columns (headers only, as DuckDB writes)."""
    tech_list = tmp_path / "tech.csv"
    tech_list.write_text("company_id,company,variant\nemployer-nobody,Nobody,ZZZ NOBODY CORP\n", encoding="utf-8")
    paths = fec_paths(oth=None, pas2=None)
    outs = {}
    for name in ("duckdb", "spark"):
        engine = SparkEngine(temp_dir=tmp_path, session=spark) if name == "spark" else None
        try:
            result = ingest_fec(paths, tmp_path / name, options=IngestOptions(engine=name, tech_only=True),
                                tech_employers=tech_list, engine=engine)
        finally:
            if engine is not None:
                engine.close()
        assert result.written["relationships.csv"] == 0 and result.written["entities.csv"] == 0
        outs[name] = tmp_path / name
    for name in COMPARED:
        assert (outs["spark"] / name).read_bytes() == (outs["duckdb"] / name).read_bytes(), name


def test_missing_java_is_said_clearly(tmp_path):
    with pytest.raises(JavaMissingError) as caught:
        check_java(java_home=None, path=str(tmp_path))
    message = str(caught.value)
    assert "--engine spark needs a Java 17+ runtime" in message
    assert "no `java` on PATH and JAVA_HOME is not set" in message and "--engine duckdb" in message
    with pytest.raises(JavaMissingError, match="has no bin/java"):
        check_java(java_home=str(tmp_path), path=None)


def test_old_java_is_refused(tmp_path):
    fake = tmp_path / "bin" / "java"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\necho \'java version "1.8.0_392"\' >&2\n')
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    assert find_java(java_home=str(tmp_path), path=None) == fake
    with pytest.raises(JavaMissingError, match=r"needs Java 17 or newer; .* is java version \"1.8.0_392\""):
        check_java(java_home=str(tmp_path), path=None)


def test_this_machine_has_java_17():
    # check_java raises unless the runtime is 17 or newer; CI runs the Spark test above with it
    assert "version" in check_java(java_home=os.environ.get("JAVA_HOME"), path=os.environ.get("PATH"))
