"""Time `influence fec ingest --engine spark` on a standalone Spark cluster of one worker, on this machine.

    .venv/bin/python -m benchmarks.fec.bench_cluster --data /tmp/fec-bench/1m --work /tmp/fec-cluster --cores 2 --memory 4g

Starts a master and one worker (``--cores``, ``--memory``) with the launcher pyspark ships
(``bin/spark-class``) on free ports of 127.0.0.1, runs the ingest of the FEC files in ``--data``
(benchmarks/fec/generate.py writes them) as its own process against that master, and stops both JVMs,
also on failure. It prints one JSON line: wall seconds of the ingest command (JVM start-up included),
the lines read, lines per second, and the worker's settings. The executors are separate JVMs started by
the worker, as on a real cluster; the driver runs on the same machine and shares its cores, so this is
the throughput of one worker of ``--cores`` cores, not of a cluster.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

FILES = {"indiv": "itcont.txt", "oth": "itoth.txt", "pas2": "itpas2.txt", "cm": "cm.txt", "cn": "cn.txt", "ccl": "ccl.txt"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(log: Path, text: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            break
        time.sleep(0.5)
    raise RuntimeError(f"{log.name}: '{text}' not seen within {timeout} s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a folder of generated FEC files")
    parser.add_argument("--work", type=Path, required=True, help="scratch folder (logs, temp, output)")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--memory", default="4g", help="the worker's memory, given to its executor")
    args = parser.parse_args()
    import pyspark

    work = args.work
    for name in ("logs", "work", "scratch", "temp"):
        (work / name).mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update({"SPARK_HOME": str(Path(pyspark.__file__).resolve().parent), "SPARK_LOCAL_IP": "127.0.0.1",
                "SPARK_LOCAL_HOSTNAME": "127.0.0.1", "SPARK_LOG_DIR": str(work / "logs"),
                "SPARK_WORKER_DIR": str(work / "work"), "SPARK_LOCAL_DIRS": str(work / "scratch"),
                "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable, "SPARK_NO_DAEMONIZE": "1",
                "PYSPARK_SUBMIT_ARGS": f"--conf spark.executor.memory={args.memory} pyspark-shell"})
    spark_class = str(Path(env["SPARK_HOME"]) / "bin" / "spark-class")
    port = _free_port()
    master_url = f"spark://127.0.0.1:{port}"
    started: list[subprocess.Popen] = []
    try:
        with open(work / "logs" / "master.log", "wb") as log:
            started.append(subprocess.Popen([spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                                             "--port", str(port), "--webui-port", str(_free_port())],
                                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        _wait_for(work / "logs" / "master.log", "I have been elected leader", started[-1])
        with open(work / "logs" / "worker.log", "wb") as log:
            started.append(subprocess.Popen([spark_class, "org.apache.spark.deploy.worker.Worker", master_url,
                                             "--host", "127.0.0.1", "--port", str(_free_port()), "--webui-port",
                                             str(_free_port()), "--cores", str(args.cores), "--memory", args.memory,
                                             "--work-dir", str(work / "work")],
                                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        _wait_for(work / "logs" / "worker.log", "Successfully registered with master", started[-1])
        out = work / "out"
        command = [sys.executable, "-m", "analysis", "fec", "ingest", "--out", str(out), "--engine", "spark",
                   "--spark-master", master_url, "--temp-dir", str(work / "temp"), "--quiet"]
        for key, name in FILES.items():
            command += [f"--{key}", str(args.data / name)]
        began = time.perf_counter()
        subprocess.run(command, env=env, check=True)
        seconds = time.perf_counter() - began
    finally:
        for process in reversed(started):
            _stop(process)
    summary = json.loads((out / "ingest_summary.json").read_text(encoding="utf-8"))
    lines = sum(summary["inputs"][key]["lines"] for key in ("indiv", "oth", "pas2") if key in summary["inputs"])
    print(json.dumps({"seconds": round(seconds, 1), "lines": lines, "lines_per_s": round(lines / seconds),
                      "worker_cores": args.cores, "worker_memory": args.memory, "master": master_url,
                      "load_after": os.getloadavg()}))


if __name__ == "__main__":
    main()
