"""Campaign-finance-shaped synthetic data: few committees receive most money; lognormal amounts.

Used by the benchmarks only. `synthetic_tables(entities, relationships, seed)` returns validated-style
tables (entities, relationships, sources) that `network.graph.build_influence_graph` accepts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from network.contract.load import DataTables

__all__ = ["synthetic_tables", "synthetic_edges"]


def synthetic_edges(n_entities: int, n_edges: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(sources, targets, amounts, n_committees): donors give to committees chosen with a Zipf-like law.

    About 2% of entities are committees; committee k is chosen with probability proportional to
    1 / (k + 1) ** 1.1, so a few committees receive most gifts (as in FEC data). One edge in ten is
    committee -> committee (transfers). Amounts are lognormal (median about $250, heavy tail).
    """
    rng = np.random.default_rng(seed)
    committees = max(10, n_entities // 50)
    weights = 1.0 / np.arange(1, committees + 1) ** 1.1
    weights /= weights.sum()
    targets = rng.choice(committees, size=n_edges, p=weights)
    transfer = rng.random(n_edges) < 0.1
    sources = np.where(transfer, rng.integers(0, committees, size=n_edges), rng.integers(committees, n_entities, size=n_edges))
    loops = sources == targets
    sources[loops] = (sources[loops] + 1) % committees
    amounts = np.round(rng.lognormal(mean=5.5, sigma=1.6, size=n_edges))
    return sources, targets, amounts, committees


def synthetic_tables(n_entities: int, n_edges: int, seed: int = 0) -> DataTables:
    """Typed tables for `build_influence_graph`: every relationship a donation with one source."""
    sources, targets, amounts, committees = synthetic_edges(n_entities, n_edges, seed)
    ids = np.char.add("e", np.char.zfill(np.arange(n_entities).astype(str), 7))
    kinds = np.where(np.arange(n_entities) < committees, "pac", "person")
    entities = pd.DataFrame({"id": ids, "name": ids, "type": kinds, "name_ar": "", "aliases": "", "description": ""})
    relationships = pd.DataFrame({
        "id": np.char.add("r", np.char.zfill(np.arange(n_edges).astype(str), 8)),
        "source": ids[sources], "target": ids[targets], "type": "donation", "role": "",
        "amount_usd": amounts, "amount_qualifier": "exact", "start_date": "2024-01-15", "end_date": "2024-01-15",
        "status": "confirmed", "aggregate": False, "source_ids": "fec", "evidence": "",
    })
    source_table = pd.DataFrame({"id": ["fec"], "publisher": ["FEC"], "title": ["synthetic"], "published": ["2024"],
                                 "language": ["en"], "url": [""], "document": [""]})
    return DataTables(entities, relationships, source_table, {}, ())
