"""Lay out a map, gather its legend and filters, write it as one HTML page around the vis-network files of pyvis."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import random
import secrets
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import igraph as ig
import jinja2
import numpy as np
from markupsafe import Markup

from network.maps.columns import as_columns, column_table, from_columns
from network.storage.files import atomic_path
from network.maps.records import type_label, year_of
from network.maps.style import LAYER_COLORS, community_color, layer_color, type_color

__all__ = [
    "PRECOMPUTED_LAYOUT_ABOVE",
    "VIS_NETWORK_VERSION",
    "amount_steps",
    "as_columns",
    "column_table",
    "from_columns",
    "page_controls",
    "controls_of_columns",
    "seeded_layout",
    "vis_options",
    "embed_json",
    "embed_json_pieces",
    "page_pieces",
    "render_page",
    "write_page",
]

PRECOMPUTED_LAYOUT_ABOVE = 500
"""Above this many entities the layout is computed in Python and the browser's physics stays off.

vis-network draws nothing until its physics has stabilized: from a random start that takes
about a minute for 1,000 entities in headless Chromium and many minutes for 5,000. Starting
from igraph's positions and stabilizing for 100 iterations, 500 entities draw in about 2 s
and 1,000 in about 4 s; with physics off, 5,000 draw in about 2 s (benchmarks/maps/RESULTS.md).
"""
VIS_NETWORK_VERSION = "9.1.2"
_SPACING_PX = 55.0
_TEMPLATES = Path(__file__).resolve().parent / "templates"
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def seeded_layout(ids: Sequence[str], pairs: Sequence[tuple[str, str]], *,
                  seed: int = 0) -> dict[str, tuple[float, float]]:
    """Seeded Fruchterman-Reingold positions in pixels, one ``(x, y)`` per entity id.

    Parameters
    ----------
    ids : sequence of str
        Every entity to place.
    pairs : sequence of (str, str)
        Ties between them, treated as undirected and unweighted (widths show strength).
    seed : int
        igraph gets its own ``random.Random(seed)`` for the run, so the same seed gives the
        same positions; Python's ``random`` module, igraph's default generator, is restored after.

    Notes
    -----
    Uses igraph's grid variant above 500 entities: 0.7 s for 5,000 entities where the
    exact variant takes over 30 s. Positions are centred on the median and scaled so that
    95% of entities lie within ``55 * sqrt(n) / 2`` pixels of the centre; entities that
    drifted further (isolated ones do) are pulled in onto a ring just outside. Rounded to 0.1 px.

    References
    ----------
    .. [1] T. M. J. Fruchterman and E. M. Reingold, "Graph drawing by force-directed
       placement", Software: Practice and Experience 21 (1991) 1129-1164.

    Examples
    --------
    >>> spots = seeded_layout(["a", "b", "c"], [("a", "b"), ("b", "c")], seed=3)
    >>> spots == seeded_layout(["a", "b", "c"], [("a", "b"), ("b", "c")], seed=3)
    True
    >>> sorted(spots)
    ['a', 'b', 'c']
    """
    if not ids:
        return {}
    index = {entity_id: i for i, entity_id in enumerate(ids)}
    edges = sorted({(index[s], index[t]) for s, t in pairs if s != t})
    key = (seed, tuple(ids), tuple(edges))
    if _LAST_LAYOUT and _LAST_LAYOUT[0] == key:  # GEXF and node-link JSON draw the same graph: lay it out once
        return dict(_LAST_LAYOUT[1])
    spots = _layout(ids, edges, seed)
    _LAST_LAYOUT[:] = [key, spots]
    return dict(spots)


_LAST_LAYOUT: list = []
"""The key (seed, ids, edges) and positions of the last `seeded_layout`: the same inputs give the same positions."""


def _layout(ids: Sequence[str], edges: list[tuple[int, int]], seed: int) -> dict[str, tuple[float, float]]:
    graph = ig.Graph(n=len(ids), edges=edges)
    ig.set_random_number_generator(random.Random(seed))
    try:
        coords = np.array(graph.layout_fruchterman_reingold(grid=len(ids) > 500).coords, dtype=float)
    finally:
        ig.set_random_number_generator(random)
    coords -= np.median(coords, axis=0)
    radius = np.hypot(coords[:, 0], coords[:, 1])
    extent = float(np.quantile(radius, 0.95) if len(ids) > 50 else radius.max()) or 1.0
    stray = radius > 1.1 * extent  # isolated entities drift far away: bring them back to a ring
    coords[stray] *= (1.1 * extent / radius[stray])[:, None]
    coords *= _SPACING_PX * np.sqrt(len(ids)) / 2 / extent
    return {entity_id: (round(float(x), 1), round(float(y), 1)) for entity_id, (x, y) in zip(ids, coords)}


def vis_options(*, physics: bool, seed: int, large: bool, entity_count: int = 0,
                spring_length: float = 110.0) -> dict[str, Any]:
    """vis-network options: physics on for small maps; straight edges and no physics for large ones.

    Large maps also draw nodes without borders: stroking thousands of circles doubles a redraw.

    Physics starts from `seeded_layout` positions, so it stabilizes in few iterations: 300 for
    up to 100 entities, falling to 100 from 300 entities (about constant work).

    Examples
    --------
    >>> vis_options(physics=False, seed=0, large=True)["edges"]["smooth"]
    False
    >>> vis_options(physics=True, seed=0, large=False, entity_count=67)["physics"]["stabilization"]["iterations"]
    300
    """
    iterations = max(100, min(300, 30000 // max(entity_count, 1)))
    return {
        "autoResize": True,
        "layout": {"randomSeed": seed, "improvedLayout": False},
        "physics": {
            "enabled": physics, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80 * spring_length / 110, "centralGravity": 0.01,
                                 "springLength": spring_length, "springConstant": 0.06, "avoidOverlap": 0.5},
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
            "minVelocity": 1.5, "timestep": 0.4,
        },
        "nodes": {"shape": "dot", "borderWidth": 0 if large else 1.5, "borderWidthSelected": 3,
                  "font": {"face": "system-ui, 'Noto Sans', 'DejaVu Sans', sans-serif", "color": "#1f2328",
                           "strokeWidth": 4, "strokeColor": "#ffffff"}},
        "edges": {"smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.35},
                  "selectionWidth": 1.5, "hoverWidth": 0.5, "arrowStrikethrough": False,
                  "arrows": {"to": {"enabled": False, "scaleFactor": 0.55}},
                  "color": {"inherit": False}},
        "interaction": {"hover": not large, "tooltipDelay": 150, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "navigationButtons": False,
                        "keyboard": {"enabled": False}, "multiselect": False},
    }


def amount_steps(max_amount_usd: float | None) -> list[float]:
    """Thresholds for the minimum-amount slider: 0, then powers of ten up to the largest amount.

    Examples
    --------
    >>> amount_steps(2.5e6)
    [0, 1000, 10000, 100000, 1000000]
    >>> amount_steps(None)
    []
    """
    if not max_amount_usd or max_amount_usd < 1000:
        return []
    return [0] + [10 ** k for k in range(3, int(math.log10(max_amount_usd)) + 1)]


def page_controls(entities: Mapping[str, Mapping[str, Any]], ties: Mapping[str, Mapping[str, Any]], *,
                  color_by: str, notes: Sequence[str], legend_limit: int = 12) -> dict[str, Any]:
    """The legend and the filter choices of a page, with counts, from its entity and edge records.

    Examples
    --------
    >>> entities = {"a": {"type": "person", "community": 1}, "b": {"type": "pac", "community": 1}}
    >>> ties = {"e0": {"layers": ["money"], "types": ["donation"], "amountUsd": 2e6,
    ...                "firstDate": "2024-01", "lastDate": ""}}
    >>> controls = page_controls(entities, ties, color_by="type", notes=[])
    >>> controls["filters"]["amountSteps"], controls["filters"]["years"]
    ([0, 1000, 10000, 100000, 1000000], [2024, 2024])
    """
    entity_columns = {name: [entity.get(name, default) for entity in entities.values()]
                      for name, default in (("type", None), ("community", None), ("memberCount", 1))}
    tie_columns = {name: [tie.get(name) for tie in ties.values()]
                   for name in ("layers", "types", "amountUsd", "statedTotalUsd", "firstDate", "lastDate")}
    return controls_of_columns(entity_columns, tie_columns, color_by=color_by, notes=notes, legend_limit=legend_limit)


def controls_of_columns(entities: Mapping[str, list[Any]], ties: Mapping[str, list[Any]], *,
                        color_by: str, notes: Sequence[str], legend_limit: int = 12) -> dict[str, Any]:
    """`page_controls` from columns: the entities' ``type`` and ``community`` (and ``memberCount``, 1 when
    absent); the ties' ``layers``, ``types``, ``amountUsd``, ``statedTotalUsd`` (None when unknown),
    ``firstDate`` and ``lastDate``."""
    types = Counter(entities["type"])
    layers = Counter(layer for listed in ties["layers"] for layer in listed)
    kinds = Counter(kind for listed in ties["types"] for kind in listed)
    layer_order = {layer: i for i, layer in enumerate(LAYER_COLORS)}
    type_items = [{"key": key, "label": type_label(key), "count": count,
                   "color": type_color(key) if color_by == "type" else None}
                  for key, count in sorted(types.items(), key=lambda item: (-item[1], item[0]))]
    layer_items = [{"key": key, "label": key, "count": count, "color": layer_color(key)}
                   for key, count in sorted(layers.items(), key=lambda item: (layer_order.get(item[0], 99), item[0]))]
    more = ""
    if color_by == "community":
        members: Counter = Counter()
        for community, count in zip(entities["community"], entities.get("memberCount") or [1] * len(entities["type"])):
            if community is not None:
                members[community] += count
        numbers = sorted(members)
        legend_nodes = [{"label": f"Community {n}", "color": community_color(n), "count": members[n]}
                        for n in numbers[:legend_limit]]
        if len(numbers) > legend_limit:
            more = f"and {len(numbers) - legend_limit} more communities (colors repeat)"
    else:
        legend_nodes = [{"label": item["label"], "color": item["color"], "count": item["count"]} for item in type_items]
    amounts = [a for a in (*ties["amountUsd"], *ties["statedTotalUsd"]) if a is not None]
    dates = dict.fromkeys((*ties["firstDate"], *ties["lastDate"]))
    years = [year for year in map(year_of, dates) if year is not None]
    return {
        "legend": {"nodeTitle": "Communities (node color)" if color_by == "community" else "Entity types (node color)",
                   "nodes": legend_nodes, "more": more, "layers": layer_items, "notes": list(notes)},
        "filters": {"types": type_items, "layers": layer_items,
                    "relationshipTypes": [{"key": key, "label": key, "count": count} for key, count in sorted(kinds.items())],
                    "amountSteps": amount_steps(max(amounts) if amounts else None),
                    "years": [min(years), max(years)] if years else None},
        "typeLabels": {key: type_label(key) for key in types},
    }


def embed_json(value: Any) -> str:
    """JSON text safe to place inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` (and the line separators U+2028/9) are written as ``\\uXXXX``
    escapes, so no string in the data can close the script element; ``JSON.parse``
    reads them back unchanged. NaN is refused: missing values must be None.

    Examples
    --------
    >>> embed_json({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for character, escape in _SCRIPT_ESCAPES.items():
        text = text.replace(character, escape)
    return text


def embed_json_pieces(value: Any) -> list[str]:
    """`embed_json` of ``value`` in pieces whose concatenation is the same text: a mapping with text keys is cut
    into its items (two levels deep), so that no piece is the size of a whole map's data.

    The escapes replace single characters, so escaping piece by piece gives the same characters.

    Examples
    --------
    >>> value = {"a": {"b": [1, "<"], "c": None}, "d": "&"}
    >>> "".join(embed_json_pieces(value)) == embed_json(value), len(embed_json_pieces(value)) > 1
    (True, True)
    """
    return list(_json_pieces(value, depth=2))


def _json_pieces(value: Any, *, depth: int):
    if depth == 0 or not isinstance(value, Mapping) or not value or not all(isinstance(k, str) for k in value):
        yield embed_json(value)
        return
    for number, (key, item) in enumerate(value.items()):
        yield ("{" if number == 0 else ",") + embed_json(key) + ":"
        yield from _json_pieces(item, depth=depth - 1)
    yield "}"


def _asset(path: str) -> str:
    if path.startswith("pyvis:"):
        resource = resources.files("pyvis").joinpath(f"templates/lib/vis-{VIS_NETWORK_VERSION}", path[6:])
        return resource.read_text(encoding="utf-8")
    return (_TEMPLATES / path).read_text(encoding="utf-8")


def _script_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def render_page(*, title: str, data: Mapping[str, Any], details: Mapping[str, Any],
                header: Mapping[str, Any]) -> str:
    """The HTML page: our template (autoescaped) around the inlined vis-network files and the data.

    Parameters
    ----------
    title : str
        Shown in the tab and the header (escaped).
    data : mapping
        What the page script needs to draw (see ``network/maps/templates/map.js``): vis-network items
        (as `as_columns` tables) and options, legend, filters. Embedded with `embed_json`.
    details : mapping
        What panels, search and filters need (entities, ties, relationships, sources): a second
        JSON block that the page parses on first use, off the path to the first drawing.
    header : mapping
        ``counts`` and ``parameters`` (lists of ``[label, value]``) and ``provenance`` (a mapping
        or None), rendered in the header.

    Notes
    -----
    A Content-Security-Policy meta tag allows only the two inline scripts (by hash) and
    inline styles, and forbids every fetch, so even a bug that let markup into the page
    could neither run it nor load anything.
    """
    return "".join(page_pieces(title=title, data=data, details=details, header=header))


def page_pieces(*, title: str, data: Mapping[str, Any], details: Mapping[str, Any],
                header: Mapping[str, Any]) -> Iterator[str]:
    """`render_page` as pieces, made one at a time, that join to the same text: the data's JSON cut into its
    items (`embed_json_pieces`), so that a page of hundreds of megabytes is never held as one string.

    The template is rendered with a random marker where each JSON block goes, then cut there; a page in
    which the marker is found elsewhere too (it cannot come from data by chance) is rendered whole.
    """
    marker = "\ue000" + secrets.token_hex(16) + "\ue000"
    page = _rendered_template(title, header, marker + "data" + marker, marker + "details" + marker)
    cut = page.split(marker)
    if len(cut) != 5 or cut[1:4:2] != ["data", "details"]:  # the marker met elsewhere too: no cutting
        yield _rendered_template(title, header, embed_json(data), embed_json(details))
        return
    yield cut[0]
    yield from _json_pieces(data, depth=2)
    yield cut[2]
    yield from _json_pieces(details, depth=2)
    yield cut[4]


def _rendered_template(title: str, header: Mapping[str, Any], data_json: str, details_json: str) -> str:
    scripts = [_asset("pyvis:vis-network.min.js"), _asset("map.js")]
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    template = environment.get_template("map.html.j2")
    return template.render(
        title=title, header=header,
        vis_css=Markup(_asset("pyvis:vis-network.css")),
        page_css=Markup(_asset("map.css")),
        vis_js=Markup(scripts[0]),
        page_js=Markup(scripts[1]),
        script_hashes=" ".join(_script_hash(script) for script in scripts),
        data_json=Markup(data_json),
        details_json=Markup(details_json),
    )


def write_page(html: str | Iterable[str], path: str | Path) -> Path:
    """Write ``html`` (a text, or the pieces of one, encoded one at a time) to a temporary file beside ``path``,
    then rename it onto ``path``.

    A failure while writing leaves ``path`` as it was and no temporary file behind
    (`network.storage.files.atomic_path`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = write_page("<p>map</p>", Path(folder) / "map.html")
    ...     print(written.read_text(), sorted(p.name for p in Path(folder).iterdir()))
    <p>map</p> ['map.html']
    """
    path = Path(path)
    with atomic_path(path) as temporary:
        with temporary.open("wb") as out:
            for piece in [html] if isinstance(html, str) else html:
                out.write(piece.encode("utf-8"))
    return path
