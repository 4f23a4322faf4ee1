"""What an ingest's outputs cost by themselves: the floor under any ingest that writes them.

    .venv/bin/python -m benchmarks.fec.bench_outputs_floor --data /tmp/fec-bench/10m --out /tmp/fec-bench/ingest-10m/data --work /tmp/fec-floor

Given the FEC files (``--data``) and a finished ingest of them (``--out``), it times, in DuckDB with
the ingest's default memory limit: reading relationships.csv and writing it back sorted by id (what
the ingest's last write does), the same without the sort, and the SHA-256 of the three transaction
files (which the summary records). Prints one JSON line of seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the folder of FEC files")
    parser.add_argument("--out", type=Path, required=True, help="the ingest's output folder for those files")
    parser.add_argument("--work", type=Path, required=True, help="scratch folder (removed at the end)")
    parser.add_argument("--memory-limit", default="3GB")
    args = parser.parse_args()
    import duckdb

    args.work.mkdir(parents=True, exist_ok=True)
    relationships = str(args.out / "relationships.csv").replace("'", "''")
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{args.memory_limit}'")
    con.execute(f"SET temp_directory = '{args.work / 'duckdb-tmp'}'")
    seconds = {}
    try:
        for label, order in (("sort_and_write_relationships", " ORDER BY id"), ("copy_relationships", "")):
            began = time.perf_counter()
            con.execute(f"COPY (SELECT * FROM read_csv('{relationships}', all_varchar=true){order}) "
                        f"TO '{args.work / 'copy.csv'}' (HEADER)")
            seconds[label] = round(time.perf_counter() - began, 1)
        began = time.perf_counter()
        for name in ("itcont.txt", "itoth.txt", "itpas2.txt"):
            digest = hashlib.sha256()
            with open(args.data / name, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 24), b""):
                    digest.update(block)
        seconds["sha256_of_inputs"] = round(time.perf_counter() - began, 1)
    finally:
        con.close()
        shutil.rmtree(args.work, ignore_errors=True)
    print(json.dumps(seconds))


if __name__ == "__main__":
    main()
