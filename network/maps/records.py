"""Turn entity, edge, relationship and source tables into the records a map page embeds."""

from __future__ import annotations

import math
import re
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from network.maps.style import community_color, edge_widths, layer_color, node_sizes, type_color

__all__ = [
    "TYPE_LABELS",
    "METRIC_LABELS",
    "MONEY_FACTS",
    "NODE_SIZE_RANGE",
    "split_ids",
    "type_label",
    "clean_text",
    "clean_number",
    "format_amount",
    "format_metric",
    "year_of",
    "entity_records",
    "tie_records",
    "relationship_records",
    "source_records",
    "entity_vis_nodes",
    "tie_vis_edges",
]

TYPE_LABELS = {
    "person": "Person", "company": "Company", "platform": "Platform", "pac": "PAC",
    "campaign": "Campaign", "fund": "Fund", "government": "Government body",
    "organization": "Organization", "media": "Media outlet", "committee": "Committee (FEC)",
    "community": "Community",
}
"""How entity types are named in legends, filters and panels (others are title-cased)."""

METRIC_LABELS = {
    "pagerank": "PageRank", "strength_in": "Strength in", "strength_out": "Strength out",
    "betweenness": "Betweenness", "community": "Community",
}
MONEY_FACTS = {"given_usd": "Money given", "received_usd": "Money received", "pledged_usd": "Pledged"}
"""Node columns shown as money in the entity panel (from analysis.flows.flows_by_entity: aggregate rows not
added, pledges apart), when the node table has them."""
NODE_SIZE_RANGE = (10.0, 42.0)
"""Smallest and largest node radius in pixels (at zoom 1), whatever the metric's range."""
_QUALIFIER_WORDS = {"exact": "", "approx": "about ", "at_least": "at least ", "at_most": "at most "}
_DASHES_CONFLICT = [10, 6]
_DASHES_UNCONFIRMED = [2, 5]
_UNCONFIRMED = ("planned", "alleged")


def split_ids(value: Any) -> list[str]:
    """The parts of a ``;``-joined cell (a list passes through), stripped, empties dropped.

    Examples
    --------
    >>> split_ids("r1; r2;;"), split_ids(float("nan")), split_ids(["a", "b"])
    (['r1', 'r2'], [], ['a', 'b'])
    """
    if isinstance(value, (list, tuple)):
        return [str(part).strip() for part in value if str(part).strip()]
    text = clean_text(value)
    return [part.strip() for part in text.split(";") if part.strip()]


def clean_text(value: Any) -> str:
    """A cell as text: missing values (None, NaN, NA) become ``""``.

    Examples
    --------
    >>> clean_text(None), clean_text(float("nan")), clean_text(" Musk "), clean_text(3)
    ('', '', 'Musk', '3')
    """
    if isinstance(value, str):
        return value.strip()
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    return str(value).strip()


