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
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.fec.cluster import standalone_cluster

FILES = {"indiv": "itcont.txt", "oth": "itoth.txt", "pas2": "itpas2.txt", "cm": "cm.txt", "cn": "cn.txt", "ccl": "ccl.txt"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a folder of generated FEC files")
    parser.add_argument("--work", type=Path, required=True, help="scratch folder (logs, temp, output)")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--memory", default="4g", help="the worker's memory, given to its executor")
    args = parser.parse_args()
    work = args.work
    (work / "temp").mkdir(parents=True, exist_ok=True)
    out = work / "out"
    with standalone_cluster(work, cores=args.cores, memory=args.memory) as (master_url, env):
        env = dict(env, PYSPARK_SUBMIT_ARGS=f"--conf spark.executor.memory={args.memory} pyspark-shell")
        command = [sys.executable, "-m", "analysis", "fec", "ingest", "--out", str(out), "--engine", "spark",
                   "--spark-master", master_url, "--temp-dir", str(work / "temp"), "--quiet"]
        for key, name in FILES.items():
            command += [f"--{key}", str(args.data / name)]
        began = time.perf_counter()
        subprocess.run(command, env=env, check=True)
        seconds = time.perf_counter() - began
    summary = json.loads((out / "ingest_summary.json").read_text(encoding="utf-8"))
    lines = sum(summary["inputs"][key]["lines"] for key in ("indiv", "oth", "pas2") if key in summary["inputs"])
    print(json.dumps({"seconds": round(seconds, 1), "lines": lines, "lines_per_s": round(lines / seconds),
                      "worker_cores": args.cores, "worker_memory": args.memory, "master": master_url,
                      "load_after": os.getloadavg()}))


if __name__ == "__main__":
    main()
