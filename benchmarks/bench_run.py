"""Time `influence run` against the hand-written floor, as whole processes, side by side in one run.

    .venv/bin/python -m benchmarks.bench_run --sizes 10000 150000 --repeats 3 --work /tmp/influence-bench
    .venv/bin/python -m benchmarks.bench_run --sizes 150000 --baseline ../main   # also time another checkout

For each size (relationships) it writes a seeded campaign-finance-shaped data folder under --work
(`benchmarks/run_data.py`; skipped when present), then runs, each as its own process and alternating
which goes first so that the load of a shared machine falls on both alike:

- run:   ``python -m analysis run --data FOLDER --out OUT`` (every output, run-timings.json beside run.json);
- floor: ``python benchmarks/floor_run.py --data FOLDER --out OUT`` (pandas + igraph: the core work only);
- baseline (with ``--baseline DIR``): the same `run`, its package imported from DIR (another checkout).

Wall time is measured around the process, peak memory is the process's own ``ru_maxrss`` (from
``os.wait4``, so each run is measured apart), and the load average is read before each run. It prints
Markdown tables (medians over the repeats): the two processes and their ratio, then where `run`'s time
goes by step (from run-timings.json). Results, every repeat included, go to ``WORK/SIZE/results.json``
as each size finishes and to ``WORK/results.json`` at the end.
The 1.5M size (``--sizes 1500000``) did not finish within 25 minutes on 2 cores (2026-12-04; see
benchmarks/README.md): a timed-out `run` is killed, but not the second process it forked; end that by its pid.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.run_data import generate_folder

ROOT = Path(__file__).resolve().parents[1]


def timed_process(command: list[str], *, timeout: float, cwd: Path = ROOT) -> dict:
    """Run ``command``; its wall seconds, peak resident memory (GB), exit status and load average before."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    error = process.stderr.read().decode(errors="replace")[-2000:]
    return {"seconds": round(seconds, 2), "peak_gb": round(usage.ru_maxrss / 1024 ** 2, 3),
            "exit": os.waitstatus_to_exitcode(status), "load_before": round(load, 2),
            "timed_out": seconds >= timeout, "stderr": error if os.waitstatus_to_exitcode(status) else ""}


def measure(size: int, work: Path, repeats: int, timeout: float, baseline: Path | None = None) -> dict:
    folder = work / str(size) / "data"
    if not (folder / "relationships.csv").exists():
        counts = generate_folder(size, folder)
    else:
        counts = {"entities": sum(1 for _ in open(folder / "entities.csv", encoding="utf-8")) - 1, "relationships": size}
    commands = {
        "run": [sys.executable, "-m", "analysis", "run", "--data", str(folder), "--out", str(work / str(size) / "run-out")],
        "floor": [sys.executable, str(ROOT / "benchmarks" / "floor_run.py"), "--data", str(folder),
                  "--out", str(work / str(size) / "floor-out")],
    }
    places = {"run": ROOT, "floor": ROOT}
    if baseline is not None:  # `python -m analysis` imports the package from the working directory
        commands["baseline"] = [*commands["run"][:-1], str(work / str(size) / "baseline-out")]
        places["baseline"] = baseline
    results: dict[str, list] = {name: [] for name in commands} | {"steps": []}
    for repeat in range(repeats):
        order = list(commands) if repeat % 2 == 0 else list(reversed(commands))
        for name in order:
            shutil.rmtree(work / str(size) / f"{name}-out", ignore_errors=True)
            outcome = timed_process(commands[name], timeout=timeout, cwd=places[name])
            results[name].append(outcome)
            print(f"{size:>9,} {name:<8} repeat {repeat + 1}: {outcome['seconds']:8.1f} s  {outcome['peak_gb']:.2f} GB  "
                  f"load {outcome['load_before']:.1f}  exit {outcome['exit']}", file=sys.stderr)
            timings = work / str(size) / "run-out" / "run-timings.json"
            if name == "run" and outcome["exit"] == 0 and timings.exists():
                results["steps"].append(json.loads(timings.read_text(encoding="utf-8"))["steps"])
    measured = {"size": size, **counts, **results}
    (work / str(size) / "results.json").write_text(json.dumps(measured, indent=2) + "\n", encoding="utf-8")
    return measured


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def tables(measured: list[dict]) -> str:
    lines = []
    if any(m.get("baseline") for m in measured):
        lines += ["`influence run` of the --baseline checkout (median seconds, peak GB): "
                  + "; ".join(f"{m['size']:,}: {_median([r['seconds'] for r in m['baseline'] if r['exit'] == 0]):.1f} s, "
                              f"{_median([r['peak_gb'] for r in m['baseline'] if r['exit'] == 0]):.2f} GB"
                              for m in measured if m.get("baseline")), ""]
    lines += ["| relationships | entities | `influence run` | floor (pandas + igraph) | ratio | peak GB (run / floor) | load average before runs |",
              "|---:|---:|---:|---:|---:|---|---|"]
    for m in measured:
        ok = [r for r in m["run"] if r["exit"] == 0]
        run_s = _median([r["seconds"] for r in ok])
        floor_s = _median([r["seconds"] for r in m["floor"] if r["exit"] == 0])
        loads = [r["load_before"] for r in m["run"] + m["floor"] + m.get("baseline", [])]
        run_text = f"{run_s:.1f} s" if ok else f"did not finish ({m['run'][0]['seconds']:.0f} s)"
        lines.append(f"| {m['size']:,} | {m['entities']:,} | {run_text} | {floor_s:.1f} s | {run_s / floor_s:.1f}x | "
                     f"{_median([r['peak_gb'] for r in ok]):.2f} / {_median([r['peak_gb'] for r in m['floor']]):.2f} | "
                     f"{min(loads):.1f} to {max(loads):.1f} |")
    names = list(dict.fromkeys(step for m in measured for steps in m["steps"] for step in steps))
    lines += ["", "Where `influence run`'s time goes (median seconds per step, from run-timings.json):", "",
              "| step | " + " | ".join(f"{m['size']:,}" for m in measured) + " |",
              "|---|" + "---:|" * len(measured)]
    for step in names:
        cells = []
        for m in measured:
            values = [steps[step] for steps in m["steps"] if step in steps]
            total = _median([sum(steps.values()) for steps in m["steps"]])
            cells.append(f"{_median(values):.1f} s ({_median(values) / total:.0%})" if values else "-")
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    lines.append("| total (in-process) | " + " | ".join(
        f"{_median([sum(s.values()) for s in m['steps']]):.1f} s" for m in measured) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 150_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/influence-bench"))
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds before a process is stopped")
    parser.add_argument("--baseline", type=Path, help="also time `influence run` from this checkout (e.g. /work/main)")
    args = parser.parse_args(argv)
    measured = [measure(size, args.work, args.repeats, args.timeout, args.baseline) for size in args.sizes]
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine()}
    (args.work / "results.json").write_text(json.dumps({"machine": machine, "results": measured}, indent=2) + "\n")
    print(tables(measured))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
