"""One exported file -> DataTables: the reader for each of our formats, chosen by name and content."""

from __future__ import annotations

import csv
from pathlib import Path

from network.errors import DataError, Problem
from network.storage.inputs import checked_input
from network.contract.load import DataTables, load_tables
from network.formats.common import tables_from_rows

__all__ = ["READABLE_SUFFIXES", "export_kind", "read_data", "read_export"]

READABLE_SUFFIXES = (".graphml", ".gexf", ".json", ".jsonl", ".ftm.json", ".csv")


def _csv_header(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [name.strip() for name in next(csv.reader(handle), [])]


def export_kind(path: str | Path) -> str:
    """Which of our formats a file holds: ``graphml``, ``gexf``, ``ftm``, ``json``, ``relationships``, ``csv`` or ``nodes``.

    By suffix, and for ``.json`` and ``.csv`` by content: a JSON file whose
    first line is an object with ``schema`` is FtM JSON lines; a CSV with
    ``relationship_ids`` is an edge list, one with ``evidence`` a
    relationships table, one with ``id, name, type`` a node table.

    Raises
    ------
    ValueError
        For a suffix or a CSV header that is none of these.
    """
    path = Path(path)
    name = path.name.lower()
    if name.endswith(".graphml"):
        return "graphml"
    if name.endswith(".gexf"):
        return "gexf"
    if name.endswith((".ftm.json", ".jsonl", ".ftm.jsonl")):
        return "ftm"
    if name.endswith(".json"):
        with open(path, encoding="utf-8-sig") as handle:
            first = handle.readline().strip()
        return "ftm" if first.startswith("{") and '"schema"' in first and first.endswith("}") else "json"
    if name.endswith(".csv"):
        header = set(_csv_header(path))
        if {"source", "target", "relationship_ids"} <= header:
            return "csv"
        if {"source", "target", "type", "evidence"} <= header:
            return "relationships"
        if {"id", "name", "type"} <= header:
            return "nodes"
        raise ValueError(f"{path}: a CSV file that is neither an edge list nor a relationships table "
                         f"(header: {', '.join(sorted(header))}); pass the folder of a data set instead")
    raise ValueError(f"{path}: cannot read this kind of file; expected a data folder or one of {', '.join(READABLE_SUFFIXES)}")


def read_export(path: str | Path) -> DataTables:
    """Read one of our exports (GraphML, GEXF, node-link JSON, FtM JSON lines, edge list or relationships CSV).

    Returns unchecked text tables like `network.contract.load.load_tables`, with every
    table's path the file itself and line numbers pointing into it, and
    ``paths["schema"]`` the schema.toml beside the file, else the bundled one.
    What each format carries back is in docs/exports.md.

    Examples
    --------
    >>> import tempfile
    >>> from network.graph import InfluenceGraph
    >>> from network.formats.graphml import write_graphml
    >>> g = InfluenceGraph.from_edges([("a", "b", 2.0)])
    >>> read_export(write_graphml(g, tempfile.mkdtemp() + "/g.graphml")).entities["id"].tolist()
    ['a', 'b']
    """
    path = Path(path)
    if not path.is_file():
        return tables_from_rows(path, [], [], [], [Problem(str(path), 0, "(file)", "file not found")])
    checked_input(path, expected="one of our exports")
    try:
        return _read_kind(path, export_kind(path))
    except UnicodeDecodeError as err:
        raise DataError([Problem(str(path), 0, "(encoding)", f"not UTF-8 text at byte {err.start}", None, "UTF-8")]) from None
    except (DataError, ValueError, OSError):
        raise
    except Exception as err:  # noqa: BLE001 - a damaged export: its file named, never a traceback
        raise DataError([Problem(str(path), 0, "(file)", f"not a readable export ({type(err).__name__}: {str(err)[:160]})",
                                 None, "a file written by influence export or run, unchanged")]) from None


def _read_kind(path: Path, kind: str) -> DataTables:
    if kind == "graphml":
        from network.formats.graphml import read_graphml
        return read_graphml(path)
    if kind == "gexf":
        from network.formats.gexf import read_gexf
        return read_gexf(path)
    if kind == "ftm":
        from network.formats.ftm import read_ftm
        return read_ftm(path)
    if kind == "json":
        from network.formats.node_link import read_node_link
        return read_node_link(path)
    if kind == "relationships":
        from network.formats.tables import read_relationships_csv
        return read_relationships_csv(path)
    if kind == "csv":
        from network.formats.tables import read_edge_list_csv
        return read_edge_list_csv(path)
    raise ValueError(f"{path}: a node table has no relationships; read the edge list or relationships CSV "
                     f"written beside it (its nodes are picked up from there)")


def read_data(path: str | Path | None = None) -> DataTables:
    """The tables of a data folder (`network.contract.load.load_tables`) or of one exported file (`read_export`).

    Examples
    --------
    >>> read_data().problems
    ()
    """
    if path is not None and Path(path).is_file():
        return read_export(path)
    return load_tables(path)
