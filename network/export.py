"""Edge lists and node tables -> CSV files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from network.graph import EDGE_COLUMNS, InfluenceGraph
from network.validate import split_list

__all__ = ["FLOAT_FORMAT", "edge_list", "node_table", "write_table"]

FLOAT_FORMAT = "%.10g"
"""Ten significant digits: exact for dollar amounts, stable across runs."""


def edge_list(graph: InfluenceGraph) -> pd.DataFrame:
    """One row per graph edge with the entities' names and the sources' titles and URLs.

    Columns: ``source, target, source_name, target_name``, then `EDGE_COLUMNS`
    (layer ... source_ids), then ``source_titles`` and ``source_urls``
    (``;``-joined, in the order of ``source_ids``; an unknown URL is blank).
    Sorted by source, target, layer.

    Examples
    --------
    >>> g = InfluenceGraph.from_edges([("a", "b", 2.0)])
    >>> edge_list(g).loc[0, ["source_name", "target_name", "strength"]].tolist()
    ['a', 'b', 2.0]
    """
    names = dict(zip(graph.entities["id"], graph.entities["name"]))
    titles = dict(zip(graph.sources["id"], graph.sources["title"]))
    urls = dict(zip(graph.sources["id"], graph.sources["url"]))
    edges = graph.edges.copy()
    edges.insert(2, "source_name", edges["source"].map(names))
    edges.insert(3, "target_name", edges["target"].map(names))
    edges["source_titles"] = [";".join(titles.get(s, "") for s in split_list(ids)) for ids in edges["source_ids"]]
    edges["source_urls"] = [";".join(urls.get(s, "") for s in split_list(ids)) for ids in edges["source_ids"]]
    ordered = ["source", "target", "source_name", "target_name", *EDGE_COLUMNS[2:], "source_titles", "source_urls"]
    return edges[ordered].sort_values(["source", "target", "layer", "directed"], kind="stable").reset_index(drop=True)


def node_table(graph: InfluenceGraph, *metric_tables: pd.DataFrame) -> pd.DataFrame:
    """Entity attributes joined with metric tables (each keyed by ``id``), sorted by id."""
    table = graph.entities[["id", "name", "type", "name_ar", "aliases", "description"]].reset_index(drop=True)
    for metrics in metric_tables:
        table = table.merge(metrics, on="id", how="left", validate="one_to_one")
    return table.sort_values("id", kind="stable").reset_index(drop=True)


def write_table(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as UTF-8 CSV with ``\\n`` line ends and `FLOAT_FORMAT` numbers."""
    table.to_csv(path, index=False, float_format=FLOAT_FORMAT, lineterminator="\n", encoding="utf-8")
    return Path(path)
