"""The fate of every line of a set of filings: amendments first, then the rules, then repeats across reports."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from network.errors import Problem
from network.fec.filings.read import Filing, Record, schedule_of
from network.fec.filings.rules import amount_of, classify

__all__ = ["Fate", "line_fates", "supersessions"]


@dataclass(frozen=True)
class Fate:
    """One record of one filing: counted as ``kind`` or left out for ``reason``."""

    filing: Filing
    record: Record
    kind: str
    reason: str
    detail: str

    @property
    def schedule(self) -> str:
        return schedule_of(self.record.form)

    @property
    def amount(self) -> Decimal | None:
        field = "contribution_amount" if self.record.form.startswith("SA") else "expenditure_amount"
        return amount_of(self.record.get(field)) if self.schedule in ("A", "B", "E", "F") else None

    @property
    def transaction_id(self) -> str:
        return self.record.get("transaction_id", "transaction_id_number")


def _root(parent: dict[str, str], node: str) -> str:
    while parent.setdefault(node, node) != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


def supersessions(filings: list[Filing]) -> tuple[dict[str, str], list[dict[str, str]], list[Problem]]:
    """Which filings a later amendment given in the same run replaces.

    An amendment names in its header the filing it amends (``FEC-<id>``). A
    report and all its amendments given together form one group; the filing
    with the highest id (the FEC numbers filings in the order they arrive) is
    the report in force and replaces every other. Returns ``{replaced id:
    replacing id}``, notes for the summary (an amendment whose original was
    not given, or that does not say which filing it amends), and problems (an
    amendment naming a filing of another committee or another kind of report).
    """
    given = {f.file.filing_id: f for f in filings}
    parent: dict[str, str] = {}
    notes: list[dict[str, str]] = []
    problems: list[Problem] = []
    for filing in filings:
        own = filing.file.filing_id
        _root(parent, own)
        if filing.is_amendment and not filing.amends:
            notes.append({"filing": own, "note": "an amendment whose header names no original filing; it replaces nothing here"})
        if not filing.amends:
            continue
        original = given.get(filing.amends)
        if original is None:
            notes.append({"filing": own, "note": f"amends filing {filing.amends}, which was not given"})
        elif (original.filer, original.family) != (filing.filer, filing.family):
            problems.append(Problem(filing.file.shown, 1, "report_id", "amends a filing of another committee or form",
                                    f"FEC-{filing.amends} ({original.form_type} of {original.filer})",
                                    f"a {filing.family} report of {filing.filer}"))
            continue
        parent[_root(parent, own)] = _root(parent, filing.amends)
    groups: dict[str, list[str]] = {}
    for own in given:
        groups.setdefault(_root(parent, own), []).append(own)
    replaced = {}
    for members in groups.values():
        current = max(members, key=int)
        replaced.update({own: current for own in members if own != current})
    return replaced, sorted(notes, key=lambda n: (int(n["filing"]), n["note"])), problems


def line_fates(filings: list[Filing], replaced: dict[str, str]) -> list[Fate]:
    """Every record of every filing with its fate, in filing then line order.

    A replaced filing's lines are all ``superseded_by_amendment``. A 24/48-hour
    report's (F24) independent expenditure whose transaction id the same
    committee's periodic report (given, in force) lists again on its Schedule E
    is ``repeated_on_periodic_report``: it counts once, from the periodic report.
    A counted line repeating the schedule and transaction id of an earlier
    counted line of the same filing is ``duplicate_transaction_id``.
    """
    fates: list[Fate] = []
    for filing in sorted(filings, key=lambda f: int(f.file.filing_id)):
        own = filing.file.filing_id
        for record in filing.records:
            if own in replaced:
                fates.append(Fate(filing, record, "", "superseded_by_amendment",
                                  f"filing {replaced[own]} replaces this report"))
                continue
            decision = classify(filing.family, record)
            fates.append(Fate(filing, record, decision.kind, decision.reason, decision.detail))
    fates = _first_of_each_transaction(fates)
    periodic = {(f.filing.filer, f.transaction_id): f.filing.file.filing_id for f in fates
                if f.kind and f.schedule == "E" and f.filing.family != "F24" and f.transaction_id}
    result = []
    for fate in fates:
        where = periodic.get((fate.filing.filer, fate.transaction_id))
        if fate.kind and fate.schedule == "E" and fate.filing.family == "F24" and where:
            fate = Fate(fate.filing, fate.record, "", "repeated_on_periodic_report",
                        f"transaction {fate.transaction_id} is on periodic report {where}")
        result.append(fate)
    return result


def _first_of_each_transaction(fates: list[Fate]) -> list[Fate]:
    """A transaction id is unique within a report: a second counted line with it would count its money twice."""
    seen: dict[tuple[str, str, str], int] = {}
    result = []
    for fate in fates:
        key = (fate.filing.file.filing_id, fate.schedule, fate.transaction_id)
        if fate.kind and fate.transaction_id:
            if key in seen:
                fate = Fate(fate.filing, fate.record, "", "duplicate_transaction_id",
                            f"same schedule and transaction id as line {seen[key]}")
            else:
                seen[key] = fate.record.line
        result.append(fate)
    return result
