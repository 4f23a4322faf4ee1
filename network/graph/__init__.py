"""Validated tables -> the weighted influence graph: relationship strengths, one edge per pair and layer, filters,
and the networkx adapter."""

from network.graph.build import EDGE_COLUMNS, ENTITY_ROWS, InfluenceGraph, build_influence_graph, bundled_graph
from network.graph.edges import relationship_strengths
from network.graph.filters import filter_relationships

__all__ = [
    "EDGE_COLUMNS",
    "ENTITY_ROWS",
    "InfluenceGraph",
    "build_influence_graph",
    "bundled_graph",
    "filter_relationships",
    "relationship_strengths",
]
