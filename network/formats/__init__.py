"""Interchange formats: GraphML, GEXF, node-link JSON, FollowTheMoney, CSV read-back, spreadsheet import.

Each module writes one format from an `InfluenceGraph` (streaming, row by
row) and reads it back into `network.contract.load.DataTables`. `network.formats.export`
chooses file names and writes them all; `network.formats.read` picks the reader for
a file. docs/exports.md documents every column and shape.
"""
