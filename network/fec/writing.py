"""The small outputs of an ingest written from Python: sources.csv, schema.toml and the summary."""

from __future__ import annotations

import csv
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping

from network.fec.inputs import InputFile
from network.fec.layouts import LAYOUTS
from network.contract.load import SOURCE_COLUMNS
from network.contract.schema import default_data_dir
from network.storage.cells import neutralize_cell

__all__ = ["EXTRA_RELATIONSHIP_TYPES", "write_sources", "write_schema", "shape_summary", "FEC_URL"]

FEC_URL = "https://www.fec.gov/data/browse-data/?tab=bulk-data"
EXTRA_RELATIONSHIP_TYPES = {
    "oppose": {
        "layer": "conflict",
        "influence": "forward",
        "default_strength": 2.0,
        "littlesis": "Generic",
        "ftm": "Payment",
        "description": "Independent expenditures against the target candidate (FEC 24A); amount_usd is the money spent.",
    },
}
"""Relationship types the ingest writes that the bundled schema may lack; added to the output folder's schema.toml."""


def write_sources(inputs: Mapping[str, InputFile], tech_list: Path, path: Path) -> int:
    """sources.csv: one source per FEC file given, and one for the tech-employer list (cells neutralized
    as `network.storage.cells.neutralize_cell` does: a file may be named ``=x.txt``).

    Returns the number of rows written.
    """
    rows = []
    for key in sorted(inputs, key=lambda k: LAYOUTS[k].source_id):
        layout = LAYOUTS[key]
        rows.append([layout.source_id, "US Federal Election Commission", f"FEC bulk data: {layout.title}",
                     "", "en", FEC_URL, inputs[key].file_name])
    rows.append(["tech-employers", "influence-network (editable list)",
                 "Tech employers and their name variants, matched against EMPLOYER", "", "en", "", tech_list.name])
    rows.sort(key=lambda row: row[0])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SOURCE_COLUMNS)
        writer.writerows([[neutralize_cell(cell) for cell in row] for row in rows])  # file names are the user's
    return len(rows)


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def write_schema(path: Path, *, base: Path | None = None) -> list[str]:
    """Copy the bundled schema.toml and add the `EXTRA_RELATIONSHIP_TYPES` it lacks.

    Returns the names of the types added (none when the bundled schema already has them).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "schema.toml"
    >>> write_schema(target)
    ['oppose']
    >>> from network.contract.schema import load_schema
    >>> load_schema(target).relationship_types["oppose"].layer
    'conflict'
    """
    text = (base or default_data_dir() / "schema.toml").read_text(encoding="utf-8")
    existing = tomllib.loads(text).get("relationship_types", {})
    added = [name for name in EXTRA_RELATIONSHIP_TYPES if name not in existing]
    if added:
        text = text.rstrip("\n") + "\n\n# ---------------------------------------------------------------- added by `influence fec ingest`\n"
        for name in added:
            text += f"[relationship_types.{name}]\n"
            text += "".join(f"{key} = {_toml_value(value)}\n" for key, value in EXTRA_RELATIONSHIP_TYPES[name].items())
    path.write_text(text, encoding="utf-8")
    return added


def _usd(value: Decimal) -> str:
    """Dollars as text: whole dollars without decimals."""
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)


