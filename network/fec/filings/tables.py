"""Counted lines -> our data contract: entities, one relationship per line, one source per filing, exclusions."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping, Sequence

from network.fec.filings.donors import Party, Resolved, resolve_parties
from network.fec.filings.fates import Fate
from network.fec.filings.read import Filing, Record
from network.fec.filings.rules import KIND_TYPES, line_of, usd_text

__all__ = ["FILING_URL", "FilingTables", "filing_source_id", "filing_tables"]

FILING_URL = "https://docquery.fec.gov/dcdev/posted/{filing_id}.fec"
"""Where the FEC publishes each electronic filing as filed."""
_COMMITTEE = re.compile(r"^C[0-9]{8}$")
_COMMITTEE_ENTITIES = ("COM", "PAC", "PTY", "CCM")
_FILER_TYPES = {"F3": "campaign", "F3P": "campaign", "F3X": "committee", "F24": "committee"}
_FAMILY_WORDS = {"F3": "House/Senate campaign reports (F3)", "F3P": "presidential campaign reports (F3P)",
                 "F3X": "PAC or party reports (F3X)", "F24": "24/48-hour independent-expenditure reports (F24)"}


@dataclass(frozen=True)
class FilingTables:
    """Rows of each output table (dicts keyed by column), and the donor resolution's merge log."""

    entities: list[dict[str, str]]
    relationships: list[dict[str, str]]
    sources: list[dict[str, str]]
    exclusions: list[dict[str, str]]
    merge_log: Any
    donors: int
    merged_donors: int


def filing_source_id(filing_id: str) -> str:
    """The id of a filing's row in sources.csv.

    Examples
    --------
    >>> filing_source_id("1550548")
    'fec-filing-1550548'
    """
    return f"fec-filing-{filing_id}"


def _iso(text: str) -> str:
    """YYYYMMDD or YYYY-MM-DD as an ISO date, or '' when it is not a date."""
    digits = text.replace("-", "").strip()
    if len(digits) != 8 or not digits.isdigit():
        return ""
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    except ValueError:
        return ""


def _person(record: Record, prefix: str) -> str:
    """A name as the FEC's bulk files write it: ``LAST, FIRST MIDDLE SUFFIX`` (older formats: ``LAST^FIRST``)."""
    last = record.get(f"{prefix}_last_name")
    if last:
        rest = " ".join(p for p in (record.get(f"{prefix}_first_name"), record.get(f"{prefix}_middle_name"),
                                   record.get(f"{prefix}_suffix")) if p)
        return f"{last}, {rest}" if rest else last
    return record.get(f"{prefix}_name").replace("^", ", ", 1).replace("^", " ")


def _name(record: Record, prefix: str) -> str:
    entity = record.get("entity_type").upper()
    organization = record.get(f"{prefix}_organization_name")
    if organization and entity not in ("IND", "CAN"):
        return organization
    return _person(record, prefix) or organization


def _candidate(record: Record) -> tuple[str, str]:
    """(candidate id, name as filed) of a Schedule E or F line."""
    if record.form.startswith("SE"):
        return record.get("candidate_id_number").upper(), _person(record, "candidate")
    return record.get("payee_candidate_id_number").upper(), _person(record, "payee_candidate")


def _line_date(fate: Fate) -> str:
    record = fate.record
    names = {"A": ("contribution_date",), "B": ("expenditure_date",), "E": ("disbursement_date", "dissemination_date"),
             "F": ("expenditure_date",)}[fate.schedule]
    return _iso(record.get(*names))


class _Builder:
    """Collects entities as lines name them; names committees by the spelling used most (the filer's own first)."""

    def __init__(self) -> None:
        self.committee_names: dict[str, Counter] = {}
        self.filer_names: dict[str, str] = {}
        self.filer_families: dict[str, set[str]] = {}
        self.candidates: dict[str, Counter] = {}
        self.candidate_where: dict[str, Counter] = {}
        self.parties: list[Party] = []
        self.party_lines: dict[int, int] = {}

    def committee(self, committee_id: str, name: str) -> str:
        self.committee_names.setdefault(committee_id, Counter())[name or committee_id] += 1
        return committee_id.lower()

    def filer(self, filing: Filing) -> str:
        self.filer_names.setdefault(filing.filer, filing.report.get("committee_name") or filing.filer)
        self.filer_families.setdefault(filing.filer, set()).add(filing.family)
        return self.committee(filing.filer, filing.report.get("committee_name"))

    def candidate(self, record: Record) -> str:
        cand_id, name = _candidate(record)
        self.candidates.setdefault(cand_id, Counter())[name or cand_id] += 1
        office = record.get("candidate_office", "payee_candidate_office")
        state = record.get("candidate_state", "payee_candidate_state")
        district = record.get("candidate_district", "payee_candidate_district")
        office = {"H": "House", "S": "Senate", "P": "President"}.get(office.upper(), office)
        seat = "-".join(p for p in (state, district if district.strip("0") else "") if p)
        self.candidate_where.setdefault(cand_id, Counter())[" ".join(p for p in (office, seat) if p)] += 1
        return cand_id.lower()

    def party(self, index: int, fate: Fate, prefix: str) -> str:
        record = fate.record
        key = len(self.parties) + 1
        self.parties.append(Party(
            key, record.get("entity_type").upper() not in ("IND", "CAN", ""), _name(record, prefix),
            record.get(f"{prefix}_city"), record.get(f"{prefix}_state"), record.get(f"{prefix}_zip_code"),
            record.get("contributor_employer") if prefix == "contributor" else "",
            record.get("contributor_occupation") if prefix == "contributor" else "",
            fate.filing.filer, fate.amount if fate.amount is not None else Decimal(0)))
        self.party_lines[key] = index
        return f"party:{key}"


