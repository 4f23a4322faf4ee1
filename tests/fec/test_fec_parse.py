"""Parsing per the FEC layouts: pipes, no quoting, MMDDYYYY, malformed lines listed with file, line and reason."""

from __future__ import annotations

import io
import zipfile

import pytest

from fec_helpers import FEC, fec_paths, run_ingest
from network.errors import DataError
from network.fec.inputs import prepare_input, scan_lines
from network.fec.layouts import LAYOUTS
from network.fec.query import ingest_sql, render_steps


def test_layouts_match_the_fec_header_files():
    assert len(LAYOUTS["indiv"].columns) == 21 and len(LAYOUTS["pas2"].columns) == 22
    assert LAYOUTS["pas2"].columns[15:17] == ("OTHER_ID", "CAND_ID")
    assert (len(LAYOUTS["cm"].columns), len(LAYOUTS["cn"].columns), len(LAYOUTS["ccl"].columns)) == (15, 15, 7)


@pytest.mark.parametrize(("line", "reason", "detail"), [
    (30, "wrong_field_count", "20 fields, expected 21"),
    (31, "bad_date", "TRANSACTION_DT '02302016' is not a date MMDDYYYY"),
    (32, "bad_amount", "TRANSACTION_AMT '12O0' is not an amount in dollars"),
    (33, "bad_cmte_id", "CMTE_ID 'C0058010' is not a committee id (C and 8 digits)"),
    (34, "bad_sub_id", "SUB_ID 'ABC' is not a record number"),
    (35, "empty_line", "empty line"),
])
def test_malformed_lines_are_listed_with_file_line_and_reason(full, line, reason, detail):
    (row,) = [r for r in full.exclusions if r["file"].endswith("itcont.txt") and r["line"] == str(line)]
    assert (row["reason"], row["detail"]) == (reason, detail)
    assert row["file"] == str(FEC / "itcont.txt")
    if reason != "empty_line":
        assert row["record"].count("|") >= 19  # the line itself, for review


def test_malformed_counts_in_the_summary(full):
    malformed = full.summary["rows"]["indiv"]["malformed"]
    assert {reason: value["rows"] for reason, value in malformed.items()} == {
        "bad_amount": 1, "bad_cmte_id": 1, "bad_date": 1, "bad_sub_id": 1, "empty_line": 1, "wrong_field_count": 1}


def test_dates_become_iso_and_blank_dates_stay_blank(full):
    (musk,) = full.donor_of("MUSK, ELON")
    row = full.relationship(f"gift.{musk}.c00580100")
    assert (row["start_date"], row["end_date"]) == ("2014-12-31", "2016-04-01")  # L37 12312014 .. L2 04012016
    (doe,) = full.donor_of("DOE, JANE")
    assert full.relationship(f"gift.{doe}.c00580100")["start_date"] == ""
    assert full.summary["year"]["2014"]["rows"] == 1  # the row dated outside the cycle is kept and counted


def test_scan_finds_latin1_and_separator_lines():
    scan = scan_lines(io.BytesIO(b"A|1\nPE\xd1A|2\nX\x1fY|3\nlast"))
    assert scan.lines == 4
    assert scan.odd == [(2, "PEÑA|2", True), (3, "X\x1fY|3", False)]


def test_bare_carriage_return_is_refused(tmp_path):
    path = tmp_path / "cm.txt"
    path.write_bytes(b"C00000001|A|||||||U|Q|||||\nC00000002|B\rX|||||||U|Q|||||\n")
    with pytest.raises(DataError, match=r"cm.txt:2: \(line\): carriage return inside a line"):
        prepare_input("cm", path, tmp_path)


def test_crlf_files_read_like_lf_files(tmp_path):
    lf = (FEC / "itpas2.txt").read_bytes()
    (tmp_path / "itpas2.txt").write_bytes(lf.replace(b"\n", b"\r\n"))
    a = run_ingest(tmp_path / "lf", paths=fec_paths(pas2=FEC / "itpas2.txt"))
    b = run_ingest(tmp_path / "crlf", paths=fec_paths(pas2=tmp_path / "itpas2.txt"))
    assert a.relationships == b.relationships


def test_zip_inputs_are_read_like_text(tmp_path, full):
    archive = tmp_path / "indiv16.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(FEC / "itcont.txt", "itcont.txt")
        handle.writestr("by_date/itcont_2016_x.txt", "ignored")
    source = prepare_input("indiv", archive, tmp_path)
    assert source.shown == f"{archive}:itcont.txt" and source.lines == 39
    out = run_ingest(tmp_path / "out", paths=fec_paths(indiv=archive))
    assert out.relationships == full.relationships
    assert {row["file"] for row in out.exclusions if "itcont" in row["file"]} == {f"{archive}:itcont.txt"}


