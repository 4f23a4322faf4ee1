"""`influence fec filing`: real and hand-made .fec filings -> a data folder whose every line is accounted for."""

from __future__ import annotations

import csv
import json
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from analysis.cli import main
from fec_helpers import FEC, read_rows
from network.errors import DataError
from network.fec.filings.ingest import ingest_filings
from network.fec.filings.read import _fields

FILINGS = FEC / "filings"
REAL = sorted(p for p in FILINGS.glob("*.fec") if p.stem.isdigit())
HANDMADE = FILINGS / "handmade"
ORIGINAL, AMENDMENT, DAILY = (HANDMADE / f"90000000{n}.fec" for n in (1, 2, 3))

# Itemized lines per schedule as listed by the collectors of the real filings (filings/README.md).
REAL_COUNTS = {"13360": {"A": 140, "B": 11}, "1550126": {"A": 5, "B": 14, "C": 3, "D": 1},
               "1550548": {"A": 76, "B": 42}, "752356": {"E": 3}, "753533": {"A": 3, "B": 1, "D": 1}}


class Out:
    """An output folder of `fec filing` read back."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entities = read_rows(folder / "entities.csv")
        self.relationships = read_rows(folder / "relationships.csv")
        self.sources = read_rows(folder / "sources.csv")
        self.exclusions = read_rows(folder / "exclusions.csv")
        self.summary = json.loads((folder / "filing_summary.json").read_text(encoding="utf-8"))

    def rel(self, rel_id: str) -> dict[str, str]:
        return next(row for row in self.relationships if row["id"] == rel_id)

    def reason(self, filing_id: str, line: int) -> str:
        return next(row["reason"] for row in self.exclusions if row["filing_id"] == filing_id and int(row["line"]) == line)

    def kept_usd(self, schedule: str) -> Decimal:
        return Decimal(self.summary["rows"][schedule]["kept_usd"])


def run(tmp_path, *paths, name="out") -> Out:
    ingest_filings(list(paths), tmp_path / name)
    return Out(tmp_path / name)


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> Out:
    return run(tmp_path_factory.mktemp("real"), *REAL)


@pytest.fixture(scope="module")
def trio(tmp_path_factory) -> Out:
    return run(tmp_path_factory.mktemp("trio"), ORIGINAL, AMENDMENT, DAILY)


def raw_schedule_counts(path: Path) -> dict[str, int]:
    """Itemized lines per schedule, counted straight from the file (the first field's letter after S)."""
    counts: dict[str, int] = {}
    lines = path.read_bytes().decode("latin-1").split("\n")  # not splitlines(): it splits on 0x1C too
    if lines[0].startswith("/*"):  # the multi-line header of old formats ("SA11A1 = 00139" is a count, not a line)
        lines = lines[next(i for i, text in enumerate(lines[1:], start=1) if text.startswith("/*")) + 1:]
    for text in lines:
        form = _fields(text)[0].strip() if text.strip() else ""
        found = re.match(r"^S([A-L])", form)
        if found:
            counts[found.group(1)] = counts.get(found.group(1), 0) + 1
    return counts


def test_every_real_filing_counts_every_line_once_per_schedule(real):
    for filing_id, expected in REAL_COUNTS.items():
        rows = real.summary["filings"][filing_id]["rows"]
        assert {s: v["read"] for s, v in rows.items()} == expected == raw_schedule_counts(FILINGS / f"{filing_id}.fec")
        for entry in rows.values():
            assert entry["read"] == entry["kept"] + sum(v["rows"] for v in entry["excluded"].values())
            assert entry["unaccounted"] == 0
    for schedule, entry in real.summary["rows"].items():
        assert entry["read"] == entry["kept"] + sum(v["rows"] for v in entry["excluded"].values()), schedule
    assert len(real.relationships) == sum(e["kept"] for e in real.summary["rows"].values())
    assert len(real.exclusions) == sum(v["rows"] for e in real.summary["rows"].values() for v in e["excluded"].values())


def test_kept_dollars_are_the_sum_of_the_relationships(real, trio):
    for out in (real, trio):
        assert sum(Decimal(r["amount_usd"]) for r in out.relationships) == sum(out.kept_usd(s) for s in out.summary["rows"])


def test_each_real_filing_alone_gives_the_same_lines(tmp_path, real):
    for path in REAL:
        alone = run(tmp_path, path, name=path.stem)
        assert alone.summary["filings"][path.stem]["rows"] == real.summary["filings"][path.stem]["rows"]


def test_line_numbers_in_the_evidence_point_at_the_line(real, trio):
    for out, files in ((real, {p.stem: p for p in REAL}), (trio, {p.stem: p for p in (ORIGINAL, AMENDMENT, DAILY)})):
        lines = {fid: path.read_bytes().decode("latin-1").split("\n") for fid, path in files.items()}
        checked = 0
        for row in out.relationships:
            filing_id, line = re.fullmatch(r"f([0-9]+)-([0-9]+)", row["id"]).groups()
            assert f"FEC filing {filing_id} " in row["evidence"] and f"line {line}: " in row["evidence"]
            transaction = re.search(r"; transaction ([^;]+);", row["evidence"]).group(1)
            fields = [f.strip() for f in _fields(lines[filing_id][int(line) - 1])]
            assert transaction in fields[2:4] or transaction in fields, (row["id"], transaction)
            assert row["role"].split("(")[1].split(" ")[0] == fields[0]  # the form type, as on the line
            checked += 1
        for row in out.exclusions:
            fields = [f.strip() for f in _fields(lines[row["filing_id"]][int(row["line"]) - 1])]
            assert fields[0] == row["form"] and (not row["transaction_id"] or row["transaction_id"] in fields)
        assert checked == len(out.relationships) > 0


def test_every_relationship_cites_its_filing_with_the_fec_url(real):
    sources = {row["id"]: row for row in real.sources}
    for row in real.relationships:
        filing_id = row["id"][1:].split("-")[0]
        assert row["source_ids"] == f"fec-filing-{filing_id}"
        assert sources[row["source_ids"]]["url"] == f"https://docquery.fec.gov/dcdev/posted/{filing_id}.fec"
    assert sources["fec-filing-1550548"]["title"].startswith("F3XA MY report of AMERICAN ASSOCIATION OF NEUROLOGICAL SURGEONS")
    assert "covering 2021-01-01 to 2021-06-30; amends filing 1531171" in sources["fec-filing-1550548"]["title"]


def test_memo_lines_are_listed_and_not_counted(trio):
    # 900000002: A3 (line 5, $250 memo of A1) and B2 (line 10, $120 credit-card memo of B1)
    assert trio.reason("900000002", 5) == "memo" and trio.reason("900000002", 10) == "memo"
    assert not [r for r in trio.relationships if r["id"] in ("f900000002-5", "f900000002-10")]
    # Schedule A counted by hand: A1 1000 + A2 700 + A4 5000 + A7 2000 (A3 memo, A5 offset left out)
    assert trio.kept_usd("A") == Decimal(8700)
    assert trio.kept_usd("B") == Decimal(300)  # B1; B2 memo, B3 a refund


def test_an_amendment_replaces_its_original(tmp_path, trio):
    assert trio.summary["amendments"]["replaced"] == {"900000001": "900000002"}
    assert not [r for r in trio.relationships if r["id"].startswith("f900000001-")]
    assert {row["reason"] for row in trio.exclusions if row["filing_id"] == "900000001"} == {"superseded_by_amendment"}
    assert trio.rel("f900000002-4")["amount_usd"] == "700"  # A2 as corrected
    original = run(tmp_path, ORIGINAL, name="original")
    # by hand: A1 1000 + A2 500 + A4 5000 (A3 memo, A5 offset, A6 negative left out)
    assert original.kept_usd("A") == Decimal(6500) and original.reason("900000001", 8) == "negative_amount"
    alone = run(tmp_path, AMENDMENT, name="amendment")
    assert alone.kept_usd("A") == Decimal(8700)
    assert alone.summary["amendments"]["notes"] == [{"filing": "900000002", "note": "amends filing 900000001, which was not given"}]


def test_the_order_of_the_files_does_not_matter(tmp_path):
    one = tmp_path / "one"
    two = tmp_path / "two"
    ingest_filings([ORIGINAL, AMENDMENT, DAILY], one)
    ingest_filings([DAILY, AMENDMENT, ORIGINAL], two)
    for name in ("entities.csv", "relationships.csv", "sources.csv", "exclusions.csv", "merge_log.csv"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_independent_expenditures_go_to_the_candidate_typed_as_outside_spending(trio):
    support, oppose = trio.rel("f900000002-12"), trio.rel("f900000002-13")
    assert (support["source"], support["target"], support["type"]) == ("c00999991", "p80001571", "spending")
    assert (oppose["source"], oppose["target"], oppose["type"]) == ("c00999991", "p00009423", "oppose")
    assert not [r for r in trio.relationships if r["target"].startswith("p") and r["type"] == "donation"]


def test_a_24_hour_report_repeated_on_the_periodic_report_counts_once(tmp_path, trio):
    assert trio.reason("900000003", 3) == "repeated_on_periodic_report"  # E1, on 900000002 too
    assert trio.rel("f900000003-4")["amount_usd"] == "400"  # E9, only on the 24-hour report
    alone = run(tmp_path, DAILY, name="daily")
    assert {r["id"] for r in alone.relationships} == {"f900000003-3", "f900000003-4"}


def test_entities_carry_fec_ids_and_donors_are_resolved_across_spellings(trio):
    by_id = {row["id"]: row for row in trio.entities}
    assert by_id["c00999991"]["identifiers"] == "fec_committee:C00999991"
    assert by_id["c00879510"]["identifiers"] == "fec_committee:C00879510"
    assert by_id["p80001571"]["identifiers"] == "fec_candidate:P80001571"
    # "DOE, JANE" (94105) and "DOE, JANE A." (941051234) are one donor, as the bulk ingest resolves them
    assert trio.rel("f900000002-3")["source"] == trio.rel("f900000002-4")["source"]
    assert read_rows(trio.folder / "merge_log.csv")[0]["name_key"] == "DOE JANE"


def test_donor_ids_are_the_bulk_ingests(full):
    """MUSK, ELON of Austin 78701 gets the bulk ingest's id (tests/fixtures/fec/itcont.txt lines 1-3)."""
    from network.fec.filings.donors import Party, resolve_parties

    bulk = [row["id"] for row in full.entities if row["name"].startswith("MUSK, ELON")]
    party = Party(1, False, "MUSK, ELON R.", "AUSTIN", "TX", "78701", "TESLA", "CEO", "C00999991", Decimal(10))
    assert resolve_parties([party]).donor_of[1] == bulk[0] and len(bulk) == 1


def test_a_zip_of_filings_reads_as_the_files(tmp_path, trio):
    archive = tmp_path / "filings.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in (ORIGINAL, AMENDMENT, DAILY):
            out.write(path, path.name)
    zipped = run(tmp_path, archive, name="zipped")
    assert zipped.relationships == trio.relationships
    assert zipped.exclusions[0]["file"] == f"{archive}:900000001.fec"


def test_the_output_validates_and_runs(tmp_path, trio, real, capsys):
    for out in (trio, real):
        assert main(["validate", "--data", str(out.folder)]) == 0
    assert main(["run", "--data", str(real.folder), "--out", str(tmp_path / "run")]) == 0
    assert (tmp_path / "run" / "map.html").is_file() and (tmp_path / "run" / "nodes.csv").is_file()


def test_the_cli_prints_the_files_and_the_counts(tmp_path, capsys):
    assert main(["fec", "filing", str(ORIGINAL), str(AMENDMENT), "--out", str(tmp_path / "cli")]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == f"wrote {tmp_path / 'cli' / 'entities.csv'} (7 entities)"
    assert "filing 900000001: replaced by amendment 900000002 (its lines are listed as superseded_by_amendment)" in printed
    assert "Schedule A: 12 lines read, 4 kept ($8,700); excluded: memo 1 ($250), offset 1 ($40), " \
           "superseded_by_amendment 6 ($6,740)" in printed


def test_an_unknown_format_version_is_an_error_naming_file_and_line(tmp_path, capsys):
    bad = tmp_path / "1234.fec"
    shutil.copy(FILINGS / "filing_invalid_version.fec", bad)
    with pytest.raises(DataError) as err:
        ingest_filings([bad], tmp_path / "out")
    [problem] = err.value.problems
    assert (problem.path, problem.line, problem.found) == (str(bad), 1, "180.5")
    assert "format version" in problem.problem
    assert main(["fec", "filing", str(FILINGS / "filing_invalid_version.fec"), str(ORIGINAL), "--out", str(tmp_path / "cli")]) == 1
    printed = capsys.readouterr().err
    assert "filing_invalid_version.fec:1: (header): fastfec cannot read this filing's format version" in printed
    assert "filing_invalid_version.fec:0: (file name): cannot tell the FEC filing id from the file name" in printed
    assert "Traceback" not in printed
    assert not (tmp_path / "out").exists() and not (tmp_path / "cli").exists()


def test_a_broken_line_is_an_error_naming_it_and_nothing_is_written(tmp_path):
    out = tmp_path / "out"
    ingest_filings([DAILY], out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    lines = AMENDMENT.read_text(encoding="utf-8").split("\n")
    lines.insert(5, "ZZ9\x1cC00999991\x1cX1")  # a form type no FEC version has, as line 6
    broken = tmp_path / "900000004.fec"
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as err:
        ingest_filings([DAILY, broken], out)
    assert [(p.path, p.line, p.found) for p in err.value.problems] == [(str(broken), 6, "ZZ9")]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_an_unsupported_form_and_a_filing_given_twice_are_errors(tmp_path):
    f99 = tmp_path / "55.fec"
    f99.write_text("HDR\x1cFEC\x1c8.3\x1cx\x1cy\x1c\x1c0\x1c\nF99\x1cC00999991\x1cNAME\x1c\x1c\x1c\x1c\x1c\x1c\x1c\x1c\x1c\x1c\x1c\x1c\n"
                   "[BEGIN TEXT]\nA LETTER TO THE COMMISSION\n[END TEXT]\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        ingest_filings([f99, DAILY, DAILY], tmp_path / "out")
    found = {(Path(p.path).name, p.line, p.column) for p in err.value.problems}
    assert found == {("55.fec", 2, "form_type"), ("900000003.fec", 0, "(file name)")}


def test_an_amendment_of_another_committees_filing_is_an_error(tmp_path):
    other = tmp_path / "900000005.fec"
    other.write_text(AMENDMENT.read_text(encoding="utf-8").replace("C00999991", "C00999992"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        ingest_filings([ORIGINAL, other], tmp_path / "out")
    [problem] = err.value.problems
    assert (problem.line, problem.column, problem.found) == (1, "report_id", "FEC-900000001 (F3XN of C00999991)")


def test_a_line_fastfec_misreads_or_dies_on_is_an_error_not_a_crash(tmp_path):
    """A header without a version stops fastfec's process (SIGILL); a line of empty fields it reads as the previous form."""
    no_version = tmp_path / "61.fec"
    no_version.write_text("HDR\nF24N\x1cC00999991\x1cX\n", encoding="utf-8")
    empty = tmp_path / "62.fec"
    lines = DAILY.read_text(encoding="utf-8").split("\n")
    empty.write_text("\n".join([*lines[:2], "\x1c\x1c", *lines[2:]]), encoding="utf-8")
    with pytest.raises(DataError) as err:
        ingest_filings([no_version, empty], tmp_path / "out")
    assert [(Path(p.path).name, p.line) for p in err.value.problems] == [("61.fec", 1), ("62.fec", 3)]


def test_the_worker_reports_a_crash_as_an_exit_status(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "63.fec"
    path.write_text("HDR\nFEC\n8.3\n", encoding="utf-8")
    from network.fec.filings import worker

    done = subprocess.run([sys.executable, worker.__file__, str(path)], capture_output=True)
    assert done.returncode != 0  # fastfec 0.4.1 dies on it; the reader's own header check catches it first
    from network.fec.filings.read import FilingFile, read_filing

    with pytest.raises(DataError) as err:
        read_filing(FilingFile(path, None, "63"))
    assert [(p.line, p.problem) for p in err.value.problems] == [(1, "the header names no format version")]


def test_a_transaction_id_repeated_in_one_report_counts_once(tmp_path):
    lines = DAILY.read_text(encoding="utf-8").split("\n")
    twice = tmp_path / "900000007.fec"
    twice.write_text("\n".join([*lines[:4], lines[3], *lines[4:]]), encoding="utf-8")  # E9 on lines 4 and 5
    out = run(tmp_path, twice)
    assert out.reason("900000007", 5) == "duplicate_transaction_id"
    assert [r["id"] for r in out.relationships] == ["f900000007-3", "f900000007-4"]
    assert out.summary["rows"]["E"]["kept_usd"] == "2400"  # E1 2000 + E9 400, once