def clean_number(value: Any) -> float | None:
    """A cell as a finite float, or None when missing or not a number.

    Examples
    --------
    >>> clean_number("12.5"), clean_number(""), clean_number(float("nan")), clean_number(2)
    (12.5, None, None, 2.0)
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_amount(amount_usd: float | None, qualifier: str = "") -> str:
    """Dollars as people write them, with the amount's qualifier.

    Examples
    --------
    >>> format_amount(75000000.0), format_amount(1e8, "at_least"), format_amount(None)
    ('$75,000,000', 'at least $100,000,000', '')
    """
    if amount_usd is None:
        return ""
    words = _QUALIFIER_WORDS.get(qualifier, f"{qualifier} " if qualifier else "")
    return f"{words}${amount_usd:,.0f}"


def format_metric(value: float | None) -> str:
    """A metric value for a panel: whole numbers as such, others to 4 significant digits.

    Examples
    --------
    >>> format_metric(3.0), format_metric(0.123456), format_metric(None)
    ('3', '0.1235', '')
    """
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.4g}"


def year_of(text: str) -> int | None:
    """The year of a ``YYYY[-MM[-DD]]`` date, or None.

    Examples
    --------
    >>> year_of("2024-10-16"), year_of("2022"), year_of("")
    (2024, 2022, None)
    """
    match = re.match(r"^(\d{4})", text)
    return int(match.group(1)) if match else None


def type_label(entity_type: str) -> str:
    """The display name of an entity type."""
    return TYPE_LABELS.get(entity_type, entity_type.replace("_", " ").capitalize())


def _column(table: pd.DataFrame, name: str, default: Any = "") -> list[Any]:
    return table[name].tolist() if name in table.columns else [default] * len(table)



def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value) if clean_number(value) is not None or isinstance(value, bool) else False


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
    records: dict[str, dict[str, Any]] = {}
    communities = _column(nodes, "community", None)
    money = {label: _column(nodes, column, None) for column, label in MONEY_FACTS.items()}
    metric_values = {name: nodes[name].tolist() for name in metric_columns}
    for row, (entity_id, name, kind, name_ar, aliases, description) in enumerate(zip(
            nodes["id"], nodes["name"], nodes["type"], _column(nodes, "name_ar"),
            _column(nodes, "aliases"), _column(nodes, "description"))):
        community = clean_number(communities[row])
        facts = [["Type", type_label(clean_text(kind))]]
        if community is not None:
            facts.append(["Community", format_metric(community)])
        amounts = {label: clean_number(values[row]) for label, values in money.items()}
        if any(amounts.values()):  # money given and received, counted once, when the entity moved any
            facts += [[label, format_amount(float(value or 0.0))] for label, value in amounts.items()
                      if value is not None and (value or label != "Pledged")]
        facts += [[METRIC_LABELS.get(name, name), format_metric(clean_number(values[row]))]
                  for name, values in metric_values.items()]
        records[str(entity_id)] = {
            "name": clean_text(name), "nameAr": clean_text(name_ar), "aliases": split_ids(aliases),
            "type": clean_text(kind), "description": clean_text(description),
            "community": int(community) if community is not None else None, "facts": facts,
            "outside": int(outside_counts.get(str(entity_id), 0)),
        }
    return records


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
    records: dict[str, dict[str, Any]] = {}
    columns = [_column(edges, name, None) for name in (
        "source", "target", "layer", "types", "relationship_ids", "strength", "amount_usd", "stated_total_usd",
        "relationship_count", "first_date", "last_date", "directed", "status")]
    for tie_id, (source, target, layer, types, relationship_ids, strength, amount, stated, count,
                 first, last, directed, status) in zip(tie_ids, zip(*columns)):
        first, last = clean_text(first), clean_text(last)
        relationship_ids = split_ids(relationship_ids)
        count = clean_number(count)
        record = {
            "source": str(source), "target": str(target), "layers": [clean_text(layer)], "types": split_ids(types),
            "relationshipIds": relationship_ids, "strength": clean_number(strength),
            "relationshipCount": int(count) if count is not None else len(relationship_ids),
            "firstDate": first, "lastDate": last,
            "directed": True if directed is None else _truthy(directed), "status": clean_text(status),
        }
        for key, value in (("amountUsd", clean_number(amount)), ("statedTotalUsd", clean_number(stated))):
            if value is not None:
                record[key] = value
        records[tie_id] = record
    return records


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
    names = ("id", "source", "target", "type", "role", "amount_usd", "amount_qualifier", "start_date", "end_date",
             "status", "aggregate", "source_ids", "evidence")
    records = []
    for (rid, source, target, kind, role, amount, qualifier, start, end, status, aggregate, source_ids,
         evidence) in zip(*(_column(relationships, name) for name in names)):
        records.append({
            "id": clean_text(rid), "source": clean_text(source), "target": clean_text(target),
            "type": clean_text(kind), "role": clean_text(role),
            "amount": format_amount(clean_number(amount), clean_text(qualifier)),
            "startDate": clean_text(start), "endDate": clean_text(end), "status": clean_text(status),
            "aggregate": _truthy(aggregate), "sourceIds": split_ids(source_ids), "evidence": clean_text(evidence),
        })
    return records


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


def _label(name: str, name_ar: str, labels: str) -> str:
    if labels == "ar":
        return name_ar or name
    if labels == "both" and name_ar and name_ar != name:
        return f"{name}\n{name_ar}"
    return name


def entity_vis_nodes(nodes: pd.DataFrame, *, size_by: str, color_by: str, labels: str,
                     positions: Mapping[str, tuple[float, float]]) -> list[dict[str, Any]]:
    """vis-network node items: label, plain-text tooltip, bounded size, color, position.

    The color is one string: vis-network derives a darker border and lighter highlight from it.
    ``name`` is for the page, not vis-network (edge tooltips name their ends with it): None when
    the label already is the name.

    Examples
    --------
    >>> nodes = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "type": ["person", "pac"],
    ...                       "name_ar": ["أ", ""], "pagerank": [0.0, 1.0]})
    >>> items = entity_vis_nodes(nodes, size_by="pagerank", color_by="type", labels="both",
    ...                          positions={"a": (0.0, 0.0), "b": (10.0, 5.0)})
    >>> [(item["label"].splitlines(), item["size"]) for item in items]
    [(['A', 'أ'], 10.0), (['B'], 42.0)]
    """
    low, high = NODE_SIZE_RANGE
    metric = [clean_number(v) or 0.0 for v in nodes[size_by].tolist()]
    sizes = node_sizes(metric, low=low, high=high).tolist() if len(nodes) else []
    items = []
    for entity_id, name, kind, name_ar, community, size, value in zip(
            nodes["id"].tolist(), nodes["name"].tolist(), nodes["type"].tolist(), _column(nodes, "name_ar"),
            _column(nodes, "community", None), sizes, metric):
        name, name_ar, kind, community = clean_text(name), clean_text(name_ar), clean_text(kind), clean_number(community)
        if color_by == "community":
            color = community_color(int(community)) if community is not None else type_color("")
        else:
            color = type_color(kind)
        tooltip = [name, name_ar, f"{type_label(kind)} · {size_by} {format_metric(value)}"]
        x, y = positions[str(entity_id)]
        label = _label(name, name_ar, labels)
        items.append({
            "id": str(entity_id), "label": label, "name": None if name == label else name,
            "title": "\n".join(part for part in tooltip if part), "size": round(size, 2), "color": color,
            "font": {"size": round(14 + (size - low) * 0.25)}, "x": x, "y": y,
        })
    return items


def _translucent(color: str, opacity: float) -> str:
    """``#RRGGBB`` as an ``rgba()`` string (vis-network gives string colors full opacity).

    Examples
    --------
    >>> _translucent("#2E8B57", 0.45), _translucent("#2E8B57", 1.0)
    ('rgba(46,139,87,0.45)', '#2E8B57')
    """
    if opacity >= 1 or not re.match(r"^#[0-9A-Fa-f]{6}$", color):
        return color
    red, green, blue = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{opacity:g})"


def tie_vis_edges(edges: pd.DataFrame, tie_ids: Sequence[str], *,
                  opacity: float = 1.0, arrows_by_zoom: bool = False) -> list[dict[str, Any]]:
    """vis-network edge items: bounded width by strength, color by layer, dashes, arrows, plain-text tooltip.

    Directed edges get an arrow. With ``arrows_by_zoom`` they carry none themselves: the page
    switches arrows on for all edges when zoomed in (drawing 20,000 arrowheads costs 40% of a
    redraw and they are invisible from afar), so undirected edges opt out explicitly.

    The page composes each tooltip (vis-network's ``title``) from the names of the ends, an
    arrow when ``directed``, and ``tooltip``: layer and types, amount, status. Both ``directed``
    and ``tooltip`` are the page's, not vis-network's: most edges share their ``tooltip`` with
    many others, so the page stores it once per distinct text (`network.maps.page.as_columns`).

    Examples
    --------
    >>> edges = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "layer": ["money", "conflict"],
    ...                       "strength": [1.0, 9.0], "directed": [True, False], "amount_usd": [2e9, None]})
    >>> items = tie_vis_edges(edges, ["e0", "e1"])
    >>> [(e["width"], e.get("arrows"), e.get("dashes")) for e in items]
    [(1.0, 'to', None), (8.0, None, [10, 6])]
    >>> items[0]["directed"], items[0]["tooltip"].splitlines()
    (True, ['money', '$2,000,000,000'])
    """
    strengths = [clean_number(v) or 0.0 for v in edges["strength"].tolist()]
    widths = edge_widths(strengths).tolist() if len(edges) else []
    items = []
    for tie_id, source, target, layer, types, amount, status, directed, width in zip(
            tie_ids, edges["source"].tolist(), edges["target"].tolist(), edges["layer"].tolist(),
            _column(edges, "types"), _column(edges, "amount_usd", None), _column(edges, "status"),
            _column(edges, "directed", True), widths):
        layer, status, is_directed = clean_text(layer), clean_text(status), _truthy(directed)
        kinds = ", ".join(split_ids(types))
        tooltip = [f"{layer}: {kinds}" if kinds else layer, format_amount(clean_number(amount)), status]
        item = {"id": tie_id, "from": source, "to": target, "width": round(width, 2),
                "color": _translucent(layer_color(layer), opacity),
                "directed": is_directed, "tooltip": "\n".join(part for part in tooltip if part)}
        if layer == "conflict":
            item["dashes"] = _DASHES_CONFLICT
        elif status in _UNCONFIRMED:
            item["dashes"] = _DASHES_UNCONFIRMED
        if is_directed and not arrows_by_zoom:
            item["arrows"] = "to"
        elif not is_directed and arrows_by_zoom:
            item["arrows"] = {"to": {"enabled": False}}
        items.append(item)
    return items
