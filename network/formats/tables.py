"""The CSV exports read back: relationships CSV (exact) and edge list CSV (one relationship per edge)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from network.contract.identifiers import IDENTIFIERS_COLUMN
from network.contract.load import ENTITY_COLUMNS, RELATIONSHIP_COLUMNS, DataTables, read_csv_table
from network.contract.schema import load_schema
from network.contract.validate import split_list
from network.formats.common import DERIVED_RELATIONSHIP_COLUMNS, schema_path_for, tables_from_rows

__all__ = [
    "DEFAULT_ENTITY_TYPE",
    "PROVENANCE_COLUMNS",
    "PROVENANCE_SEPARATOR",
    "UNKNOWN_PUBLISHER",
    "completed_entities",
    "read_edge_list_csv",
    "read_relationships_csv",
    "relationships_from_edge_rows",
]

DEFAULT_ENTITY_TYPE = "organization"
"""The type given to an entity whose type a file does not say (an edge list without its nodes.csv)."""
UNKNOWN_PUBLISHER = "unknown (read from an edge list)"
"""The publisher of a source known only by id, title and URL (edge lists carry no publisher)."""
PROVENANCE_SEPARATOR = " | "
"""How the relationships CSV joins the fields of several sources, in the order of ``source_ids``."""
PROVENANCE_COLUMNS = {
    "source_publishers": "publisher", "source_titles": "title", "source_published": "published",
    "source_languages": "language", "source_urls": "url", "source_documents": "document",
}
"""Relationships CSV column -> the sources.csv column it joins."""
ENDPOINT_COLUMNS = ("source_name", "source_type", "target_name", "target_type")


def completed_entities(
    rows: Sequence[tuple[int, dict[str, Any]]],
    endpoints: Iterable[tuple[int, str, str, str]] = (),
) -> list[tuple[int, dict[str, Any]]]:
    """Entity rows with a name and a type, plus one row for every endpoint not among them.

    A row without ``name`` takes its ``label`` (GraphML, GEXF from other
    tools) or its id; a row without ``type`` gets `DEFAULT_ENTITY_TYPE`.
    ``endpoints`` are ``(line, id, name, type)`` of relationship ends, first
    mention first.

    Examples
    --------
    >>> completed_entities([(2, {"id": "a", "label": "A"})], [(5, "b", "Bee", "")])
    [(2, {'id': 'a', 'label': 'A', 'name': 'A', 'type': 'organization'}), (5, {'id': 'b', 'name': 'Bee', 'type': 'organization'})]
    """
    result = []
    seen = set()
    for line, row in rows:
        row = dict(row)
        if not str(row.get("name") or "").strip():
            row["name"] = row.get("label") or row.get("id", "")
        if not str(row.get("type") or "").strip():
            row["type"] = DEFAULT_ENTITY_TYPE
        seen.add(row.get("id"))
        result.append((line, row))
    for line, entity_id, name, kind in endpoints:
        if entity_id and entity_id not in seen:
            seen.add(entity_id)
            result.append((line, {"id": entity_id, "name": name or entity_id, "type": kind or DEFAULT_ENTITY_TYPE}))
    return result


def _ends(schema, kind: str, edge: Mapping[str, str]) -> dict[str, str]:
    """The relationship's source and target for an edge of this type (swapped back for ``reverse`` types)."""
    source, target = edge.get("source", ""), edge.get("target", "")
    spec = schema.relationship_types.get(kind)
    if spec is not None and spec.influence == "reverse":
        source, target = target, source
    return {"source": source, "target": target}


def relationships_from_edge_rows(rows: Sequence[tuple[int, Mapping[str, Any]]], path: str | Path) -> list[tuple[int, dict]]:
    """Rebuild relationships from aggregated edges: one per edge, and one more for a stated total.

    Each edge (``source, target, types, relationship_ids, amount_usd,
    stated_total_usd, first_date, last_date, status, source_ids``) gives a
    relationship with the edge's first id, its first type, its counted
    amount (and ``amount_qualifier`` when the edge has one), its first and last dates and its best status; an edge with a
    ``stated_total_usd`` adds an aggregate relationship (role ``stated
    total``, id the edge's last id, or the first id plus ``-total``). Ends of
    ``reverse`` types are swapped back, so the rebuilt graph has the same edges.
    An edge without amounts that lists as many ids as types gives one
    relationship per type instead. All take the edge's dates and best status.
    The schema beside ``path`` (else the bundled one) says which types reverse.
    """
    schema = load_schema(schema_path_for(Path(path)))
    result = []
    for number, (line, edge) in enumerate(rows):
        text = {key: "" if value is None else str(value).strip() for key, value in edge.items()}
        ids = split_list(text.get("relationship_ids", ""))
        types = split_list(text.get("types", ""))
        amount, stated = text.get("amount_usd", ""), text.get("stated_total_usd", "")
        evidence = (f"rebuilt from an edge: {text.get('types', '')} ({text.get('relationship_count', '')} "
                    f"relationships: {text.get('relationship_ids', '')})")
        if len(types) > 1 and len(ids) == len(types) and not (amount or stated):
            for rid, kind in zip(ids, types):  # one relationship per type: the types, and usually the strength, survive
                result.append((line, {"id": rid, **_ends(schema, kind, text), "type": kind, "role": "", "amount_usd": "",
                                      "start_date": text.get("first_date", ""), "end_date": text.get("last_date", ""),
                                      "status": text.get("status") or "reported", "aggregate": "false",
                                      "source_ids": text.get("source_ids", ""), "evidence": evidence}))
            continue
        kind = types[0] if types else ""
        first = ids[0] if ids else f"edge-{number + 1}"
        common = {**_ends(schema, kind, text), "type": kind, "start_date": text.get("first_date", ""),
                  "end_date": text.get("last_date", ""), "status": text.get("status") or "reported",
                  "source_ids": text.get("source_ids", ""), "evidence": evidence}
        if amount or not stated:
            result.append((line, {"id": first, **common, "role": "", "amount_usd": amount, "aggregate": "false",
                                  **({"amount_qualifier": text.get("amount_qualifier", "")} if amount else {})}))
        if stated:
            total_id = ids[-1] if len(ids) >= 2 else (first if not amount else f"{first}-total")
            result.append((line, {"id": total_id, **common, "role": "stated total", "amount_usd": stated, "aggregate": "true"}))
    return result


