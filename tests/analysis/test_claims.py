"""`influence claims`: the bundled news rows checked against hand-made FEC filings, one test per outcome."""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from analysis.claims import claims_table, compare_amount
from analysis.cli import main
from network.contract.load import load_tables
from network.contract.schema import default_data_dir, load_schema
from network.fec.filings.ingest import ingest_filings
from network.merge.folders import made_aggregate_ids, merge_folders

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "claims"
DATA = default_data_dir()
_spec = importlib.util.spec_from_file_location("make_filings", FIXTURES / "make_filings.py")
make_filings = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_filings)


def checked(tmp_path: Path, *reports: tuple[str, str]) -> pd.DataFrame:
    """Claims of the bundled data merged with filings made from (file name, text) pairs; indexed by relationship id."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in reports:
        paths.append(tmp_path / name)
        paths[-1].write_text(text, encoding="utf-8")
    ingest_filings(paths, tmp_path / "filings")
    merge_folders([DATA, tmp_path / "filings"], tmp_path / "merged")
    tables = load_tables(tmp_path / "merged")
    table = claims_table(tables, load_schema(tables.paths["schema"]), made_aggregate=made_aggregate_ids(tmp_path / "merged"))
    return table.set_index("relationship_id")


def america_pac(*gifts: tuple[str, str]) -> tuple[str, str]:
    return "900000011.fec", make_filings.filing_text("C00879510", "AMERICA PAC", list(gifts))


def trump_campaign(*gifts: tuple[str, str]) -> tuple[str, str]:
    return "900000012.fec", make_filings.filing_text("C00828541", "DONALD J. TRUMP FOR PRESIDENT 2024, INC.", list(gifts),
                                                     form="F3PN")


def test_75_million_filed_by_the_end_of_september_matches(tmp_path):
    table = checked(tmp_path, america_pac(("20240715", "45000000.00"), ("20240905", "30000000.00")))
    row = table.loc["r002"]
    assert row["outcome"] == "matches filings"
    assert (row["claimed_usd"], row["filed_usd"], row["difference_usd"]) == ("75000000", "75000000", "0")
    assert row["filing_lines"] == "filing 900000011 line 3; filing 900000011 line 4"
    assert row["filed_rows"] == "f900000011-3;f900000011-4"


def test_70_million_filed_shows_less_by_5_million(tmp_path):
    row = checked(tmp_path, america_pac(("20240715", "70000000.00"))).loc["r002"]
    assert (row["outcome"], row["filed_usd"], row["difference_usd"]) == ("filings show less", "70000000", "-5000000")


def test_80_million_filed_shows_more_and_money_after_the_period_is_left_out(tmp_path):
    """A report covering 1 July to 16 October: $80M in July, $9M on 5 October."""
    text = make_filings.filing_text("C00879510", "AMERICA PAC", [("20240715", "80000000.00"), ("20241005", "9000000.00")],
                                    coverage=("20240701", "20241016"), report_code="12G")
    table = checked(tmp_path, ("900000011.fec", text))
    assert tuple(table.loc["r002", ["outcome", "filed_usd", "difference_usd"]]) == ("filings show more", "80000000", "5000000")
    # r001: $43.6M from 1 to 16 October; only the $9M line is in that period
    assert tuple(table.loc["r001", ["outcome", "filed_usd", "difference_usd"]]) == ("filings show less", "9000000", "-34600000")


def test_a_covered_period_without_a_line_is_no_filing_found(tmp_path):
    # the report lists only a gift from someone else
    text = make_filings.filing_text("C00879510", "AMERICA PAC", [("20240715", "10.00")]).replace("MUSK\x1cELON\x1cR.", "DOE\x1cJANE\x1c")
    row = checked(tmp_path, ("900000011.fec", text)).loc["r002"]
    assert (row["outcome"], row["filed_usd"], row["difference_usd"]) == ("no filing found", "0", "-75000000")


def test_a_period_the_reports_do_not_cover_is_not_checkable(tmp_path):
    table = checked(tmp_path, america_pac(("20240715", "75000000.00")))
    row = table.loc["r001"]  # $43.6M from 1 to 16 October; the Q3 report ends on 30 September
    assert row["outcome"] == "not checkable" and row["reason"].startswith("period not covered")
    assert table.loc["r009", "reason"] == "no report of C00828541 read"  # Mellon -> the Trump campaign
    assert table.loc["r041", "reason"] == "neither end has an fec_committee identifier"  # Meta -> inaugural fund


def test_the_aggregate_row_is_compared_as_at_least_against_the_sum(tmp_path):
    """r003: 'more than $100M', aggregate, at_least, Musk -> Trump campaign; hand-made campaign reports."""
    row = checked(tmp_path / "a", trump_campaign(("20240801", "60000000.00"), ("20240901", "50000000.00"))).loc["r003"]
    assert (row["outcome"], row["qualifier"], bool(row["aggregate"])) == ("matches filings", "at_least", True)
    assert (row["filed_usd"], row["difference_usd"]) == ("110000000", "10000000")  # 60M + 50M, by hand
    row = checked(tmp_path / "b", trump_campaign(("20240801", "3300.00"), ("20240901", "3300.00"))).loc["r003"]
    assert (row["outcome"], row["filed_usd"], row["difference_usd"]) == ("filings show less", "6600", "-99993400")


def test_qualifiers_are_honoured():
    million = Decimal(1_000_000)
    assert compare_amount(Decimal(75_000_000), "exact", Decimal(75_400_000)) == "matches filings"  # written to the million
    assert compare_amount(Decimal(75_000_000), "exact", Decimal(75_500_000)) == "filings show more"
    assert compare_amount(million, "exact", Decimal(995_000)) == "matches filings"  # at most 1 % off
    assert compare_amount(million, "exact", Decimal(980_000)) == "filings show less"
    assert compare_amount(million, "approx", Decimal(920_000)) == "matches filings"  # within 10 %
    assert compare_amount(million, "approx", Decimal(880_000)) == "filings show less"
    assert compare_amount(million, "at_least", Decimal(5_000_000)) == "matches filings"
    assert compare_amount(million, "at_least", Decimal(999_999)) == "filings show less"
    assert compare_amount(million, "at_most", Decimal(10)) == "matches filings"
    assert compare_amount(million, "at_most", Decimal(1_000_001)) == "filings show more"


def test_on_the_bundled_data_alone_nothing_is_checkable_and_the_command_says_why(capsys):
    assert main(["claims"]) == 0
    printed = capsys.readouterr().out
    first = printed.splitlines()[0]
    assert first.startswith("11 claims: 11 not checkable. None is checkable: ")
    assert "The data holds no FEC report: read filings with `influence fec filing`" in first
    assert main(["claims", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["outcome"] for row in rows} == {"not checkable"} and len(rows) == 11


def test_claims_on_two_folders_is_claims_on_their_merge(tmp_path, capsys):
    ingest_filings([FIXTURES / "900000010.fec"], tmp_path / "filings")
    assert main(["merge", str(DATA), str(tmp_path / "filings"), "--out", str(tmp_path / "merged")]) == 0
    capsys.readouterr()
    assert main(["claims", "--data", str(tmp_path / "merged"), "--format", "csv"]) == 0
    via_data = capsys.readouterr().out
    assert main(["claims", str(DATA), str(tmp_path / "filings"), "--format", "csv"]) == 0
    assert capsys.readouterr().out == via_data
    assert "r002,elon-musk,america-pac,donation,75000000,exact,False,... to 2024-09-30,matches filings,75000000,0," in via_data
    assert main(["claims", str(DATA)]) == 1
    assert "give two or more folders" in capsys.readouterr().err


def test_run_on_merged_data_writes_claims_a_report_section_and_map_checks(tmp_path, capsys):
    ingest_filings([FIXTURES / "900000010.fec"], tmp_path / "filings")
    merge_folders([DATA, tmp_path / "filings"], tmp_path / "merged")
    assert main(["run", "--data", str(tmp_path / "merged"), "--out", str(tmp_path / "run")]) == 0
    printed = capsys.readouterr().out
    assert f"wrote {tmp_path / 'run' / 'claims.csv'} (11 claims: 1 matches filings, 1 no filing found, 9 not checkable)" in printed
    assert main(["claims", "--data", str(tmp_path / "merged"), "--format", "csv"]) == 0
    assert (tmp_path / "run" / "claims.csv").read_text(encoding="utf-8") == capsys.readouterr().out
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "## Reported money against filings" in report and "| r002 | elon-musk | america-pac | 75000000 | exact | matches filings |" in report
    page = (tmp_path / "run" / "map.html").read_text(encoding="utf-8")
    assert "matches filings: filed $75,000,000 against $75,000,000 reported (difference $0; filing 900000010 line 3" in page
    run = json.loads((tmp_path / "run" / "run.json").read_text(encoding="utf-8"))
    assert "claims.csv" in run["outputs"]


def test_run_on_the_bundled_data_writes_no_claims(tmp_path):
    assert main(["run", "--out", str(tmp_path / "run")]) == 0
    assert not (tmp_path / "run" / "claims.csv").exists()
    assert "Reported money against filings" not in (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
