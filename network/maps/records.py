"""Turn entity, edge, relationship and source tables into the records a map page embeds, column by column."""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from network.maps.cells import (
    TYPE_LABELS, amount_texts, clean_number, clean_text, column_of, format_amount, format_metric, id_lists,
    metric_texts, numbers, split_ids, texts, truths, type_label, year_of,
)

__all__ = [
    "TYPE_LABELS",
    "METRIC_LABELS",
    "MONEY_FACTS",
    "NODE_SIZE_RANGE",
    "TIE_OPTIONAL",
    "split_ids",
    "type_label",
    "clean_text",
    "clean_number",
    "format_amount",
    "format_metric",
    "year_of",
    "records_of",
    "entity_columns",
    "entity_records",
    "tie_columns",
    "tie_records",
    "relationship_columns",
    "relationship_records",
    "source_records",
]

METRIC_LABELS = {
    "pagerank": "PageRank", "strength_in": "Strength in", "strength_out": "Strength out",
    "betweenness": "Betweenness", "community": "Community",
}
MONEY_FACTS = {
    "given_usd": "Money given", "received_usd": "Money received",
    "outside_for_usd": "Outside spending for it", "outside_against_usd": "Outside spending against it",
    "spent_for_usd": "Its own spending for", "spent_against_usd": "Its own spending against",
    "pledged_usd": "Pledged",
}
"""Node columns shown as money in the entity panel (from analysis.flows.flows_by_entity, docs/money.md: money
given and received are contributions; independent spending for or against a candidate apart; aggregate rows not
added; pledges apart), each with its ``*_qualifier`` column when the node table has it. Money given and received
are shown whenever the entity moved any money; the others only when not zero."""
_ALWAYS_SHOWN = ("given_usd", "received_usd")
NODE_SIZE_RANGE = (10.0, 42.0)
"""Smallest and largest node radius in pixels (at zoom 1), whatever the metric's range."""
TIE_OPTIONAL = ("amountUsd", "statedTotalUsd", "amountQualifier")
"""The fields of a tie record that it has only when known (None in `tie_columns`)."""


def records_of(columns: Mapping[str, list[Any]], ids: Sequence[str] | None = None,
               optional: Sequence[str] = ()) -> dict[str, dict[str, Any]] | list[dict[str, Any]]:
    """One record per row of ``columns`` (keyed by ``ids`` when given), without the ``optional`` fields that are None.

    Examples
    --------
    >>> records_of({"layer": ["money", "access"], "amountUsd": [5.0, None]}, ["e0", "e1"], optional=["amountUsd"])
    {'e0': {'layer': 'money', 'amountUsd': 5.0}, 'e1': {'layer': 'access'}}
    """
    names = list(columns)
    skip = set(optional)
    rows = [{name: value for name, value in zip(names, row) if name not in skip or value is not None}
            for row in zip(*columns.values())] if names else []
    return dict(zip(ids, rows)) if ids is not None else rows


def entity_columns(nodes: pd.DataFrame, metric_columns: Sequence[str],
                   outside_counts: Mapping[str, int]) -> tuple[list[str], dict[str, list[Any]]]:
    """The ids and, per field, the values of `entity_records`."""
    ids = [str(entity_id) for entity_id in nodes["id"].tolist()]
    kinds = texts(column_of(nodes, "type"))
    labels = {kind: type_label(kind) for kind in dict.fromkeys(kinds)}
    communities = numbers(column_of(nodes, "community", None))
    community_texts = metric_texts(communities)
    facts = [[["Type", labels[kind]]] + ([["Community", text]] if community is not None else [])
             for kind, community, text in zip(kinds, communities, community_texts)]
    amounts = {column: numbers(column_of(nodes, column, None)) for column in MONEY_FACTS}
    moved = np.zeros(len(nodes), dtype=bool)
    for values in amounts.values():  # counted once, when the entity moved any money
        moved |= np.array([bool(v) for v in values], dtype=bool)
    if moved.any():
        qualifiers = {column: texts(column_of(nodes, column.removesuffix("_usd") + "_qualifier"))
                      for column in MONEY_FACTS}
        for row in np.flatnonzero(moved).tolist():
            facts[row] += [[MONEY_FACTS[column], format_amount(float(values[row] or 0.0), qualifiers[column][row])]
                           for column, values in amounts.items()
                           if values[row] is not None and (values[row] or column in _ALWAYS_SHOWN)]
    metric_labels = [METRIC_LABELS.get(name, name) for name in metric_columns]
    metric_values = [metric_texts(numbers(nodes[name].tolist())) for name in metric_columns]
    for row_facts, row_metrics in zip(facts, zip(*metric_values)):
        row_facts += [[label, text] for label, text in zip(metric_labels, row_metrics)]
    return ids, {
        "name": texts(nodes["name"].tolist()), "nameAr": texts(column_of(nodes, "name_ar")),
        "aliases": id_lists(column_of(nodes, "aliases")), "type": kinds,
        "description": texts(column_of(nodes, "description")),
        "community": [int(c) if c is not None else None for c in communities], "facts": facts,
        "outside": [int(outside_counts.get(entity_id, 0)) for entity_id in ids],
    }


