"""Find an entity from its id, name or any alias, in English or Arabic."""

from __future__ import annotations

import difflib

import pandas as pd

from network.contract.names import normalize_name, swapped_name
from network.errors import UnknownEntityError
from network.graph import InfluenceGraph

__all__ = ["normalize_name", "name_table", "resolve_entity"]


def name_table(graph: InfluenceGraph) -> pd.DataFrame:
    """Every way an entity can be named: its id, name, Arabic name and aliases.

    Parameters
    ----------
    graph : InfluenceGraph

    Returns
    -------
    pd.DataFrame
        One row per (entity, written form): ``key`` (the `normalize_name`
        form), ``id``, ``name``, ``type``, ``field`` (``id``, ``name``,
        ``name_ar`` or ``alias``) and ``written`` (the form as written),
        sorted by key, id and field, without repeated (key, id) pairs.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("fund", "pac", 2.0)])
    >>> name_table(graph)[["key", "id", "field"]].values.tolist()
    [['fund', 'fund', 'id'], ['pac', 'pac', 'id']]
    """
    rows = []
    for entity in graph.entities.itertuples(index=False):
        forms = [("id", entity.id), ("name", entity.name), ("name_ar", entity.name_ar)]
        forms += [("alias", alias) for alias in str(entity.aliases or "").split(";")]
        for field, written in forms:
            written = str(written or "").strip()
            if written:
                rows.append({"key": normalize_name(written), "id": entity.id, "name": entity.name,
                             "type": entity.type, "field": field, "written": written})
    table = pd.DataFrame(rows, columns=["key", "id", "name", "type", "field", "written"])
    table = table[table["key"] != ""]
    order = {"id": 0, "name": 1, "name_ar": 2, "alias": 3}
    table = table.assign(_order=table["field"].map(order)).sort_values(["key", "id", "_order"], kind="stable")
    return table.drop_duplicates(["key", "id"]).drop(columns="_order").reset_index(drop=True)


def resolve_entity(graph: InfluenceGraph, text: str, *, suggestions: int = 5) -> str:
    """The id of the one entity that ``text`` names.

    ``text`` may be an id, the English or Arabic name, or any alias, in any
    case and with or without Arabic diacritics and alef variants (see
    `normalize_name`), or written "Last, First". An exact id always wins.

    Parameters
    ----------
    graph : InfluenceGraph
    text : str
    suggestions : int
        At most this many close names are offered when nothing matches.

    Returns
    -------
    str
        The entity id.

    Raises
    ------
    UnknownEntityError
        If nothing matches (the message offers the closest names, found with
        `difflib`), or if the text names several entities (the message lists
        each with its id and type, so that the id can be given instead).

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("fund", "pac", 2.0)])
    >>> resolve_entity(graph, "PAC")
    'pac'
    >>> resolve_entity(graph, "fnud")
    Traceback (most recent call last):
    ...
    network.errors.UnknownEntityError: no entity is called 'fnud'; did you mean: fund (fund, person)? Give an id, a name or an alias (English or Arabic).
    """
    wanted = str(text).strip()
    ids = set(graph.entities["id"])
    if wanted in ids:
        return wanted
    names = name_table(graph)
    key = normalize_name(wanted)
    found = names[names["key"] == key].drop_duplicates("id")
    swapped = swapped_name(wanted)
    if found.empty and swapped:  # "Musk, Elon"
        found = names[names["key"] == swapped].drop_duplicates("id")
    if len(found) == 1:
        return str(found["id"].iloc[0])
    if len(found) > 1:
        listed = "; ".join(f"{row.name} ({row.id}, {row.type})" for row in found.itertuples(index=False))
        raise UnknownEntityError(f"{wanted!r} names {len(found)} entities: {listed}. Give the id instead.")
    raise UnknownEntityError(f"no entity is called {wanted!r}" + _suggest(names, key, suggestions)
                             + " Give an id, a name or an alias (English or Arabic).")


def _suggest(names: pd.DataFrame, key: str, limit: int) -> str:
    """'; did you mean: A (a, person), ...?' from substring and difflib matches, or '.'."""
    if not key or limit <= 0:
        return "."
    keys = sorted(set(names["key"]))
    contained = [k for k in keys if len(key) >= 3 and key in k]
    close = difflib.get_close_matches(key, keys, n=limit * 3, cutoff=0.6)
    chosen: list[str] = []
    for matched in contained + close:
        for row in names[names["key"] == matched].itertuples(index=False):
            label = f"{row.name} ({row.id}, {row.type})"
            if label not in chosen:
                chosen.append(label)
    if not chosen:
        return "."
    return "; did you mean: " + ", ".join(chosen[:limit]) + "?"
