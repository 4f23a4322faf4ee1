"""Edge lists, relationship and node tables, GEXF, GraphML, JSON and FollowTheMoney -> files."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from network.storage.files import StagedOutputs
from network.graph import EDGE_COLUMNS, InfluenceGraph
from network.contract.identifiers import IDENTIFIERS_COLUMN
from network.contract.validate import split_list
from network.storage.cells import neutralized_frame

__all__ = [
    "EXPORT_FORMATS",
    "FLOAT_FORMAT",
    "RUN_FILE_NAMES",
    "edge_list",
    "export_file_name",
    "node_table",
    "relationship_table",
    "write_all_exports",
    "write_edge_list_csv",
    "write_export",
    "write_exports",
    "write_relationships_csv",
    "write_table",
]

EXPORT_FORMATS = ("csv", "relationships", "nodes", "gexf", "graphml", "json", "ftm")
"""Every format `write_export` writes, in the order `influence run` writes them."""
RUN_FILE_NAMES = {
    "nodes": "nodes.csv", "csv": "edges.csv", "relationships": "relationships.csv", "gexf": "graph.gexf",
    "graphml": "graph.graphml", "json": "graph.json", "ftm": "graph.ftm.json",
}
"""The file each format gets in the output folder of `influence run`."""
_STEMS = {"csv": ("edges", ".csv"), "relationships": ("relationships", ".csv"), "nodes": ("nodes", ".csv"),
          "gexf": ("graph", ".gexf"), "graphml": ("graph", ".graphml"), "json": ("graph", ".json"),
          "ftm": ("graph", ".ftm.json")}
_SEEDED = ("nodes", "gexf", "graphml", "json")
_EDGE_ORDER = ("source", "target", "layer", "directed")

_CSV_CHUNK = 50_000
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
    >>> row = edge_list(g).loc[0]
    >>> row["source_name"], row["target_name"], float(row["strength"])
    ('a', 'b', 2.0)
    """
    return _edge_rows(graph.edges, *_edge_lookups(graph)).sort_values(list(_EDGE_ORDER), kind="stable").reset_index(drop=True)


def _edge_lookups(graph: InfluenceGraph) -> tuple[pd.Series, dict, dict]:
    # A Series, not a dict: Series.map(dict) rebuilds a lookup table on every call, once per chunk.
    return (pd.Series(graph.entities["name"].to_numpy(), index=graph.entities["id"].to_numpy()),
            dict(zip(graph.sources["id"], graph.sources["title"])), dict(zip(graph.sources["id"], graph.sources["url"])))


def _edge_rows(edges: pd.DataFrame, names: Mapping, titles: Mapping, urls: Mapping) -> pd.DataFrame:
    edges = edges.copy()
    edges.insert(2, "source_name", edges["source"].map(names))
    edges.insert(3, "target_name", edges["target"].map(names))
    cited = _distinct_texts(edges["source_ids"])
    edges["source_titles"] = cited(lambda ids: ";".join(titles.get(s, "") for s in split_list(ids)))
    edges["source_urls"] = cited(lambda ids: ";".join(urls.get(s, "") for s in split_list(ids)))
    ordered = ["source", "target", "source_name", "target_name", *EDGE_COLUMNS[2:], "source_titles", "source_urls"]
    return edges[ordered].reset_index(drop=True)


def write_edge_list_csv(graph: InfluenceGraph, path: str | Path) -> Path:
    """Write `edge_list` as CSV, the same bytes as ``write_table(edge_list(graph), path)``, a chunk of rows at a time."""
    from network.formats.common import frame_chunks

    lookups = _edge_lookups(graph)
    keys = list(_EDGE_ORDER)
    order = graph.edges[keys].reset_index(drop=True).sort_values(keys, kind="stable").index.to_numpy()
    return _write_chunks((_edge_rows(chunk, *lookups) for chunk in frame_chunks(graph.edges, order, rows=_CSV_CHUNK)),
                         _edge_rows(graph.edges.iloc[:0], *lookups), path)


