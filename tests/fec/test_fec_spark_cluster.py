"""The Spark engine on a real standalone cluster: a master and a worker JVM on localhost, executors in their own JVMs.

The cluster is started with the launcher pyspark ships (``bin/spark-class``), on free ports, small (one worker,
2 cores, 1 GB), waited for with bounded timeouts and always stopped, also when the test fails. The ingest runs
as `influence fec ingest --engine spark --spark-master spark://127.0.0.1:PORT` in its own process (a test
session already holds a local SparkSession, and one process has one SparkContext), and must write the bytes
the DuckDB engine writes.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fec_helpers import FEC, FILES

pyspark = pytest.importorskip("pyspark")  # the [spark] extra; `make test` installs it

COMPARED = ("entities.csv", "relationships.csv", "sources.csv", "exclusions.csv", "merge_log.csv",
            "company_totals.csv", "schema.toml")
START_TIMEOUT = 180  # seconds for a JVM to come up on a busy 2-core machine
INGEST_TIMEOUT = 900


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _spark_env(tmp: Path) -> dict[str, str]:
    """Everything on 127.0.0.1, the test's Python in executors, logs and scratch under ``tmp``."""
    home = Path(pyspark.__file__).resolve().parent
    env = dict(os.environ)
    env.update({"SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_LOCAL_HOSTNAME": "127.0.0.1",
                "SPARK_LOG_DIR": str(tmp / "logs"), "SPARK_WORKER_DIR": str(tmp / "work"),
                "SPARK_LOCAL_DIRS": str(tmp / "scratch"), "PYSPARK_PYTHON": sys.executable,
                "PYSPARK_DRIVER_PYTHON": sys.executable, "SPARK_NO_DAEMONIZE": "1"})
    return env


def _wait_for(log: Path, text: str, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            break
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
    raise RuntimeError(f"the Spark {what} did not start within {START_TIMEOUT} s (exit {process.poll()}):\n{tail}")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process group we started (the JVM and any executor it forked), then SIGKILL if needed."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def standalone_cluster(tmp_path_factory):
    """``(master URL, environment)`` of a running master and worker; both stopped at teardown, whatever happened."""
    tmp = tmp_path_factory.mktemp("spark-cluster")
    for name in ("logs", "work", "scratch"):
        (tmp / name).mkdir()
    env = _spark_env(tmp)
    spark_class = str(Path(env["SPARK_HOME"]) / "bin" / "spark-class")
    port, ui = _free_port(), _free_port()
    master_url = f"spark://127.0.0.1:{port}"
    started: list[subprocess.Popen] = []
    try:
        master_log = tmp / "logs" / "master.log"
        with open(master_log, "wb") as log:
            master = subprocess.Popen([spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                                       "--port", str(port), "--webui-port", str(ui)],
                                      env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started.append(master)
        _wait_for(master_log, "I have been elected leader", master, "master")
        worker_log = tmp / "logs" / "worker.log"
        with open(worker_log, "wb") as log:
            worker = subprocess.Popen([spark_class, "org.apache.spark.deploy.worker.Worker", master_url,
                                       "--host", "127.0.0.1", "--port", str(_free_port()), "--webui-port",
                                       str(_free_port()), "--cores", "2", "--memory", "1g", "--work-dir", str(tmp / "work")],
                                      env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started.append(worker)
        _wait_for(worker_log, "Successfully registered with master", worker, "worker")
        yield master_url, env, tmp
    finally:
        for process in reversed(started):
            _stop(process)


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
