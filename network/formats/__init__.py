"""Interchange formats: GraphML, GEXF, node-link JSON, FollowTheMoney, CSV read-back, spreadsheet import.

Each module writes one format from an `InfluenceGraph` (streaming, row by
row) and reads it back into `network.load.DataTables`. `network.export`
chooses file names and writes them all; `network.read` picks the reader for
a file. docs/exports.md documents every column and shape.
"""
