"""Time loading an ingest's data folder as CSV and as Parquet (`network.contract.load.load_tables`), and checking it.

    .venv/bin/python -m benchmarks.fec.bench_load --data /tmp/fec-bench/1m --work /tmp/fec-bench/load

Ingests the generated files (benchmarks/fec/generate.py) with ``--tech`` twice, as CSV and as Parquet
(``--format parquet``), unless the folders exist; then, each in its own process and alternating so that
machine load hits both alike, times ``load_tables`` (reading the three tables into text tables: what the
format changes) and ``validated_tables`` after it (the checks, the same work for both). Checks that both
folders load into equal tables. Prints a Markdown table with the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

FILES = {"indiv": "itcont.txt", "oth": "itoth.txt", "pas2": "itpas2.txt", "cm": "cm.txt", "cn": "cn.txt", "ccl": "ccl.txt"}


def _child(folder: Path, validate: bool = True) -> dict:
    from network.contract.load import load_tables
    from network.contract.schema import load_schema
    from network.contract.validate import validated_tables

    started = time.perf_counter()
    tables = load_tables(folder)
    loaded = time.perf_counter()
    if validate:
        validated_tables(tables, load_schema(tables.paths["schema"]))
    checked = time.perf_counter()
    return {"load_s": loaded - started, "validate_s": checked - loaded, "relationships": len(tables.relationships),
            "entities": len(tables.entities), "bytes": sum(p.stat().st_size for k, p in tables.paths.items() if k != "schema")}


def _ingest(data: Path, out: Path, file_format: str) -> float:
    from network.fec.ingest import IngestOptions, ingest_fec

    started = time.perf_counter()
    ingest_fec({key: data / name for key, name in FILES.items()}, out,
               options=IngestOptions(tech_only=True, file_format=file_format))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="generated FEC files")
    parser.add_argument("--work", type=Path, required=True, help="where the two ingest folders go")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--load-only", action="store_true", help="time load_tables only, not validated_tables after it")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, validate=not args.load_only)))
        return
    folders = {"csv": args.work / "tech-csv", "parquet": args.work / "tech-parquet"}
    for name, folder in folders.items():
        if not folder.exists():
            print(f"ingest --tech --format {name}: {_ingest(args.data, folder, name):.1f} s", file=sys.stderr)
    from network.contract.load import load_tables

    csv_tables, parquet_tables = load_tables(folders["csv"]), load_tables(folders["parquet"])
    for name in ("entities", "relationships", "sources"):
        assert getattr(csv_tables, name).reset_index(drop=True).equals(getattr(parquet_tables, name).reset_index(drop=True)), name
    before = os.getloadavg()
    runs: dict[str, list[dict]] = {"csv": [], "parquet": []}
    for _ in range(args.repeats):
        for name, folder in folders.items():
            done = subprocess.run([sys.executable, "-m", "benchmarks.fec.bench_load", "--data", str(args.data),
                                   "--work", str(args.work), "--child", str(folder),
                                   *(["--load-only"] if args.load_only else [])], capture_output=True, text=True, check=True)
            runs[name].append(json.loads(done.stdout.splitlines()[-1]))
    after = os.getloadavg()
    load = {name: statistics.median(r["load_s"] for r in rs) for name, rs in runs.items()}
    check = {name: statistics.median(r["validate_s"] for r in rs) for name, rs in runs.items()}
    first = runs["csv"][0]
    print(f"{first['entities']:,} entities, {first['relationships']:,} relationships; "
          f"load average {before[0]:.2f} before, {after[0]:.2f} after; median of {args.repeats}\n")
    print("| folder | bytes (3 tables) | load_tables | validated_tables after it |")
    print("|---|---:|---:|---:|")
    for name in folders:
        checked = "not timed (--load-only)" if args.load_only else f"{check[name]:.2f} s"
        print(f"| {name} | {runs[name][0]['bytes'] / 1e6:.1f} MB | {load[name]:.2f} s | {checked} |")
    print(f"\nParquet loads {load['csv'] / load['parquet']:.1f}x faster than CSV.")


if __name__ == "__main__":
    main()