class _Tally:
    """Rows and dollars added up under nested keys."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, Any]] = {}

    def add(self, section: str, key: str, rows: int, amount: str | None) -> None:
        entry = self.data.setdefault(section, {}).setdefault(key, {"rows": 0})
        entry["rows"] += rows
        if amount is not None:
            entry["usd"] = entry.get("usd", Decimal(0)) + Decimal(amount)

    def result(self) -> dict[str, dict[str, Any]]:
        return {section: {key: {k: _usd(v) if isinstance(v, Decimal) else v for k, v in value.items()}
                          for key, value in sorted(keys.items())}
                for section, keys in sorted(self.data.items())}


def shape_summary(rows: Iterable[tuple], inputs: Mapping[str, InputFile]) -> dict[str, Any]:
    """Add up the query's ``out_summary`` facts into the summary's sections.

    ``rows`` holds, per input file: lines read, counted (kept for master
    files), malformed / excluded / filtered counts by reason, and
    ``unaccounted``, which is 0 when every line ended in exactly one fate.
    The other sections (earmarks by conduit, refunds, negative rows, tech
    employers, employer written in OCCUPATION, donors, amendment indicator,
    year) come from the same facts.

    Examples
    --------
    >>> facts = [("tx", "indiv", "", "N", "2016", "", "", "", 3, None),
    ...          ("gift", "indiv", "counted", "gift", "C00401224", "", "15E", "0", 2, "150"),
    ...          ("rule", "indiv", "memo", "", "", "", "", "", 1, "40")]
    >>> shaped = shape_summary(facts, {})
    >>> shaped["rows"]["indiv"]["unaccounted"], shaped["earmarks"]
    (0, {'C00401224': {'rows': 2, 'usd': '150'}})
    """
    files: dict[str, dict[str, Any]] = {}
    fates, other = _Tally(), _Tally()
    for section, src, fate, k1, k2, k3, k4, k5, count, amount in rows:
        count = int(count or 0)
        entry = files.setdefault(src, {"read": 0})
        label = "" if src == "indiv" else f"{src}:"
        if section in ("tx", "master"):
            entry["read"] += count
            if fate:
                fates.add(f"{src}/malformed", fate, count, None)
            elif section == "master":
                entry["kept"] = entry.get("kept", 0) + count
            else:
                other.add("amendment_indicator", label + k1, count, None)
                other.add("year", label + k2, count, None)
        elif section == "rule":
            fates.add(f"{src}/excluded", fate, count, amount)
        elif section in ("gift", "committee"):
            if fate == "counted":
                fates.add(f"{src}/counted", "", count, amount)
            else:
                part = "filtered" if fate in ("not_tech_donor", "outside_tech_focus") else "excluded"
                fates.add(f"{src}/{part}", fate, count, amount)
            if section == "gift" and fate == "counted":
                if k2:
                    other.add("earmarks", k2, count, amount)
                if k1 == "refund":  # refunded dollars, as a positive sum
                    other.add("refunds", k4, count, None if amount is None else str(-Decimal(amount)))
                elif k1 == "negative":
                    other.add("negative_rows", k4, count, amount)
                if k3:
                    other.add("tech_employers", k3, count, amount)
                    if k5 == "1":
                        other.add("employer_in_occupation", k3, count, amount)
        elif section == "donors":
            if fate == "resolved":
                other.add("donors", "resolved", count, None)
                other.add("donors", "merged_from_several_spellings", int(k1 or 0), None)
                other.add("donors", "tech", int(k2 or 0), None)
            elif fate == "in_graph":
                other.add("donors", "in_graph", count, None)
            else:
                other.add("overrides", k1, count, None)
    tallied = fates.result()
    for src, entry in files.items():
        counted = tallied.get(f"{src}/counted", {}).get("", {"rows": 0})
        if src in ("indiv", "oth", "pas2"):
            entry["counted"] = counted["rows"]
            entry["counted_usd"] = counted.get("usd", "0")
        for part in ("malformed", "excluded", "filtered"):
            if f"{src}/{part}" in tallied:
                entry[part] = tallied[f"{src}/{part}"]
        if src in ("indiv", "oth", "pas2"):
            settled = entry["counted"] + sum(v["rows"] for part in ("malformed", "excluded", "filtered")
                                             for v in entry.get(part, {}).values())
            entry["unaccounted"] = entry["read"] - settled
    for key, source in inputs.items():
        files.setdefault(key, {"read": 0})["lines_decoded_as_latin1"] = source.latin1_lines
    return {"rows": dict(sorted(files.items())), **other.result()}
