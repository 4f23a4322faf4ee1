"""Interactive HTML maps of influence networks: one self-contained, offline, reproducible file each."""

from __future__ import annotations

from collections import Counter
from itertools import chain
from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from network.maps.cells import id_lists
from network.maps.columns import collection_paused
from network.maps.page import (
    PRECOMPUTED_LAYOUT_ABOVE, as_columns, column_table, controls_of_columns, page_controls, page_pieces,
    seeded_layout, vis_options, write_page,
)
from network.maps.records import (
    NODE_SIZE_RANGE, TIE_OPTIONAL, clean_number, clean_text, entity_columns, entity_records, relationship_columns,
    source_records, split_ids, tie_columns, tie_records,
)
from network.maps.vis_items import VIS_EDGE_OPTIONAL, entity_vis_nodes, tie_vis_edges, vis_edge_columns, vis_node_columns

__all__ = [
    "SIZE_METRICS",
    "COLOR_CHOICES",
    "LABEL_CHOICES",
    "PRECOMPUTED_LAYOUT_ABOVE",
    "MapTooLargeError",
    "render_map",
    "render_overview",
]

SIZE_METRICS = ("pagerank", "strength_in", "strength_out", "betweenness")
"""The usual ``size_by`` metrics; any other numeric column of ``nodes`` works too."""
COLOR_CHOICES = ("type", "community")
LABEL_CHOICES = ("en", "ar", "both")
_NOT_METRICS = ("community", "x", "y")
_MEMBERS_LISTED = 40
ARROWS_FROM_SCALE = 0.4
"""On maps with a precomputed layout, arrowheads are drawn only from this zoom level up."""


class MapTooLargeError(ValueError):
    """A map would hold more entities than a browser can lay out and draw responsively."""

    def __init__(self, entity_count: int, max_entities: int) -> None:
        super().__init__(
            f"the map would draw {entity_count} entities, more than max_entities={max_entities}. "
            "Draw part of the network instead: --top N (the N highest-ranked entities), "
            "--ego ENTITY (one entity and its neighbours), --community N (one community), "
            "or --overview (one node per community).")
        self.entity_count, self.max_entities = entity_count, max_entities


