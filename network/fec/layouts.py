"""The FEC bulk-file layouts and how each transaction type is counted.

Column names follow the FEC's own header files (``indiv_header_file.csv``
and friends). Transaction types are grouped here, as data, so that the one
ingest query (`network.fec.query`) and the documentation read the same
lists.

References
----------
.. [1] FEC, "Contributions by individuals file description",
   https://www.fec.gov/campaign-finance-data/contributions-individuals-file-description/
.. [2] FEC, "Transaction type code descriptions",
   https://www.fec.gov/campaign-finance-data/transaction-type-code-descriptions/
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "TRANSACTION_COLUMNS",
    "PAS2_COLUMNS",
    "CM_COLUMNS",
    "CN_COLUMNS",
    "CCL_COLUMNS",
    "LAYOUTS",
    "FileLayout",
    "INDIVIDUAL_GIFT_TYPES",
    "EARMARK_TYPES",
    "REFUND_TYPES",
    "JFC_MEMO_TYPES",
    "PASSTHROUGH_TYPES",
    "COMMITTEE_TYPES",
    "PERSON_ENTITY_TYPES",
    "ORGANIZATION_ENTITY_TYPES",
    "NAME_TITLES",
    "NAME_SUFFIXES",
    "COMPANY_SUFFIXES",
    "CODE_LABELS",
]

TRANSACTION_COLUMNS = (
    "CMTE_ID", "AMNDT_IND", "RPT_TP", "TRANSACTION_PGI", "IMAGE_NUM", "TRANSACTION_TP", "ENTITY_TP",
    "NAME", "CITY", "STATE", "ZIP_CODE", "EMPLOYER", "OCCUPATION", "TRANSACTION_DT", "TRANSACTION_AMT",
    "OTHER_ID", "TRAN_ID", "FILE_NUM", "MEMO_CD", "MEMO_TEXT", "SUB_ID",
)
"""itcont.txt (individual contributions) and itoth.txt (committee to committee): 21 fields."""

PAS2_COLUMNS = TRANSACTION_COLUMNS[:16] + ("CAND_ID",) + TRANSACTION_COLUMNS[16:]
"""itpas2.txt (committee to candidate): itcont's columns with CAND_ID after OTHER_ID, 22 fields."""

CM_COLUMNS = (
    "CMTE_ID", "CMTE_NM", "TRES_NM", "CMTE_ST1", "CMTE_ST2", "CMTE_CITY", "CMTE_ST", "CMTE_ZIP",
    "CMTE_DSGN", "CMTE_TP", "CMTE_PTY_AFFILIATION", "CMTE_FILING_FREQ", "ORG_TP", "CONNECTED_ORG_NM", "CAND_ID",
)
CN_COLUMNS = (
    "CAND_ID", "CAND_NAME", "CAND_PTY_AFFILIATION", "CAND_ELECTION_YR", "CAND_OFFICE_ST", "CAND_OFFICE",
    "CAND_OFFICE_DISTRICT", "CAND_ICI", "CAND_STATUS", "CAND_PCC", "CAND_ST1", "CAND_ST2", "CAND_CITY",
    "CAND_ST", "CAND_ZIP",
)
CCL_COLUMNS = ("CAND_ID", "CAND_ELECTION_YR", "FEC_ELECTION_YR", "CMTE_ID", "CMTE_TP", "CMTE_DSGN", "LINKAGE_ID")


@dataclass(frozen=True)
class FileLayout:
    """One FEC bulk file: its option name, usual file name, source id and columns.

    Examples
    --------
    >>> LAYOUTS["pas2"].columns.index("CAND_ID")
    16
    >>> LAYOUTS["indiv"].member
    'itcont.txt'
    """

    key: str
    member: str
    source_id: str
    title: str
    columns: tuple[str, ...]

    @property
    def field_count(self) -> int:
        return len(self.columns)


