"""The metric suite at scale: our code beside the same work on raw igraph and on networkx, in one run.

Command (from the repository root; about 15 minutes on 2 cores):

    .venv/bin/python -m benchmarks.bench_metrics --sizes 10000:50000 100000:500000 1000000:5000000

Each (size, contender) runs in its own child process, so peak memory (VmHWM) is its own. Graphs are
campaign-finance shaped (benchmarks/synthetic.py): about 2% committees receive most edges with a
Zipf-like law, lognormal amounts, 10% committee-to-committee transfers.

- ours: `centrality_table` (every metric in analysis.centrality.METRICS) + `detect_communities`
  (Leiden), on an InfluenceGraph built from the synthetic tables (the build is timed apart).
- igraph: the same computations called directly on a python-igraph Graph built from integer ids:
  collapse to one edge per pair, PageRank both ways, HITS, betweenness / closeness / harmonic (exact, or
  sampled from the same number of sources above 20,000 entities), eigenvector, coreness, igraph's own
  Burt constraint, Leiden.
- networkx: the same metrics with networkx where they finish within the time limit per call.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np

EXACT_LIMIT = 20_000
SAMPLES = 512


def peak_rss_gb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1e6
    return float("nan")


def run_ours(n: int, m: int) -> dict:
    from analysis.centrality import centrality_table
    from analysis.communities import detect_communities
    from benchmarks.synthetic import synthetic_tables
    from network.graph import build_influence_graph
    from network.contract.schema import load_schema

    tables = synthetic_tables(n, m)
    start = time.perf_counter()
    graph = build_influence_graph(tables, load_schema())
    built = time.perf_counter()
    table = centrality_table(graph, exact_limit=EXACT_LIMIT)
    metrics_done = time.perf_counter()
    detect_communities(graph)
    done = time.perf_counter()
    return {"build_s": built - start, "metrics_s": metrics_done - built, "leiden_s": done - metrics_done,
            "suite_s": done - built, "sampled": int(table.attrs.get("sampled_sources", 0))}


def run_igraph(n: int, m: int, limit: float) -> dict:
    import igraph as ig

    from benchmarks.synthetic import synthetic_edges
    from network.graph.edges import _money_strengths
    from network.contract.schema import load_schema

    sources, targets, amounts, _ = synthetic_edges(n, m)
    strength = _money_strengths(amounts, load_schema().weights)
    times: dict[str, float] = {}
    start = time.perf_counter()
    g = ig.Graph(n=n, edges=np.column_stack([sources, targets]), directed=True)
    g.es["strength"] = strength
    g.simplify(combine_edges={"strength": "sum"})
    g.es["cost"] = [1.0 / s for s in g.es["strength"]]
    times["collapse"] = time.perf_counter() - start
    tick = time.perf_counter()
    g.pagerank(weights="strength")
    reverse = g.copy()
    reverse.reverse_edges()
    reverse.pagerank(weights="strength")
    g.hub_score(weights="strength")
    g.authority_score(weights="strength")
    if n <= EXACT_LIMIT:
        g.betweenness(weights="cost")
        g.closeness(mode="out", weights="cost")
        g.harmonic_centrality(mode="out", weights="cost")
    else:
        k = int(np.clip(5e7 / max(g.ecount(), 1), 32, SAMPLES))  # the same sample size as ours
        sample = np.random.default_rng(0).choice(n, size=k, replace=False).tolist()
        g.betweenness(weights="cost", sources=sample)
        for block in range(0, k, 64):
            g.distances(source=sample[block:block + 64], mode="in", weights="cost")
    u = g.as_undirected(mode="collapse", combine_edges={"strength": "sum"})
    u.eigenvector_centrality(weights="strength")
    u.coreness()
    times["metrics_without_constraint"] = time.perf_counter() - tick
    leiden_start = time.perf_counter()
    u.community_leiden(objective_function="modularity", weights="strength", n_iterations=-1)
    times["leiden"] = time.perf_counter() - leiden_start
    times["suite_without_constraint"] = times["collapse"] + times["metrics_without_constraint"] + times["leiden"]
    # igraph's constraint walks the neighbours of neighbours: run it last, under the time limit set by the parent
    print(json.dumps(times), flush=True)
    tick = time.perf_counter()
    g.constraint(weights="strength")
    times["constraint"] = time.perf_counter() - tick
    times["suite_s"] = times["suite_without_constraint"] + times["constraint"]
    return times


def run_networkx(n: int, m: int) -> dict:
    import networkx as nx

    from benchmarks.synthetic import synthetic_edges
    from network.graph.edges import _money_strengths
    from network.contract.schema import load_schema

    sources, targets, amounts, _ = synthetic_edges(n, m)
    strength = _money_strengths(amounts, load_schema().weights)
    start = time.perf_counter()
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    for s, t, w in zip(sources.tolist(), targets.tolist(), strength.tolist()):
        if G.has_edge(s, t):
            G[s][t]["strength"] += w
        else:
            G.add_edge(s, t, strength=w)
    for _, _, data in G.edges(data=True):
        data["cost"] = 1.0 / data["strength"]
    times = {"build": time.perf_counter() - start}
    calls = {
        "pagerank": lambda: nx.pagerank(G, weight="strength"),
        "reverse_pagerank": lambda: nx.pagerank(G.reverse(copy=False), weight="strength"),
        "hits": lambda: nx.hits(G),
        "betweenness": lambda: nx.betweenness_centrality(G, weight="cost", k=None if n <= EXACT_LIMIT else SAMPLES, seed=0),
        "closeness": lambda: nx.closeness_centrality(G.reverse(copy=False), distance="cost"),
        "eigenvector": lambda: nx.eigenvector_centrality(G.to_undirected(), weight="strength", max_iter=1000),
        "coreness": lambda: nx.core_number(G.to_undirected()),
        "constraint": lambda: nx.constraint(G, weight="strength"),
        "louvain": lambda: nx.community.louvain_communities(G.to_undirected(), weight="strength", seed=0),
    }
    for name, call in calls.items():
        tick = time.perf_counter()
        call()
        times[name] = time.perf_counter() - tick
        print(json.dumps(times), flush=True)
    times["suite_s"] = sum(v for k, v in times.items() if k != "build")
    return times


def child(contender: str, n: int, m: int) -> None:
    sys.setrecursionlimit(10_000)
    result = {"ours": lambda: run_ours(n, m), "igraph": lambda: run_igraph(n, m, 0), "networkx": lambda: run_networkx(n, m)}[contender]()
    result["peak_gb"] = peak_rss_gb()
    print(json.dumps(result), flush=True)


def measure(contender: str, n: int, m: int, limit_s: float) -> dict:
    """Run one contender in a child process; keep its last JSON line; stop it after ``limit_s``."""
    command = [sys.executable, "-m", "benchmarks.bench_metrics", "--child", contender, "--n", str(n), "--m", str(m)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    lines: list[str] = []
    try:
        out, _ = process.communicate(timeout=limit_s)
        lines = out.splitlines()
        finished = True
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
        lines = out.splitlines()
        finished = False
    result = json.loads(lines[-1]) if lines else {}
    result["finished"] = finished
    return result


def machine() -> str:
    model = "unknown CPU"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["10000:50000", "100000:500000", "1000000:5000000"])
    parser.add_argument("--limit", type=float, default=600.0, help="seconds each contender may take per size")
    parser.add_argument("--networkx-max", type=int, default=100_000, help="largest entity count networkx is tried on")
    parser.add_argument("--child", choices=["ours", "igraph", "networkx"])
    parser.add_argument("--n", type=int)
    parser.add_argument("--m", type=int)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.n, args.m)
        return
    print(f"machine: {machine()}\n")
    print("| entities / edges | ours: build | ours: metric suite + Leiden | raw igraph, same work | ours / igraph | igraph incl. its Burt constraint | networkx | igraph faster than networkx | peak GB (ours / igraph / networkx) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        n, m = (int(x) for x in size.split(":"))
        ours = measure("ours", n, m, args.limit)
        raw = measure("igraph", n, m, args.limit)
        nx_result = measure("networkx", n, m, args.limit) if n <= args.networkx_max else {"finished": False, "skipped": True}
        raw_same = raw.get("suite_without_constraint", float("nan"))
        ours_suite = ours.get("suite_s", float("nan"))
        constraint = f"{raw['suite_s']:.1f} s" if raw.get("finished") and "suite_s" in raw else f"did not finish in {args.limit:.0f} s"
        if nx_result.get("skipped"):
            networkx = "not tried"
            speedup = "-"
        elif nx_result.get("finished"):
            networkx = f"{nx_result['suite_s']:.1f} s"
            speedup = f"{nx_result['suite_s'] / ours_suite:.0f}x"
        else:
            done = {k: round(v, 1) for k, v in nx_result.items() if k not in ("finished",)}
            networkx = f"did not finish in {args.limit:.0f} s (done: {', '.join(done)})"
            speedup = f"> {args.limit / ours_suite:.0f}x"
        print(f"| {n:,} / {m:,} | {ours.get('build_s', float('nan')):.1f} s | {ours_suite:.1f} s"
              f"{' (sampled ' + str(ours.get('sampled')) + ' sources)' if ours.get('sampled') else ''} | {raw_same:.1f} s | "
              f"{ours_suite / raw_same:.2f} | {constraint} | {networkx} | {speedup} | "
              f"{ours.get('peak_gb', float('nan')):.2f} / {raw.get('peak_gb', float('nan')):.2f} / {nx_result.get('peak_gb', float('nan')):.2f} |",
              flush=True)


if __name__ == "__main__":
    main()