def test_limit_reads_the_first_lines_only(tmp_path):
    out = run_ingest(tmp_path / "out", limit=3)
    rows = out.summary["rows"]
    assert rows["indiv"]["read"] == 3 and rows["oth"]["read"] == 3 and rows["pas2"]["read"] == 3
    assert rows["cm"]["read"] == 15  # master files are read whole
    # L1 2700 + L2 2000 to Trump, L3 100000 to Great America PAC
    (musk,) = out.donor_of("MUSK, ELON")
    assert out.money(musk, "c00580100", "gift") == 4700


def test_master_file_problems_are_listed(tmp_path):
    cm = tmp_path / "cm.txt"
    cm.write_bytes((FEC / "cm.txt").read_bytes() + b"C00999999|TOO FEW FIELDS\n" + (FEC / "cm.txt").read_bytes().split(b"\n")[0] + b"\n")
    out = run_ingest(tmp_path / "out", paths=fec_paths(cm=cm))
    assert out.excluded("cm.txt") == {16: "wrong_field_count", 17: "duplicate_id"}


def test_missing_required_input_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="missing FEC input"):
        run_ingest(tmp_path / "out", paths=fec_paths(ccl=None))
    with pytest.raises(DataError, match="file not found"):
        run_ingest(tmp_path / "out", paths=fec_paths(cn=tmp_path / "nope.txt"))


def test_the_query_is_one_text_with_every_placeholder_filled():
    text = ingest_sql()
    assert text.count("-- step: ") == len(render_steps())
    for tech_only in (False, True):
        for step in render_steps(tech_only=tech_only, match_employer=True):
            assert "@" not in step.sql and ":tech_only" not in step.sql


def test_the_real_master_files_read_whole(tmp_path):
    """Every line of the FEC's own 2015-2016 cm, cn and ccl files (as the FEC's zips) is read and kept."""
    import json

    from network.fec.ingest import ingest_fec

    real = FEC / "real"
    paths = {"indiv": FEC / "itcont.txt", "oth": FEC / "itoth.txt", "pas2": FEC / "itpas2.txt",
             "cm": real / "cm.zip", "cn": real / "cn.zip", "ccl": real / "ccl.zip"}
    result = ingest_fec(paths, tmp_path / "out", temp_dir=tmp_path)
    summary = json.loads((tmp_path / "out" / "ingest_summary.json").read_text(encoding="utf-8"))
    # line counts of the files as published (wc -l), each line 15, 15 and 7 fields
    assert summary["rows"]["cm"] == {"read": 16830, "kept": 16830, "lines_decoded_as_latin1": 0}
    assert summary["rows"]["cn"]["read"] == summary["rows"]["cn"]["kept"] == 7202
    assert summary["rows"]["ccl"]["read"] == summary["rows"]["ccl"]["kept"] == 6178
    assert "cm.zip" in summary["inputs"]["cm"]["path"]
    entities = (tmp_path / "out" / "entities.csv").read_text(encoding="utf-8")
    # cm.txt line 10863: C00580100, principal campaign committee of P80001571 (ccl.txt line 4888)
    assert 'c00580100,"DONALD J. TRUMP FOR PRESIDENT, INC.",campaign' in entities
    relationships = (tmp_path / "out" / "relationships.csv").read_text(encoding="utf-8")
    assert "candidate.c00580100.p80001571,c00580100,p80001571,beneficiary,principal campaign committee" in relationships
    assert result.written["entities.csv"] > 0


def test_one_duckdb_engine_frees_its_tables_and_serves_two_ingests_alike(tmp_path, full):
    """Tables are dropped once nothing later reads them (the numbered lines right after `tx`), and an
    engine used for a second ingest numbers its lines in file order again: same bytes both times."""
    from network.fec.engine_duckdb import DuckDBEngine
    from network.fec.ingest import ingest_fec

    engine = DuckDBEngine(temp_dir=tmp_path)
    try:
        for run in ("first", "second"):
            ingest_fec(fec_paths(), tmp_path / run, engine=engine)
            left = {row[0] for row in engine.fetch("SELECT table_name FROM duckdb_tables() WHERE temporary")}
            assert not {name for name in left if name.startswith("lines_")}
            assert not left & {"tx", "gifts", "donors", "gift_pairs", "rel_core"}
            for name in ("entities.csv", "relationships.csv", "exclusions.csv", "merge_log.csv"):
                assert (tmp_path / run / name).read_bytes() == (full.folder / name).read_bytes()
    finally:
        engine.close()