LAYOUTS = {
    "indiv": FileLayout("indiv", "itcont.txt", "fec-itcont", "Contributions by individuals (itcont.txt)", TRANSACTION_COLUMNS),
    "oth": FileLayout("oth", "itoth.txt", "fec-itoth", "Any transaction from one committee to another (itoth.txt)", TRANSACTION_COLUMNS),
    "pas2": FileLayout("pas2", "itpas2.txt", "fec-itpas2", "Contributions from committees to candidates and independent expenditures (itpas2.txt)", PAS2_COLUMNS),
    "cm": FileLayout("cm", "cm.txt", "fec-cm", "Committee master (cm.txt)", CM_COLUMNS),
    "cn": FileLayout("cn", "cn.txt", "fec-cn", "Candidate master (cn.txt)", CN_COLUMNS),
    "ccl": FileLayout("ccl", "ccl.txt", "fec-ccl", "Candidate-committee linkages (ccl.txt)", CCL_COLUMNS),
}
"""Every input file, by its command-line option (``--indiv`` ...)."""

# ---------------------------------------------------------------- itcont
INDIVIDUAL_GIFT_TYPES = ("10", "11", "15", "15C", "15E", "30", "30E", "31", "31E", "32", "32E")
"""Receipts from a person or organization counted as gifts: 10 (super PAC / non-contribution
account), 11 (tribal), 15, 15C (from the candidate), 15E (earmarked), and the party
convention (30), headquarters (31) and recount (32) accounts, with their earmarked forms."""
EARMARK_TYPES = ("15E", "30E", "31E", "32E")
"""Earmarked through a conduit: OTHER_ID names the conduit (ActBlue C00401224, WinRed C00694323)."""
REFUND_TYPES = ("22Y",)
"""Refunds to the contributor: always subtracted from the pair, whatever the sign."""
JFC_MEMO_TYPES = ("15J", "18J", "30J", "31J", "32J")
"""A participant's share of a joint-fundraising transfer: repeats money the JFC reported."""
PASSTHROUGH_TYPES = ("24I", "24T")
"""A conduit passing an earmark on: the recipient's 15E row counts the money."""
PERSON_ENTITY_TYPES = ("IND", "CAN", "")
ORGANIZATION_ENTITY_TYPES = ("ORG",)

# ---------------------------------------------------------------- itoth / itpas2
COMMITTEE_TYPES = {
    # type: (edge kind, which side reports it)
    "24K": ("contribution", "giver"),
    "18K": ("contribution", "receiver"),
    "24G": ("transfer", "giver"),
    "18G": ("transfer", "receiver"),
    "24Z": ("in-kind", "giver"),
    "24E": ("ie-support", "spender"),
    "24A": ("ie-oppose", "spender"),
    "24C": ("coordinated", "spender"),
}
"""Committee money counted, and from whose report: a 24K/24G (giver) and its 18K/18G
(receiver) describe the same dollars, so the giver's report is used when it exists."""

# ---------------------------------------------------------------- names
NAME_TITLES = ("MR", "MRS", "MS", "MISS", "DR", "HON", "REV", "PROF", "SIR")
NAME_SUFFIXES = ("JR", "SR", "II", "III", "IV")
COMPANY_SUFFIXES = ("INC", "INCORPORATED", "LLC", "L L C", "CORP", "CORPORATION", "CO", "COMPANY", "LTD", "LP", "PLC", "THE")

CODE_LABELS = {
    "CMTE_TP": {
        "C": "communication cost", "D": "delegate committee", "E": "electioneering communication",
        "H": "House campaign", "I": "independent expenditor", "N": "PAC (nonqualified)", "O": "super PAC",
        "P": "presidential campaign", "Q": "PAC (qualified)", "S": "Senate campaign",
        "U": "single-candidate independent expenditure", "V": "hybrid PAC (nonqualified)",
        "W": "hybrid PAC (qualified)", "X": "party (nonqualified)", "Y": "party (qualified)",
        "Z": "national party nonfederal account",
    },
    "CMTE_DSGN": {
        "A": "authorized by a candidate", "B": "lobbyist/registrant PAC", "D": "leadership PAC",
        "J": "joint fundraiser", "P": "principal campaign committee", "U": "unauthorized",
    },
    "CAND_OFFICE": {"H": "House", "S": "Senate", "P": "President"},
}
"""Words for the one-letter codes of cm.txt and cn.txt, used in entity descriptions."""
