"""Write a seeded, campaign-finance-shaped data folder of any size, for `benchmarks/bench_run.py`.

    .venv/bin/python -m benchmarks.run_data --relationships 150000 --out /tmp/influence-bench/150000

The folder (entities.csv, relationships.csv, sources.csv; the bundled schema applies) passes
`influence validate`. Its shape follows FEC-derived folders:

- entities (about one per 5.4 relationships, as in the issue's 150k folder): donors (persons, 85%),
  PACs, other committees, candidates' campaigns, companies, a few funds, media and government bodies;
  committees carry ``fec_committee`` ids and campaigns ``fec_candidate`` ids;
- relationships: 84% individual contributions (``donation``) with a date, a lognormal amount (median
  about $250, heavy tail) and the FEC as source; donors' activity and recipients' popularity are
  Zipf-like, so degrees are heavy-tailed (a few committees receive most gifts, a few donors give often);
  6% committee transfers and independent expenditures (``spending``) with larger amounts; a few
  aggregate totals (``at_least``, restating other rows); control ties (executives, founders, boards,
  investors, owners, PAC leaders, employees), access ties (meetings, advisers, appointments, media
  appearances), endorsements and associates, lawsuits and rivalries, each citing one or two news
  sources; 5% of rows are ``reported`` rather than ``confirmed``, a few ``alleged`` or ``planned``.

Rows that the validator would reject as duplicates are dropped before writing, so the folder has
exactly the requested number of relationships when the draw allows (it always did at 10k to 1.5M).
Everything comes from one ``numpy.random.default_rng(seed)``: the same size and seed give the same bytes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["ENTITY_SHARES", "generate_folder"]

ENTITY_SHARES = {"person": 0.85, "pac": 0.04, "committee": 0.02, "campaign": 0.04, "company": 0.04,
                 "fund": 0.005, "media": 0.003, "government": 0.002}
"""Share of each entity type among entities (the rest of 1.0 goes to persons)."""

FIRST = ["Ana", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jamal", "Kara", "Leo", "Maya",
         "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Victor", "Wen", "Yusuf", "Zoe"]
LAST = ["Abbott", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jones", "Kim", "Lopez",
        "Miller", "Nguyen", "Okafor", "Patel", "Reyes", "Smith", "Tanaka", "Usman", "Vargas", "Wong", "Young", "Zhang"]

# (type, share of relationships, source entity types, target entity types)
OTHER_TIES = [
    ("executive", 0.012, ["person"], ["company"]),
    ("founder", 0.004, ["person"], ["company"]),
    ("board", 0.005, ["person"], ["company"]),
    ("investor", 0.005, ["person", "company"], ["company"]),
    ("ownership", 0.002, ["company"], ["company", "media"]),
    ("leadership", 0.006, ["person"], ["pac", "committee"]),
    ("employee", 0.006, ["person"], ["company"]),
    ("meeting", 0.010, ["person"], ["government", "campaign"]),
    ("advisor", 0.006, ["person"], ["campaign"]),
    ("appointment", 0.004, ["person"], ["government"]),
    ("appearance", 0.004, ["person"], ["media"]),
    ("endorsement", 0.010, ["person", "company"], ["campaign"]),
    ("associate", 0.010, ["person"], ["person"]),
    ("lawsuit", 0.003, ["company", "person"], ["government", "company"]),
    ("rivalry", 0.002, ["company"], ["company"]),
]
TRANSFERS = 0.06
AGGREGATES = 0.002


def _zipf_choice(rng: np.random.Generator, pool: np.ndarray, size: int, exponent: float) -> np.ndarray:
    """``size`` draws from ``pool``, member k (in a shuffled order) with probability ~ 1 / (k + 1) ** exponent."""
    weights = 1.0 / np.arange(1, len(pool) + 1) ** exponent
    order = rng.permutation(len(pool))
    return pool[order][rng.choice(len(pool), size=size, p=weights / weights.sum())]


def _entities(rng: np.random.Generator, count: int) -> pd.DataFrame:
    kinds = np.concatenate([np.full(max(3, int(round(count * share))), kind) for kind, share in ENTITY_SHARES.items()
                            if kind != "person"])
    kinds = np.concatenate([np.full(count - len(kinds), "person"), kinds])
    ids = np.char.add(np.char.add(kinds.astype(str), "-"), np.char.zfill(np.arange(count).astype(str), 7))
    first = np.array(FIRST)[rng.integers(0, len(FIRST), count)]
    last = np.array(LAST)[rng.integers(0, len(LAST), count)]
    names = np.char.add(np.char.add(np.char.add(first.astype(str), " "), last.astype(str)),
                        np.char.add(" ", np.arange(count).astype(str)))
    labels = {"pac": "PAC", "committee": "Party committee", "campaign": "for Congress", "company": "Inc.",
              "fund": "Victory Fund", "media": "Media", "government": "Agency"}
    names = np.array([f"{last[i]} {labels[k]} {i}" if k != "person" else names[i] for i, k in enumerate(kinds)], dtype=object)
    identifiers = np.full(count, "", dtype=object)
    committee = np.isin(kinds, ["pac", "committee", "fund"])
    identifiers[committee] = [f"fec_committee:C{10000000 + i:08d}" for i in np.flatnonzero(committee)]
    campaign = kinds == "campaign"
    identifiers[campaign] = [f"fec_candidate:H{i % 10}{i:07d}" for i in np.flatnonzero(campaign)]
    return pd.DataFrame({"id": ids, "name": names, "type": kinds, "name_ar": "", "aliases": "",
                         "description": np.char.add("synthetic ", kinds.astype(str)), "identifiers": identifiers})


def _dates(rng: np.random.Generator, size: int) -> np.ndarray:
    days = rng.integers(0, 731, size)
    return (np.datetime64("2023-01-01") + days).astype(str)


def generate_folder(relationships: int, out: Path, *, seed: int = 0) -> dict[str, int]:
    """Write the three CSVs of a folder of ``relationships`` relationships into ``out``; return the counts."""
    rng = np.random.default_rng(seed)
    entities = _entities(rng, max(60, int(round(relationships / 5.4))))
    pools = {kind: entities["id"].to_numpy()[entities["type"].to_numpy() == kind] for kind in ENTITY_SHARES}
    news = max(5, relationships // 2000)
    source_ids = np.array([f"news-{i:05d}" for i in range(news)])
    sources = pd.DataFrame({
        "id": ["fec-2024", *source_ids], "publisher": ["Federal Election Commission", *[f"Newsroom {i % 97}" for i in range(news)]],
        "title": ["FEC bulk data, 2023-2024 cycle", *[f"Report number {i}" for i in range(news)]],
        "published": ["2025-01", *_dates(rng, news)], "language": "en",
        "url": ["https://www.fec.gov/data/browse-data/", *[f"https://news.example.org/{i}" for i in range(news)]], "document": "",
    })
    draw = int(relationships * 1.03) + 50  # a few duplicates are dropped below
    frames = []
    # individual contributions: heavy-tailed donor activity and recipient popularity
    gifts = int(draw * (1 - TRANSFERS - AGGREGATES - sum(t[1] for t in OTHER_TIES)))
    recipients = np.concatenate([pools["pac"], pools["committee"], pools["campaign"], pools["fund"]])
    givers = np.concatenate([pools["person"], pools["company"]])
    frames.append(pd.DataFrame({
        "source": _zipf_choice(rng, givers, gifts, 0.6), "target": _zipf_choice(rng, recipients, gifts, 1.1),
        "type": "donation", "amount_usd": np.maximum(1, np.round(rng.lognormal(5.5, 1.6, gifts))),
        "start_date": (dates := _dates(rng, gifts)), "end_date": dates, "source_ids": "fec-2024"}))
    # committee transfers and independent expenditures
    count = int(draw * TRANSFERS)
    committees = np.concatenate([pools["pac"], pools["committee"], pools["fund"]])
    frames.append(pd.DataFrame({
        "source": _zipf_choice(rng, committees, count, 0.8),
        "target": _zipf_choice(rng, np.concatenate([pools["campaign"], pools["pac"]]), count, 1.0),
        "type": np.where(rng.random(count) < 0.3, "spending", "donation"),
        "amount_usd": np.round(rng.lognormal(8.5, 2.0, count)), "start_date": (dates := _dates(rng, count)),
        "end_date": dates, "source_ids": "fec-2024"}))
    # aggregate totals that restate other rows
    count = int(draw * AGGREGATES)
    frames.append(pd.DataFrame({
        "source": _zipf_choice(rng, pools["person"], count, 0.6), "target": _zipf_choice(rng, recipients, count, 1.1),
        "type": "donation", "amount_usd": np.round(rng.lognormal(10, 1.5, count)), "amount_qualifier": "at_least",
        "aggregate": "true", "start_date": "", "end_date": "", "source_ids": rng.choice(source_ids, count)}))
    for kind, share, source_types, target_types in OTHER_TIES:
        count = int(draw * share)
        frames.append(pd.DataFrame({
            "source": _zipf_choice(rng, np.concatenate([pools[t] for t in source_types]), count, 0.7),
            "target": _zipf_choice(rng, np.concatenate([pools[t] for t in target_types]), count, 0.9),
            "type": kind, "start_date": np.where(rng.random(count) < 0.5, _dates(rng, count).astype("U7"), ""),
            "source_ids": np.where(rng.random(count) < 0.2,
                                   np.char.add(np.char.add(rng.choice(source_ids, count), ";"), rng.choice(source_ids, count)),
                                   rng.choice(source_ids, count))}))
    rows = pd.concat(frames, ignore_index=True)
    rows = rows.assign(role="", end_date=rows["end_date"].fillna(""), aggregate=rows["aggregate"].fillna("false"),
                       amount_qualifier=rows["amount_qualifier"].fillna(""), evidence="")
    rows["amount_qualifier"] = np.where(rows["amount_usd"].notna() & (rows["amount_qualifier"] == ""), "exact", rows["amount_qualifier"])
    status = rng.random(len(rows))
    rows["status"] = np.select([status < 0.94, status < 0.99, status < 0.995], ["confirmed", "reported", "alleged"], "planned")
    rows["source_ids"] = [";".join(sorted(set(text.split(";")))) for text in rows["source_ids"]]
    # what the validator rejects: self-ties and duplicate rows (mutual types in either order)
    rows = rows[rows["source"] != rows["target"]]
    mutual = rows["type"].isin(["associate", "rivalry"]).to_numpy()
    source, target = rows["source"].to_numpy(dtype=object), rows["target"].to_numpy(dtype=object)
    swap = mutual & (target < source)
    low, high = np.where(swap, target, source), np.where(swap, source, target)
    key = pd.DataFrame({"a": low, "b": high, "t": rows["type"], "m": rows["amount_usd"].astype(str),
                        "s": rows["start_date"], "e": rows["end_date"]}, index=rows.index)
    rows = rows[~key.duplicated()]
    rows = rows.iloc[np.sort(rng.permutation(len(rows))[:relationships])]
    rows = rows.assign(id=[f"r{i:08d}" for i in range(len(rows))],
                       amount_usd=[("" if np.isnan(a) else f"{a:.0f}") for a in rows["amount_usd"]])
    columns = ["id", "source", "target", "type", "role", "amount_usd", "amount_qualifier", "start_date", "end_date",
               "status", "aggregate", "source_ids", "evidence"]
    out.mkdir(parents=True, exist_ok=True)
    entities.to_csv(out / "entities.csv", index=False)
    rows[columns].to_csv(out / "relationships.csv", index=False)
    sources.to_csv(out / "sources.csv", index=False)
    return {"entities": len(entities), "relationships": len(rows), "sources": len(sources)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--relationships", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(generate_folder(args.relationships, args.out, seed=args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
