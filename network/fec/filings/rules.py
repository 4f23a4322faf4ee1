"""How each line of a filing counts: the report lines, what kind of money each is, and why a line is left out.

The FEC numbers the lines of each report form, and the same number means
different things on different forms (line 17 is "other receipts" on an F3X
and individual contributions on an F3P), so the tables go by report family.
`KIND_TYPES` is the one place that says which relationship type each kind of
money becomes; the money model (docs/money.md, issue 11) aligns it.

References
----------
.. [1] FEC, Form 3X, Form 3 and Form 3P instructions (line numbers of the summary and schedules),
   https://www.fec.gov/help-candidates-and-committees/forms/
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from network.fec.filings.read import Record, schedule_of

__all__ = ["KIND_TYPES", "LINE_KINDS", "REASONS", "Decision", "amount_of", "classify", "line_of", "usd_text"]

KIND_TYPES = {
    "contribution": ("donation", "contribution"),
    "transfer": ("donation", "transfer between committees"),
    "operating": ("spending", "operating expenditure"),
    "other_gift": ("donation", "other disbursement to a candidate or committee"),
    "other_spending": ("spending", "other disbursement"),
    "ie_support": ("spending", "independent expenditure supporting the candidate"),
    "ie_oppose": ("oppose", "independent expenditure opposing the candidate"),
    "coordinated": ("spending", "coordinated party expenditure for the candidate"),
}
"""Kind of money -> (relationship type, how the role describes it). The same types as the bulk ingest
(network/fec/ingest.sql): ``spending`` for independent expenditures for a candidate, so that they are the
spender's outlay, and ``oppose`` (conflict layer) for those against."""

_INDIVIDUALS = {"11AI": "contribution", "11AII": "contribution", "11A": "contribution", "11A1": "contribution"}
LINE_KINDS = {
    ("A", "F3X"): {**_INDIVIDUALS, "11B": "contribution", "11C": "contribution", "12": "transfer",
                   "13": "loan", "14": "loan_repayment_received", "15": "offset", "16": "refund_received",
                   "17": "other_receipt", "18": "nonfederal_transfer", "18A": "nonfederal_transfer", "18B": "levin_funds"},
    ("A", "F3"): {**_INDIVIDUALS, "11B": "contribution", "11C": "contribution", "11D": "contribution", "12": "transfer",
                  "13A": "loan", "13B": "loan", "14": "offset", "15": "other_receipt"},
    ("A", "F3P"): {"16": "public_funds", "17A": "contribution", "17AI": "contribution", "17AII": "contribution",
                   "17B": "contribution", "17C": "contribution", "17D": "contribution", "18": "transfer",
                   "19A": "loan", "19B": "loan", "20A": "offset", "20B": "offset", "20C": "offset", "21": "other_receipt"},
    ("B", "F3X"): {"21A": "operating", "21AI": "operating", "21AII": "operating", "21B": "operating", "22": "transfer",
                   "23": "contribution", "26": "loan_repayment_made", "27": "loan_made", "28A": "refund_paid",
                   "28B": "refund_paid", "28C": "refund_paid", "29": "other", "30A": "operating", "30AI": "operating",
                   "30AII": "operating", "30B": "operating"},
    ("B", "F3"): {"17": "operating", "18": "transfer", "19A": "loan_repayment_made", "19B": "loan_repayment_made",
                  "20A": "refund_paid", "20B": "refund_paid", "20C": "refund_paid", "21": "other"},
    ("B", "F3P"): {"23": "operating", "24": "transfer", "25": "operating", "26": "operating",
                   "27A": "loan_repayment_made", "27B": "loan_repayment_made", "28A": "refund_paid",
                   "28B": "refund_paid", "28C": "refund_paid", "29": "other"},
}
"""(schedule, report family) -> report line -> kind of money (a `KIND_TYPES` key, or ``other``, split by
the payee) or the reason the line is left out."""

REASONS = {
    "superseded_by_amendment": "the report was amended: a later filing given in this run replaces it",
    "not_money_between_parties": "a schedule of loans, debts, allocations or text, not money given to someone",
    "memo": "memo entry (memo code X): it details money reported on another line",
    "bad_amount": "the amount is not a number",
    "negative_amount": "a negative entry (a reattribution, redesignation or returned check)",
    "zero_amount": "an amount of zero",
    "line_not_counted": "a report line that is not money given to or spent for someone",
    "loan": "a loan received, not a contribution",
    "loan_repayment_received": "a loan repaid to the committee",
    "loan_made": "a loan made by the committee",
    "loan_repayment_made": "a loan repaid by the committee",
    "offset": "an offset to operating expenditures (a refund or rebate from a vendor)",
    "refund_received": "a refund of a contribution the committee had made",
    "refund_paid": "a refund of a contribution to the contributor (not netted yet: see docs/fec.md)",
    "other_receipt": "another receipt (interest, dividends), not a contribution",
    "nonfederal_transfer": "a transfer from the committee's own non-federal account",
    "levin_funds": "Levin funds (a party's non-federal account for voter drives)",
    "public_funds": "federal matching funds",
    "no_support_oppose": "an independent expenditure that says neither support nor oppose",
    "no_candidate": "an expenditure for or against a candidate that names no candidate id",
    "duplicate_transaction_id": "a second line with the same schedule and transaction id in one report",
    "self_transfer": "the other committee named is the filer itself",
    "repeated_on_periodic_report": "a 24/48-hour report's expenditure that the committee's periodic report given in this run repeats",
}
"""Why a line is left out, as exclusions.csv and the summary name it."""

