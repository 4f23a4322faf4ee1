"""Groups of entities named on the command line: by entity type, layer, community, or names and ids."""

from __future__ import annotations

from typing import Iterable

from analysis.communities import detect_communities
from analysis.resolve import resolve_entity
from network.graph import InfluenceGraph

__all__ = ["GROUP_HELP", "resolve_group"]

GROUP_HELP = ("type:T (entities of type T), layer:L (entities with a tie in layer L), community:K (Leiden "
              "community K, as `influence communities` numbers them with the same --seed), or a name, alias or id; "
              "repeat the option, or separate terms with ';', for the union")


def _terms(specs: Iterable[str]) -> list[str]:
    terms = [term.strip() for spec in specs for term in str(spec).split(";")]
    return [term for term in terms if term]


def resolve_group(graph: InfluenceGraph, specs: Iterable[str], *, seed: int = 0) -> list[str]:
    """The sorted ids of the entities a group specification names.

    Each term of ``specs`` (each item, split further on ``;``) is one of

    - ``type:T``: every entity of type ``T`` (``type:company``);
    - ``layer:L``: every entity with at least one relationship in layer ``L``;
    - ``community:K``: community ``K`` of seeded Leiden on strength
      (`analysis.communities.detect_communities` with ``seed``), numbered
      from 1 by size as ``influence communities`` numbers them;
    - anything else: an id, name or alias, as `analysis.resolve.resolve_entity`
      reads it (Arabic too).

    The group is the union of its terms.

    Parameters
    ----------
    graph : InfluenceGraph
    specs : iterable of str
    seed : int
        For ``community:K``.

    Returns
    -------
    list of str
        Entity ids, sorted.

    Raises
    ------
    ValueError
        If a term names an unknown type, layer or community, selects no
        entity, or the group is empty.
    UnknownEntityError
        If a name matches no entity, or several.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "b", 1.0), ("b", "c", 1.0)])
    >>> resolve_group(graph, ["type:person"])
    ['a', 'b', 'c']
    >>> resolve_group(graph, ["c; A"])
    ['a', 'c']
    """
    terms = _terms(specs)
    if not terms:
        raise ValueError("a group needs at least one term (type:T, layer:L, community:K, or a name or id)")
    entities = graph.entities
    chosen: set[str] = set()
    communities = None
    for term in terms:
        kind, _, value = term.partition(":")
        kind, value = kind.strip().lower(), value.strip()
        if kind == "type" and value:
            known = sorted(graph.schema.entity_types)
            if value not in graph.schema.entity_types:
                raise ValueError(f"group term {term!r}: unknown entity type (found {value!r}, expected one of {', '.join(known)})")
            found = set(entities.loc[entities["type"] == value, "id"])
        elif kind == "layer" and value:
            if value not in graph.schema.layers:
                raise ValueError(f"group term {term!r}: unknown layer (found {value!r}, expected one of {', '.join(graph.schema.layers)})")
            rel = graph.relationships[graph.relationships["layer"] == value]
            found = set(rel["source"]) | set(rel["target"])
        elif kind == "community" and value:
            if communities is None:
                communities = detect_communities(graph, seed=seed)[0]
            if not value.isdigit() or int(value) not in set(communities["community"]):
                raise ValueError(f"group term {term!r}: no such community (found {value!r}, expected 1 to {communities['community'].max()})")
            found = set(communities.loc[communities["community"] == int(value), "id"])
        else:
            found = {resolve_entity(graph, term)}
        if not found:
            raise ValueError(f"group term {term!r} selects no entity")
        chosen |= found
    return sorted(chosen)
