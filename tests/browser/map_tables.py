"""Hand-made tables for the map tests: a small curated-like network, its script-like twin, a synthetic one."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "outputs" / "screenshots"

# relationship type -> (layer, mutual, default strength); a small stand-in for data/schema.toml
KINDS = {
    "donation": ("money", False, 3.0), "pledge": ("money", False, 2.0), "spending": ("money", False, 3.0),
    "ownership": ("control", False, 5.0), "executive": ("control", False, 4.0),
    "interview": ("access", False, 1.0), "endorsement": ("affiliation", False, 1.0),
    "rivalry": ("conflict", True, 1.0), "lawsuit": ("conflict", False, 1.0),
}
STATUS_RANK = {"confirmed": 0, "reported": 1, "planned": 2, "alleged": 3}

ENTITIES = [
    # id, name, type, name_ar, aliases, description, pagerank, community
    ("musk", "Elon Musk", "person", "إيلون ماسك", "Musk;ماسك", "Owner of X and Tesla; founded America PAC.", 0.20, 1),
    ("america-pac", "America PAC", "pac", "لجنة أمريكا للعمل السياسي", "Musk PAC", "Super PAC created in 2024.", 0.18, 1),
    ("trump-campaign", "Trump 2024 campaign", "campaign", "حملة ترامب", "", "Presidential campaign.", 0.16, 1),
    ("tesla", "Tesla", "company", "تسلا", "Tesla Motors", "Electric car maker.", 0.08, 1),
    ("x-corp", "X", "platform", "إكس", "Twitter;تويتر", "Social network owned by Musk.", 0.10, 1),
    ("bezos", "Jeff Bezos", "person", "جيف بيزوس", "Bezos", "Founder of Amazon.", 0.09, 2),
    ("wapo", "The Washington Post", "media", "واشنطن بوست", "WaPo", "Newspaper owned by Bezos.", 0.07, 2),
    ("harris", "Kamala Harris", "person", "كامالا هاريس", "", "2024 Democratic nominee.", 0.06, 2),
    ("doj", "US Department of Justice", "government", "وزارة العدل الأمريكية", "DOJ", "", 0.06, 2),
]
RELATIONSHIPS = [
    # id, source, target, type, role, amount_usd, qualifier, start, end, status, aggregate, source_ids, evidence
    ("r01", "musk", "america-pac", "donation", "founding donor", 75_000_000, "exact", "2024-07", "2024-09-30",
     "reported", False, "s-fec", "FEC filings show $75M from Musk by the end of September."),
    ("r02", "musk", "america-pac", "donation", "", 43_600_000, "exact", "2024-10-01", "2024-10-16",
     "reported", False, "s-fec;s-ahram", "Musk gave $43.6M between 1 and 16 October."),
    ("r03", "musk", "trump-campaign", "pledge", "$1M a day", math.nan, "", "2024-10", "", "planned", False,
     "s-ahram", "Promised $1M every day to voters."),
    ("r04", "america-pac", "trump-campaign", "spending", "canvassing", 20_000_000, "at_least", "2024", "2024",
     "reported", False, "s-fec", "Independent expenditures backing Trump."),
    ("r05", "musk", "tesla", "executive", "CEO", math.nan, "", "2008", "", "confirmed", False, "s-wiki", ""),
    ("r06", "musk", "x-corp", "ownership", "owner", 44_000_000_000, "approx", "2022-10-27", "", "confirmed",
     False, "s-wiki", "Bought Twitter for about $44B."),
    ("r07", "bezos", "wapo", "ownership", "owner", 250_000_000, "exact", "2013", "", "confirmed", False, "s-wiki", ""),
    ("r08", "musk", "bezos", "rivalry", "space race", math.nan, "", "2014", "", "reported", False, "s-ahram", ""),
    ("r09", "doj", "x-corp", "lawsuit", "", math.nan, "", "2023", "", "alleged", False, "s-ahram", ""),
    ("r10", "harris", "wapo", "interview", "", math.nan, "", "2024-08", "", "confirmed", False, "s-wiki", ""),
]
SOURCES = [
    ("s-fec", "Federal Election Commission", "America PAC filing, October 2024", "2024-10-24", "en",
     "https://www.fec.gov/data/committee/C00879510/", ""),
    ("s-ahram", "بوابة الأهرام", "تقنية ماسك تحسم السباق", "2024-11-06", "ar", "", "000_dd65406b64974646.txt"),
    ("s-wiki", "Encyclopedia", "Background profiles", "2024", "en", "javascript:alert(1)", ""),
]


def edges_from(relationships: pd.DataFrame) -> pd.DataFrame:
    """Merge relationships into graph edges per (source, target, layer), the way network.graph does."""
    rows = []
    keyed = []
    for row in relationships.itertuples():
        layer, mutual, strength = KINDS[row.type]
        ends = tuple(sorted((row.source, row.target))) if mutual else (row.source, row.target)
        keyed.append((ends[0], ends[1], layer, not mutual, row, strength))
    groups: dict[tuple, list] = {}
    for source, target, layer, directed, row, strength in keyed:
        groups.setdefault((source, target, layer, directed), []).append((row, strength))
    for (source, target, layer, directed), members in sorted(groups.items()):
        amounts = [m.amount_usd for m, _ in members if not math.isnan(m.amount_usd)]
        dates = sorted(d for m, _ in members for d in (m.start_date, m.end_date) if d)
        strength = float(sum(s for _, s in members))
        rows.append({
            "source": source, "target": target, "layer": layer, "directed": directed,
            "types": ";".join(sorted({m.type for m, _ in members})),
            "relationship_ids": ";".join(m.id for m, _ in members), "relationship_count": len(members),
            "strength": strength, "cost": 1 / strength, "amount_usd": float(sum(amounts)) if amounts else math.nan,
            "stated_total_usd": math.nan, "first_date": dates[0] if dates else "", "last_date": dates[-1] if dates else "",
            "status": min((m.status for m, _ in members), key=STATUS_RANK.get),
            "source_ids": ";".join(sorted({s for m, _ in members for s in m.source_ids.split(";") if s})),
        })
    return pd.DataFrame(rows)


def tables(entities=ENTITIES, relationships=RELATIONSHIPS, sources=SOURCES) -> dict[str, pd.DataFrame]:
    """nodes, edges, relationships and sources tables as network.maps.render expects them."""
    nodes = pd.DataFrame(entities, columns=["id", "name", "type", "name_ar", "aliases", "description",
                                            "pagerank", "community"])
    nodes["strength_in"] = np.linspace(1, 9, len(nodes))
    nodes["strength_out"] = np.linspace(9, 1, len(nodes))
    nodes["betweenness"] = np.linspace(0, 0.5, len(nodes))
    rels = pd.DataFrame(relationships, columns=["id", "source", "target", "type", "role", "amount_usd",
                                                "amount_qualifier", "start_date", "end_date", "status",
                                                "aggregate", "source_ids", "evidence"])
    srcs = pd.DataFrame(sources, columns=["id", "publisher", "title", "published", "language", "url", "document"])
    return {"nodes": nodes, "edges": edges_from(rels), "relationships": rels, "sources": srcs}


XSS = ["<script>window.__pwned=1;alert(1)</script>", "<img src=x onerror=\"window.__pwned=2;alert(2)\">",
       "\"' onmouseover=alert(3) x=\"", "Tom & Jerry </script><script>window.__pwned=3</script>"]


def xss_tables() -> dict[str, pd.DataFrame]:
    """The same shape with script-like names, aliases, roles, evidence and source fields."""
    entities = [(i, f"{XSS[n % 4]} {name}", kind, f"{XSS[(n + 1) % 4]} {name_ar}", f"{XSS[(n + 2) % 4]};alias {n}",
                 XSS[(n + 3) % 4], pr, c) for n, (i, name, kind, name_ar, _a, _d, pr, c) in enumerate(ENTITIES)]
    relationships = [(i, s, t, kind, XSS[n % 4], amount, q, start, end, status, agg, ids, XSS[(n + 1) % 4])
                     for n, (i, s, t, kind, _r, amount, q, start, end, status, agg, ids, _e) in enumerate(RELATIONSHIPS)]
    sources = [(i, XSS[0], XSS[1], published, lang, "javascript:window.__pwned=4", XSS[3])
               for i, _p, _t, published, lang, _u, _d in SOURCES]
    return tables(entities, relationships, sources)


def synthetic_tables(entity_count: int, edge_count: int, *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """A seeded random network with hubs: nodes, edges, relationships (one per edge) and one source."""
    rng = np.random.default_rng(seed)
    ids = [f"e{i:05d}" for i in range(entity_count)]
    kinds = np.array(["person", "company", "pac", "campaign", "media", "government"])
    weight = 1.0 / np.arange(1, entity_count + 1) ** 0.8
    weight /= weight.sum()
    pairs = set()
    while len(pairs) < edge_count:
        a = rng.choice(entity_count, size=edge_count, p=weight)
        b = rng.integers(0, entity_count, size=edge_count)
        pairs.update((int(x), int(y)) for x, y in zip(a, b) if x != y)
    pairs = sorted(pairs)[:edge_count]
    layers = np.array(["money", "control", "affiliation", "access", "conflict"])
    layer = layers[rng.integers(0, 5, size=len(pairs))]
    types = {"money": "donation", "control": "ownership", "affiliation": "endorsement", "access": "interview",
             "conflict": "lawsuit"}
    strength = rng.uniform(0.5, 6.0, size=len(pairs)).round(3)
    amount = np.where(layer == "money", rng.integers(1_000, 50_000_000, size=len(pairs)), np.nan)
    rel_ids = [f"r{i:06d}" for i in range(len(pairs))]
    edges = pd.DataFrame({
        "source": [ids[a] for a, _ in pairs], "target": [ids[b] for _, b in pairs], "layer": layer,
        "directed": layer != "conflict", "types": [types[x] for x in layer], "relationship_ids": rel_ids,
        "relationship_count": 1, "strength": strength, "cost": 1 / strength, "amount_usd": amount,
        "stated_total_usd": np.nan, "first_date": "2024-01", "last_date": "2024-06", "status": "reported",
        "source_ids": "s1"})
    nodes = pd.DataFrame({
        "id": ids, "name": [f"Entity {i}" for i in range(entity_count)], "type": kinds[np.arange(entity_count) % 6],
        "name_ar": [f"كيان {i}" for i in range(entity_count)], "aliases": "", "description": "",
        "pagerank": weight.round(8), "strength_in": 1.0, "strength_out": 1.0, "betweenness": 0.0,
        "community": (np.arange(entity_count) % 25) + 1})
    relationships = pd.DataFrame({
        "id": rel_ids, "source": edges["source"], "target": edges["target"], "type": edges["types"], "role": "",
        "amount_usd": amount, "amount_qualifier": "", "start_date": "2024-01", "end_date": "2024-06",
        "status": "reported", "aggregate": False, "source_ids": "s1", "evidence": "synthetic"})
    sources = pd.DataFrame([("s1", "Synthetic", "Generated network", "2024", "en", "", "")],
                           columns=["id", "publisher", "title", "published", "language", "url", "document"])
    return {"nodes": nodes, "edges": edges, "relationships": relationships, "sources": sources}
