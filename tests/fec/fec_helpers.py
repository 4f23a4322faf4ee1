"""Helpers of the FEC ingest tests: the fixture paths, an ingest run, its output read back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from network.fec.ingest import IngestOptions, ingest_fec

FEC = Path(__file__).resolve().parent.parent / "fixtures" / "fec"
FILES = {"indiv": "itcont.txt", "oth": "itoth.txt", "pas2": "itpas2.txt", "cm": "cm.txt", "cn": "cn.txt", "ccl": "ccl.txt"}


def fec_paths(**replace) -> dict[str, Path]:
    """The fixture inputs, with some replaced (or dropped with None)."""
    paths = {key: FEC / name for key, name in FILES.items()}
    paths.update(replace)
    return paths


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class Output:
    """An ingest output folder with its tables as lists of dicts."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entities = read_rows(folder / "entities.csv")
        self.relationships = read_rows(folder / "relationships.csv")
        self.exclusions = read_rows(folder / "exclusions.csv")
        self.merge_log = read_rows(folder / "merge_log.csv")
        self.company_totals = read_rows(folder / "company_totals.csv")
        self.summary = json.loads((folder / "ingest_summary.json").read_text(encoding="utf-8"))

    def relationship(self, rel_id: str) -> dict[str, str]:
        found = [row for row in self.relationships if row["id"] == rel_id]
        assert len(found) == 1, f"{rel_id} not found once"
        return found[0]

    def donor_of(self, name: str) -> list[str]:
        """Ids of the donor entities displayed under ``name``."""
        return [row["id"] for row in self.entities if row["name"] == name and row["id"].startswith(("donor-", "org-"))]

    def money(self, source: str, target: str, kind: str) -> float | None:
        """amount_usd of the relationship ``kind.source.target``, or None if there is none."""
        found = [row for row in self.relationships if row["id"] == f"{kind}.{source}.{target}"]
        return float(found[0]["amount_usd"]) if found else None

    def excluded(self, file_name: str) -> dict[int, str]:
        """line -> reason, for one input file."""
        return {int(row["line"]): row["reason"] for row in self.exclusions if row["file"].endswith(file_name)}


def run_ingest(folder: Path, *, paths=None, **options) -> Output:
    extra = {key: options.pop(key) for key in ("overrides", "tech_employers") if key in options}
    ingest_fec(paths or fec_paths(), folder, options=IngestOptions(**options), **extra)
    return Output(folder)


