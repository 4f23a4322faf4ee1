"""Report sections a reader checks facts with: the filters in force, single-source ties, the bibliography."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pandas as pd

from network.contract.validate import split_list
from network.graph import InfluenceGraph

__all__ = ["BIBLIOGRAPHY_COLUMNS", "SINGLE_SOURCE_COLUMNS", "bibliography", "filters_sentence", "single_source_ties"]

SINGLE_SOURCE_COLUMNS = ("id", "source", "type", "target", "amount_usd", "status", "cited")
BIBLIOGRAPHY_COLUMNS = ("id", "publisher", "title", "published", "language", "url", "relationships")

_FILTER_WORDS = {
    "layers": "layers", "types": "relationship types", "statuses": "statuses", "since": "since", "until": "until",
    "min_amount_usd": "money ties of at least $", "min_sources": "relationships citing at least this many sources:",
}


def filters_sentence(provenance: Mapping[str, Any]) -> str:
    """One sentence naming the filters a run applied (from its provenance ``parameters.filters``).

    Examples
    --------
    >>> filters_sentence({"parameters": {"filters": {"layers": ["money"], "since": "2024-12", "undated": "drop"}}})
    'Filters: layers money; since 2024-12; undated ties dropped under the date filter.'
    >>> filters_sentence({"parameters": {"filters": {"undated": "drop"}}})
    'Filters: none (every relationship of the data).'
    """
    filters = dict(provenance.get("parameters", {}).get("filters", {}) or {})
    undated = filters.pop("undated", None)
    parts = []
    for key, word in _FILTER_WORDS.items():
        if key not in filters:
            continue
        value = filters[key]
        if isinstance(value, (list, tuple)):
            value = ", ".join(map(str, value))
        elif key == "min_amount_usd":
            value = f"{float(value):,.0f}"
        parts.append(f"{word}{'' if word.endswith('$') else ' '}{value}")
    dated = "since" in filters or "until" in filters
    if not parts:
        return "Filters: none (every relationship of the data)."
    if dated and undated:
        parts.append(f"undated ties {'kept in every window' if undated == 'keep' else 'dropped under the date filter'}")
    return "Filters: " + "; ".join(parts) + "."


def _distinct_texts(values: pd.Series) -> tuple[np.ndarray, list]:
    """Codes of ``values`` into their distinct values (a missing one kept as its own value), and those values."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, list(uniques)


def single_source_ties(graph: InfluenceGraph) -> pd.DataFrame:
    """The relationships that cite exactly one distinct source: the ties a second source would most strengthen.

    Returns
    -------
    pd.DataFrame
        Columns `SINGLE_SOURCE_COLUMNS`: the relationship id, its ends and
        type as written (ends by name), the amount (NaN if none), status and
        the one source cited (``publisher: title (published)``, or its id if
        unknown). Money first, largest amount first, then by id.

    Examples
    --------
    >>> from network.graph import bundled_graph
    >>> ties = single_source_ties(bundled_graph())
    >>> len(ties), ties["id"].is_unique
    (97, True)
    """
    rel = graph.relationships
    codes, texts = _distinct_texts(rel["source_ids"])
    distinct = [sorted(set(split_list(text))) for text in texts]  # each distinct source_ids text split once
    single = np.array([len(ids) == 1 for ids in distinct], dtype=bool)
    chosen = rel[single[codes]]
    first = np.array([ids[0] if len(ids) == 1 else "" for ids in distinct], dtype=object)
    names = graph.entities.set_index("id")["name"]
    labels = {row["id"]: f"{row['publisher']}: {row['title']}" + (f" ({row['published']})" if row.get("published") else "")
              for row in graph.sources.to_dict("records")}
    table = pd.DataFrame({
        "id": chosen["id"], "source": chosen["source"].map(names), "type": chosen["type"],
        "target": chosen["target"].map(names), "amount_usd": chosen["amount_usd"].astype(float),
        "status": chosen["status"], "cited": [labels.get(i, i) for i in first[codes[single[codes]]]],
    })
    table = table.assign(_amount=-table["amount_usd"].fillna(-1.0)).sort_values(["_amount", "id"], kind="stable")
    return table.drop(columns="_amount").reset_index(drop=True)[list(SINGLE_SOURCE_COLUMNS)]


def bibliography(graph: InfluenceGraph) -> pd.DataFrame:
    """Every source the relationships cite, with how many relationships cite it.

    Returns
    -------
    pd.DataFrame
        Columns `BIBLIOGRAPHY_COLUMNS`, sorted by id. A source the data lists
        but no relationship in the graph cites is left out.

    Examples
    --------
    >>> from network.graph import bundled_graph
    >>> graph = bundled_graph()
    >>> books = bibliography(graph)
    >>> int(books["relationships"].sum()) == sum(len(set(s.split(";"))) for s in graph.relationships["source_ids"])
    True
    """
    codes, texts = _distinct_texts(graph.relationships["source_ids"])
    rows = np.bincount(codes, minlength=len(texts))
    counts: dict[str, int] = {}
    for text, number in zip(texts, rows.tolist()):  # each distinct source_ids text split once
        for source_id in set(split_list(text)):
            counts[source_id] = counts.get(source_id, 0) + number
    sources = graph.sources[graph.sources["id"].isin(set(counts))].copy()
    sources["relationships"] = sources["id"].map(counts).astype(int)
    for column in BIBLIOGRAPHY_COLUMNS:
        if column not in sources:
            sources[column] = ""
    return sources[list(BIBLIOGRAPHY_COLUMNS)].sort_values("id", kind="stable").reset_index(drop=True)