def _counterparty(builder: _Builder, index: int, fate: Fate) -> tuple[str, str]:
    """(source, target) of a counted line; a ``party:N`` end is resolved later."""
    record, filer = fate.record, builder.filer(fate.filing)
    committee_entities = record.get("entity_type").upper() in _COMMITTEE_ENTITIES
    if fate.schedule == "A":
        other = record.get("donor_committee_fec_id").upper()
        if _COMMITTEE.match(other) and (committee_entities or fate.kind == "transfer" or line_of(record.form) in ("11B", "11C")):
            return builder.committee(other, record.get("donor_committee_name") or _name(record, "contributor")), filer
        return builder.party(index, fate, "contributor"), filer
    if fate.schedule == "B":
        other = record.get("beneficiary_committee_fec_id").upper()
        if _COMMITTEE.match(other) and (committee_entities or fate.kind in ("transfer", "contribution", "other_gift")):
            return filer, builder.committee(other, record.get("beneficiary_committee_name") or _name(record, "payee"))
        return filer, builder.party(index, fate, "payee")
    return filer, builder.candidate(record)


def _role(fate: Fate) -> str:
    label = KIND_TYPES[fate.kind][1]
    where = f"transaction {fate.transaction_id}" if fate.transaction_id else f"line {fate.record.line}"
    purpose = fate.record.get("contribution_purpose_descrip", "expenditure_purpose_descrip")
    return f"{label} ({fate.record.form} {where})" + (f": {purpose}" if purpose else "")


def _evidence(fate: Fate, when: str) -> str:
    filing, record = fate.filing, fate.record
    parts = [f"FEC filing {filing.file.filing_id} ({filing.form_type}"
             + (f" {filing.report.get('report_code')}" if filing.report.get("report_code") else "") + ")",
             f"line {record.line}: {record.form}", f"transaction {fate.transaction_id or '(none)'}"]
    if fate.schedule == "A":
        parts.append(f"from {_name(record, 'contributor')}")
        parts += [f"earmarked through {record.get('conduit_name')}"] if record.get("conduit_name") else []
        job = ", ".join(p for p in (record.get("contributor_employer"), record.get("contributor_occupation")) if p)
        parts += [f"employer/occupation {job}"] if job else []
    else:
        parts.append(f"paid to {_name(record, 'payee') or '(no payee)'}")
    if fate.schedule in ("E", "F"):
        cand_id, name = _candidate(record)
        side = {"S": "supporting", "O": "opposing"}.get(record.get("support_oppose_code").upper(), "for")
        parts.append(f"{side} {name} ({cand_id})")
        if record.get("dissemination_date"):
            parts.append(f"disseminated {_iso(record.get('dissemination_date')) or record.get('dissemination_date')}")
    parts.append(f"amount {usd_text(fate.amount)}")
    parts.append(when)
    if record.get("election_code"):
        parts.append(f"election {record.get('election_code')}")
    if record.get("memo_text_description"):
        parts.append(f"memo text: {record.get('memo_text_description')}")
    return "; ".join(parts)


def _dates(fate: Fate) -> tuple[str, str, str]:
    """(start, end, how the evidence says it): the line's date, else the report's coverage period."""
    day = _line_date(fate)
    if day:
        return day, day, f"dated {day}"
    start, end = _iso(fate.filing.report.get("coverage_from_date")), _iso(fate.filing.report.get("coverage_through_date"))
    if start and end:
        return start, end, f"no valid date on the line: dated by the report's coverage, {start} to {end}"
    return "", "", "no valid date on the line and no coverage period on the report"


