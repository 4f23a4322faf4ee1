"""Resolve the people and organizations named in filings exactly as the bulk ingest resolves donors.

Nothing is re-implemented: the filing's contributors and payees are handed
to the bulk ingest's own SQL steps (network/fec/ingest.sql, from ``tx`` to
``donors``, then ``out_merge_log``) on DuckDB, shaped as lines of the FEC's
itcont.txt. So a person gets the same normalized name + ZIP5 key, the same
overrides apply, and the same id (``donor-`` or ``org-`` and a hash of the
key) as in a bulk-ingest folder, which lets the two meet later.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Mapping, Sequence

import pandas as pd

from network.fec.layouts import LAYOUTS, TRANSACTION_COLUMNS
from network.fec.lists import default_tech_employers, empty_overrides, load_tech_employers

__all__ = ["Party", "Resolved", "resolve_parties"]

_LAST_STEP = "donors"


@dataclass(frozen=True)
class Party:
    """A person or organization on one counted line: as the FEC's bulk files would write it."""

    key: int
    organization: bool
    name: str
    city: str
    state: str
    zip_code: str
    employer: str
    occupation: str
    committee: str
    amount: Decimal


@dataclass(frozen=True)
class Resolved:
    """Each party's donor id, the donors (id -> name, aliases, ZIP5, employer, spellings) and the merge log."""

    donor_of: Mapping[int, str]
    donors: Mapping[str, Mapping[str, str]]
    merge_log: pd.DataFrame


def _itcont_rows(parties: Sequence[Party]) -> pd.DataFrame:
    """The parties as itcont lines: type 15, no memo, one SUB_ID each (their key)."""
    rows = []
    for party in parties:
        values = dict.fromkeys(TRANSACTION_COLUMNS, "")
        values.update({
            "CMTE_ID": party.committee, "AMNDT_IND": "N", "TRANSACTION_TP": "15",
            "ENTITY_TP": "ORG" if party.organization else "IND", "NAME": party.name, "CITY": party.city,
            "STATE": party.state, "ZIP_CODE": party.zip_code, "EMPLOYER": party.employer,
            "OCCUPATION": party.occupation, "TRANSACTION_AMT": str(party.amount.quantize(Decimal("0.01"))),
            "SUB_ID": str(party.key),
        })
        rows.append({"line": party.key, "record": f"filing party {party.key}", "n_fields": len(TRANSACTION_COLUMNS), **values})
    frame = pd.DataFrame(rows, columns=["line", "record", "n_fields", *TRANSACTION_COLUMNS])
    return frame.astype({"line": "int64", "n_fields": "int32"})


def resolve_parties(parties: Sequence[Party], *, overrides: pd.DataFrame | None = None,
                    tech_employers: str | Path | None = None, match_employer: bool = False) -> Resolved:
    """Run the bulk ingest's donor resolution on the parties.

    Examples
    --------
    >>> from decimal import Decimal
    >>> a = Party(1, False, "MUSK, ELON", "AUSTIN", "TX", "78701", "TESLA", "CEO", "C00879510", Decimal(5))
    >>> b = Party(2, False, "MUSK, ELON R.", "AUSTIN", "TX", "787011234", "SPACEX", "CEO", "C00879510", Decimal(7))
    >>> result = resolve_parties([a, b])
    >>> result.donor_of[1] == result.donor_of[2], result.donor_of[1].startswith("donor-")
    (True, True)
    """
    from network.fec.engine_duckdb import DuckDBEngine
    from network.fec.query import render_steps

    if not parties:
        return Resolved({}, {}, pd.DataFrame())
    tech = load_tech_employers(tech_employers or default_tech_employers())
    with tempfile.TemporaryDirectory(prefix="fec-filing-") as work:
        engine = DuckDBEngine(temp_dir=Path(work), memory_limit="1GB", threads=1)
        try:
            engine.register_frame("tech_list", tech)
            engine.register_frame("overrides", overrides if overrides is not None else empty_overrides())
            engine.register_frame("files", pd.DataFrame({"src": ["indiv"], "file": ["filings"]}))
            engine.register_frame("rows_indiv", _itcont_rows(parties))
            for key, layout in LAYOUTS.items():
                if key != "indiv":
                    engine.register_lines(key, layout.columns, None)
            steps = render_steps(match_employer=match_employer)
            for step in steps:
                engine.run_step(step)
                if step.name == _LAST_STEP:
                    break
            engine.run_step(next(step for step in steps if step.name == "out_merge_log"))
            donor_of = {int(line): donor for line, donor in engine.fetch(
                "SELECT g.line, d.donor_id FROM gifts g JOIN donors d ON d.donor_key = g.donor_key")}
            donors = {row[0]: {"name": row[1], "aliases": row[2] or "", "zip5": row[3] or "", "employer": row[4] or "",
                               "spellings": str(row[5]), "kind": row[6]}
                      for row in engine.fetch("SELECT donor_id, name, aliases, zip5, employer, n_variants, donor_kind FROM donors")}
            columns = ["donor_id", "how", "name_key", "zip5", "name", "employer", "rows", "net_usd"]
            merge_log = pd.DataFrame(engine.fetch(f"SELECT {', '.join(columns)} FROM out_merge_log"), columns=columns)
        finally:
            engine.close()
    missing = [party.key for party in parties if party.key not in donor_of]
    if missing:  # every party is a well-formed itcont line; a gap means the bulk steps changed their contract
        raise RuntimeError(f"the bulk ingest's donor steps resolved no donor for {len(missing)} filing lines")
    return Resolved(donor_of, donors, merge_log.sort_values(["donor_id", "name_key", "zip5", "name"], kind="stable"))
