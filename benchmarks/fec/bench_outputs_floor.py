"""What an ingest's outputs cost by themselves: a floor under any ingest that writes them.

    .venv/bin/python -m benchmarks.fec.bench_outputs_floor --data /tmp/fec-bench/10m --out /tmp/fec-bench/ingest-10m/data --work /tmp/fec-floor

Given the FEC files (``--data``) and a finished ingest of them (``--out``), it loads each of the five
outputs the engines sort (entities, relationships, exclusions, merge log, company totals) into a DuckDB
table, untimed, then times writing each back as CSV sorted by the columns the ingest sorts it by, with
the ingest's default memory limit and every core. That is the cost of the sorted writes alone, with
nothing computed. It also times the SHA-256 of the three transaction files (the summary records them).
Prints one JSON line of seconds. Its scratch files go to a new folder inside ``--work``, removed at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
import time
from pathlib import Path

from network.fec.query import OUTPUTS


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the folder of FEC files")
    parser.add_argument("--out", type=Path, required=True, help="the ingest's output folder for those files")
    parser.add_argument("--work", type=Path, required=True, help="a folder for scratch files")
    parser.add_argument("--memory-limit", default="3GB")
    args = parser.parse_args()
    import duckdb

    args.work.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="floor-", dir=args.work))
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{args.memory_limit}'")
    con.execute(f"SET temp_directory = {_quote(scratch / 'duckdb-tmp')}")
    seconds: dict[str, float] = {}
    try:
        for file_name, (_, order_by) in OUTPUTS.items():
            con.execute(f"CREATE OR REPLACE TEMP TABLE t AS SELECT * FROM read_csv({_quote(args.out / file_name)}, all_varchar=true)")
            order = ", ".join(f"{column} ASC NULLS FIRST" for column in order_by)
            began = time.perf_counter()
            con.execute(f"COPY (SELECT * FROM t ORDER BY {order}) TO {_quote(scratch / file_name)} (HEADER)")
            seconds[f"sorted write {file_name}"] = round(time.perf_counter() - began, 1)
            con.execute("DROP TABLE t")
        seconds["sorted writes, all five"] = round(sum(seconds.values()), 1)
        began = time.perf_counter()
        for name in ("itcont.txt", "itoth.txt", "itpas2.txt"):
            digest = hashlib.sha256()
            with open(args.data / name, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 24), b""):
                    digest.update(block)
        seconds["sha256 of the inputs"] = round(time.perf_counter() - began, 1)
    finally:
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)
    print(json.dumps(seconds))


if __name__ == "__main__":
    main()
