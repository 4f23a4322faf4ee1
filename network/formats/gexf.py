"""GEXF 1.3 for Gephi: typed attributes, the map's colors, sizes and seeded positions, provenance per edge."""

from __future__ import annotations

import json
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from lxml import etree

import network
from network.errors import Problem
from network.graph import EDGE_COLUMNS, InfluenceGraph
from network.contract.load import DataTables
from network.maps.style import edge_widths, layer_color, type_color
from network.formats.columns import (
    cell_texts, element_pieces, escaped_xml, grouped_json_arrays, json_object_pieces, objects, relationship_chunks,
    text_of_rows, xml_attributes,
)
from network.formats.common import (
    FORMAT_VERSION, _json_column, attribute_type, cell_text, map_style, node_rows, number_texts, relationship_columns,
    row_records, tables_from_rows, xml_attribute, xml_text,
)

__all__ = ["GEXF_NAMESPACE", "VIZ_NAMESPACE", "read_gexf", "write_gexf"]

GEXF_NAMESPACE = "http://gexf.net/1.3"
VIZ_NAMESPACE = "http://gexf.net/1.3/viz"
_EDGE_TYPES = {
    "layer": "string", "directed": "boolean", "types": "string", "relationship_ids": "string",
    "relationship_count": "integer", "strength": "double", "cost": "double", "amount_usd": "double", "amount_qualifier": "string",
    "stated_total_usd": "double", "first_date": "string", "last_date": "string", "status": "string",
    "source_ids": "string", "relationships": "string", "sources": "string", "mirror_of": "string",
}
_MARKER = f"influence-network;format_version={FORMAT_VERSION}"
_CHUNK = 20_000


def _rgb(hex_color: str) -> str:
    red, green, blue = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f'r="{red}" g="{green}" b="{blue}"'


def _attvalue_column(values: pd.Series | Sequence[Any], attribute_id: str, kind: str) -> tuple[np.ndarray, list]:
    """One attribute's ``<attvalue>`` element for each row, as where it is not blank and its `text_of_rows` pieces.

    Text by `cell_text` for strings and `number_text` otherwise; number text (digits, sign, point,
    exponent, ``inf``, ``true``/``false``) needs no escaping; strings are escaped a whole column at once.
    """
    head = f'<attvalue for="{attribute_id}" value="'
    if kind != "string":
        texts = objects(number_texts(values))
        return element_pieces(texts, texts, head, '"/>')
    texts = cell_texts(values)
    return element_pieces(texts, xml_attributes(texts, quoted=False), head, '"/>')


def _json_attvalues(texts: np.ndarray, attribute_id: str) -> tuple[np.ndarray, list]:
    """`_attvalue_column` of JSON arrays already escaped (never blank, no space around them)."""
    return np.ones(len(texts), dtype=bool), [f'<attvalue for="{attribute_id}" value="', texts, '"/>']


def _attvalue_rows(columns: Sequence[tuple[np.ndarray, list]]) -> list:
    """Row by row, the ``<attvalues>`` block of the row's elements (none when every value is blank), as pieces."""
    filled = np.zeros(len(columns[0][0]), dtype=bool)
    for present, _ in columns:
        filled |= present
    opens, closes = np.full(len(filled), "", dtype=object), np.full(len(filled), "", dtype=object)
    opens[filled], closes[filled] = "<attvalues>", "</attvalues>"
    return [opens, *(piece for _, pieces in columns for piece in pieces), closes]


def _declarations(kind: str, ids: Mapping[str, str], types: Mapping[str, str]) -> str:
    """One ``<attributes>`` block; ids ``n*`` entity columns, ``m*`` metrics (not read back), ``e*`` edge columns."""
    lines = [f'    <attributes class="{kind}" mode="static">\n']
    lines += [f'      <attribute id="{ids[name]}" title={xml_attribute(name)} type="{types[name]}"/>\n' for name in ids]
    lines.append("    </attributes>\n")
    return "".join(lines)