def _check_choice(name: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise ValueError(f"unknown {name} {value!r}; expected one of: {', '.join(choices)}")


def _require_columns(table: pd.DataFrame, name: str, columns: Sequence[str]) -> None:
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {', '.join(missing)}; it has: {', '.join(map(str, table.columns))}")


def _metric_columns(nodes: pd.DataFrame) -> list[str]:
    numeric = [str(c) for c in nodes.columns if c not in _NOT_METRICS and not str(c).endswith("_usd")
               and pd.api.types.is_numeric_dtype(nodes[c])
               and not pd.api.types.is_bool_dtype(nodes[c])]
    return [m for m in SIZE_METRICS if m in numeric] + [c for c in numeric if c not in SIZE_METRICS]


def _checked_tables(nodes: pd.DataFrame, edges: pd.DataFrame, max_entities: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sorted copies of nodes and edges, after checking columns, ids, ends and size."""
    _require_columns(nodes, "nodes", ("id", "name", "type"))
    _require_columns(edges, "edges", ("source", "target", "layer", "strength"))
    if len(nodes) > max_entities:
        raise MapTooLargeError(len(nodes), max_entities)
    ids = nodes["id"].astype(str)
    repeated = sorted(ids[ids.duplicated()].unique())
    if repeated:
        raise ValueError(f"nodes repeats the id(s) {', '.join(repeated[:5])}")
    known = set(ids)
    unknown = sorted({str(e) for e in pd.concat([edges["source"], edges["target"]]) if str(e) not in known})
    if unknown:
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise ValueError(f"edges refer to entities missing from nodes: {', '.join(unknown[:5])}{more}; "
                         "pass the edges among the drawn entities only")
    nodes = nodes.assign(id=ids).sort_values("id", kind="stable").reset_index(drop=True)
    edges = edges.assign(source=edges["source"].astype(str), target=edges["target"].astype(str))
    edges = edges.sort_values(["source", "target", "layer"], kind="stable").reset_index(drop=True)
    return nodes, edges


def _header(title_counts: list[list[Any]], parameters: list[list[Any]],
            provenance: Mapping[str, Any] | None) -> dict[str, Any]:
    versions = (provenance or {}).get("versions")
    if isinstance(versions, Mapping) and versions.get("influence-network"):
        parameters = [*parameters, ["made with", f"influence-network {versions['influence-network']}"]]
    return {"counts": title_counts, "parameters": parameters, "provenance": dict(provenance) if provenance else None}


def _write_map(path: str | Path, *, title: str, kind: str, vis_nodes: dict[str, Any], vis_edges: dict[str, Any],
               entities: dict[str, Any], ties: dict[str, Any], relationships: dict[str, Any], sources: dict[str, Any],
               controls: dict[str, Any], labels: str, color_by: str, header: dict[str, Any], seed: int,
               nouns: tuple[str, str]) -> Path:
    """Write the page; the items, entities, ties and relationships come as `as_columns` tables."""
    large = vis_nodes["count"] > PRECOMPUTED_LAYOUT_ABOVE
    options = vis_options(physics=not large, seed=seed, large=large, entity_count=vis_nodes["count"],
                          spring_length=220.0 if kind == "overview" else 110.0)
    vis = {"options": options, "nodes": vis_nodes, "edges": vis_edges}
    layout = (f"igraph Fruchterman-Reingold, precomputed (seed {seed}), physics off" if large
              else f"igraph Fruchterman-Reingold start (seed {seed}), vis-network physics")
    header = {**header, "parameters": [*header["parameters"], ["layout", layout]]}
    data = {
        "kind": kind, "labels": labels, "colorBy": color_by, "physics": not large, "nouns": list(nouns),
        "physicsNote": (f"Off: above {PRECOMPUTED_LAYOUT_ABOVE} entities positions are precomputed; "
                        "turning physics on may freeze the page." if large else ""),
        "arrowsFromScale": ARROWS_FROM_SCALE if large else None,
        "vis": vis, **controls,
    }
    details = {"entities": entities, "ties": ties, "relationships": relationships, "sources": sources}
    return write_page(page_pieces(title=title, data=data, details=details, header=header), path)


def render_map(
    nodes: pd.DataFrame, edges: pd.DataFrame, relationships: pd.DataFrame, sources: pd.DataFrame,
    path: str | Path, *, size_by: str = "pagerank", color_by: str = "type", labels: str = "en",
    title: str = "Influence map", provenance: Mapping[str, Any] | None = None, seed: int = 0,
    max_entities: int = 20000,
) -> Path:
    """Write an interactive map of entities and their edges as one self-contained HTML file.

    The page inlines vis-network 9.1.2 (from the installed pyvis package) and the data, and
    loads nothing from the network. It has a legend, search over names and aliases (Arabic
    included), filters by entity type, layer, relationship type, minimum amount and years,
    neighbourhood highlight, a physics switch, and a side panel listing every relationship
    of the selected entity or edge with amount, dates, status, role, evidence and sources.

    Parameters
    ----------
    nodes : pd.DataFrame
        One row per entity: ``id, name, type`` and optionally ``name_ar, aliases`` (``;``-separated),
        ``description``, ``community`` and metric columns (``pagerank, strength_in, strength_out,
        betweenness``; other numeric columns are shown in the panel too).
    edges : pd.DataFrame
        One row per graph edge between entities of ``nodes``: ``source, target, layer, strength``
        and optionally ``types, relationship_ids, source_ids`` (``;``-joined), ``amount_usd,
        stated_total_usd, relationship_count, first_date, last_date, directed, status``.
    relationships, sources : pd.DataFrame
        The relationship rows and sources behind the edges (the rows no edge names are left out).
    path : str or Path
        The file to write: written to a temporary file beside it, then renamed onto it.
    size_by : str
        Numeric column of ``nodes`` that sizes the nodes (square-root scaled into 10-42 px).
    color_by : {"type", "community"}
    labels : {"en", "ar", "both"}
        Node labels in English, Arabic (English when there is none) or both.
    title : str
    provenance : mapping, optional
        Tool version, input hashes, parameters..., shown in the header.
    seed : int
        Seeds the layout; the same inputs and seed give a byte-identical file.
    max_entities : int
        Refuse larger maps (`MapTooLargeError`).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ValueError
        For an unknown ``size_by``, ``color_by`` or ``labels``, a missing column, a repeated id,
        or an edge whose end is not in ``nodes``.
    MapTooLargeError
        If ``nodes`` has more than ``max_entities`` rows.

    Notes
    -----
    Above `PRECOMPUTED_LAYOUT_ABOVE` entities, positions come from a seeded igraph layout, physics
    is off and edges are straight: vis-network's physics cannot settle thousands of nodes in a
    browser (see benchmarks/maps/RESULTS.md). Smaller maps start from the same layout and let
    vis-network's physics (seeded) finish it.

    Examples
    --------
    >>> import tempfile
    >>> nodes = pd.DataFrame({"id": ["musk", "pac"], "name": ["Elon Musk", "America PAC"],
    ...                       "type": ["person", "pac"], "pagerank": [0.3, 0.7]})
    >>> edges = pd.DataFrame({"source": ["musk"], "target": ["pac"], "layer": ["money"],
    ...                       "strength": [3.0], "relationship_ids": ["r1"]})
    >>> relationships = pd.DataFrame({"id": ["r1"], "source": ["musk"], "target": ["pac"],
    ...                               "type": ["donation"], "amount_usd": [75e6], "source_ids": ["s1"]})
    >>> sources = pd.DataFrame({"id": ["s1"], "publisher": ["FEC"], "title": ["Filing"]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = render_map(nodes, edges, relationships, sources, Path(folder) / "map.html")
    ...     html = written.read_text(encoding="utf-8")
    >>> written.name, "$75,000,000" in html, "https://" in html.split("<script>")[0]
    ('map.html', True, False)
    """
    _check_choice("color_by", color_by, COLOR_CHOICES)
    _check_choice("labels", labels, LABEL_CHOICES)
    _require_columns(nodes, "nodes", ("id", "name", "type"))
    metrics = _metric_columns(nodes)
    if size_by not in metrics:
        raise ValueError(f"unknown size_by {size_by!r}; expected a numeric column of nodes: {', '.join(metrics) or 'none'}")
    if color_by == "community" and "community" not in nodes.columns:
        raise ValueError("color_by='community' needs a community column in nodes")
    nodes, edges = _checked_tables(nodes, edges, max_entities)
    with collection_paused():  # no cycles among the many small records: see collection_paused
        ids = nodes["id"].tolist()
        tie_ids = [f"e{i}" for i in range(len(edges))]
        ties = tie_columns(edges)
        on_map = set(chain.from_iterable(ties["relationshipIds"]))
        _require_columns(relationships, "relationships", ("id", "source", "target", "type"))
        table = relationships.assign(id=relationships["id"].astype(str)).sort_values("id", kind="stable")
        drawn = table["id"].isin(on_map).to_numpy()
        outside = _end_counts(table[~drawn])
        positions = seeded_layout(ids, list(zip(edges["source"], edges["target"])), seed=seed)
        vis_nodes = vis_node_columns(nodes, size_by=size_by, color_by=color_by, labels=labels, positions=positions)
        large = len(ids) > PRECOMPUTED_LAYOUT_ABOVE
        vis_edges = vis_edge_columns(edges, tie_ids, opacity=0.45 if large else 1.0, arrows_by_zoom=large)
        records = relationship_columns(table[drawn])
        wanted = set(chain.from_iterable(records["sourceIds"]))
        wanted |= set(chain.from_iterable(id_lists(edges["source_ids"].tolist() if "source_ids" in edges.columns else [])))
        _require_columns(sources, "sources", ("id",))
        sources_on_map = source_records(sources.sort_values("id", kind="stable"), wanted)
        relationship_count = int(drawn.sum())
        header = _header(
            [["entities", len(ids)], ["edges", len(edges)], ["relationships", relationship_count],
             ["sources", len(sources_on_map)]],
            [["size", size_by], ["color", color_by], ["labels", labels], ["seed", seed]], provenance)
        entity_ids, entities = entity_columns(nodes, metrics, outside)
        controls = controls_of_columns(
            entities, ties, color_by=color_by,
            notes=[f"Node size: {size_by} ({NODE_SIZE_RANGE[0]:.0f}-{NODE_SIZE_RANGE[1]:.0f} px)",
                   "Edge width: strength (1-8 px)",
                   "Arrow: the direction influence flows" + (f" (drawn from zoom {ARROWS_FROM_SCALE:g} up)" if large else "")])
        return _write_map(
            path, title=title, kind="entities",
            vis_nodes=column_table(vis_nodes, count=len(ids)),
            vis_edges=column_table(vis_edges, count=len(edges), optional=VIS_EDGE_OPTIONAL),
            entities=column_table(entities, count=len(ids), ids=entity_ids),
            ties=column_table(ties, count=len(edges), ids=tie_ids, optional=TIE_OPTIONAL),
            relationships=column_table(records, count=relationship_count), sources=sources_on_map,
            controls=controls, labels=labels, color_by=color_by, header=header, seed=seed, nouns=("entities", "edges"))


def _end_counts(relationships: pd.DataFrame) -> Counter:
    """How many of ``relationships`` each entity is an end of (a relationship from an entity to itself once)."""
    sources = [str(v) for v in relationships["source"].tolist()]
    targets = [str(v) for v in relationships["target"].tolist()]
    return Counter(chain(sources, (target for source, target in zip(sources, targets) if target != source)))


def _community_tables(nodes: pd.DataFrame, edges: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per community (members, internal edges and strength) and one per pair of communities."""
    numbers = [clean_number(c) for c in nodes["community"]]
    if any(n is None or not n.is_integer() for n in numbers):
        raise ValueError("every entity needs a whole community number for an overview")
    community_of = dict(zip(nodes["id"], (int(n) for n in numbers)))
    pagerank = nodes["pagerank"] if "pagerank" in nodes.columns else pd.Series(0.0, index=nodes.index)
    ranked = nodes.assign(community=[int(n) for n in numbers], _rank=pagerank.fillna(0.0))
    ranked = ranked.sort_values(["_rank", "id"], ascending=[False, True])
    ends = [(community_of[s], community_of[t]) for s, t in zip(edges["source"], edges["target"])]
    internal = edges.assign(_community=[a for a, _ in ends])[[a == b for a, b in ends]]
    rows = []
    for number, group in ranked.groupby("community", sort=True):
        inside = internal[internal["_community"] == number]
        rows.append({"id": f"community-{int(number)}", "name": f"Community {int(number)}", "type": "community",
                     "name_ar": "", "aliases": ";".join(clean_text(n) for n in group["name"]),
                     "community": int(number), "members": float(len(group)),
                     "internal_edges": float(len(inside)), "internal_strength": float(inside["strength"].sum()),
                     "_members": [[m, clean_text(n), clean_text(k)] for m, n, k in
                                  zip(group["id"], group["name"], group["type"])]})
    between: dict[tuple[int, int], dict[str, Any]] = {}
    for row, (a, b) in zip(edges.itertuples(), (sorted(pair) for pair in ends)):
        if a == b:
            continue
        pair = between.setdefault((a, b), {"strength": 0.0, "count": 0, "amount": [], "layers": Counter(),
                                           "types": set(), "dates": []})
        pair["strength"] += float(row.strength)
        pair["count"] += int(clean_number(getattr(row, "relationship_count", 1)) or 1)
        pair["layers"][clean_text(row.layer)] += float(row.strength)
        pair["types"].update(split_ids(getattr(row, "types", "")))
        amount = clean_number(getattr(row, "amount_usd", None))
        if amount is not None:
            pair["amount"].append(amount)
        pair["dates"] += [d for d in (clean_text(getattr(row, "first_date", "")), clean_text(getattr(row, "last_date", ""))) if d]
    pairs = [{"source": f"community-{a}", "target": f"community-{b}",
              "layer": min(p["layers"].items(), key=lambda item: (-item[1], item[0]))[0],
              "layers": sorted(p["layers"].items(), key=lambda item: (-item[1], item[0])),
              "types": ";".join(sorted(p["types"])), "strength": p["strength"], "relationship_count": p["count"],
              "amount_usd": sum(p["amount"]) if p["amount"] else float("nan"), "directed": False,
              "first_date": min(p["dates"]) if p["dates"] else "", "last_date": max(p["dates"]) if p["dates"] else ""}
             for (a, b), p in sorted(between.items())]
    community_columns = ["id", "name", "type", "name_ar", "aliases", "community", "members", "internal_edges",
                         "internal_strength", "_members"]
    return pd.DataFrame(rows, columns=community_columns), pd.DataFrame(pairs, columns=["source", "target", "layer", "layers", "types", "strength",
                                                            "relationship_count", "amount_usd", "directed",
                                                            "first_date", "last_date"])


def render_overview(
    nodes: pd.DataFrame, edges: pd.DataFrame, path: str | Path, *,
    title: str = "Influence map: communities", provenance: Mapping[str, Any] | None = None, seed: int = 0,
) -> Path:
    """Write a map with one node per community, sized by members, joined by summed strength.

    Parameters
    ----------
    nodes : pd.DataFrame
        One row per entity with ``id, name, type, community`` (and ``pagerank``, to rank members).
    edges : pd.DataFrame
        ``source, target, layer, strength`` (and ``types, amount_usd, first_date, last_date``).
        Edges inside a community add to its internal strength; the others are summed per pair of
        communities, in both directions, into one undirected edge colored by its strongest layer.
    path, title, provenance, seed
        As for `render_map`.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> nodes = pd.DataFrame({"id": ["a", "b", "c"], "name": ["A", "B", "C"],
    ...                       "type": ["person", "pac", "person"], "community": [1, 1, 2]})
    >>> edges = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "layer": ["money", "access"],
    ...                       "strength": [3.0, 1.0]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     html = render_overview(nodes, edges, Path(folder) / "overview.html").read_text(encoding="utf-8")
    >>> "Community 2" in html
    True
    """
    _require_columns(nodes, "nodes", ("id", "name", "type", "community"))
    nodes, edges = _checked_tables(nodes, edges, max_entities=len(nodes))
    communities, pairs = _community_tables(nodes, edges)
    ids = communities["id"].tolist()
    tie_ids = [f"e{i}" for i in range(len(pairs))]
    names = dict(zip(ids, communities["name"]))
    positions = seeded_layout(ids, list(zip(pairs["source"], pairs["target"])), seed=seed)
    vis_nodes = entity_vis_nodes(communities, size_by="members", color_by="community", labels="en", positions=positions)
    entities = entity_records(communities, ["members", "internal_edges", "internal_strength"], {})
    for item, members in zip(vis_nodes, communities["_members"]):
        item.update(label=f"{names[item['id']]} ({len(members)})\n{members[0][1]}", name=names[item["id"]])
        entities[item["id"]].update(members=members[:_MEMBERS_LISTED], memberCount=len(members))
    ties = tie_records(pairs, tie_ids)
    for tie_id, layers in zip(tie_ids, pairs["layers"]):
        ties[tie_id].update(layers=[layer for layer, _ in layers],
                            layerStrengths=[[layer, round(value, 6)] for layer, value in layers])
    header = _header([["communities", len(ids)], ["entities", len(nodes)], ["edges between communities", len(pairs)]],
                     [["size", "members"], ["color", "community"], ["seed", seed]], provenance)
    return _write_map(
        path, title=title, kind="overview", vis_nodes=as_columns(vis_nodes),
        vis_edges=as_columns(tie_vis_edges(pairs, tie_ids)), entities=as_columns(entities), ties=as_columns(ties),
        relationships=as_columns([]), sources={},
        controls=page_controls(entities, ties, color_by="community",
                               notes=["Node size: members", "Edge width: summed strength between two communities (1-8 px)",
                                      "Edge color: the strongest layer between them"]),
        labels="en", color_by="community", header=header, seed=seed, nouns=("communities", "edges"))
