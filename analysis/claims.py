"""Reported money against filed money: each news-sourced money relationship checked against FEC filings.

A *claim* is a money relationship (money layer, not a pledge, not ``planned``,
with an amount) whose sources are news, not FEC records. It is checked
against the *filed* rows: money relationships between the same two entities,
in the same direction, whose sources are all FEC records and whose date lies
in the claim's period (an open end is open). The filer, the committee whose
reports would show the money, is the end carrying an ``fec_committee``
identifier whose reports were read: the recipient first (it reports what
it receives), the payer first for spending (it reports what it spends). Its
reports cover the periods named in their source rows (``covering A to B``).

Outcomes: ``matches filings``, ``filings show more``, ``filings show less``,
``no filing found`` (the period is covered and no filed row is there), and
``not checkable`` (no FEC committee on either end, no report of that
committee read, or the claim's period is not covered), with the reason.

Qualifiers: ``exact`` matches when the filed total rounds to the claim at
the claim's own precision, and never more than 1 % off ($75,000,000 is
written to the million, so $74.5M up to, not including, $75.5M matches;
$1,000,000 matches $990,000-$1,010,000); ``approx`` within 10 %; ``at_least`` matches when the
filed total is at least the claim; ``at_most`` when at most. An ``aggregate``
row (a stated total) is compared against the sum of every filed row in its
period, with its own qualifier.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Iterable, Mapping

import pandas as pd

from network.contract.dates import earliest, latest
from network.contract.identifiers import parse_identifiers
from network.contract.load import DataTables
from network.contract.schema import Schema
from network.contract.validate import split_list

__all__ = ["CLAIM_COLUMNS", "OUTCOMES", "APPROX_SHARE", "EXACT_SHARE", "claim_check_texts", "claims_table", "compare_amount", "report_coverage"]

OUTCOMES = ("matches filings", "filings show more", "filings show less", "no filing found", "not checkable")
APPROX_SHARE = Decimal("0.10")
EXACT_SHARE = Decimal("0.01")
"""How far (as a share of the claim) an ``approx`` claim may be from the filed total and still match."""
CLAIM_COLUMNS = ("relationship_id", "source", "target", "type", "claimed_usd", "qualifier", "aggregate", "period",
                 "outcome", "filed_usd", "difference_usd", "filer", "coverage", "filed_rows", "filing_lines", "reason")
FILED_PUBLISHER = "US Federal Election Commission"
PAYER_REPORTS = frozenset({"spending", "oppose"})
"""Money types the payer reports (independent expenditures, disbursements); for the others the recipient is asked first."""
_COVERING = re.compile(r"\((C[0-9]{8})\), covering ([0-9-]{10}) to ([0-9-]{10})")


def compare_amount(claimed: Decimal, qualifier: str, filed: Decimal) -> str:
    """``matches filings``, ``filings show more`` or ``filings show less`` for one amount and qualifier.

    Examples
    --------
    >>> compare_amount(Decimal(75_000_000), "exact", Decimal(75_000_000))
    'matches filings'
    >>> compare_amount(Decimal(75_000_000), "exact", Decimal(70_000_000))
    'filings show less'
    >>> compare_amount(Decimal(43_600_000), "exact", Decimal(43_640_000)), compare_amount(Decimal(43_600_000), "exact", Decimal(43_700_000))
    ('matches filings', 'filings show more')
    >>> compare_amount(Decimal(100_000_000), "at_least", Decimal(118_600_000))
    'matches filings'
    >>> compare_amount(Decimal(1_000_000), "at_most", Decimal(1_200_000)), compare_amount(Decimal(1_000_000), "approx", Decimal(950_000))
    ('filings show more', 'matches filings')
    """
    if qualifier == "at_least":
        return "matches filings" if filed >= claimed else "filings show less"
    if qualifier == "at_most":
        return "matches filings" if filed <= claimed else "filings show more"
    if qualifier == "approx":
        if abs(filed - claimed) <= claimed * APPROX_SHARE:
            return "matches filings"
    else:
        digits = str(int(claimed)).rstrip("0") if claimed >= 1 else ""
        unit = Decimal(10) ** (len(str(int(claimed))) - len(digits)) if digits else Decimal(1)
        slack = min(unit / 2, claimed * EXACT_SHARE)  # half a unit of the claim's last written digit, at most 1 %
        if -slack <= filed - claimed < slack or filed == claimed:
            return "matches filings"
    return "filings show more" if filed > claimed else "filings show less"


def report_coverage(sources: pd.DataFrame) -> dict[str, list[tuple[date, date]]]:
    """Periods covered by the FEC reports read, per committee id, from source titles ``... (C00879510), covering A to B``.

    Examples
    --------
    >>> frame = pd.DataFrame({"title": ["F3XN Q3 report of AMERICA PAC (C00879510), covering 2024-07-01 to 2024-09-30"],
    ...                       "publisher": ["US Federal Election Commission (electronic filing)"]})
    >>> report_coverage(frame)
    {'C00879510': [(datetime.date(2024, 7, 1), datetime.date(2024, 9, 30))]}
    """
    out: dict[str, list[tuple[date, date]]] = {}
    for title, publisher in zip(sources["title"], sources["publisher"]):
        if not str(publisher).startswith(FILED_PUBLISHER) or "superseded by filing" in str(title):
            continue
        found = _COVERING.search(str(title))
        if found:
            low, high = earliest(found.group(2)), latest(found.group(3))
            if low and high:
                out.setdefault(found.group(1), []).append((low, high))
    return {key: sorted(set(value)) for key, value in sorted(out.items())}


def _covered(periods: list[tuple[date, date]], low: date | None, high: date | None) -> bool:
    """Whether the reports reach the claim's end (or, for an open end, overlap the claim at all)."""
    if not periods:
        return False
    if high is not None:
        return any(a <= high <= b for a, b in periods) and (low is None or any(a <= low <= b for a, b in periods) or
                                                             min(a for a, _ in periods) <= low)
    return any(low is None or b >= low for _, b in periods)


