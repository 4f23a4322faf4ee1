"""Load, validate and build weighted influence graphs; draw maps and write exports.

The layout follows the data flow, one package per concern, each importing only those before it:

- `network.contract`: the data contract (schema, the three CSV tables, dates, validation);
- `network.graph`: validated tables -> the weighted influence graph;
- `network.maps`: interactive HTML maps;
- `network.formats`: exports and their read-back, spreadsheets;
- `network.fec`: FEC bulk files -> a data folder;
- `network.storage` and `network.errors`: files written whole, provenance, and the errors every package raises.

The names most scripts need are importable from here, e.g. ``from network import bundled_graph``.
"""

from importlib import import_module

__version__ = "0.1.0"

_PUBLIC = {
    "DataError": "network.errors", "Problem": "network.errors", "UnknownEntityError": "network.errors",
    "EmptyGraphError": "network.errors",
    "Schema": "network.contract.schema", "load_schema": "network.contract.schema",
    "default_data_dir": "network.contract.schema",
    "DataTables": "network.contract.load", "load_tables": "network.contract.load",
    "validate_tables": "network.contract.validate", "validated_tables": "network.contract.validate",
    "InfluenceGraph": "network.graph", "build_influence_graph": "network.graph", "bundled_graph": "network.graph",
    "to_networkx": "network.graph.convert",
    "render_map": "network.maps.render",
    "read_data": "network.formats.read", "write_export": "network.formats.export",
    "ingest_fec": "network.fec",
}
__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str):
    """Import a public name on first use, so ``import network`` stays light."""
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'network' has no attribute {name!r}")
