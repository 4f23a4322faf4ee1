"""Money counted right: every case of the ingest on the hand-written fixtures, totals worked out by hand.

Line numbers (L1..) are those of tests/fixtures/fec/itcont.txt, O1.. of itoth.txt,
P1.. of itpas2.txt, as commented in tests/fixtures/fec/make_fec_fixtures.py.
"""

from __future__ import annotations

import pytest

HILLARY, TRUMP, BERNIE, CRUZ = "c00575795", "c00580100", "c00577130", "c00574624"
HVF, GREAT_AMERICA, PRIORITIES, STOP_HILLARY = "c00586537", "c00608489", "c00495861", "c00544767"
NETPAC, MSPAC, FBPAC, RNC, DNC = "c00428623", "c00227546", "c00502906", "c00003418", "c00010603"


def gift(out, name: str, target: str) -> float | None:
    (donor,) = out.donor_of(name)
    return out.money(donor, target, "gift")


def test_memo_rows_are_not_counted(full):
    # L1 2700 + L2 2000 + L37 300 = 5000; the memo L4 (2700, MEMO_CD X) and the repeat L21 are left out
    assert gift(full, "MUSK, ELON", TRUMP) == 5000
    assert full.excluded("itcont.txt")[4] == "memo"
    # itoth: the 24K memo O9 (1000) is not added to Microsoft PAC -> RNC: 2500 - 500 = 2000
    assert full.excluded("itoth.txt")[9] == "memo"
    assert full.money(MSPAC, RNC, "contribution") == 2000


def test_earmarks_give_one_edge_with_the_conduit_as_attribute(full):
    # Jane Smith -> Hillary for America: L8 250 (15E via ActBlue) + L9 100 (15E via ActBlue) + L11 500 = 850
    (jane,) = full.donor_of("SMITH, JANE")
    row = full.relationship(f"gift.{jane}.{HILLARY}")
    assert float(row["amount_usd"]) == 850
    assert row["role"] == "individual contributions; earmarked via ACTBLUE (C00401224)"
    assert "earmarked through a conduit 350 (rows 2)" in row["evidence"]  # 250 + 100
    # ActBlue's own pass-through row (L10, 24T) is not a second gift, and ActBlue gets no money edge
    assert full.excluded("itcont.txt")[10] == "earmark_passthrough"
    assert not [r for r in full.relationships if "c00401224" in (r["source"], r["target"])]
    # counted in the summary: 2 earmarked rows, 350 dollars, by conduit
    assert full.summary["earmarks"]["C00401224"] == {"rows": 2, "usd": "350"}


def test_refunds_net_whatever_their_sign(full):
    # David Lee -> Bernie 2016: L14 1000 - L15 22Y 400 - L16 22Y |-100| = 500 (the type decides, not the sign)
    (lee,) = full.donor_of("LEE, DAVID")
    row = full.relationship(f"gift.{lee}.{BERNIE}")
    assert float(row["amount_usd"]) == 500
    assert "given 1000, refunded 500, net 500" in row["evidence"]
    assert full.summary["refunds"]["22Y"] == {"rows": 2, "usd": "500"}


def test_negative_rows_net_against_the_pair(full):
    # Priya Patel -> Hillary: L17 1000 + L18 (-250) = 750
    assert gift(full, "PATEL, PRIYA", HILLARY) == 750
    assert full.summary["negative_rows"]["15"] == {"rows": 1, "usd": "-250"}


def test_a_gift_refunded_in_full_leaves_no_edge_and_is_listed(full):
    # Tom Green -> Cruz: L19 500 - L20 22Y 500 = 0: no relationship, both lines listed
    assert full.donor_of("GREEN, TOM") == []
    excluded = full.excluded("itcont.txt")
    assert excluded[19] == excluded[20] == "net_not_positive"
    assert full.summary["rows"]["indiv"]["excluded"]["net_not_positive"] == {"rows": 2, "usd": "0"}


def test_jfc_memo_shares_are_counted_at_the_fundraiser(full):
    # L12 (15J, 1000 to Hillary as a share of the Hillary Victory Fund transfer) is left out;
    # Jane's 2000 to the fund itself (L13) and the fund's 24G transfer (O6, 100000) count
    assert full.excluded("itcont.txt")[12] == "jfc_memo"
    assert gift(full, "SMITH, JANE", HVF) == 2000
    assert full.money(HVF, HILLARY, "transfer") == 100000
    assert full.excluded("itoth.txt")[8] == "jfc_memo"  # 18J memo share