def _committee(entity_row: Mapping[str, str] | None) -> str:
    for scheme, value in parse_identifiers((entity_row or {}).get("identifiers", "")):
        if scheme == "fec_committee":
            return value
    return ""


def _amount(value) -> Decimal | None:
    """A cell's amount as a Decimal (text or float as read), or None when blank."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    return Decimal(str(value))


def _usd(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:.2f}"


def _row_dates(row: Mapping[str, str]) -> tuple[date | None, date | None]:
    return earliest(row.get("start_date") or row.get("end_date") or ""), latest(row.get("end_date") or row.get("start_date") or "")


def claims_table(tables: DataTables, schema: Schema, *, made_aggregate: Iterable[str] = ()) -> pd.DataFrame:
    """One row per claim (news money relationship) with its outcome against the filings; see the module docstring.

    Parameters
    ----------
    tables : DataTables
        Text tables of one folder, usually the output of ``influence merge``.
    schema : Schema
        Says which relationship types are money.
    made_aggregate : iterable of str
        Relationship ids that ``merge`` made aggregate because filings restate
        them (its merge_log.csv, kind ``money_overlap``): compared as the rows they were.

    Returns
    -------
    pd.DataFrame
        Columns `CLAIM_COLUMNS`, sorted by relationship id. ``difference_usd``
        is filed minus claimed; ``filing_lines`` names each filed row's filing and line.
    """
    restored = set(made_aggregate)
    sources = tables.sources
    filed_ids = {i for i, p in zip(sources["id"], sources["publisher"]) if str(p).startswith(FILED_PUBLISHER)}
    coverage = report_coverage(sources)
    entities = {row["id"]: row for row in tables.entities.to_dict("records")}
    rows = tables.relationships.to_dict("records")

    def money(row) -> bool:
        kind = schema.relationship_types.get(row["type"])
        return kind is not None and kind.layer == "money" and row["type"] != "pledge" and row.get("status") != "planned"

    def aggregate(row) -> bool:
        return str(row.get("aggregate", "")).lower() in ("true", "yes", "1") and row["id"] not in restored

    filed_by_pair: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        ids = set(split_list(row["source_ids"]))
        if ids and ids <= filed_ids and money(row) and not aggregate(row) and _amount(row.get("amount_usd")) is not None:
            filed_by_pair.setdefault((row["source"], row["target"]), []).append(row)
    out = []
    for row in rows:
        ids = set(split_list(row["source_ids"]))
        claimed = _amount(row.get("amount_usd"))
        if not money(row) or claimed is None or ids & filed_ids:
            continue
        qualifier = row.get("amount_qualifier") or "exact"
        low, high = earliest(row.get("start_date", "")), latest(row.get("end_date", ""))
        period = f"{row.get('start_date') or '...'} to {row.get('end_date') or '...'}"
        ends = (row["source"], row["target"]) if row["type"] in PAYER_REPORTS else (row["target"], row["source"])
        committees = [c for c in (_committee(entities.get(end)) for end in ends) if c]
        filer = next((c for c in committees if c in coverage), committees[0] if committees else "")
        result = {"relationship_id": row["id"], "source": row["source"], "target": row["target"], "type": row["type"],
                  "claimed_usd": _usd(claimed), "qualifier": qualifier, "aggregate": aggregate(row), "period": period,
                  "outcome": "not checkable", "filed_usd": "", "difference_usd": "", "filer": filer,
                  "coverage": "; ".join(f"{a} to {b}" for a, b in coverage.get(filer, [])), "filed_rows": "",
                  "filing_lines": "", "reason": ""}
        if not filer:
            result["reason"] = "neither end has an fec_committee identifier"
        elif filer not in coverage:
            result["reason"] = f"no report of {filer} read"
        elif not _covered(coverage[filer], low, high):
            result["reason"] = f"period not covered: the reports of {filer} read cover {result['coverage']}"
        else:
            inside = []
            for filed in filed_by_pair.get((row["source"], row["target"]), []):
                first, last = _row_dates(filed)
                if (low is None or (last is not None and last >= low)) and (high is None or (first is not None and first <= high)):
                    inside.append(filed)
            total = sum((_amount(f["amount_usd"]) for f in inside), Decimal(0))
            result["filed_usd"] = _usd(total)
            result["difference_usd"] = _usd(total - claimed)
            result["filed_rows"] = ";".join(sorted(f["id"] for f in inside))
            result["filing_lines"] = "; ".join(_line_of(f) for f in sorted(inside, key=lambda f: f["id"]))
            if not inside:
                result["outcome"] = "no filing found"
                result["reason"] = f"the reports of {filer} read show no money from {row['source']} to {row['target']} in the period"
            else:
                result["outcome"] = compare_amount(claimed, qualifier, total)
                result["reason"] = (f"{len(inside)} filed row(s) summed" + (" (aggregate row: compared with the sum)" if result["aggregate"] else "")
                                    + f"; compared as {qualifier}")
            start = min(a for a, _ in coverage[filer])
            if low is None or low < start:
                result["reason"] += f"; partly covered: the reports read begin {start}, earlier money would not show"
        out.append(result)
    frame = pd.DataFrame(out, columns=list(CLAIM_COLUMNS))
    return frame.sort_values("relationship_id", kind="stable").reset_index(drop=True)


def _line_of(row: Mapping[str, str]) -> str:
    """``FEC filing N line L`` from a filed row's evidence, or its id when the evidence does not say."""
    found = re.search(r"FEC filing ([0-9]+) .*?line ([0-9]+)", row.get("evidence", ""))
    return f"filing {found.group(1)} line {found.group(2)}" if found else row["id"]