def entity_records(nodes: pd.DataFrame, metric_columns: Sequence[str],
                   outside_counts: Mapping[str, int]) -> dict[str, dict[str, Any]]:
    """One record per entity: names, aliases, type, description, community and metrics as text.

    ``outside_counts`` says, per entity id, how many of its relationships are not on the map.

    Examples
    --------
    >>> nodes = pd.DataFrame({"id": ["musk"], "name": ["Elon Musk"], "type": ["person"],
    ...                       "aliases": ["Musk;ماسك"], "pagerank": [0.25], "community": [3]})
    >>> record = entity_records(nodes, ["pagerank"], {"musk": 2})["musk"]
    >>> record["aliases"], record["facts"], record["outside"]
    (['Musk', 'ماسك'], [['Type', 'Person'], ['Community', '3'], ['PageRank', '0.25']], 2)
    >>> nodes = nodes.assign(given_usd=[118_600_000.0], received_usd=[0.0])
    >>> entity_records(nodes, ["pagerank"], {})["musk"]["facts"][2:4]
    [['Money given', '$118,600,000'], ['Money received', '$0']]
    """
    ids, columns = entity_columns(nodes, metric_columns, outside_counts)
    return records_of(columns, ids)


def tie_columns(edges: pd.DataFrame) -> dict[str, list[Any]]:
    """Per field, the values of `tie_records`; the `TIE_OPTIONAL` fields are None where a record lacks them."""
    relationship_ids = id_lists(column_of(edges, "relationship_ids", None))
    counts = numbers(column_of(edges, "relationship_count", None))
    amounts = numbers(column_of(edges, "amount_usd", None))
    qualifiers = texts(column_of(edges, "amount_qualifier", None))
    return {
        "source": [str(v) for v in column_of(edges, "source", None)],
        "target": [str(v) for v in column_of(edges, "target", None)],
        "layers": [[layer] for layer in texts(column_of(edges, "layer", None))],
        "types": id_lists(column_of(edges, "types", None)), "relationshipIds": relationship_ids,
        "strength": numbers(column_of(edges, "strength", None)),
        "relationshipCount": [int(count) if count is not None else len(ids) for count, ids in zip(counts, relationship_ids)],
        "firstDate": texts(column_of(edges, "first_date", None)), "lastDate": texts(column_of(edges, "last_date", None)),
        "directed": [True if v is None else flag for v, flag in
                     zip(column_of(edges, "directed", None), truths(column_of(edges, "directed", None)))],
        "status": texts(column_of(edges, "status", None)),
        "amountUsd": amounts, "statedTotalUsd": numbers(column_of(edges, "stated_total_usd", None)),
        "amountQualifier": [q if amount is not None and q not in ("", "exact") else None
                            for amount, q in zip(amounts, qualifiers)],
    }


def tie_records(edges: pd.DataFrame, tie_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """One record per drawn edge: ends, layer, types, strength, amounts, dates, status, relationship ids.

    ``amountUsd`` and ``statedTotalUsd`` are left out when unknown.

    Examples
    --------
    >>> edges = pd.DataFrame({"source": ["musk"], "target": ["pac"], "layer": ["money"], "strength": [3.0],
    ...                       "types": ["donation;pledge"], "relationship_ids": ["r1;r2"], "amount_usd": [1e6]})
    >>> record = tie_records(edges, ["e0"])["e0"]
    >>> record["types"], record["relationshipIds"], record["amountUsd"], "statedTotalUsd" in record
    (['donation', 'pledge'], ['r1', 'r2'], 1000000.0, False)
    """
    return records_of(tie_columns(edges), list(tie_ids), optional=TIE_OPTIONAL)


def relationship_columns(relationships: pd.DataFrame) -> dict[str, list[Any]]:
    """Per field, the values of `relationship_records`."""
    def column(name: str) -> list[Any]:
        return column_of(relationships, name)

    return {
        "id": texts(column("id")), "source": texts(column("source")), "target": texts(column("target")),
        "type": texts(column("type")), "role": texts(column("role")),
        "amount": amount_texts(numbers(column("amount_usd")), texts(column("amount_qualifier"))),
        "startDate": texts(column("start_date")), "endDate": texts(column("end_date")),
        "status": texts(column("status")), "aggregate": truths(column("aggregate")),
        "sourceIds": id_lists(column("source_ids")), "evidence": texts(column("evidence")),
        "check": texts(column("claim_check")),  # `influence claims`'s outcome, when run checked filings
    }


def relationship_records(relationships: pd.DataFrame) -> list[dict[str, Any]]:
    """The raw relationship rows, in table order, with amounts formatted for reading.

    Examples
    --------
    >>> rows = pd.DataFrame({"id": ["r1"], "source": ["musk"], "target": ["pac"], "type": ["donation"],
    ...                      "amount_usd": [75e6], "amount_qualifier": ["at_least"], "source_ids": ["s1;s2"]})
    >>> record = relationship_records(rows)[0]
    >>> record["amount"], record["sourceIds"], record["role"]
    ('at least $75,000,000', ['s1', 's2'], '')
    """
    return records_of(relationship_columns(relationships))


def source_records(sources: pd.DataFrame, wanted: Iterable[str]) -> dict[str, dict[str, str]]:
    """The sources that ``wanted`` names, keyed by id; only ``http(s)`` URLs are kept as links.

    Examples
    --------
    >>> sources = pd.DataFrame({"id": ["a", "b", "c"], "title": ["FEC", "Trap", "Unused"],
    ...                         "url": ["https://www.fec.gov/", "javascript:alert(1)", ""]})
    >>> {key: value["url"] for key, value in source_records(sources, ["a", "b"]).items()}
    {'a': 'https://www.fec.gov/', 'b': ''}
    """
    keep = set(wanted)
    records = {}
    for row in sources.to_dict("records"):
        source_id = clean_text(row.get("id"))
        if source_id not in keep:
            continue
        url = clean_text(row.get("url"))
        records[source_id] = {
            "publisher": clean_text(row.get("publisher")), "title": clean_text(row.get("title")),
            "published": clean_text(row.get("published")), "language": clean_text(row.get("language")),
            "url": url if re.match(r"^https?://", url, re.IGNORECASE) else "",
            "document": clean_text(row.get("document")),
        }
    return records
