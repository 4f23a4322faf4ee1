"""`influence export --format parquet`: the (filtered) graph as a Parquet data folder that `--data` reads back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from network.formats.common import cell_text, relationship_columns
from network.graph import InfluenceGraph
from network.storage.files import StagedOutputs
from network.storage.parquet import write_parquet

__all__ = ["contract_tables", "write_parquet_folder"]


def contract_tables(graph: InfluenceGraph) -> dict[str, pd.DataFrame]:
    """The graph's entities, relationships and sources as data-contract text, sorted by id.

    Amounts become exact text (``1500000``, ``0.5``; `network.formats.common.number_text`),
    ``aggregate`` ``true``/``false``; the columns the graph computes (layer, strength, ...) are left out.

    Examples
    --------
    >>> tables = contract_tables(InfluenceGraph.from_edges([("a", "b", 2.0)]))
    >>> sorted(tables), tables["relationships"].loc[0, "aggregate"]
    (['entities', 'relationships', 'sources'], 'false')
    """
    frames = {"entities": graph.entities, "relationships": graph.relationships[relationship_columns(graph)],
              "sources": graph.sources}
    return {name: pd.DataFrame({column: [cell_text(value) for value in frame[column]] for column in frame.columns},
                               dtype=object).sort_values("id", kind="stable").reset_index(drop=True)
            for name, frame in frames.items()}


def write_parquet_folder(graph: InfluenceGraph, out_dir: str | Path, *, schema_path: Path,
                         provenance: Mapping[str, Any]) -> dict[str, int]:
    """Write entities.parquet, relationships.parquet, sources.parquet, the schema.toml read and export.json.

    All files are put in place together or none (`StagedOutputs`). Returns rows per table.
    """
    out = Path(out_dir)
    stale = [name for name in ("entities", "relationships", "sources") if (out / f"{name}.csv").exists()]
    if stale:
        raise ValueError(f"{out} holds {', '.join(s + '.csv' for s in stale)}: a folder with a table in both CSV and "
                         f"Parquet is refused by --data; choose another --out folder")
    counts = {}
    with StagedOutputs() as staged:
        for name, frame in contract_tables(graph).items():
            counts[name] = write_parquet(frame, staged.stage(out / f"{name}.parquet"))
        staged.stage(out / "schema.toml").write_bytes(Path(schema_path).read_bytes())
        staged.stage(out / "export.json").write_text(
            json.dumps(dict(provenance), indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return counts
