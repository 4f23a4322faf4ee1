"""vis-network's node and edge items of a map, column by column: labels, tooltips, sizes, colors, positions."""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

import pandas as pd

from network.maps.cells import (
    amount_texts, column_of, id_lists, metric_texts, numbers, texts, truths, type_label,
)
from network.maps.records import NODE_SIZE_RANGE, records_of
from network.maps.style import community_color, edge_widths, layer_color, node_sizes, type_color

__all__ = ["VIS_EDGE_OPTIONAL", "vis_node_columns", "entity_vis_nodes", "vis_edge_columns", "tie_vis_edges"]

VIS_EDGE_OPTIONAL = ("dashes", "arrows")
"""The fields of a vis-network edge item that it has only when set (None in `vis_edge_columns`)."""
_DASHES_CONFLICT = [10, 6]
_DASHES_UNCONFIRMED = [2, 5]
_UNCONFIRMED = ("planned", "alleged")
_NO_ARROW = {"to": {"enabled": False}}


def _label(name: str, name_ar: str, labels: str) -> str:
    if labels == "ar":
        return name_ar or name
    if labels == "both" and name_ar and name_ar != name:
        return f"{name}\n{name_ar}"
    return name


def vis_node_columns(nodes: pd.DataFrame, *, size_by: str, color_by: str, labels: str,
                     positions: Mapping[str, tuple[float, float]]) -> dict[str, list[Any]]:
    """Per field, the values of `entity_vis_nodes`."""
    low, high = NODE_SIZE_RANGE
    metric = [v or 0.0 for v in numbers(nodes[size_by].tolist())]
    sizes = node_sizes(metric, low=low, high=high).tolist() if len(nodes) else []
    ids = [str(entity_id) for entity_id in nodes["id"].tolist()]
    names, names_ar = texts(nodes["name"].tolist()), texts(column_of(nodes, "name_ar"))
    kinds = texts(nodes["type"].tolist())
    if color_by == "community":
        communities = numbers(column_of(nodes, "community", None))
        colors = [community_color(int(c)) if c is not None else type_color("") for c in communities]
    else:
        colors = [type_color(kind) for kind in kinds]
    kind_labels = {kind: type_label(kind) for kind in dict.fromkeys(kinds)}
    tooltips = [(f"{name}\n" if name else "") + (f"{name_ar}\n" if name_ar else "")
                + f"{kind_labels[kind]} · {size_by} {text}"
                for name, name_ar, kind, text in zip(names, names_ar, kinds, metric_texts(metric))]
    shown = [_label(name, name_ar, labels) for name, name_ar in zip(names, names_ar)]
    spots = [positions[entity_id] for entity_id in ids]
    return {
        "id": ids, "label": shown, "name": [None if name == label else name for name, label in zip(names, shown)],
        "title": tooltips, "size": [round(size, 2) for size in sizes], "color": colors,
        "font": [{"size": round(14 + (size - low) * 0.25)} for size in sizes],
        "x": [x for x, _ in spots], "y": [y for _, y in spots],
    }


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
    return records_of(vis_node_columns(nodes, size_by=size_by, color_by=color_by, labels=labels, positions=positions))


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


def vis_edge_columns(edges: pd.DataFrame, tie_ids: Sequence[str], *,
                     opacity: float = 1.0, arrows_by_zoom: bool = False) -> dict[str, list[Any]]:
    """Per field, the values of `tie_vis_edges`; the `VIS_EDGE_OPTIONAL` fields are None where an item lacks them."""
    strengths = [v or 0.0 for v in numbers(edges["strength"].tolist())]
    widths = edge_widths(strengths).tolist() if len(edges) else []
    layers, statuses = texts(edges["layer"].tolist()), texts(column_of(edges, "status"))
    directed = truths(column_of(edges, "directed", True))
    colors = {layer: _translucent(layer_color(layer), opacity) for layer in dict.fromkeys(layers)}
    amounts = amount_texts(numbers(column_of(edges, "amount_usd", None)), texts(column_of(edges, "amount_qualifier")))
    kinds = [", ".join(parts) for parts in id_lists(column_of(edges, "types"))]
    tooltips = ["\n".join([part for part in (f"{layer}: {kind}" if kind else layer, amount, status) if part])
                for layer, kind, amount, status in zip(layers, kinds, amounts, statuses)]
    dashes = [_DASHES_CONFLICT if layer == "conflict" else _DASHES_UNCONFIRMED if status in _UNCONFIRMED else None
              for layer, status in zip(layers, statuses)]
    if arrows_by_zoom:
        arrows = [None if is_directed else _NO_ARROW for is_directed in directed]
    else:
        arrows = ["to" if is_directed else None for is_directed in directed]
    return {
        "id": list(tie_ids), "from": edges["source"].tolist(), "to": edges["target"].tolist(),
        "width": [round(width, 2) for width in widths], "color": [colors[layer] for layer in layers],
        "directed": directed, "tooltip": tooltips, "dashes": dashes, "arrows": arrows,
    }


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
    return records_of(vis_edge_columns(edges, tie_ids, opacity=opacity, arrows_by_zoom=arrows_by_zoom),
                      optional=VIS_EDGE_OPTIONAL)
