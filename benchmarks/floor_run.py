"""The hand-written floor for `influence run`: the core work in plain pandas + igraph, nothing more.

    .venv/bin/python benchmarks/floor_run.py --data /tmp/influence-bench/150000 --out /tmp/floor-out

What a competent analyst would write by hand against the same data folder, to time `influence run`
against (`benchmarks/bench_run.py` runs both as whole processes):

1. pandas reads entities.csv, relationships.csv and sources.csv (all as text, blanks kept);
2. each relationship gets its strength as the bundled schema's policy says (money with an amount:
   ``1 + log10(1 + amount / 1000)``, otherwise the type's default strength, times the status factor),
   and its direction of influence (``reverse`` types swapped, ``mutual`` ones both ways); conflict is
   left out; the pairs are collapsed into one weighted directed igraph graph (strengths added);
3. PageRank along and against the edges (weights = strength);
4. betweenness on cost = 1 / strength: exact up to 20,000 entities, above that from
   ``clip(5e7 / edges, 32, 512)`` sources drawn with seed 0, the same rule as `analysis.centrality`;
5. Leiden (modularity, strengths added over both directions, seeded);
6. writes nodes.csv, edges.csv, relationships.csv (each relationship with its sources' titles and
   URLs) and graph.graphml (igraph's own writer).

It skips what `influence run` adds on top: validation with line-precise errors, the per-layer edge
table with dates and provenance, the other 12 metrics and their standard errors, GEXF, node-link JSON,
FollowTheMoney, seven interactive maps, the report with its robustness scenarios, and run.json.
It is the yardstick of the issue, not a replacement.
"""

from __future__ import annotations

import argparse
import random
import tomllib
from pathlib import Path

import igraph as ig
import numpy as np
import pandas as pd

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "schema.toml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    schema = tomllib.loads(((args.data / "schema.toml") if (args.data / "schema.toml").exists() else SCHEMA).read_text())
    read = {"dtype": str, "keep_default_na": False, "encoding": "utf-8-sig"}
    entities = pd.read_csv(args.data / "entities.csv", **read)
    rel = pd.read_csv(args.data / "relationships.csv", **read)
    sources = pd.read_csv(args.data / "sources.csv", **read)

    kinds = schema["relationship_types"]
    weights = schema["weights"]
    layer = rel["type"].map({k: v["layer"] for k, v in kinds.items()})
    influence = rel["type"].map({k: v["influence"] for k, v in kinds.items()})
    amount = pd.to_numeric(rel["amount_usd"], errors="coerce").to_numpy()
    strength = rel["type"].map({k: v["default_strength"] for k, v in kinds.items()}).to_numpy(dtype=float)
    money = (layer == "money").to_numpy() & (amount > 0)
    strength[money] = weights["money_base"] + np.log10(1 + amount[money] / weights["money_unit_usd"])
    strength *= rel["status"].map(weights["status"]).to_numpy(dtype=float)
    swap = (influence == "reverse").to_numpy()
    source = np.where(swap, rel["target"], rel["source"])
    target = np.where(swap, rel["source"], rel["target"])
    mutual = (influence == "mutual").to_numpy()
    keep = (layer != "conflict").to_numpy()
    pairs = pd.DataFrame({"source": np.concatenate([source[keep], target[keep & mutual]]),
                          "target": np.concatenate([target[keep], source[keep & mutual]]),
                          "strength": np.concatenate([strength[keep], strength[keep & mutual]])})
    edges = pairs.groupby(["source", "target"], sort=True, as_index=False)["strength"].sum()
    edges["cost"] = 1.0 / edges["strength"]

    index = pd.Index(entities["id"])
    graph = ig.Graph(n=len(entities), directed=True,
                     edges=np.column_stack([index.get_indexer(edges["source"]), index.get_indexer(edges["target"])]).tolist())
    graph.vs["name"] = entities["id"].tolist()
    graph.es["strength"] = edges["strength"].tolist()
    graph.es["cost"] = edges["cost"].tolist()

    nodes = entities[["id", "name", "type"]].copy()
    nodes["pagerank"] = graph.pagerank(weights="strength")
    reverse = ig.Graph(n=graph.vcount(), directed=True, edges=[(v, u) for u, v in graph.get_edgelist()])
    nodes["reverse_pagerank"] = reverse.pagerank(weights=graph.es["strength"])
    n = graph.vcount()
    if n <= 20_000:
        nodes["betweenness"] = np.asarray(graph.betweenness(directed=True, weights="cost")) / ((n - 1) * (n - 2))
    else:
        k = int(np.clip(5e7 / max(graph.ecount(), 1), 32, 512))
        drawn = np.sort(np.random.default_rng(args.seed).choice(n, size=k, replace=False)).tolist()
        raw = np.asarray(graph.betweenness(directed=True, weights="cost", sources=drawn))
        nodes["betweenness"] = raw * (n / k) / ((n - 1) * (n - 2))
    undirected = graph.as_undirected(mode="collapse", combine_edges={"strength": "sum"})
    ig.set_random_number_generator(random.Random(args.seed))
    nodes["community"] = undirected.community_leiden(objective_function="modularity", weights="strength", n_iterations=-1).membership

    args.out.mkdir(parents=True, exist_ok=True)
    nodes.to_csv(args.out / "nodes.csv", index=False)
    edges.to_csv(args.out / "edges.csv", index=False)
    cited = rel[["id", "source_ids"]].assign(source_id=rel["source_ids"].str.split(";")).explode("source_id")
    cited = cited.merge(sources.rename(columns={"id": "source_id"})[["source_id", "title", "url"]], on="source_id", how="left")
    joined = cited.groupby("id", sort=True).agg(source_titles=("title", "|".join), source_urls=("url", "|".join))
    rel.merge(joined, left_on="id", right_index=True, how="left").to_csv(args.out / "relationships.csv", index=False)
    graph.write_graphml(str(args.out / "graph.graphml"))
    print(f"floor: {n} entities, {graph.ecount()} edges, {len(rel)} relationships")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