def filing_tables(filings: Sequence[Filing], fates: Sequence[Fate], replaced: Mapping[str, str], *,
                  overrides=None, tech_employers: str | Path | None = None, match_employer: bool = False) -> FilingTables:
    """Entities, relationships (one per counted line), sources (one per filing) and exclusions (one per line left out).

    A counted line whose two ends are the same committee becomes an exclusion (``self_transfer``).
    """
    builder = _Builder()
    for filing in filings:
        builder.filer(filing)
    pending: list[tuple[Fate, str, str]] = []
    exclusions: list[dict[str, str]] = []
    for index, fate in enumerate(fates):
        if fate.kind:
            source, target = _counterparty(builder, index, fate)
            if source == target:
                fate = Fate(fate.filing, fate.record, "", "self_transfer", "the other committee is the filer itself")
            else:
                pending.append((fate, source, target))
                continue
        amount = fate.amount
        exclusions.append({"file": fate.filing.file.shown, "filing_id": fate.filing.file.filing_id, "line": str(fate.record.line),
                           "schedule": fate.schedule, "form": fate.record.form, "transaction_id": fate.transaction_id,
                           "reason": fate.reason, "detail": fate.detail, "amount_usd": usd_text(amount) if amount is not None else ""})
    resolved = resolve_parties(builder.parties, overrides=overrides, tech_employers=tech_employers, match_employer=match_employer)
    end_of = {f"party:{key}": donor for key, donor in resolved.donor_of.items()}
    relationships, used_parties = [], Counter()
    for fate, source, target in pending:
        source, target = end_of.get(source, source), end_of.get(target, target)
        for end in (source, target):
            if end in resolved.donors:
                used_parties[end] += 1
        kind_type = KIND_TYPES[fate.kind][0]
        start, end, when = _dates(fate)
        relationships.append({
            "id": f"f{fate.filing.file.filing_id}-{fate.record.line}", "source": source, "target": target, "type": kind_type,
            "role": _role(fate), "amount_usd": usd_text(fate.amount), "amount_qualifier": "exact",
            "start_date": start, "end_date": end, "status": "confirmed", "aggregate": "false",
            "source_ids": filing_source_id(fate.filing.file.filing_id), "evidence": _evidence(fate, when)})
    entities = _entities(builder, resolved, used_parties)
    sources = [_source(filing, replaced) for filing in filings]
    merged = sum(1 for donor in used_parties if int(resolved.donors[donor]["spellings"]) > 1)
    return FilingTables(entities, relationships, sources, exclusions, resolved.merge_log, len(used_parties), merged)


def _entities(builder: _Builder, resolved: Resolved, used: Counter) -> list[dict[str, str]]:
    rows = []
    for committee_id, names in builder.committee_names.items():
        families = builder.filer_families.get(committee_id)
        name = builder.filer_names.get(committee_id) or sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        kind = "committee"
        if families:
            kinds = {_FILER_TYPES[f] for f in families}
            kind = kinds.pop() if len(kinds) == 1 else "committee"
            what = "files " + ", ".join(_FAMILY_WORDS[f] for f in sorted(families))
        else:
            what = "named as a counterparty in the filings read"
        rows.append({"id": committee_id.lower(), "name": name, "type": kind, "name_ar": "", "aliases": "",
                     "description": f"FEC committee {committee_id}: {what}", "identifiers": f"fec_committee:{committee_id}"})
    for cand_id, names in builder.candidates.items():
        name = sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        where = builder.candidate_where[cand_id].most_common(1)[0][0]
        rows.append({"id": cand_id.lower(), "name": name, "type": "person", "name_ar": "", "aliases": "",
                     "description": f"FEC candidate {cand_id}" + (f" ({where}, as filed)" if where else ""),
                     "identifiers": f"fec_candidate:{cand_id}"})
    for donor_id, lines in used.items():
        donor = resolved.donors[donor_id]
        spellings = int(donor["spellings"])
        description = ("Organization" if donor["kind"] == "org" else "Individual") + " named in FEC filings; ZIP " + donor["zip5"]
        description += f"; employer {donor['employer']}" if donor["employer"] else ""
        description += f"; lines: {lines}"
        description += f"; spellings merged: {spellings} (see merge_log.csv)" if spellings > 1 else ""
        rows.append({"id": donor_id, "name": donor["name"], "type": "organization" if donor["kind"] == "org" else "person",
                     "name_ar": "", "aliases": donor["aliases"], "description": description, "identifiers": ""})
    return sorted(rows, key=lambda row: row["id"])


def _source(filing: Filing, replaced: Mapping[str, str]) -> dict[str, str]:
    report, own = filing.report, filing.file.filing_id
    start, end = _iso(report.get("coverage_from_date")), _iso(report.get("coverage_through_date"))
    title = f"{filing.form_type}" + (f" {report.get('report_code')}" if report.get("report_code") else "")
    title += f" report of {report.get('committee_name') or filing.filer} ({filing.filer})"
    title += f", covering {start} to {end}" if start and end else ""
    title += f"; amends filing {filing.amends}" if filing.amends else ""
    title += f"; superseded by filing {replaced[own]}" if own in replaced else ""
    return {"id": filing_source_id(own), "publisher": "US Federal Election Commission (electronic filing)", "title": title,
            "published": _iso(report.get("date_signed")), "language": "en", "url": FILING_URL.format(filing_id=own),
            "document": filing.file.member or filing.file.path.name}
