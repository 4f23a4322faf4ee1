"""Time and peak memory of the streaming exports on synthetic graphs of 100k and 1M edges.

Run from the repository root:

    .venv/bin/python benchmarks/exports/bench_exports.py                 # 100k and 1M edges
    .venv/bin/python benchmarks/exports/bench_exports.py --edges 100000  # one size

Each (format, size) runs in its own child process, which builds the graph
straight from numpy arrays (no per-row Python dicts, no `build_influence_graph`
grouping), notes its resident memory (VmRSS in /proc/self/status), resets the
peak (VmHWM, via /proc/self/clear_refs), writes the export to a temporary folder,
and notes the wall and CPU time and the peak while exporting. An export's cost
in memory is that peak minus the graph's own memory (the ``build`` row: no
export). Prints a Markdown table; RESULTS.md keeps a dated copy.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import igraph as ig
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from network.graph import EDGE_COLUMNS, InfluenceGraph  # noqa: E402
from network.contract.schema import load_schema  # noqa: E402

FORMATS = ("csv", "relationships", "graphml", "ftm")


def memory_mb(field: str = "VmHWM") -> float:
    """``VmHWM`` (peak resident set size since start or the last reset) or ``VmRSS`` (now), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> None:
    """Restart VmHWM from the current resident size (Linux: ``5`` into /proc/self/clear_refs)."""
    Path("/proc/self/clear_refs").write_text("5")


def synthetic_graph(edge_count: int, *, seed: int = 0) -> InfluenceGraph:
    """A money and control graph with ``edge_count`` edges, one relationship each, built as columns."""
    schema = load_schema()
    rng = np.random.default_rng(seed)
    entity_count = max(10, edge_count // 5)
    ids = np.array([f"n{i:07d}" for i in range(entity_count)], dtype=object)
    kinds = np.array(["person", "company", "pac", "campaign"], dtype=object)
    entities = pd.DataFrame({
        "id": ids, "name": np.array([f"Entity {i}" for i in range(entity_count)], dtype=object),
        "type": kinds[rng.integers(0, len(kinds), entity_count)], "name_ar": "", "aliases": "", "description": "",
    })
    # Draw more pairs than needed, drop self-loops and repeats, keep edge_count of them in sorted order.
    draw = int(edge_count * 1.2) + 100
    u, v = rng.integers(0, entity_count, draw), rng.integers(0, entity_count, draw)
    money = rng.random(draw) < 0.6
    pairs = pd.DataFrame({"u": u, "v": v, "money": money})
    pairs = pairs[pairs["u"] != pairs["v"]].drop_duplicates(["u", "v", "money"]).head(edge_count)
    pairs = pairs.assign(layer=np.where(pairs["money"], "money", "control"))
    pairs = pairs.assign(source=ids[pairs["u"].to_numpy()], target=ids[pairs["v"].to_numpy()])
    pairs = pairs.sort_values(["source", "target", "layer"], kind="stable").reset_index(drop=True)
    count = len(pairs)
    is_money = pairs["money"].to_numpy()
    amounts = np.where(is_money, np.round(rng.lognormal(9, 2, count)), np.nan)
    strength = np.where(is_money, schema.weights.money_base + np.log10(1 + np.nan_to_num(amounts) / schema.weights.money_unit_usd),
                        schema.relationship_types["board"].default_strength)
    rel_ids = np.array([f"r{i:07d}" for i in range(count)], dtype=object)
    days = np.array([f"20{y:02d}-{m:02d}" for y, m in zip(rng.integers(10, 25, count), rng.integers(1, 13, count))], dtype=object)
    relationships = pd.DataFrame({
        "id": rel_ids, "source": pairs["source"].to_numpy(), "target": pairs["target"].to_numpy(),
        "type": np.where(is_money, "donation", "board").astype(object), "role": "", "amount_usd": amounts,
        "amount_qualifier": np.where(is_money, "exact", "").astype(object), "start_date": days, "end_date": days,
        "status": "confirmed", "aggregate": False, "source_ids": "s1", "evidence": "synthetic row",
        "layer": pairs["layer"].to_numpy(), "edge_source": pairs["source"].to_numpy(),
        "edge_target": pairs["target"].to_numpy(), "directed": True, "strength": strength,
    })
    edges = pd.DataFrame({
        "source": relationships["source"], "target": relationships["target"], "layer": relationships["layer"],
        "directed": True, "types": relationships["type"], "relationship_ids": rel_ids, "relationship_count": 1,
        "strength": strength, "cost": 1.0 / strength, "amount_usd": amounts, "stated_total_usd": np.nan,
        "first_date": days, "last_date": days, "status": "confirmed", "source_ids": "s1",
    })[list(EDGE_COLUMNS)]
    sources = pd.DataFrame({"id": ["s1"], "publisher": ["Synthetic"], "title": ["Synthetic source"], "published": ["2024"],
                            "language": ["en"], "url": ["https://example.org/s1"], "document": [""]})
    graph = ig.Graph(n=entity_count, edges=np.column_stack([pairs["u"].to_numpy(), pairs["v"].to_numpy()]), directed=True)
    graph.vs["name"] = list(ids)
    graph.es["strength"] = strength
    return InfluenceGraph(entities, relationships, sources, edges, graph, schema, schema.weights)


def child(export_format: str, edge_count: int) -> dict:
    from network.formats.export import write_export

    graph = synthetic_graph(edge_count)
    gc.collect()
    result = {"format": export_format, "edges": len(graph.edges), "entities": len(graph.entities),
              "build_peak_mb": memory_mb("VmHWM"), "graph_mb": memory_mb("VmRSS")}
    reset_peak()
    if export_format == "build":
        return {**result, "seconds": 0.0, "cpu_seconds": 0.0, "peak_mb": memory_mb("VmHWM"), "file_mb": 0.0}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export.{export_format}"
        start, cpu = time.perf_counter(), time.process_time()
        write_export(graph, export_format, path)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
        size = path.stat().st_size / 2**20
    return {**result, "seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mb": memory_mb("VmHWM"), "file_mb": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, action="append", help="graph sizes (default: 100000 and 1000000)")
    parser.add_argument("--format", dest="formats", action="append", choices=FORMATS, help="formats (default: all)")
    parser.add_argument("--child", nargs=2, metavar=("FORMAT", "EDGES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]))))
        return
    rows = []
    for edge_count in args.edges or [100_000, 1_000_000]:
        for export_format in ("build", *(args.formats or FORMATS)):
            output = subprocess.run([sys.executable, __file__, "--child", export_format, str(edge_count)],
                                    check=True, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"})
            rows.append(json.loads(output.stdout.strip().splitlines()[-1]))
            print(f"  {export_format} {edge_count}: done", file=sys.stderr)
    print("| edges | entities | format | wall (s) | CPU (s) | graph in memory (MiB) | peak while exporting (MiB) "
          "| export's extra (MiB) | file (MiB) |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['edges']:,} | {row['entities']:,} | {row['format']} | {row['seconds']:.1f} | {row['cpu_seconds']:.1f} | "
              f"{row['graph_mb']:.0f} | {row['peak_mb']:.0f} | {row['peak_mb'] - row['graph_mb']:.0f} | {row['file_mb']:.0f} |")


if __name__ == "__main__":
    main()