def write_gexf(
    graph: InfluenceGraph,
    path: str | Path,
    *,
    nodes: pd.DataFrame | None = None,
    provenance: Mapping[str, Any] | None = None,
    seed: int = 0,
) -> Path:
    """Write the graph as GEXF 1.3, styled like the HTML map, streaming node by node and edge by edge.

    Parameters
    ----------
    graph : InfluenceGraph
    path : path-like
    nodes : pd.DataFrame, optional
        A node table with metrics; ``pagerank`` sizes the nodes (as on the map).
    provenance : mapping, optional
        Written as JSON into ``<meta><description>``.
    seed : int
        Seed of the map's Fruchterman-Reingold layout (`network.formats.common.map_style`).

    Returns
    -------
    Path

    Notes
    -----
    Nodes: label = name; typed attributes for every entity column and metric
    (``community`` an integer, metrics doubles); ``viz:color`` by entity type,
    ``viz:size`` by PageRank, ``viz:position`` from the seeded layout: the
    HTML map's sizes and positions for the same seed.
    Edges: one directed edge per graph edge, and for a mutual edge a second
    one the other way (``mirror_of`` the first's id, no relationships), so
    that networkx, igraph and Gephi read the same graph; ``weight`` =
    strength, ``kind`` = layer (``LAYER-mutual`` for mutual edges), typed
    attributes for every edge column, ``viz:color`` by layer, ``viz:thickness``
    by strength, plus ``relationships`` and ``sources`` (JSON arrays of the
    edge's unaggregated relationships and the sources they cite), which
    make the file readable back without loss (sources no relationship cites
    are not carried).

    Examples
    --------
    >>> import tempfile
    >>> g = InfluenceGraph.from_edges([("a", "b", 2.0)])
    >>> text = write_gexf(g, tempfile.mkdtemp() + "/g.gexf").read_text(encoding="utf-8")
    >>> 'xmlns="http://gexf.net/1.3"' in text, 'weight="2"' in text
    (True, True)
    """
    path = Path(path)
    table, entity_columns, metrics = node_rows(graph, nodes)
    node_types = {name: "string" for name in entity_columns if name != "id"}
    node_types.update({name: {"long": "integer"}.get(attribute_type(table[name]), attribute_type(table[name])) for name in metrics})
    node_ids = {name: f"n{i}" for i, name in enumerate(c for c in entity_columns if c != "id")}
    node_ids.update({name: f"m{i}" for i, name in enumerate(metrics)})
    node_block = _declarations("node", node_ids, node_types)
    edge_ids = {name: f"e{i}" for i, name in enumerate(_EDGE_TYPES)}
    edge_block = _declarations("edge", edge_ids, _EDGE_TYPES)
    sizes, xs, ys = map_style(table, list(zip(graph.edges["source"], graph.edges["target"])), seed)
    description = (f"Influence network: {len(graph.entities)} entities, {len(graph.edges)} edges, "
                   f"{len(graph.relationships)} relationships. Provenance: "
                   + json.dumps(dict(provenance or {}), ensure_ascii=False, sort_keys=True))
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(f'<gexf xmlns="{GEXF_NAMESPACE}" xmlns:viz="{VIZ_NAMESPACE}" version="1.3">\n')
        out.write(f"  <meta>\n    <creator>influence-network {xml_text(network.__version__)}</creator>\n"
                  f"    <keywords>{_MARKER}</keywords>\n    <description>{xml_text(description)}</description>\n  </meta>\n")
        out.write('  <graph defaultedgetype="directed" mode="static" idtype="string">\n')
        out.write(node_block + edge_block)
        out.write(f'    <nodes count="{len(table)}">\n')
        columns = [c for c in table.columns if c != "id"]
        colors = {kind: _rgb(type_color(kind)) for kind in pd.unique(table["type"])}
        for start in range(0, len(table), _CHUNK):  # column by column within a chunk of rows
            part, stop = table.iloc[start:start + _CHUNK], start + _CHUNK
            attvalues = _attvalue_rows([_attvalue_column(part[name], node_ids[name], node_types[name]) for name in columns])
            out.write(text_of_rows([
                "      <node id=", xml_attributes([str(v) for v in part["id"].tolist()]),
                " label=", xml_attributes(cell_texts(part["name"])), ">", *attvalues,
                "<viz:color ", objects([colors[kind] for kind in part["type"].tolist()]),
                '/><viz:size value="', objects(number_texts(np.array(sizes[start:stop], dtype=np.float64))),
                '"/><viz:position x="', objects(number_texts(np.array(xs[start:stop], dtype=np.float64))),
                '" y="', objects(number_texts(np.array(ys[start:stop], dtype=np.float64))), '"/></node>\n'], len(part)))
        out.write("    </nodes>\n")
        _write_edges(out, graph, edge_ids)
        out.write("  </graph>\n</gexf>\n")
    return path


