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

import os
import sys
from importlib import import_module

# igraph's PageRank (PRPACK) runs on OpenMP threads, and with more than one it sums in a different order from call to
# call: on a 150k-edge graph two calls differ in the last bits, so outputs would not be byte-identical for the same
# input and seed. One thread makes them identical (tests/network/test_threads.py). OpenMP reads this when igraph's
# library loads, so it is set before anything here imports igraph; a script that imported igraph first keeps its own.
if "igraph" not in sys.modules:
    os.environ["OMP_NUM_THREADS"] = "1"

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
