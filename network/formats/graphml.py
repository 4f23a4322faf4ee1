"""GraphML for igraph, networkx, Cytoscape and yEd: typed attributes, relationships and sources embedded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
from lxml import etree

from network.errors import Problem
from network.graph import EDGE_COLUMNS, InfluenceGraph
from network.contract.load import DataTables
from network.formats.columns import (
    cell_texts, element_pieces, escaped_xml, grouped_json_arrays, json_object_pieces, objects, relationship_chunks,
    text_of_rows, xml_attributes, xml_texts,
)
from network.formats.common import (
    FORMAT_VERSION, attribute_type, column_texts, frame_chunks, node_rows, relationship_columns, row_records,
    tables_from_rows, xml_attribute, xml_text,
)

__all__ = ["EDGE_ATTRIBUTE_TYPES", "GRAPHML_NAMESPACE", "read_graphml", "write_graphml"]

GRAPHML_NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
EDGE_ATTRIBUTE_TYPES = {
    "layer": "string", "directed": "boolean", "types": "string", "relationship_ids": "string",
    "relationship_count": "long", "strength": "double", "cost": "double", "amount_usd": "double", "amount_qualifier": "string",
    "stated_total_usd": "double", "first_date": "string", "last_date": "string", "status": "string",
    "source_ids": "string", "relationships": "string",
}
"""GraphML type of every edge attribute; ``relationships`` is a JSON array of the merged relationships."""
_GRAPH_KEYS = ("format", "format_version", "meta", "sources")
_CHUNK = 20_000


def _keys(entity_columns: list[str], metric_types: Mapping[str, str]) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """``<key>`` lines and the key id of every node and edge attribute.

    Key ids tell a reader what an attribute is: ``g*`` graph data, ``n*``
    entity columns, ``m*`` metrics (not read back), ``e*`` edge columns.
    """
    lines = [f'  <key id="g{i}" for="graph" attr.name="{name}" attr.type="{"long" if name == "format_version" else "string"}"/>\n'
             for i, name in enumerate(_GRAPH_KEYS)]
    node_ids: dict[str, str] = {}
    for i, name in enumerate(c for c in entity_columns if c != "id"):
        node_ids[name] = f"n{i}"
        lines.append(f'  <key id="n{i}" for="node" attr.name={xml_attribute(name)} attr.type="string"/>\n')
    for i, (name, kind) in enumerate(metric_types.items()):
        node_ids[name] = f"m{i}"
        lines.append(f'  <key id="m{i}" for="node" attr.name={xml_attribute(name)} attr.type="{kind}"/>\n')
    edge_ids = {}
    for i, (name, kind) in enumerate(EDGE_ATTRIBUTE_TYPES.items()):
        edge_ids[name] = f"e{i}"
        lines.append(f'  <key id="e{i}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n')
    return lines, node_ids, edge_ids


def write_graphml(
    graph: InfluenceGraph,
    path: str | Path,
    *,
    nodes: pd.DataFrame | None = None,
    provenance: Mapping[str, Any] | None = None,
) -> Path:
    """Write the graph as GraphML, streaming one node or edge at a time.

    Parameters
    ----------
    graph : InfluenceGraph
    path : path-like
    nodes : pd.DataFrame, optional
        A node table (`network.formats.export.node_table`): its metric columns
        (pagerank, community, ...) become typed node attributes.
    provenance : mapping, optional
        Stored as JSON in the graph attribute ``meta``.

    Returns
    -------
    Path

    Notes
    -----
    One GraphML node per entity (node id = entity id; every entity column a
    string attribute, metrics ``double``/``long``), one GraphML edge per graph
    edge (every edge column typed, ``directed`` a boolean, NaN amounts left
    out), plus the unaggregated ``relationships`` of each edge as a JSON array
    and all ``sources`` as a JSON array in a graph attribute, so that reading
    the file back gives the same tables. Empty values are left out, as
    GraphML readers treat a missing value as unknown.

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> g = InfluenceGraph.from_edges([("a", "b", 2.0)])
    >>> path = write_graphml(g, tempfile.mkdtemp() + "/g.graphml")
    >>> nx.read_graphml(path).edges["a", "b"]["layer"]
    'affiliation'
    """
    path = Path(path)
    table, entity_columns, metrics = node_rows(graph, nodes)
    metric_types = {name: attribute_type(table[name]) for name in metrics}
    key_lines, node_ids, edge_ids = _keys(entity_columns, metric_types)
    graph_data = {
        "format": "influence-network", "format_version": str(FORMAT_VERSION),
        "meta": json.dumps(dict(provenance or {}), ensure_ascii=False, sort_keys=True),
        "sources": json.dumps(list(row_records(graph.sources.sort_values("id", kind="stable"), list(graph.sources.columns))),
                              ensure_ascii=False),
    }
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(f'<graphml xmlns="{GRAPHML_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                  f'xsi:schemaLocation="{GRAPHML_NAMESPACE} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        out.writelines(key_lines)
        out.write('  <graph id="influence" edgedefault="directed">\n')
        for i, name in enumerate(_GRAPH_KEYS):
            out.write(f'    <data key="g{i}">{xml_text(graph_data[name])}</data>\n')
        columns = [c for c in table.columns if c != "id"]
        kinds = {name: ("string" if name in entity_columns else metric_types[name]) for name in columns}
        for chunk in frame_chunks(table, rows=_CHUNK):
            heads = ["    <node id=", xml_attributes([str(v) for v in chunk["id"].tolist()]), ">"]
            out.write(_rows(heads, chunk, columns, kinds, node_ids, "</node>\n"))
        _write_edges(out, graph, edge_ids)
        out.write("  </graph>\n</graphml>\n")
    return path


def _rows(heads: list, chunk: pd.DataFrame, columns: list[str], kinds: Mapping[str, str],
          keys: Mapping[str, str], tail: str, extra: list | None = None) -> str:
    """The rows' lines: the opening tag (``heads``: `text_of_rows` pieces), a ``<data>`` element per non-empty
    value, the ``extra`` pieces, then ``tail``; built a column at a time."""
    pieces = list(heads)
    for name in columns:
        if kinds[name] == "string":
            texts = cell_texts(chunk[name])
            escaped = xml_texts(texts)
        else:  # numbers and true/false need no escaping
            texts = escaped = objects(column_texts(chunk[name], kinds[name]))
        pieces += element_pieces(texts, escaped, f'<data key="{keys[name]}">', "</data>")[1]
    return text_of_rows([*pieces, *(extra or []), tail], len(chunk))


def _write_edges(out, graph: InfluenceGraph, edge_ids: Mapping[str, str]) -> None:
    columns = [c for c in EDGE_COLUMNS if c not in ("source", "target")]
    names = relationship_columns(graph)
    for start, stop, members, owners in relationship_chunks(graph, _CHUNK):
        chunk = graph.edges.iloc[start:stop]
        # No edge ids: python-igraph 1.0 fills its edge attribute "id" with vertex ids when they are present.
        heads = ["    <edge source=", xml_attributes([str(s) for s in chunk["source"].tolist()]),
                 " target=", xml_attributes([str(t) for t in chunk["target"].tolist()]), ">"]
        grouped = grouped_json_arrays(owners, json_object_pieces(members, names), stop - start, escape=escaped_xml)
        members_data = [f'<data key="{edge_ids["relationships"]}">', grouped, "</data>"]
        out.write(_rows(heads, chunk, columns, EDGE_ATTRIBUTE_TYPES, edge_ids, "</edge>\n", members_data))


def _parse_json(text: str, path: Path, line: int, what: str, problems: list[Problem]) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        problems.append(Problem(str(path), line, what, f"not valid JSON: {err.msg}", text[:60], "a JSON array"))
        return None


def read_graphml(path: str | Path) -> DataTables:
    """Read a GraphML file (ours, or any with node and edge attributes) into text tables.

    Our files give back the exact entities, relationships and sources. A
    GraphML file from another tool (or one whose edges lost the
    ``relationships`` attribute) gives one relationship per edge, built from
    the edge's attributes (see `network.formats.tables.relationships_from_edge_rows`);
    node attributes ``name`` (or ``label``) and ``type`` fill the entities.
    Problems (bad XML, bad JSON) are returned in ``problems`` with the line.

    Examples
    --------
    >>> import tempfile
    >>> g = InfluenceGraph.from_edges([("a", "b", 2.0)])
    >>> tables = read_graphml(write_graphml(g, tempfile.mkdtemp() + "/g.graphml"))
    >>> tables.relationships[["source", "target", "type"]].values.tolist()
    [['a', 'b', 'endorsement']]
    """
    from network.formats.tables import completed_entities, relationships_from_edge_rows

    path = Path(path)
    ns = "{" + GRAPHML_NAMESPACE + "}"
    keys: dict[str, tuple[str, str]] = {}
    graph_data: dict[str, str] = {}
    entities: list[tuple[int, dict]] = []
    relationships: list[tuple[int, dict]] = []
    bare_edges: list[tuple[int, dict]] = []
    problems: list[Problem] = []
    try:
        for _, element in etree.iterparse(str(path), events=("end",), tag=(ns + "key", ns + "data", ns + "node", ns + "edge"),
                                          huge_tree=True):
            tag = element.tag[len(ns):]
            if tag == "key":
                keys[element.get("id")] = (element.get("for", "all"), element.get("attr.name", element.get("id")))
                continue
            if tag == "data":
                if element.getparent().tag == ns + "graph":
                    graph_data[keys.get(element.get("key"), ("", element.get("key")))[1]] = element.text or ""
                continue
            data = {}
            for child in element.iterchildren(ns + "data"):
                key = child.get("key")
                if key.startswith("m") and graph_data.get("format") == "influence-network":
                    continue  # our metrics are computed, not data
                data[keys.get(key, ("", key))[1]] = child.text or ""
            line = element.sourceline
            if tag == "node":
                entities.append((line, {"id": element.get("id"), **data}))
            else:
                members = data.pop("relationships", None)
                parsed = _parse_json(members, path, line, "relationships", problems) if members is not None else None
                if isinstance(parsed, list):
                    relationships.extend((line, row) for row in parsed)
                else:
                    bare_edges.append((line, {"source": element.get("source"), "target": element.get("target"), **data}))
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as err:
        problems.append(Problem(str(path), err.lineno or 1, "(xml)", f"not well-formed GraphML: {err.msg}", None, "a GraphML file"))
    sources = _parse_json(graph_data.get("sources", "[]"), path, 1, "sources", problems) or []
    if bare_edges:
        relationships.extend(relationships_from_edge_rows(bare_edges, path))
    entities = completed_entities(entities)
    return tables_from_rows(path, entities, relationships, [(1, row) for row in sources], problems)
