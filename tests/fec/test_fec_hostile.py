"""Hostile FEC input: formula-like cells are neutralized by both engines alike, over-long lines are refused
with file and line, and a failed ingest leaves an existing output folder as it was."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest

from analysis.cli import main
from fec_helpers import FEC, fec_paths
from network.contract.load import load_tables
from network.contract.schema import load_schema
from network.contract.validate import validate_tables
from network.errors import DataError
from network.fec.engine_spark import SparkEngine
from network.fec.ingest import IngestOptions, ingest_fec
from network.fec.inputs import MAX_LINE_BYTES

HOSTILE_LINES = [
    # a donor named as a formula, occupation @SUM: entity name, employee role
    'C00580100|N|Q2|P2016|201607159000000901|15|IND|=HYPERLINK("http://x")|AUSTIN|TX|78701|TESLA|@SUM(1+1)|03152016|2500'
    '||SA11AI.0901|1100000|||4041520161293000901',
    # a donor whose name starts with +, occupation -2+3 (not a number)
    "C00580100|N|Q2|P2016|201607159000000902|15|IND|+CMD, EVIL|AUSTIN|TX|78701|TESLA|-2+3|03152016|2500"
    "||SA11AI.0902|1100000|||4041520161293000902",
    # a bad committee id: the line is excluded and its text (starting with =) is the exclusion's detail
    "=1+1|N|Q2|P2016|201607159000000903|15|IND|DOE, JO|AUSTIN|TX|78701|TESLA|CEO|03152016|2500"
    "||SA11AI.0903|1100000|||4041520161293000903",
]
FORMULA = re.compile(r"^[=+\-@\t\r]")
NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")


def hostile_paths(folder):
    """The fixtures, with the hostile lines added to itcont.txt, itself renamed ``=itcont.txt``."""
    indiv = folder / "=itcont.txt"
    indiv.write_bytes((FEC / "itcont.txt").read_bytes() + ("\n".join(HOSTILE_LINES) + "\n").encode("utf-8"))
    return fec_paths(indiv=indiv)


def cells(folder):
    """(file, cell) for every cell of every CSV output, as the csv module reads it."""
    for path in sorted(folder.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    yield path.name, cell


def check_neutralized(folder) -> None:
    found = {(name, cell) for name, cell in cells(folder)}
    live = [(name, cell) for name, cell in found if FORMULA.match(cell) and not NUMBER.match(cell)]
    assert live == [], live
    names = {cell for name, cell in found if name == "entities.csv"}
    assert {"'=HYPERLINK(\"http://x\")", "'+CMD, EVIL"} <= names
    assert ("relationships.csv", "'@SUM(1+1)") in found and ("relationships.csv", "'-2+3") in found
    assert any(name == "exclusions.csv" and cell.startswith("'=1+1|N|Q2|") for name, cell in found)
    assert ("sources.csv", "'=itcont.txt") in found
    # amounts and other numbers are written as they were
    assert ("relationships.csv", "2500") in found or ("relationships.csv", "2500.00") in found


@pytest.fixture(scope="module")
def hostile_inputs(tmp_path_factory):
    return hostile_paths(tmp_path_factory.mktemp("fec-hostile"))


@pytest.fixture(scope="module")
def duckdb_hostile(hostile_inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("fec-hostile-duckdb") / "out"
    ingest_fec(hostile_inputs, out)
    return out


def test_duckdb_neutralizes_formula_cells(duckdb_hostile):
    check_neutralized(duckdb_hostile)


def test_spark_neutralizes_them_to_the_same_bytes(hostile_inputs, duckdb_hostile, tmp_path, spark):
    out = tmp_path / "spark"
    engine = SparkEngine(temp_dir=tmp_path, session=spark)
    try:
        ingest_fec(hostile_inputs, out, options=IngestOptions(engine="spark"), engine=engine)
    finally:
        engine.close()
    check_neutralized(out)
    for name in ("entities.csv", "relationships.csv", "exclusions.csv", "merge_log.csv", "company_totals.csv", "sources.csv"):
        assert (out / name).read_bytes() == (duckdb_hostile / name).read_bytes(), name


def test_the_ingest_output_reads_back_unneutralized(duckdb_hostile, tmp_path):
    tables = load_tables(duckdb_hostile)
    assert validate_tables(tables, load_schema(tables.paths["schema"])) == []
    assert {'=HYPERLINK("http://x")', "+CMD, EVIL"} <= set(tables.entities["name"])
    assert "@SUM(1+1)" in set(tables.relationships["role"])
    assert "=itcont.txt" in set(tables.sources["document"])
    # `run` reads the names back and neutralizes them once (not twice) in its own CSV outputs
    assert main(["run", "--data", str(duckdb_hostile), "--out", str(tmp_path / "run")]) == 0
    text = (tmp_path / "run" / "nodes.csv").read_text(encoding="utf-8")
    assert "\"'=HYPERLINK(\"\"http://x\"\")\"" in text and "''=HYPERLINK" not in text


# ---------------------------------------------------------------- over-long lines
def long_line_file(folder: Path, name: str, length: int, *, at_line: int = 1) -> Path:
    """itcont.txt with line ``at_line`` replaced by ``length`` bytes and no line end (if last) or one."""
    lines = (FEC / "itcont.txt").read_bytes().split(b"\n")[:at_line - 1]
    path = folder / name
    with open(path, "wb") as handle:
        handle.write(b"".join(line + b"\n" for line in lines))
        handle.write(b"C00580100|" + b"A" * (length - 10))
    return path


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
@pytest.mark.parametrize("length", [MAX_LINE_BYTES + 1, 20_000_000], ids=["just-over", "20MB"])
def test_an_over_long_line_is_refused_with_file_and_line(tmp_path, engine, length):
    indiv = long_line_file(tmp_path, "itcont.txt", length, at_line=4)
    with pytest.raises(DataError) as raised:  # the pre-pass refuses it before either engine starts
        ingest_fec(fec_paths(indiv=indiv), tmp_path / "out", options=IngestOptions(engine=engine))
    assert str(raised.value).splitlines()[1] == (
        f"{indiv}:4: (line): a line of {length:,} bytes (expected at most {MAX_LINE_BYTES:,} bytes a line "
        "(FEC records are a few hundred; are the line ends intact?))")
    assert not (tmp_path / "out").exists()


def test_a_line_of_the_limit_is_read(tmp_path):
    """A line of exactly MAX_LINE_BYTES (its line end included) passes the pre-pass: it is malformed, not refused."""
    indiv = tmp_path / "itcont.txt"
    indiv.write_bytes((FEC / "itcont.txt").read_bytes() + b"C00580100|" + b"A" * (MAX_LINE_BYTES - 11) + b"\n")
    ingest_fec(fec_paths(indiv=indiv), tmp_path / "out")
    rows = list(csv.DictReader(open(tmp_path / "out" / "exclusions.csv", encoding="utf-8")))
    lines = (FEC / "itcont.txt").read_bytes().count(b"\n") + 1
    assert [row["reason"] for row in rows if row["line"] == str(lines)] == ["wrong_field_count"]


def test_over_long_lines_in_a_zip_and_in_two_files_are_all_named(tmp_path):
    member = long_line_file(tmp_path, "member.txt", 3_000_000, at_line=2)
    archive = tmp_path / "indiv16.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target:
        target.write(member, "itcont.txt")
    oth = long_line_file(tmp_path, "itoth.txt", 2_000_000)
    with pytest.raises(DataError) as raised:
        ingest_fec(fec_paths(indiv=archive, oth=oth), tmp_path / "out")
    lines = str(raised.value).splitlines()
    assert lines[0] == "2 problems in the data"
    assert lines[1].startswith(f"{archive}:itcont.txt:2: (line): a line of 3,000,000 bytes")
    assert lines[2].startswith(f"{oth}:1: (line): a line of 2,000,000 bytes")


def test_the_cli_says_it_in_one_line(tmp_path, capsys):
    indiv = long_line_file(tmp_path, "big.txt", 11_000_000)
    argv = ["fec", "ingest", "--indiv", str(indiv), "--cm", str(FEC / "cm.txt"), "--cn", str(FEC / "cn.txt"),
            "--ccl", str(FEC / "ccl.txt"), "--out", str(tmp_path / "out"), "--quiet"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"{indiv}:1: (line): a line of 11,000,000 bytes" in err and "internal error" not in err


def test_a_filing_with_an_over_long_line_is_refused(tmp_path, capsys):
    raw = (FEC / "filings" / "13360.fec").read_bytes().split(b"\n")
    raw.insert(3, b"SA11AI\x1c" + b"Z" * 2_000_000)
    filing = tmp_path / "99999.fec"
    filing.write_bytes(b"\n".join(raw))
    archive = tmp_path / "filings.zip"
    with zipfile.ZipFile(archive, "w") as target:
        target.writestr("99998.fec", b"HDR\x1cFEC\x1c8.3\x1c" + b"X" * 3_000_000)
    assert main(["fec", "filing", str(filing), str(archive), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{filing}:4: (line): a line of 2,000,008 bytes" in err
    assert f"{archive}:99998.fec:1: (line): a line of 3,000,012 bytes" in err
    assert not (tmp_path / "out").exists()