def test_repeated_sub_id_counts_once(full):
    # L21 repeats L1's SUB_ID: the first line is kept
    (row,) = [r for r in full.exclusions if r["reason"] == "duplicate_sub_id"]
    assert (row["line"], row["sub_id"]) == ("21", "4041520161293000001")
    assert row["detail"].endswith("itcont.txt line 1")


def test_itpas2_records_are_deduplicated_against_itoth(full):
    # O10/O11 carry the SUB_IDs of P1/P2: counted once, from itpas2 (which names the candidate)
    excluded = full.excluded("itoth.txt")
    assert excluded[10] == excluded[11] == "pas2_duplicate"
    assert full.money(PRIORITIES, "p00003392", "ie-support") == 1_000_000
    assert full.money(MSPAC, BERNIE, "contribution") == 1000
    assert full.relationship(f"contribution.{MSPAC}.{BERNIE}")["source_ids"] == "fec-itpas2"


def test_committee_money_is_counted_once_from_the_givers_report(full):
    # O1 24K NetPAC -> Hillary 5000 and O2 Hillary's 18K receipt of it: 5000 once
    assert full.money(NETPAC, HILLARY, "contribution") == 5000
    assert full.excluded("itoth.txt")[2] == "reported_by_giver"
    # O6 24G / O7 18G, the same 100000 transfer: once
    assert full.excluded("itoth.txt")[7] == "reported_by_giver"
    # O5: only the DNC reported Facebook PAC's 1500; the receiver's report is used
    row = full.relationship(f"contribution.{FBPAC}.{DNC}")
    assert float(row["amount_usd"]) == 1500 and "reported by the receiving committee" in row["evidence"]


def test_independent_expenditures_support_and_oppose(full):
    # P4 75000 + P5 25000 = 100000 for Trump; P3 50000 against Clinton
    support = full.relationship(f"ie-support.{GREAT_AMERICA}.p80001571")
    assert (support["type"], float(support["amount_usd"])) == ("spending", 100000)
    oppose = full.relationship(f"ie-oppose.{STOP_HILLARY}.p00003392")
    assert (oppose["type"], float(oppose["amount_usd"])) == ("oppose", 50000)
    # P6 24C coordinated party expenditure
    assert full.relationship(f"coordinated.{RNC}.p80001571")["type"] == "spending"
    # an IE naming no candidate (O14) is listed, not guessed
    assert full.excluded("itoth.txt")[14] == "no_candidate"


def test_committee_rule_exclusions(full):
    excluded = full.excluded("itoth.txt")
    assert excluded[12] == "self_transfer"
    assert excluded[13] == "no_counterparty"
    assert excluded[15] == "type_not_counted"
    assert excluded[16] == "bad_amount"


def test_committees_link_to_candidates_through_ccl_and_cm(full):
    for committee, candidate in ((HILLARY, "p00003392"), (TRUMP, "p80001571"), (BERNIE, "p60007168")):
        row = full.relationship(f"candidate.{committee}.{candidate}")
        assert row["type"] == "beneficiary"
        assert row["role"] == "principal campaign committee"
        assert row["source_ids"] == "fec-ccl;fec-cm"
    # Cruz's committee has no money left in the graph (L19-L20 net 0), so no link and no Cruz
    assert not [r for r in full.entities if r["id"] in (CRUZ, "p60006111")]


def test_every_line_ends_in_exactly_one_fate(full, tech):
    for out in (full, tech):
        for key in ("indiv", "oth", "pas2"):
            assert out.summary["rows"][key]["unaccounted"] == 0


def test_counted_totals(full):
    rows = full.summary["rows"]
    # itcont: 25 counted lines, 8 excluded, 6 malformed = 39 lines
    assert (rows["indiv"]["read"], rows["indiv"]["counted"]) == (39, 25)
    # 105000 (Musk: 5000 + 100000) + 1000 (Kimbal Musk) + 2950 (Doerr 2700 + 250) + 2850 (Jane 850 + 2000)
    # + 500 (Lee) + 750 (Patel) + 2200 (Gates III 1500 + Gates Sr 700) + 300 (Nguyen) + 1000 (McKeon)
    # + 50000 (Acme) + 500 (Pena) + 200 (Doe) + 100 (Roe) = 167350
    assert rows["indiv"]["counted_usd"] == "167350"
    # itoth: O1 5000 + O3/O4 2000 + O5 1500 + O6 100000 = 108500, five lines
    assert (rows["oth"]["counted"], rows["oth"]["counted_usd"]) == (5, "108500")
    # itpas2: 1000000 + 1000 + 50000 + 75000 + 25000 + 10000 = 1161000, all six lines
    assert (rows["pas2"]["counted"], rows["pas2"]["counted_usd"]) == (6, "1161000")


