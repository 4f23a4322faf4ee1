"""Node-link JSON for d3 and sigma.js (and networkx's node_link_graph), with relationships and sources."""

from __future__ import annotations

import json
from itertools import repeat
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from network.errors import Problem
from network.graph import EDGE_COLUMNS, InfluenceGraph
from network.contract.load import DataTables
from network.maps.style import edge_widths, layer_color, type_color
from network.formats.columns import json_object_pieces, json_texts, objects, text_of_rows
from network.formats.common import (
    DERIVED_RELATIONSHIP_COLUMNS, FORMAT_VERSION, frame_chunks, map_style, node_rows, relationship_columns, row_records,
    tables_from_rows,
)

__all__ = ["NODE_STYLE_KEYS", "LINK_STYLE_KEYS", "read_node_link", "write_node_link"]

NODE_STYLE_KEYS = ("label", "color", "size", "x", "y")
"""Keys a node carries for drawing (the map's style); not data, ignored when reading."""
LINK_STYLE_KEYS = ("id", "key", "color", "width")
"""Keys a link carries for drawing and for networkx's multigraph keys; ignored when reading."""
_SECTIONS = ("nodes", "links", "relationships", "sources")
_CHUNK = 20_000


_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
"""What ``json.dumps(value, ensure_ascii=False, allow_nan=False)`` builds on every call, built once."""


def _dump(value: Any) -> str:
    return _ENCODER.encode(value)


def _floats(values: Sequence[float]) -> np.ndarray:
    """JSON texts of plain Python floats, as `_dump` writes them (a non-finite one is an error, as there)."""
    numbers = np.asarray(values, dtype=np.float64)
    if not np.isfinite(numbers).all():
        return objects([_dump(v) for v in values])
    return objects(list(map(float.__repr__, numbers.tolist())))


def _texts(values: Sequence[Any]) -> np.ndarray:
    """JSON texts of values as they are (not through `network.formats.common.json_value`)."""
    values = list(values)
    if all(isinstance(v, str) for v in values):
        return objects(list(map(encode_basestring, values)))
    return objects([_dump(v) for v in values])


def _node_pieces(graph: InfluenceGraph, nodes: pd.DataFrame | None, seed: int | None) -> Iterator[tuple[int, list]]:
    """Chunks of nodes: their count and their `text_of_rows` pieces (entity columns, metrics, then the style keys)."""
    table, _, _ = node_rows(graph, nodes)
    sizes, xs, ys = map_style(table, list(zip(graph.edges["source"], graph.edges["target"])), seed)
    columns = list(table.columns)
    if set(columns) & set(NODE_STYLE_KEYS):  # a style key would replace a column's value in place
        for i, row in enumerate(row_records(table, columns)):
            row.update({"label": row["name"], "color": type_color(row["type"]), "size": sizes[i]})
            if seed is not None:
                row.update({"x": xs[i], "y": ys[i]})
            yield 1, [_dump(row)]
        return
    for start in range(0, len(table), _CHUNK):
        part = table.iloc[start:start + _CHUNK]
        kinds = row_records(part, ["type"])
        style = [("label", json_texts(part["name"], allow_nan=False)),
                 ("color", _texts([type_color(row["type"]) for row in kinds])),
                 ("size", _floats(sizes[start:start + _CHUNK]))]
        if seed is not None:
            style += [("x", _floats(xs[start:start + _CHUNK])), ("y", _floats(ys[start:start + _CHUNK]))]
        yield len(part), json_object_pieces(part, columns, allow_nan=False, extra=style)


def _link_pieces(graph: InfluenceGraph) -> Iterator[tuple[int, list]]:
    """Chunks of links: ``id``, ``key``, the edge columns, ``color``, ``width``."""
    edges = graph.edges
    widths = edge_widths(edges["strength"]) if len(edges) else np.zeros(0)
    for start in range(0, len(edges), _CHUNK):
        part = edges.iloc[start:start + _CHUNK]
        layers = [row["layer"] for row in row_records(part, ["layer"])]
        directed = part["directed"].to_numpy(dtype=bool).tolist() if len(part) else []
        keys = {(layer, flag): encode_basestring(layer if flag else f"{layer}:mutual") for layer, flag in set(zip(layers, directed))}
        colors = {layer: encode_basestring(layer_color(layer)) for layer in set(layers)}
        pieces = json_object_pieces(part, list(EDGE_COLUMNS), allow_nan=False, extra=[
            ("color", objects([colors[layer] for layer in layers])),
            ("width", _floats(list(map(round, widths[start:start + _CHUNK].tolist(), repeat(3)))))])
        pieces[0] = ", " + pieces[0][1:]  # after "id" and "key"
        numbers = objects([f'"e{n}"' for n in range(start, start + len(part))])
        yield len(part), ['{"id": ', numbers, ', "key": ', objects([keys[pair] for pair in zip(layers, directed)]), *pieces]


def _relationship_pieces(graph: InfluenceGraph) -> Iterator[tuple[int, list]]:
    """Chunks of relationships by id: their columns, then ``layer`` and ``strength``."""
    rel = graph.relationships
    order = np.argsort(rel["id"].to_numpy(dtype=object), kind="stable")
    columns = relationship_columns(graph)
    for part in frame_chunks(rel, order, rows=_CHUNK):
        extra = [("layer", _texts(part["layer"].tolist())), ("strength", json_texts(part["strength"], allow_nan=False))]
        yield len(part), json_object_pieces(part, columns, allow_nan=False, extra=extra)


def _source_pieces(graph: InfluenceGraph) -> Iterator[tuple[int, list]]:
    for row in row_records(graph.sources.sort_values("id", kind="stable"), list(graph.sources.columns)):
        yield 1, [_dump(row)]