def _write_edges(out, graph: InfluenceGraph, edge_ids: Mapping[str, str]) -> None:
    """Every graph edge as a directed GEXF edge; a mutual edge also as its mirror, the other way.

    A directed graph with undirected edges in it is valid GEXF, but networkx refuses it ("Undirected edge
    found in directed graph") and igraph reads it as directed anyway; two directed edges read the same
    everywhere. The mirror carries ``mirror_of`` (the id of the first) and no relationships, so that
    reading the file back counts each relationship once.
    """
    edges = graph.edges
    directed = edges["directed"].astype(bool).to_numpy() if len(edges) else np.zeros(0, dtype=bool)
    out.write(f'    <edges count="{len(edges) + int((~directed).sum())}">\n')
    widths = edge_widths(edges["strength"]) if len(edges) else np.zeros(0)
    records = row_records(graph.sources, list(graph.sources.columns))
    sources = {row["id"]: json.dumps(row, ensure_ascii=False) for row in records}
    # the first GEXF edge of row i is number first[i]; a mutual edge's mirror is number first[i] + 1
    first = np.concatenate([[0], np.cumsum(np.where(directed, 1, 2))[:-1]]).astype(np.int64)
    names = relationship_columns(graph)
    attribute = partial(escaped_xml, attribute=True)
    for start, stop, members, owners in relationship_chunks(graph, _CHUNK):  # memory stays bounded
        carried = grouped_json_arrays(owners, json_object_pieces(members, names), stop - start, escape=attribute)
        cited = _cited_sources(members, owners, stop - start, sources)
        out.write(_edge_lines(edges.iloc[start:stop], directed[start:stop], widths[start:stop], first[start:stop],
                              carried, cited, edge_ids))
    out.write("    </edges>\n")