@pytest.mark.parametrize(("line", "reason"), [
    (28, "committee_in_indiv"), (29, "type_not_counted"),
])
def test_other_itcont_rules(full, line, reason):
    assert full.excluded("itcont.txt")[line] == reason


def test_tech_mode_keeps_the_committee_money_one_hop_on(tech):
    rows = tech.summary["rows"]
    # tech donors: Musk 105000, Jane 2850, Lee 500, Patel 750, Nguyen 300 = 109400 on 14 lines
    assert (rows["indiv"]["counted"], rows["indiv"]["counted_usd"]) == (14, "109400")
    # 13 lines of the other 10 donors are filtered, not listed
    assert rows["indiv"]["filtered"]["not_tech_donor"]["rows"] == 13
    # company PACs and the committees tech donors gave to keep their outgoing money ...
    assert tech.money(GREAT_AMERICA, "p80001571", "ie-support") == 100000
    assert tech.money(HVF, HILLARY, "transfer") == 100000
    assert tech.money(FBPAC, DNC, "contribution") == 1500
    # ... other committees' does not: P1 (Priorities USA), P3 (Stop Hillary), P6 (RNC)
    assert rows["pas2"]["filtered"]["outside_tech_focus"]["rows"] == 3
    assert tech.money(PRIORITIES, "p00003392", "ie-support") is None


def test_committees_and_candidates_carry_their_fec_ids_and_donors_none(full):
    import re

    by_id = {row["id"]: row["identifiers"] for row in full.entities}
    assert by_id["p80001571"] == "fec_candidate:P80001571"
    assert by_id[TRUMP] == f"fec_committee:{TRUMP.upper()}"
    for entity_id, identifiers in by_id.items():
        if re.fullmatch(r"c[0-9]{8}", entity_id):
            assert identifiers == f"fec_committee:{entity_id.upper()}"
        elif re.fullmatch(r"[hsp][0-9][0-9a-z]{7}", entity_id):
            assert identifiers == f"fec_candidate:{entity_id.upper()}"
        else:  # donors and tech employers
            assert identifiers == "", entity_id


def test_relationships_list_the_fec_records_behind_them(full):
    """Evidence names the lines (SUB_ID) a relationship sums, with a link to the filing image (issue 15)."""
    (musk,) = full.donor_of("MUSK, ELON")
    evidence = full.relationship(f"gift.{musk}.{TRUMP}")["evidence"]
    # L1, L2 and L37 are counted (SUB_IDs ...001, ...002, ...037; images 201607159000000001, ...)
    assert evidence.endswith(
        "; FEC records (SUB_ID): 4041520161293000001 (image https://docquery.fec.gov/cgi-bin/fecimg/?201607159000000001), "
        "4041520161293000002 (image https://docquery.fec.gov/cgi-bin/fecimg/?201607159000000002), "
        "4041520161293000037 (image https://docquery.fec.gov/cgi-bin/fecimg/?201607159000000037)")
    # the memo L4 is not among them
    assert "4041520161293000004" not in evidence
    # committee money too: Microsoft PAC -> RNC, O-lines kept, the memo O9 left out
    committee = full.relationship(f"contribution.{MSPAC}.{RNC}")["evidence"]
    assert "; FEC records (SUB_ID): 4041520161293000103 (image https://docquery.fec.gov/cgi-bin/fecimg/?201607159000000103)" in committee


def test_long_record_lists_are_capped_with_a_count(tmp_path):
    from fec_helpers import fec_paths, run_ingest

    lines = (fec_paths()["indiv"]).read_text(encoding="latin-1").splitlines()
    base = lines[1].split("|")  # L2: MUSK, ELON R -> Trump, $2,000
    extra = []
    for n in range(3):
        fields = list(base)
        fields[4], fields[20] = f"20160715900000090{n}", f"40415201612930009{n:02d}"
        extra.append("|".join(fields))
    itcont = tmp_path / "itcont.txt"
    itcont.write_text("\n".join(lines + extra) + "\n", encoding="latin-1")
    out = run_ingest(tmp_path / "out", paths=fec_paths(indiv=itcont))
    (musk,) = out.donor_of("MUSK, ELON R")  # now the commoner spelling of the same donor
    evidence = out.relationship(f"gift.{musk}.{TRUMP}")["evidence"]
    assert out.money(musk, TRUMP, "gift") == 5000 + 3 * 2000
    assert evidence.count("(image https://docquery.fec.gov/cgi-bin/fecimg/?") == 3
    assert evidence.endswith(" and 3 more")