def claim_check_texts(table: pd.DataFrame) -> dict[str, str]:
    """Relationship id -> one line for a map panel: the outcome, the dollars, the reason.

    Examples
    --------
    >>> row = {"relationship_id": "r2", "outcome": "filings show less", "claimed_usd": "75000000", "filed_usd": "70000000",
    ...        "difference_usd": "-5000000", "reason": "1 filed row(s) summed; compared as exact", "filing_lines": "filing 9 line 3"}
    >>> claim_check_texts(pd.DataFrame([row]))["r2"]
    'filings show less: filed $70,000,000 against $75,000,000 reported (difference -$5,000,000; filing 9 line 3)'
    """
    texts = {}
    for row in table.to_dict("records"):
        if row["filed_usd"] == "":
            texts[row["relationship_id"]] = f"{row['outcome']}: {row['reason']}"
            continue
        difference = Decimal(row["difference_usd"])
        sign = "-" if difference < 0 else "+" if difference > 0 else ""
        lines = f"; {row['filing_lines']}" if row["filing_lines"] else ""
        texts[row["relationship_id"]] = (f"{row['outcome']}: filed ${Decimal(row['filed_usd']):,} against "
                                         f"${Decimal(row['claimed_usd']):,} reported (difference {sign}${abs(difference):,}{lines})")
    return texts