_CANDIDATE = re.compile(r"^[HSP][0-9][0-9A-Z]{7}$")
_GIFT_PAYEES = ("CAN", "CCM", "COM", "PAC", "PTY")


@dataclass(frozen=True)
class Decision:
    """A line's fate: a kind of money (``kind``) or the reason it is left out, and a word on why."""

    kind: str = ""
    reason: str = ""
    detail: str = ""


def line_of(form: str) -> str:
    """The report line of a schedule record: ``11AI`` for SA11AI, ``24`` for SE (line 24 of the F3X).

    Examples
    --------
    >>> line_of("SA11AI"), line_of("SB28A"), line_of("SE"), line_of("SF")
    ('11AI', '28A', '24', '25')
    """
    if form.startswith(("SA", "SB")):
        return form[2:].split("/")[0]
    return {"SE": "24", "SF": "25"}.get(form, "")


def amount_of(text: str) -> Decimal | None:
    """The amount of a line from its raw text, exact to the cent; None if it is not a number.

    Examples
    --------
    >>> amount_of("5000.00"), amount_of(" -25 "), amount_of("n/a")
    (Decimal('5000.00'), Decimal('-25'), None)
    """
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def usd_text(value: Decimal) -> str:
    """Dollars as our files write them: whole dollars without decimals, cents with two.

    Examples
    --------
    >>> usd_text(Decimal("5000.00")), usd_text(Decimal("3915.5"))
    ('5000', '3915.50')
    """
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value.quantize(Decimal("0.01")))


def _amount_field(record: Record) -> str:
    return record.get("contribution_amount") if record.form.startswith("SA") else record.get("expenditure_amount")


def classify(family: str, record: Record) -> Decision:
    """The fate of one record of a report of ``family`` (F3, F3P, F3X, F24), apart from amendments and repeats.

    Examples
    --------
    >>> rec = Record(5, "SA11AI", {"contribution_amount": "250.00", "memo_code": ""})
    >>> classify("F3X", rec).kind, classify("F3P", Record(5, "SA17", {"contribution_amount": "9"})).reason
    ('contribution', 'line_not_counted')
    >>> classify("F3X", Record(6, "SA11AI", {"contribution_amount": "250.00", "memo_code": "X"})).reason
    'memo'
    """
    schedule = schedule_of(record.form)
    if schedule not in ("A", "B", "E", "F"):
        return Decision(reason="not_money_between_parties", detail=f"record type {record.form}")
    if record.get("memo_code").upper() == "X":
        return Decision(reason="memo", detail=f"{record.form} memo: {record.get('memo_text_description')}".rstrip(": "))
    raw = _amount_field(record)
    amount = amount_of(raw)
    if amount is None:
        return Decision(reason="bad_amount", detail=f"amount {raw!r}")
    if amount < 0:
        return Decision(reason="negative_amount", detail=f"amount {raw}")
    if amount == 0:
        return Decision(reason="zero_amount", detail=f"amount {raw}")
    line = line_of(record.form)
    if schedule in ("A", "B"):
        kind = LINE_KINDS.get((schedule, family), {}).get(line)
        if kind is None:
            return Decision(reason="line_not_counted", detail=f"line {line} of schedule {schedule} ({family} report)")
        if kind == "other":
            entity = record.get("entity_type").upper()
            kind = "other_gift" if entity in _GIFT_PAYEES else "other_spending"
        if kind not in KIND_TYPES:
            return Decision(reason=kind, detail=f"line {line} of schedule {schedule} ({family} report)")
        return Decision(kind=kind, detail=f"line {line}")
    candidate = _candidate_id(record)
    if schedule == "E":
        code = record.get("support_oppose_code").upper()
        if code not in ("S", "O"):
            return Decision(reason="no_support_oppose", detail=f"support/oppose code {code!r}")
        if not candidate:
            return Decision(reason="no_candidate", detail=f"candidate id {record.get('candidate_id_number')!r}")
        return Decision(kind="ie_support" if code == "S" else "ie_oppose", detail="line 24")
    if not candidate:
        return Decision(reason="no_candidate", detail=f"candidate id {record.get('payee_candidate_id_number')!r}")
    return Decision(kind="coordinated", detail="line 25")


def _candidate_id(record: Record) -> str:
    value = record.get("candidate_id_number", "payee_candidate_id_number").upper()
    return value if _CANDIDATE.match(value) else ""
