"""FollowTheMoney relationship lines for `network.formats.ftm.write_ftm`, built a column at a time.

The same text as ``json.dumps(entity, ensure_ascii=False, sort_keys=True)`` of each relationship of
`network.formats.ftm.ftm_entities`, without a dict or an encoder call per relationship.
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import Any, Iterator, Mapping

import numpy as np
import pandas as pd

from network.graph import InfluenceGraph
from network.contract.validate import split_list
from network.formats.columns import cell_texts, objects
from network.formats.common import _json_column, frame_chunks, number_texts
from network.formats.ftm import _ENCODER, _PREFIXES, FTM_EDGE_PROPERTIES, _relationship_kind

__all__ = ["relationship_lines"]

_CHUNK = 50_000


def relationship_lines(graph: InfluenceGraph, ftm_schema: Mapping[str, str], sources: Mapping[str, dict]) -> Iterator[str]:
    """The relationships' FtM lines (each ending in a newline) by id, a chunk of relationships per text.

    ``ftm_schema``: entity id -> its FtM schema; ``sources``: source id -> its record (as `ftm_entities` builds them).

    Examples
    --------
    >>> import json
    >>> from network.formats.ftm import ftm_entities
    >>> g = InfluenceGraph.from_edges([("a", "b", 2.0)])
    >>> text = "".join(relationship_lines(g, {"a": "Person", "b": "Person"}, {}))
    >>> json.loads(text) == list(ftm_entities(g))[-1]
    True
    """
    rel = graph.relationships
    order = np.argsort(rel["id"].to_numpy(dtype=object), kind="stable")
    for part in frame_chunks(rel, order, rows=_CHUNK):
        yield _lines(part, graph, ftm_schema, sources)


def _listed(texts: np.ndarray) -> np.ndarray:
    """``[text]`` as JSON where the text is not blank, ``""`` (no property) where it is."""
    out = np.full(len(texts), "", dtype=object)
    filled = texts.astype(bool)
    out[filled] = "[" + objects(list(map(encode_basestring, texts[filled].tolist()))) + "]"
    return out


def _per_source_list(cells: list, sources: Mapping[str, dict]) -> dict[str, np.ndarray]:
    """``proof``, ``sourceUrl`` and ``publisher`` of each relationship, computed once per distinct ``source_ids``."""
    codes, distinct = pd.factorize(objects(list(map(str, cells))))
    found: dict[str, list[str]] = {"proof": [], "sourceUrl": [], "publisher": []}
    for ids in distinct.tolist():
        cited = [sources[s] for s in split_list(ids) if s in sources]
        for name, values in (("proof", [_PREFIXES["source"] + s for s in split_list(ids)]),
                             ("sourceUrl", list(dict.fromkeys(s["url"] for s in cited if s.get("url")))),
                             ("publisher", list(dict.fromkeys(s["publisher"] for s in cited if s.get("publisher"))))):
            found[name].append(_ENCODER.encode(values) if values else "")
    return {name: objects(texts)[codes] if len(codes) else objects([]) for name, texts in found.items()}


def _summaries(types: list, statuses: list, amounts: list[str], qualifiers: list, aggregates: list) -> list[str]:
    """``TYPE (STATUS[; AMOUNT USD QUALIFIER][; aggregate])`` of each relationship, as `network.formats.ftm._summary`."""
    out = []
    for kind, status, amount, qualifier, aggregate in zip(types, statuses, amounts, qualifiers, aggregates):
        text = str(status)
        if amount:
            text += f"; {amount} USD {qualifier or 'exact'}"
        if aggregate:
            text += "; aggregate"
        out.append(f"{kind} ({text})")
    return out


def _lines(part: pd.DataFrame, graph: InfluenceGraph, ftm_schema: Mapping[str, str], sources: Mapping[str, dict]) -> str:
    values: dict[str, list[Any]] = {name: _json_column(part[name]) for name in (
        "id", "type", "source", "target", "source_ids", "amount_qualifier", "status", "aggregate")}
    cache: dict[tuple, str] = {}
    kinds = []
    for kind_of_type, source, target in zip(values["type"], values["source"], values["target"]):
        key = (kind_of_type, ftm_schema.get(source), ftm_schema.get(target))
        kind = cache.get(key)
        if kind is None:
            kind = cache[key] = _relationship_kind(graph.schema, *key)
        kinds.append(kind)
    kinds_array = objects(kinds)
    amounts = objects(number_texts(part["amount_usd"]))
    paid = amounts.astype(bool)
    amount_list = np.full(len(part), "", dtype=object)
    amount_list[paid] = "[" + objects(list(map(encode_basestring, amounts[paid].tolist()))) + "]"
    currency = np.full(len(part), "", dtype=object)
    currency[paid] = '["USD"]'
    texts = {
        "source": "[" + objects([encode_basestring(_PREFIXES["entity"] + v) for v in values["source"]]) + "]",
        "target": "[" + objects([encode_basestring(_PREFIXES["entity"] + v) for v in values["target"]]) + "]",
        "startDate": _listed(cell_texts(part["start_date"])), "endDate": _listed(cell_texts(part["end_date"])),
        "role": _listed(cell_texts(part["role"])), "description": _listed(cell_texts(part["evidence"])),
        "status": _listed(cell_texts(part["status"])),
        "summary": "[" + objects(list(map(encode_basestring, _summaries(
            values["type"], values["status"], amounts.tolist(), values["amount_qualifier"], values["aggregate"])))) + "]",
        "amount": amount_list, "currency": currency, **_per_source_list(values["source_ids"], sources),
    }
    ids = objects([encode_basestring(_PREFIXES["relationship"] + v) for v in values["id"]])
    groups = {kind: np.flatnonzero(kinds_array == kind) for kind in sorted(set(kinds))}
    layouts = {kind: _properties(kind) for kind in groups}
    width = 4 + 2 * max((len(keys) for keys in layouts.values()), default=0)
    grid = np.full((len(part), width), "", dtype=object)
    for kind, rows in groups.items():
        grid[rows, 0], grid[rows, 1], grid[rows, 2] = '{"id": ', ids[rows], ', "properties": {'
        before = np.zeros(len(rows), dtype=bool)
        for column, (key, name) in enumerate(layouts[kind]):
            property_texts = texts[name][rows]
            filled = property_texts.astype(bool)
            heads = np.full(len(rows), "", dtype=object)
            heads[filled & before] = ", " + encode_basestring(key) + ": "
            heads[filled & ~before] = encode_basestring(key) + ": "
            grid[rows, 3 + 2 * column], grid[rows, 4 + 2 * column] = heads, property_texts
            before |= filled
        grid[rows, width - 1] = '}, "schema": ' + encode_basestring(kind) + "}\n"
    return "".join(grid.ravel().tolist())


def _properties(kind: str) -> list[tuple[str, str]]:
    """The properties of a relationship of FtM schema ``kind`` in key order: ``(property, its column of texts)``."""
    ends = FTM_EDGE_PROPERTIES[kind]
    payment = kind == "Payment"
    names = {ends[0]: "source", ends[1]: "target", "startDate": "startDate", "endDate": "endDate",
             "purpose" if payment else "role": "role", "summary": "summary", "description": "description",
             "proof": "proof", "sourceUrl": "sourceUrl", "publisher": "publisher"}
    if payment:
        names.update({"amount": "amount", "amountUsd": "amount", "currency": "currency"})
    else:
        names["status"] = "status"
    return sorted(names.items())