def _companion_nodes(path: Path) -> tuple[list[tuple[int, dict]], list]:
    """Entity rows from the node table written beside an edge list, if there is one."""
    names = [path.name.replace(word, "nodes", 1) for word in ("edges", "relationships") if word in path.name]
    candidate = path.with_name(names[0]) if names else None
    if candidate is None or not candidate.is_file():
        return [], []
    frame, problems = read_csv_table(candidate, ("id", "name", "type"))
    columns = [c for c in (*ENTITY_COLUMNS, IDENTIFIERS_COLUMN) if c in frame.columns]
    return [(int(line), dict(zip(columns, values))) for line, values in zip(frame.index, frame[columns].itertuples(index=False, name=None))], problems


def _edge_sources(frame: pd.DataFrame) -> list[tuple[int, dict]]:
    seen: dict[str, tuple[int, dict]] = {}
    for line, ids, titles, urls in zip(frame.index, frame["source_ids"], frame.get("source_titles", ""), frame.get("source_urls", "")):
        ids, titles, urls = split_list(ids), str(titles).split(";"), str(urls).split(";")
        for i, source_id in enumerate(ids):
            if source_id not in seen:
                title = titles[i].strip() if i < len(titles) and len(titles) == len(ids) else ""
                url = urls[i].strip() if i < len(urls) and len(urls) == len(ids) else ""
                seen[source_id] = (int(line), {"id": source_id, "publisher": UNKNOWN_PUBLISHER, "title": title or source_id, "url": url})
    return [seen[key] for key in sorted(seen)]


def read_edge_list_csv(path: str | Path) -> DataTables:
    """Read an edge list (`network.formats.export.edge_list`) back: one relationship per edge.

    Edge lists keep no per-relationship rows, so the rebuilt graph has the
    same entities, endpoints, layers, directions, amounts, dates, statuses
    and source ids, and the same strengths wherever an edge merged one
    relationship (or relationships of one type and status). Entity types and
    attributes come from the node table beside the file (``nodes.csv``, or
    the file's name with ``edges`` replaced by ``nodes``: edges-money.csv and
    nodes-money.csv); without one, every
    entity is an ``organization``. Sources get their titles and URLs, and the
    publisher `UNKNOWN_PUBLISHER`.
    """
    path = Path(path)
    frame, problems = read_csv_table(path, ("source", "target", "layer", "types", "source_ids"))
    records = [(int(line), dict(zip(frame.columns, values))) for line, values in zip(frame.index, frame.itertuples(index=False, name=None))]
    nodes, node_problems = _companion_nodes(path)
    endpoints = [(line, row[end], row.get(f"{end}_name", ""), "") for line, row in records for end in ("source", "target")]
    entities = completed_entities(nodes, endpoints)
    relationships = relationships_from_edge_rows(records, path) if not problems else []
    return tables_from_rows(path, entities, relationships, _edge_sources(frame) if not problems else [], [*problems, *node_problems])


def read_relationships_csv(path: str | Path) -> DataTables:
    """Read a relationships CSV (`network.formats.export.relationship_table`) back, exactly.

    Relationships come back with every column. Entities come from the node
    table beside the file when there is one, and otherwise from the
    ``source_name, source_type, target_name, target_type`` columns (so
    ``name_ar``, ``aliases`` and ``description`` are blank and entities with
    no relationship are missing). Sources are rebuilt from the joined
    provenance columns (`PROVENANCE_COLUMNS`), split on `PROVENANCE_SEPARATOR`.
    """
    path = Path(path)
    frame, problems = read_csv_table(path, RELATIONSHIP_COLUMNS + ENDPOINT_COLUMNS)
    skip = set(DERIVED_RELATIONSHIP_COLUMNS) | set(ENDPOINT_COLUMNS) | set(PROVENANCE_COLUMNS)
    columns = [c for c in frame.columns if c not in skip]
    relationships, endpoints, sources = [], [], {}
    for line, row in zip(frame.index, frame.to_dict("records")):
        relationships.append((int(line), {name: row[name] for name in columns}))
        endpoints.append((int(line), row["source"], row["source_name"], row["source_type"]))
        endpoints.append((int(line), row["target"], row["target_name"], row["target_type"]))
        ids = split_list(row["source_ids"])
        for i, source_id in enumerate(ids):
            if source_id in sources:
                continue
            record = {"id": source_id}
            for column, field in PROVENANCE_COLUMNS.items():
                parts = str(row.get(column, "")).split(PROVENANCE_SEPARATOR) if column in row else []
                record[field] = parts[i] if len(parts) == len(ids) else ""
            sources[source_id] = (int(line), record)
    nodes, node_problems = _companion_nodes(path)
    entities = completed_entities(nodes, endpoints)
    ordered_sources = [sources[key] for key in sorted(sources)]
    return tables_from_rows(path, entities, relationships, ordered_sources, [*problems, *node_problems])
