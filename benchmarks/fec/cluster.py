"""A standalone Spark cluster on this machine: one master and one worker, started and always stopped.

Used by benchmarks/fec/bench_cluster.py and tests/fec/test_fec_spark_cluster.py. The JVMs are started with
the launcher pyspark ships (``bin/spark-class``), on free ports of 127.0.0.1, in their own process
groups; executors are JVMs the worker starts, as on a real cluster.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["START_TIMEOUT", "standalone_cluster"]

START_TIMEOUT = 180
"""Seconds for a JVM to come up on a busy 2-core machine."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _spark_env(folder: Path) -> dict[str, str]:
    """Everything on 127.0.0.1, this Python in executors, logs and scratch under ``folder``."""
    import pyspark

    env = dict(os.environ)
    env.update({"SPARK_HOME": str(Path(pyspark.__file__).resolve().parent), "SPARK_LOCAL_IP": "127.0.0.1",
                "SPARK_LOCAL_HOSTNAME": "127.0.0.1", "SPARK_LOG_DIR": str(folder / "logs"),
                "SPARK_WORKER_DIR": str(folder / "work"), "SPARK_LOCAL_DIRS": str(folder / "scratch"),
                "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable, "SPARK_NO_DAEMONIZE": "1"})
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


@contextmanager
def standalone_cluster(folder: Path, *, cores: int = 2, memory: str = "1g") -> Iterator[tuple[str, dict[str, str]]]:
    """``(master URL, environment)`` of a running master and one worker of ``cores`` and ``memory``.

    ``folder`` receives ``logs/`` (master.log, worker.log), ``work/`` (the executors' folders) and
    ``scratch/``. Both JVMs are stopped on leaving, whatever happened.
    """
    for name in ("logs", "work", "scratch"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    env = _spark_env(folder)
    spark_class = str(Path(env["SPARK_HOME"]) / "bin" / "spark-class")
    port = _free_port()
    master_url = f"spark://127.0.0.1:{port}"
    started: list[subprocess.Popen] = []
    try:
        master_log = folder / "logs" / "master.log"
        with open(master_log, "wb") as log:
            master = subprocess.Popen([spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                                       "--port", str(port), "--webui-port", str(_free_port())],
                                      env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started.append(master)
        _wait_for(master_log, "I have been elected leader", master, "master")
        worker_log = folder / "logs" / "worker.log"
        with open(worker_log, "wb") as log:
            worker = subprocess.Popen([spark_class, "org.apache.spark.deploy.worker.Worker", master_url,
                                       "--host", "127.0.0.1", "--port", str(_free_port()), "--webui-port",
                                       str(_free_port()), "--cores", str(cores), "--memory", memory,
                                       "--work-dir", str(folder / "work")],
                                      env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started.append(worker)
        _wait_for(worker_log, "Successfully registered with master", worker, "worker")
        yield master_url, env
    finally:
        for process in reversed(started):
            _stop(process)