def _cited_sources(members: pd.DataFrame, owners: np.ndarray, groups: int, sources: Mapping[str, str]) -> np.ndarray:
    """For each edge, the JSON array of the sources its relationships cite (by id; an unknown id left out)."""
    if "source_ids" not in members.columns:
        return np.full(groups, "[]", dtype=object)
    keys, cells = pd.factorize(objects([str(v) for v in _json_column(members["source_ids"])]))
    pieces = [[s for s in cell.split(";") if s.strip()] for cell in cells.tolist()]
    cited = sorted({s for ids in pieces for s in ids})
    if not cited or not len(keys):
        return np.full(groups, "[]", dtype=object)
    rank = {s: i for i, s in enumerate(cited)}
    counts = np.array([len(ids) for ids in pieces], dtype=np.int64)
    ranks = np.array([rank[s] for ids in pieces for s in ids], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    per_row = counts[keys]  # (edge, source) pairs: each relationship's pieces, then distinct and sorted
    row = np.repeat(np.arange(len(keys)), per_row)
    within = np.arange(int(per_row.sum())) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    pairs = np.unique(owners[row].astype(np.int64) * len(cited) + ranks[starts[keys][row] + within])
    edge, source = np.divmod(pairs, len(cited))
    texts = [sources.get(s.strip()) for s in cited]
    known = np.array([text is not None for text in texts], dtype=bool)[source]
    return grouped_json_arrays(edge[known], [objects(texts)[source[known]]], groups, escape=partial(escaped_xml, attribute=True))


def _edge_lines(edges: pd.DataFrame, directed: np.ndarray, widths: np.ndarray, first: np.ndarray,
                carried: np.ndarray, cited: np.ndarray, edge_ids: Mapping[str, str]) -> str:
    """The GEXF lines of some edges (and after each mutual one its mirror), built column by column.

    ``carried`` and ``cited``: each edge's relationships and sources as JSON arrays, escaped for an attribute.
    """
    columns = [c for c in EDGE_COLUMNS if c not in ("source", "target")]
    shared = [_attvalue_column(edges[name], edge_ids[name], _EDGE_TYPES[name]) for name in columns]
    mutual = ~directed
    mirror_of = objects([f"e{n}" for n in first[mutual].tolist()])
    nothing = (np.zeros(int(mutual.sum()), dtype=bool), ["", "", ""])
    whole = _attvalue_rows([*shared, _json_attvalues(carried, edge_ids["relationships"]),
                            _json_attvalues(cited, edge_ids["sources"])])
    mirrored = _attvalue_rows([*((present[mutual], [p[mutual] if isinstance(p, np.ndarray) else p for p in pieces])
                                 for present, pieces in shared),
                               _json_attvalues(mirror_of, edge_ids["mirror_of"]), nothing])
    layers = edges["layer"].tolist()
    colors = {layer: _rgb(layer_color(layer)) for layer in set(layers)}
    kinds = {(layer, flag): xml_attribute(layer if flag else f"{layer}-mutual") for layer in set(layers) for flag in (True, False)}
    thickness = objects(number_texts(np.array(list(map(round, widths.tolist(), repeat(3))), dtype=np.float64)))
    row = {"number": objects(list(map(str, first.tolist()))),
           "source": xml_attributes([str(v) for v in edges["source"].tolist()]),
           "target": xml_attributes([str(v) for v in edges["target"].tolist()]),
           "weight": objects(number_texts(edges["strength"])),
           "kind": objects([kinds[pair] for pair in zip(layers, directed.tolist())]),
           "label": xml_attributes(cell_texts(edges["types"])),
           "color": objects([colors[layer] for layer in layers]), "thickness": thickness}
    mirror = {name: values[mutual] for name, values in row.items()}
    mirror.update(number=objects(list(map(str, (first[mutual] + 1).tolist()))), source=mirror["target"], target=mirror["source"])
    grid = np.empty((len(edges) + len(mirror_of), len(whole) + 18), dtype=object)
    at = first - (first[0] if len(first) else 0)
    for rows, values, attvalues in ((at, row, whole), (at[mutual] + 1, mirror, mirrored)):
        pieces = ['      <edge id="e', values["number"], '" source=', values["source"], " target=", values["target"],
                  ' type="directed" weight="', values["weight"], '" kind=', values["kind"], " label=", values["label"],
                  ">", *attvalues, "<viz:color ", values["color"], '/><viz:thickness value="', values["thickness"],
                  '"/></edge>\n']
        for column, piece in enumerate(pieces):
            grid[rows, column] = piece
    return "".join(grid.ravel().tolist())


def read_gexf(path: str | Path) -> DataTables:
    """Read a GEXF file (ours, or any GEXF 1.x with attributes) into text tables.

    Our files give back the exact entities and relationships, and every
    source that a relationship cites. Metrics and styling are not data and
    are dropped. A GEXF file from another tool gives entities from node
    labels and attributes (titles ``type``, ``name_ar``...) and one
    relationship per edge from attributes titled like our edge columns.

    Examples
    --------
    >>> import tempfile
    >>> g = InfluenceGraph.from_edges([("a", "b", 2.0)])
    >>> read_gexf(write_gexf(g, tempfile.mkdtemp() + "/g.gexf")).entities["id"].tolist()
    ['a', 'b']
    """
    from network.formats.tables import completed_entities, relationships_from_edge_rows

    path = Path(path)
    titles: dict[tuple[str, str], str] = {}
    entities: list[tuple[int, dict]] = []
    relationships: list[tuple[int, dict]] = []
    bare_edges: list[tuple[int, dict]] = []
    sources: dict[str, tuple[int, dict]] = {}
    problems: list[Problem] = []
    ours = False
    try:
        for _, element in etree.iterparse(str(path), events=("end",), huge_tree=True):
            tag = etree.QName(element).localname
            if tag == "keywords":
                ours = ours or (element.text or "").startswith("influence-network")
            elif tag == "attribute":
                titles[(element.getparent().get("class", "node"), element.get("id"))] = element.get("title", element.get("id"))
            elif tag in ("node", "edge"):
                line = element.sourceline
                data: dict[str, Any] = {}
                for value in element.iter("{*}attvalue"):
                    key = value.get("for")
                    if tag == "node" and ours and key.startswith("m"):
                        continue
                    data[titles.get((tag, key), key)] = value.get("value", "")
                if tag == "node":
                    entities.append((line, {"id": element.get("id"), "label": element.get("label", ""), **data}))
                    if ours:
                        entities[-1][1].pop("label")
                else:
                    _read_edge(path, line, element, data, relationships, bare_edges, sources, problems)
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except etree.XMLSyntaxError as err:
        problems.append(Problem(str(path), err.lineno or 1, "(xml)", f"not well-formed GEXF: {err.msg}", None, "a GEXF file"))
    if bare_edges:
        relationships.extend(relationships_from_edge_rows(bare_edges, path))
    return tables_from_rows(path, completed_entities(entities), relationships, [sources[k] for k in sorted(sources)], problems)


def _read_edge(path: Path, line: int, element, data: dict, relationships: list, bare_edges: list,
               sources: dict, problems: list[Problem]) -> None:
    if data.get("mirror_of"):  # the other direction of a mutual edge we wrote: its relationships are on the first
        return
    members, cited = data.pop("relationships", None), data.pop("sources", None)
    try:
        parsed = json.loads(members) if members is not None else None
        cited_rows = json.loads(cited) if cited is not None else []
    except json.JSONDecodeError as err:
        problems.append(Problem(str(path), line, "relationships", f"not valid JSON: {err.msg}", None, "a JSON array"))
        return
    if isinstance(parsed, list):
        relationships.extend((line, row) for row in parsed)
        for row in cited_rows:
            sources.setdefault(str(row.get("id", "")), (line, row))
    else:
        edge = {"source": element.get("source"), "target": element.get("target"), **data}
        if "types" not in edge and element.get("label"):
            edge["types"] = element.get("label")
        bare_edges.append((line, edge))
