"""The Spark engine on a real standalone cluster: a master and a worker JVM on localhost, executors in their own JVMs.

The cluster is started by benchmarks/fec/cluster.py (the benchmark of one worker uses it too) with the
launcher pyspark ships (``bin/spark-class``), on free ports, small (one worker, 2 cores, 1 GB), waited for
with bounded timeouts and always stopped, also when the test fails. The ingest runs
as `influence fec ingest --engine spark --spark-master spark://127.0.0.1:PORT` in its own process (a test
session already holds a local SparkSession, and one process has one SparkContext), and must write the bytes
the DuckDB engine writes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fec_helpers import FEC, FILES

pytest.importorskip("pyspark")  # the [spark] extra; `make test` installs it

from benchmarks.fec.cluster import standalone_cluster as start_cluster  # noqa: E402 (needs pyspark)

COMPARED = ("entities.csv", "relationships.csv", "sources.csv", "exclusions.csv", "merge_log.csv",
            "company_totals.csv", "schema.toml")
INGEST_TIMEOUT = 900


@pytest.fixture(scope="module")
def standalone_cluster(tmp_path_factory):
    """``(master URL, environment, folder)`` of a running master and worker; both stopped at teardown, whatever happened."""
    tmp = tmp_path_factory.mktemp("spark-cluster")
    with start_cluster(tmp, cores=2, memory="1g") as (master_url, env):
        yield master_url, env, tmp


def test_spark_on_a_standalone_cluster_writes_the_duckdb_bytes(standalone_cluster, full, tmp_path):
    master_url, env, cluster_tmp = standalone_cluster
    out = tmp_path / "spark-cluster"
    env = dict(env)
    # small executors for a 2-core machine; few shuffle partitions for the small fixtures
    env["PYSPARK_SUBMIT_ARGS"] = ("--conf spark.executor.memory=512m --conf spark.executor.cores=2 "
                                  "--conf spark.sql.shuffle.partitions=4 --conf spark.driver.memory=768m pyspark-shell")
    argv = [sys.executable, "-m", "analysis", "fec", "ingest", *[f"--{key}={FEC / name}" for key, name in FILES.items()],
            "--out", str(out), "--engine", "spark", "--spark-master", master_url, "--temp-dir", str(tmp_path), "--quiet"]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=INGEST_TIMEOUT)
    assert done.returncode == 0, done.stderr[-3000:]
    for name in COMPARED:
        assert (out / name).read_bytes() == (full.folder / name).read_bytes(), name
    summary = json.loads((out / "ingest_summary.json").read_text(encoding="utf-8"))
    assert summary["parameters"]["spark_master"] == master_url and summary["parameters"]["engine"] == "spark"
    duck = json.loads((full.folder / "ingest_summary.json").read_text(encoding="utf-8"))
    for key in ("parameters", "versions"):
        summary.pop(key), duck.pop(key)
    assert summary == duck
    # the work ran in executors the worker launched (separate JVMs), not in the driver
    executors = [p for p in (cluster_tmp / "work").glob("app-*/*") if p.is_dir()]
    assert executors, "no executor folder under the worker's work dir"
    assert any("Executor" in (p / "stderr").read_text(errors="replace") for p in executors if (p / "stderr").exists())


def test_spark_submit_on_the_cluster_uses_its_master(standalone_cluster, tech, tmp_path):
    """The route docs/fec.md gives for an existing cluster: spark-submit --master URL (client mode) runs the
    `influence` entry point, and without --spark-master the ingest runs on spark-submit's master."""
    master_url, env, _ = standalone_cluster
    out = tmp_path / "submitted"
    home = Path(env["SPARK_HOME"])
    entry = Path(__import__("analysis").__file__).resolve().parent / "__main__.py"
    argv = [str(home / "bin" / "spark-submit"), "--master", master_url, "--deploy-mode", "client",
            "--conf", "spark.executor.memory=512m", "--conf", "spark.sql.shuffle.partitions=4", "--driver-memory", "768m",
            str(entry), "fec", "ingest", *[f"--{key}={FEC / name}" for key, name in FILES.items()],
            "--out", str(out), "--engine", "spark", "--tech", "--temp-dir", str(tmp_path), "--quiet"]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=INGEST_TIMEOUT)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads((out / "ingest_summary.json").read_text(encoding="utf-8"))
    assert summary["parameters"]["spark_master"] == master_url
    for name in COMPARED:
        assert (out / name).read_bytes() == (tech.folder / name).read_bytes(), name