def write_node_link(
    graph: InfluenceGraph,
    path: str | Path,
    *,
    nodes: pd.DataFrame | None = None,
    provenance: Mapping[str, Any] | None = None,
    seed: int | None = 0,
) -> Path:
    """Write node-link JSON, one node, link, relationship or source per line.

    Shape::

        {"directed": true, "multigraph": true,
         "graph": {"format": "influence-network", "format_version": 1, "meta": {provenance},
                   "entity_columns": [...], "metric_columns": [...]},
         "nodes": [{"id", entity columns, metrics, "label", "color", "size", "x", "y"}, ...],
         "links": [{"id", "key", "source", "target", edge columns, "color", "width"}, ...],
         "relationships": [{relationship columns, "layer", "strength"}, ...],
         "sources": [{source columns}, ...]}

    Missing numbers are ``null``. ``nodes``/``links`` feed d3-force and
    sigma.js (``x``, ``y``, ``size``, ``color``, ``label`` are the map's
    style; positions come from the seeded layout, left out when ``seed`` is
    None) and ``networkx.node_link_graph(data, edges="links")``;
    ``relationships`` and ``sources`` carry the data, for reading back.

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> g = InfluenceGraph.from_edges([("a", "b", 2.0)])
    >>> path = write_node_link(g, tempfile.mkdtemp() + "/g.json")
    >>> nx.node_link_graph(json.loads(path.read_text()), edges="links").number_of_edges()
    1
    """
    path = Path(path)
    _, entity_columns, metrics = node_rows(graph, nodes)
    header = {"format": "influence-network", "format_version": FORMAT_VERSION, "meta": dict(provenance or {}),
              "entity_columns": entity_columns, "metric_columns": metrics}
    sections: dict[str, Iterable[tuple[int, list]]] = {
        "nodes": _node_pieces(graph, nodes, seed), "links": _link_pieces(graph), "relationships": _relationship_pieces(graph),
        "sources": _source_pieces(graph),
    }
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write('{\n"directed": true,\n"multigraph": true,\n')
        out.write('"graph": ' + json.dumps(header, ensure_ascii=False, sort_keys=True) + ",\n")
        for index, name in enumerate(_SECTIONS):
            out.write(f'"{name}": [\n')
            first = True
            for rows, pieces in sections[name]:
                separators = np.full(rows, ",\n", dtype=object)
                if first and rows:
                    separators[0], first = "", False
                out.write(text_of_rows([separators, *pieces], rows))
            out.write("\n]" + (",\n" if index < len(_SECTIONS) - 1 else "\n"))
        out.write("}\n")
    return path


def _items(path: Path, problems: list[Problem]) -> tuple[dict, dict[str, list[tuple[int, dict]]]]:
    """The header and each section's ``(line, item)``: line by line for our layout, else the whole document."""
    header: dict = {}
    found: dict[str, list[tuple[int, dict]]] = {name: [] for name in _SECTIONS}
    section = None
    with open(path, encoding="utf-8-sig") as handle:
        lines = handle.readlines()
    for number, text in enumerate(lines, start=1):
        stripped = text.strip()
        if stripped.startswith('"graph": '):
            header = json.loads(stripped[len('"graph": '):].rstrip(","))
        elif stripped.endswith("[") and stripped[:-1].rstrip().rstrip(":").strip('"') in _SECTIONS:
            section = stripped[:-1].rstrip().rstrip(":").strip('"')
        elif stripped.startswith("]"):
            section = None
        elif section is not None and stripped.startswith("{"):
            found[section].append((number, json.loads(stripped.rstrip(","))))
    return header, found


def read_node_link(path: str | Path) -> DataTables:
    """Read node-link JSON back: ours exactly; any other (networkx, d3) from its nodes and links.

    In our files ``relationships`` and ``sources`` are the data, and node keys
    outside ``graph.entity_columns`` (metrics, style) are dropped. A
    document without ``relationships`` gives one relationship per link
    (`network.formats.tables.relationships_from_edge_rows`).

    Examples
    --------
    >>> import tempfile
    >>> g = InfluenceGraph.from_edges([("a", "b", 2.0)])
    >>> read_node_link(write_node_link(g, tempfile.mkdtemp() + "/g.json")).relationships["id"].tolist()
    ['e000000']
    """
    from network.formats.tables import completed_entities, relationships_from_edge_rows

    path = Path(path)
    problems: list[Problem] = []
    try:
        header, found = _items(path, problems)
        if not any(found.values()):
            raise ValueError("not our layout")
    except (json.JSONDecodeError, ValueError):
        try:
            with open(path, encoding="utf-8-sig") as handle:
                document = json.load(handle)
        except json.JSONDecodeError as err:
            problems.append(Problem(str(path), err.lineno, "(json)", f"not valid JSON: {err.msg}", None, "node-link JSON"))
            return tables_from_rows(path, [], [], [], problems)
        header = document.get("graph") or {}
        links = document.get("links", document.get("edges", []))
        found = {name: [(1, item) for item in document.get(name, [])] for name in _SECTIONS}
        found["links"] = [(1, item) for item in links]
    keep = header.get("entity_columns")
    entities = [(line, {k: v for k, v in item.items() if keep is None or k in keep}) for line, item in found["nodes"]]
    if found["relationships"]:
        relationships = [(line, {k: v for k, v in item.items() if k not in DERIVED_RELATIONSHIP_COLUMNS})
                         for line, item in found["relationships"]]
    else:
        relationships = relationships_from_edge_rows(found["links"], path)
    return tables_from_rows(path, completed_entities(entities), relationships, found["sources"], problems)