def _write_chunks(tables: Iterable[pd.DataFrame], empty: pd.DataFrame, path: str | Path) -> Path:
    """Append tables to one CSV file (the header once), formatted as `write_table` does."""
    header = True
    with open(path, "w", encoding="utf-8", newline="") as out:
        for table in tables:
            _float_texts(neutralized_frame(table)).to_csv(out, index=False, header=header, float_format=FLOAT_FORMAT,
                                                         lineterminator="\n")
            header = False
        if header:
            empty.to_csv(out, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
    return Path(path)


def node_table(graph: InfluenceGraph, *metric_tables: pd.DataFrame) -> pd.DataFrame:
    """Entity attributes (``identifiers`` included) joined with metric tables (each keyed by ``id``), sorted by id."""
    columns = ["id", "name", "type", "name_ar", "aliases", "description", IDENTIFIERS_COLUMN]
    table = graph.entities[[c for c in columns if c in graph.entities.columns]].reset_index(drop=True)
    for metrics in metric_tables:
        table = table.merge(metrics, on="id", how="left", validate="one_to_one")
    return table.sort_values("id", kind="stable").reset_index(drop=True)


def write_table(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as UTF-8 CSV with ``\\n`` line ends and `FLOAT_FORMAT` numbers, formula-like cells neutralized."""
    _float_texts(neutralized_frame(table)).to_csv(path, index=False, float_format=FLOAT_FORMAT, lineterminator="\n",
                                                  encoding="utf-8")
    return Path(path)


def _float_texts(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its float64 columns as the text ``to_csv(float_format=FLOAT_FORMAT)`` writes for them
    (``FLOAT_FORMAT % value``, blank for NaN), formatted by a C-speed map instead of a Python call per value."""
    columns = [i for i, dtype in enumerate(frame.dtypes) if dtype == np.float64]
    if not columns:
        return frame
    frame = frame.copy(deep=False)
    for i in columns:
        numbers = frame.iloc[:, i].to_numpy()
        texts = np.empty(len(numbers), dtype=object)
        texts[:] = list(map(FLOAT_FORMAT.__mod__, numbers.tolist()))
        texts[np.isnan(numbers)] = ""
        frame.isetitem(i, texts)
    return frame


def relationship_table(graph: InfluenceGraph) -> pd.DataFrame:
    """One row per relationship, unaggregated, with its ends' names and types and its sources joined in.

    Columns: the relationship columns (``id, source, target, type, role,
    amount_usd, amount_qualifier, start_date, end_date, status, aggregate,
    source_ids, evidence`` and any extra), then ``layer, directed, strength``
    (the relationship's own strength), ``source_name, source_type,
    target_name, target_type``, then ``source_publishers, source_titles,
    source_published, source_languages, source_urls, source_documents``: the
    sources' fields in the order of ``source_ids``, joined by `` | ``.
    Sorted by id.

    Examples
    --------
    >>> g = InfluenceGraph.from_edges([("a", "b", 2.0)])
    >>> relationship_table(g).loc[0, ["id", "source_name", "target_type", "layer"]].tolist()
    ['e000000', 'a', 'person', 'affiliation']
    """
    from network.formats.common import relationship_columns

    rel = graph.relationships.sort_values("id", kind="stable").reset_index(drop=True)
    return _relationship_rows(rel, relationship_columns(graph), *_relationship_lookups(graph))


def _relationship_lookups(graph: InfluenceGraph) -> tuple[pd.Series, pd.Series, dict]:
    ids = graph.entities["id"].to_numpy()
    return (pd.Series(graph.entities["name"].to_numpy(), index=ids), pd.Series(graph.entities["type"].to_numpy(), index=ids),
            {row["id"]: row for row in graph.sources.to_dict("records")})


def _relationship_rows(rel: pd.DataFrame, columns: list[str], names: Mapping, kinds: Mapping, fields: Mapping) -> pd.DataFrame:
    from network.formats.tables import PROVENANCE_COLUMNS, PROVENANCE_SEPARATOR

    table = rel[[*columns, "layer", "directed", "strength"]].reset_index(drop=True)
    for end in ("source", "target"):
        table[f"{end}_name"] = rel[end].map(names).to_numpy()
        table[f"{end}_type"] = rel[end].map(kinds).to_numpy()
    cited = _distinct_texts(rel["source_ids"])
    for column, field in PROVENANCE_COLUMNS.items():
        table[column] = cited(lambda ids: PROVENANCE_SEPARATOR.join(str(fields.get(s, {}).get(field, "")) for s in split_list(ids)))
    return table


def _distinct_texts(column: pd.Series) -> Callable[[Callable[[str], str]], np.ndarray]:
    """``text_of(str(cell))`` for every cell of ``column`` (as an object array), each distinct cell computed once:
    a few hundred distinct ``source_ids`` lists stand for a million relationships."""
    codes, cells = pd.factorize(np.array(list(map(str, column.tolist())), dtype=object))

    def texts(text_of: Callable[[str], str]) -> np.ndarray:
        distinct = np.empty(len(cells), dtype=object)
        distinct[:] = [text_of(cell) for cell in cells.tolist()]
        return distinct[codes]
    return texts


def write_relationships_csv(graph: InfluenceGraph, path: str | Path) -> Path:
    """Write `relationship_table` as CSV, a chunk of rows at a time, amounts exact (not rounded to `FLOAT_FORMAT`)."""
    from network.formats.common import frame_chunks, number_texts, relationship_columns

    lookups, columns = _relationship_lookups(graph), relationship_columns(graph)
    order = pd.Series(graph.relationships["id"].to_numpy()).sort_values(kind="stable").index.to_numpy()

    def exact(table: pd.DataFrame) -> pd.DataFrame:
        table["amount_usd"] = number_texts(table["amount_usd"])
        table["aggregate"] = np.where(table["aggregate"].to_numpy(dtype=object).astype(bool), "true", "false").astype(object)
        return table

    chunks = (exact(_relationship_rows(chunk, columns, *lookups)) for chunk in frame_chunks(graph.relationships, order, rows=_CSV_CHUNK))
    return _write_chunks(chunks, _relationship_rows(graph.relationships.iloc[:0], columns, *lookups), path)


def _slug(value: Any) -> str:
    from network.formats.common import cell_text

    return "".join(c if c.isalnum() or c in "._" else "-" for c in cell_text(value).lower()).strip("-")


def export_file_name(
    export_format: str,
    *,
    layers: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    min_amount_usd: float | None = None,
    statuses: Iterable[str] | None = None,
    seed: int | None = None,
    min_sources: int | None = None,
    include_undated: bool | None = None,
) -> str:
    """The default file name of an export: the format's stem, then the filters, then the suffix.

    Examples
    --------
    >>> export_file_name("csv", layers=["money"])
    'edges-money.csv'
    >>> export_file_name("gexf", layers=["money", "control"], min_amount_usd=10000, seed=7)
    'graph-control-money-min10000-seed7.gexf'
    >>> export_file_name("ftm", since="2024")
    'graph-since2024.ftm.json'
    """
    from network.formats.common import number_text

    if export_format not in _STEMS:
        raise ValueError(f"unknown export format {export_format!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    stem, suffix = _STEMS[export_format]
    parts = [stem, *sorted(_slug(v) for v in layers or ()), *sorted(_slug(v) for v in types or ()),
             *sorted(_slug(v) for v in statuses or ())]
    if since:
        parts.append(f"since{_slug(since)}")
    if until:
        parts.append(f"until{_slug(until)}")
    if min_amount_usd is not None:
        parts.append(f"min{number_text(min_amount_usd)}")
    if min_sources is not None:
        parts.append(f"minsources{int(min_sources)}")
    if include_undated:  # a date filter that keeps undated ties (the command line drops them by default)
        parts.append("withundated")
    if seed and export_format in _SEEDED:
        parts.append(f"seed{int(seed)}")
    return "-".join(parts) + suffix


def write_export(
    graph: InfluenceGraph,
    export_format: str,
    path: str | Path,
    *,
    nodes: pd.DataFrame | None = None,
    provenance: Mapping[str, Any] | None = None,
    seed: int = 0,
) -> Path:
    """Write one export format to ``path`` and return it.

    Parameters
    ----------
    graph : InfluenceGraph
    export_format : str
        One of `EXPORT_FORMATS`: ``csv`` (edge list), ``relationships``,
        ``nodes``, ``gexf``, ``graphml``, ``json`` (node-link), ``ftm``.
    nodes : pd.DataFrame, optional
        The node table with metrics and community (``nodes`` format, GEXF
        sizes, GraphML and JSON attributes); entity attributes only when omitted.
    provenance : mapping, optional
        The run record, embedded in GEXF, GraphML and JSON.
    seed : int
        Layout seed for GEXF and JSON positions.
    """
    from network.formats.ftm import write_ftm
    from network.formats.gexf import write_gexf
    from network.formats.graphml import write_graphml
    from network.formats.node_link import write_node_link

    if export_format == "csv":
        return write_edge_list_csv(graph, path)
    if export_format == "relationships":
        return write_relationships_csv(graph, path)
    if export_format == "nodes":
        from network.formats.common import stable_metrics

        return write_table(stable_metrics(nodes if nodes is not None else node_table(graph)), path)
    if export_format == "gexf":
        return write_gexf(graph, path, nodes=nodes, provenance=provenance, seed=seed)
    if export_format == "graphml":
        return write_graphml(graph, path, nodes=nodes, provenance=provenance)
    if export_format == "json":
        return write_node_link(graph, path, nodes=nodes, provenance=provenance, seed=seed)
    if export_format == "ftm":
        return write_ftm(graph, path)
    raise ValueError(f"unknown export format {export_format!r}; expected one of {', '.join(EXPORT_FORMATS)}")


def write_all_exports(
    graph: InfluenceGraph,
    nodes: pd.DataFrame,
    staged: StagedOutputs,
    out_dir: str | Path,
    provenance: Mapping[str, Any] | None = None,
    *,
    seed: int = 0,
    formats: Sequence[str] = EXPORT_FORMATS,
) -> dict[str, Path]:
    """Stage every export format into ``out_dir`` under its `RUN_FILE_NAMES` name.

    Nothing lands in ``out_dir`` until the ``staged`` block ends without
    error. Returns ``{file name: staged temporary path}`` (hash those paths
    inside the block; they are renamed onto ``out_dir / name`` at its end).

    Examples
    --------
    >>> import tempfile
    >>> g = InfluenceGraph.from_edges([("a", "b", 2.0)])
    >>> out = tempfile.mkdtemp()
    >>> with StagedOutputs() as staged:
    ...     written = write_all_exports(g, node_table(g), staged, out)
    >>> sorted(written)
    ['edges.csv', 'graph.ftm.json', 'graph.gexf', 'graph.graphml', 'graph.json', 'nodes.csv', 'relationships.csv']
    """
    out_dir = Path(out_dir)
    paths = {export_format: staged.stage(out_dir / RUN_FILE_NAMES[export_format]) for export_format in formats}
    write_exports(graph, nodes, paths, provenance, seed=seed)
    return {RUN_FILE_NAMES[export_format]: path for export_format, path in paths.items()}


def write_exports(
    graph: InfluenceGraph,
    nodes: pd.DataFrame,
    paths: Mapping[str, Path],
    provenance: Mapping[str, Any] | None = None,
    *,
    seed: int = 0,
) -> None:
    """Write each export format to its path (``{format: path}``, in that order), as `write_all_exports` does."""
    from network.formats.common import shared_node_rows

    with shared_node_rows():
        for export_format, path in paths.items():
            write_export(graph, export_format, path, nodes=nodes, provenance=provenance, seed=seed)
