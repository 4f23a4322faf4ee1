"""Time the FEC ingest beside a bare DuckDB GROUP BY over the same file, with peak memory; Spark rows/s; `influence run`.

    .venv/bin/python -m benchmarks.fec.bench_ingest --rows 1000000 10000000 --work /tmp/fec-bench

For each size it generates the files (benchmarks/fec/generate.py, seeded) unless present, then runs,
each in its own process (peak RSS = that process's ru_maxrss, DuckDB included; Spark's JVM is a child
and reported apart), alternating so that machine load hits both alike:

- bare: the naive query the ingest replaces, one DuckDB GROUP BY over itcont.txt (NAME, ZIP5, CMTE_ID,
  sum of TRANSACTION_AMT) written to CSV: no memo, earmark, refund or duplicate handling, no line numbers;
- ingest: `ingest_fec` on DuckDB with the same memory limit and threads (all six files), and with --tech;
- spark: the same ingest on Spark local[2], for sizes up to --spark-max-rows;
- run: `python -m analysis run` on the --tech ingest output.

It prints a Markdown table to paste into benchmarks/fec/RESULTS.md and writes results.json in --work.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

FILES = {"indiv": "itcont.txt", "oth": "itoth.txt", "pas2": "itpas2.txt", "cm": "cm.txt", "cn": "cn.txt", "ccl": "ccl.txt"}
COLUMNS = ("CMTE_ID,AMNDT_IND,RPT_TP,TRANSACTION_PGI,IMAGE_NUM,TRANSACTION_TP,ENTITY_TP,NAME,CITY,STATE,ZIP_CODE,EMPLOYER,"
           "OCCUPATION,TRANSACTION_DT,TRANSACTION_AMT,OTHER_ID,TRAN_ID,FILE_NUM,MEMO_CD,MEMO_TEXT,SUB_ID").split(",")


def _bare(data: Path, out: Path, memory_limit: str, threads: int | None) -> dict:
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{out}/duckdb-tmp'")
    if threads:
        con.execute(f"SET threads = {threads}")
    columns = "{" + ", ".join(f"'{name}': 'VARCHAR'" for name in COLUMNS) + "}"
    con.execute(f"""COPY (SELECT NAME, substr(ZIP_CODE, 1, 5) AS zip5, CMTE_ID, sum(TRY_CAST(TRANSACTION_AMT AS DECIMAL(16,2))) AS total
                    FROM read_csv('{data / "itcont.txt"}', delim='|', header=false, quote='', escape='', auto_detect=false,
                                  columns={columns}, ignore_errors=true)
                    GROUP BY NAME, zip5, CMTE_ID) TO '{out}/bare.csv' (HEADER)""")
    return {}


def _ingest(data: Path, out: Path, engine: str, tech: bool, memory_limit: str, threads: int | None) -> dict:
    from network.fec.ingest import IngestOptions, ingest_fec

    started = time.perf_counter()
    session = None
    if engine == "spark":
        from network.fec.engine_spark import SparkEngine, spark_session

        session = spark_session("local[2]")
    ready = time.perf_counter()
    if session:
        runner = SparkEngine(temp_dir=out, session=session)
    else:
        from network.fec.engine_duckdb import DuckDBEngine

        runner = DuckDBEngine(temp_dir=out, memory_limit=memory_limit, threads=threads)
    steps = _time_steps(runner)
    result = ingest_fec({key: data / name for key, name in FILES.items()}, out / "data",
                        options=IngestOptions(engine=engine, tech_only=tech, memory_limit=memory_limit, threads=threads),
                        temp_dir=out, engine=runner)
    runner.close()
    rows = sum(result.summary["rows"][key]["read"] for key in ("indiv", "oth", "pas2"))
    return {"rows": rows, "startup_s": ready - started, "written": dict(result.written), "steps": steps,
            "counted": {key: result.summary["rows"][key]["counted"] for key in ("indiv", "oth", "pas2")}}


def _time_steps(engine) -> dict[str, float]:
    """Wrap the engine's step and write methods to record each one's wall-clock seconds."""
    steps: dict[str, float] = {}
    run_step, write_csv = engine.run_step, engine.write_csv

    def timed_step(step):
        started = time.perf_counter()
        run_step(step)
        steps[step.name] = time.perf_counter() - started

    def timed_write(view, order_by, path):
        started = time.perf_counter()
        write_csv(view, order_by, path)
        steps[f"write {view}"] = time.perf_counter() - started

    engine.run_step, engine.write_csv = timed_step, timed_write
    return steps


def child(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.child == "bare":
        extra = _bare(Path(args.data), out, args.memory_limit, args.threads)
    elif args.child == "prepass":
        from network.fec.inputs import prepare_inputs

        prepare_inputs({key: Path(args.data) / name for key, name in FILES.items()}, out)
        extra = {}
    else:
        extra = _ingest(Path(args.data), out, args.child, args.tech, args.memory_limit, args.threads)
    seconds = time.perf_counter() - started
    mine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": mine, "children_peak_rss_mb": children, **extra}))


def _run(kind: str, data: Path, out: Path, args, *, tech: bool = False) -> dict:
    command = [sys.executable, "-m", "benchmarks.fec.bench_ingest", "--child", kind, "--data", str(data),
               "--out", str(out), "--memory-limit", args.memory_limit] + (["--tech"] if tech else [])
    if args.threads:
        command += ["--threads", str(args.threads)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _run_influence(data: Path, out: Path, timeout: float) -> dict:
    """`python -m analysis run` in its own process; its peak RSS from wait4 (that child alone)."""
    started = time.perf_counter()
    log = out.with_suffix(".log")
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w", encoding="utf-8") as handle:
        child = subprocess.Popen([sys.executable, "-m", "analysis", "run", "--data", str(data), "--out", str(out)],
                                 stdout=handle, stderr=subprocess.STDOUT)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                child.kill()
                os.wait4(child.pid, 0)
                return {"seconds": time.perf_counter() - started, "exit": None, "timeout": timeout}
            time.sleep(1)
    text = log.read_text(encoding="utf-8").strip()
    return {"seconds": time.perf_counter() - started, "exit": os.waitstatus_to_exitcode(status),
            "peak_rss_mb": usage.ru_maxrss / 1024, "first_line": text.splitlines()[0] if text else "",
            "last_lines": text.splitlines()[-3:] if text else []}


def _verify_lines(data: Path, exclusions: Path) -> dict:
    """Check the line numbers of exclusions.csv against the generator's TRAN_ID ("SA11AI.L<line>")."""
    import csv

    wanted = set()
    with open(exclusions, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["file"].endswith("itcont.txt") and row["line"]:
                wanted.add(int(row["line"]))
    checked = mismatched = 0
    with open(data / "itcont.txt", "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number in wanted:
                checked += 1
                mismatched += f"|SA11AI.L{number}|".encode() not in raw
    return {"checked": checked, "mismatched": mismatched}


def _machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({model}), {memory:.0f} GB RAM, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/fec-bench"))
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--spark-max-rows", type=int, default=1_000_000)
    parser.add_argument("--memory-limit", default="3GB")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--run-timeout", type=float, default=1800, help="seconds allowed for `influence run` (default 1800)")
    parser.add_argument("--child", choices=("bare", "prepass", "duckdb", "spark"), help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--tech", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    from benchmarks.fec.generate import generate

    results = {"machine": _machine(), "date": time.strftime("%Y-%m-%d"), "command": " ".join(sys.argv), "sizes": {}}
    for rows in args.rows:
        data = args.work / f"data-{rows}"
        if not (data / "itpas2.txt").is_file():
            started = time.perf_counter()
            generate(rows, data)
            print(f"generated {rows:,} rows in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        size = {"itcont_mb": (data / "itcont.txt").stat().st_size / 1e6, "bare": [], "ingest": []}
        for repeat in range(args.repeats):
            size["bare"].append(_run("bare", data, args.work / f"bare-{rows}", args))
            size["ingest"].append(_run("duckdb", data, args.work / f"ingest-{rows}", args))
            print(f"{rows:,}: bare {size['bare'][-1]['seconds']:.1f}s, ingest {size['ingest'][-1]['seconds']:.1f}s",
                  file=sys.stderr)
        size["line_check"] = _verify_lines(data, args.work / f"ingest-{rows}" / "data" / "exclusions.csv")
        print(f"{rows:,}: exclusion line numbers {size['line_check']}", file=sys.stderr)
        size["prepass"] = _run("prepass", data, args.work / f"prepass-{rows}", args)
        size["tech"] = _run("duckdb", data, args.work / f"tech-{rows}", args, tech=True)
        if rows <= args.spark_max_rows:
            size["spark"] = _run("spark", data, args.work / f"spark-{rows}", args)
        size["run"] = _run_influence(args.work / f"tech-{rows}" / "data", args.work / f"run-{rows}", args.run_timeout)
        results["sizes"][str(rows)] = size
        (args.work / "results.json").write_text(json.dumps(results, indent=2))
    print(markdown(results))


def _run_text(run: dict) -> str:
    if run.get("exit") is None:
        return f"did not finish within {run['timeout']:.0f}s"
    return f"{run['seconds']:.0f}s ({'ok' if run['exit'] == 0 else 'exit ' + str(run['exit'])})"


def markdown(results: dict) -> str:
    """The RESULTS.md table for a results.json."""
    lines = [f"{results['date']}, {results['machine']}", f"`{results['command']}`", "",
             "| itcont rows | file | bare GROUP BY | ingest (DuckDB) | ratio | peak RSS ingest | peak RSS bare | pre-pass | ingest --tech | Spark local[2] | `influence run` on --tech output |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    checks = []
    for rows, size in results["sizes"].items():
        bare = statistics.median(run["seconds"] for run in size["bare"])
        ingest = statistics.median(run["seconds"] for run in size["ingest"])
        spark = size.get("spark")
        spark_text = (f"{spark['seconds']:.0f}s ({spark['rows'] / (spark['seconds'] - spark['startup_s']):,.0f} rows/s "
                      f"after a {spark['startup_s']:.0f}s start)") if spark else "not run"
        run = size["run"]
        lines.append(
            f"| {int(rows):,} | {size['itcont_mb']:,.0f} MB | {bare:.1f}s | {ingest:.1f}s | {ingest / bare:.2f}x "
            f"| {max(r['peak_rss_mb'] for r in size['ingest']):,.0f} MB | {max(r['peak_rss_mb'] for r in size['bare']):,.0f} MB "
            f"| {size['prepass']['seconds']:.1f}s | {size['tech']['seconds']:.1f}s | {spark_text} "
            f"| {_run_text(run)} |")
        check = size.get("line_check", {})
        checks.append(f"- {int(rows):,} rows: {check.get('checked', 0):,} itcont lines of exclusions.csv checked against "
                      f"the generator's TRAN_ID, {check.get('mismatched', 0)} wrong")
    largest = max(results["sizes"], key=int)
    runs = results["sizes"][largest]["ingest"]
    steps = {name: statistics.median(run["steps"][name] for run in runs) for name in runs[0].get("steps", {})}
    breakdown = ["", f"Where the DuckDB ingest's time goes at {int(largest):,} rows (median seconds per step; the rest of "
                 "the total is the pre-pass, reading the lists and starting DuckDB):", "",
                 "| step | seconds | share |", "|---|---:|---:|"]
    total = statistics.median(run["seconds"] for run in runs)
    for name, seconds in sorted(steps.items(), key=lambda item: -item[1])[:12]:
        breakdown.append(f"| {name} | {seconds:.1f} | {seconds / total:.0%} |")
    return "\n".join(lines + [""] + checks + breakdown)


if __name__ == "__main__":
    main()
