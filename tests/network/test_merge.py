"""`influence merge`: entities joined by identifier and name, near misses for review, every row accounted for."""

from __future__ import annotations

import csv
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from analysis.cli import main
from network.contract.schema import default_data_dir
from network.errors import DataError
from network.fec.filings.ingest import ingest_filings
from network.merge.folders import merge_folders
from network.merge.names import name_key
from network.storage.provenance import file_sha256

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HANDMADE = sorted((FIXTURES / "fec" / "filings" / "handmade").glob("*.fec"))
AMERICA_PAC_Q3 = FIXTURES / "claims" / "900000010.fec"
DATA = default_data_dir()


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def filings(tmp_path_factory) -> Path:
    """The three hand-made filings of the FEC tests plus the America PAC Q3 one, read by `fec filing`."""
    out = tmp_path_factory.mktemp("filings") / "filings"
    ingest_filings([*HANDMADE, AMERICA_PAC_Q3], out)
    return out


@pytest.fixture(scope="module")
def merged(filings, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("merged") / "merged"
    merge_folders([DATA, filings], out)
    return out


def test_names_written_by_the_fec_are_the_same_key_as_ours():
    assert name_key("MUSK, ELON R.", person=True) == name_key("Elon Musk", person=True) == "ELON MUSK"
    assert name_key("Musk, Elon", person=True) == "ELON MUSK"
    assert name_key("MUSK, ELON R.") != name_key("Elon Musk")  # not read as a person, the order stays


def test_america_pac_trump_and_musk_are_joined_and_logged(merged, filings):
    log = {(r["input"], r["old_id"]): r for r in rows(merged / "merge_log.csv") if r["kind"] == "entity"}
    assert log[("2", "c00879510")]["new_id"] == "america-pac"
    assert "identifier fec_committee:C00879510" in log[("2", "c00879510")]["detail"]
    assert log[("2", "p80001571")]["new_id"] == "donald-trump"
    musk = next(r["id"] for r in rows(filings / "entities.csv") if r["name"].startswith("MUSK, ELON"))
    assert log[("2", musk)]["new_id"] == "elon-musk" and "name 'ELON MUSK'" in log[("2", musk)]["detail"]
    entities = {r["id"]: r for r in rows(merged / "entities.csv")}
    assert entities["america-pac"]["name"] == "America PAC" and "AMERICA PAC" in entities["america-pac"]["aliases"].split(";")
    assert "fec_committee:C00879510" in entities["america-pac"]["identifiers"]
    # every relationship of the filings that had the filing's America PAC at an end now has ours
    filed = [r for r in rows(merged / "relationships.csv") if r["id"] == "f900000010-3"]
    assert [(r["source"], r["target"], r["amount_usd"]) for r in filed] == [("elon-musk", "america-pac", "45000000")]


def test_counts_in_equal_counts_out(merged, filings):
    record = json.loads((merged / "merge.json").read_text(encoding="utf-8"))
    counts = record["counts"]
    ins = {name: len(rows(DATA / f"{name}.csv")) + len(rows(filings / f"{name}.csv")) for name in ("entities", "relationships", "sources")}
    outs = {name: len(rows(merged / f"{name}.csv")) for name in ins}
    assert outs == counts["out"]
    assert ins["entities"] == outs["entities"] + counts["entities_joined"]
    assert ins["sources"] == outs["sources"] + counts["sources_joined"]
    assert ins["relationships"] == outs["relationships"] + counts["relationships_joined_as_one_fact"] + counts["relationships_dropped_self"]
    # nothing joined or dropped here: every input relationship is in the output under its id
    assert counts["relationships_joined_as_one_fact"] == counts["relationships_dropped_self"] == 0
    assert {r["id"] for r in rows(merged / "relationships.csv")} == {r["id"] for f in (DATA, filings) for r in rows(f / "relationships.csv")}
    # each relationship keeps its sources
    before = {r["id"]: r["source_ids"] for f in (DATA, filings) for r in rows(f / "relationships.csv")}
    assert all(before[r["id"]] == r["source_ids"] for r in rows(merged / "relationships.csv"))


def test_provenance_records_both_inputs_hashes(merged, filings):
    record = json.loads((merged / "merge.json").read_text(encoding="utf-8"))
    for number, folder in (("1", DATA), ("2", filings)):
        files = record["inputs"][number]["files"]
        for name in ("entities", "relationships", "sources"):
            assert files[name]["sha256"] == file_sha256(folder / f"{name}.csv")
    assert main(["validate", "--data", str(merged)]) == 0


def test_money_stated_by_news_and_filings_counts_once(merged):
    """r002 ($75M by end of September, news) and the filing's two lines ($45M + $30M) are one fact: counted once."""
    relationships = rows(merged / "relationships.csv")
    pair = [r for r in relationships if (r["source"], r["target"]) == ("elon-musk", "america-pac") and r["type"] == "donation"]
    counted = sum(Decimal(r["amount_usd"]) for r in pair if r["aggregate"] != "true")
    assert counted == Decimal(43_600_000) + Decimal(75_000_000)  # r001 (October, news) + the two filed lines, by hand
    assert next(r for r in pair if r["id"] == "r002")["aggregate"] == "true"
    [logged] = [r for r in rows(merged / "merge_log.csv") if r["kind"] == "money_overlap"]
    assert logged["old_id"] == "r002" and "f900000010-3, f900000010-4" in logged["detail"]
    bundled = [r for r in rows(DATA / "relationships.csv")
               if (r["source"], r["target"], r["type"]) == ("elon-musk", "america-pac", "donation") and r["amount_usd"]]
    assert sum(Decimal(r["amount_usd"]) for r in bundled if r["aggregate"] != "true") == counted  # not doubled


def test_a_folder_merged_with_itself_gives_itself(filings, tmp_path):
    out = tmp_path / "twice"
    merged = merge_folders([filings, filings], out)
    for name in ("entities", "relationships", "sources"):
        assert len(rows(out / f"{name}.csv")) == len(rows(filings / f"{name}.csv"))
    assert merged.counts["relationships_joined_as_one_fact"] == len(rows(filings / "relationships.csv"))
    total = sum(Decimal(r["amount_usd"]) for r in rows(out / "relationships.csv"))
    assert total == sum(Decimal(r["amount_usd"]) for r in rows(filings / "relationships.csv"))


def write_folder(folder: Path, entities: list[tuple[str, str, str, str]]) -> Path:
    """A small data folder: entities (id, name, type, identifiers), one source, one relationship between the first two."""
    folder.mkdir()
    with open(folder / "entities.csv", "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["id", "name", "type", "name_ar", "aliases", "description", "identifiers"])
        for entity_id, name, kind, ids in entities:
            out.writerow([entity_id, name, kind, "", "", "", ids])
    (folder / "sources.csv").write_text("id,publisher,title,published,language,url,document\ns1,Test,Test,2024,en,,\n", encoding="utf-8")
    (folder / "relationships.csv").write_text(
        "id,source,target,type,role,amount_usd,amount_qualifier,start_date,end_date,status,aggregate,source_ids,evidence\n"
        f"x1,{entities[0][0]},{entities[1][0]},donation,,1000,exact,2024-07-01,,reported,false,s1,test\n", encoding="utf-8")
    return folder


def test_a_near_miss_goes_to_review_not_into_a_merge_and_overrides_decide(tmp_path):
    news = tmp_path / "news"
    shutil.copytree(DATA, news)
    other = write_folder(tmp_path / "other", [("amerika-pac", "Amerika PAC", "pac", ""), ("elon", "Elon Musk", "organization", ""),
                                              ("sacks", "SACKS, DAVID O.", "person", "")])
    merged = merge_folders([news, other], tmp_path / "out")
    review = rows(tmp_path / "out" / "merge_review.csv")
    pairs = {(r["left"], r["right"]): r for r in review}
    assert pairs[("1:america-pac", "2:amerika-pac")]["reason"].startswith("similar names")
    assert float(pairs[("1:america-pac", "2:amerika-pac")]["similarity"]) >= 0.85
    assert pairs[("1:elon-musk", "2:elon")]["reason"] == "same name 'ELON MUSK', types differ"  # never merged across types
    ids = {r["id"] for r in rows(tmp_path / "out" / "entities.csv")}
    assert {"amerika-pac", "elon"} <= ids and "sacks" not in ids  # Sacks joined by name, the others kept apart
    assert merged.counts["review_pairs"] == len(review) >= 2

    decided = tmp_path / "decided.csv"
    with open(decided, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["left", "right", "decision"])
        out.writerow(["1:america-pac", "2:amerika-pac", "merge"])
        out.writerow(["1:david-sacks", "2:sacks", "keep_apart"])
    merge_folders([news, other], tmp_path / "out2", overrides=decided)
    ids = {r["id"] for r in rows(tmp_path / "out2" / "entities.csv")}
    assert "amerika-pac" not in ids and "sacks" in ids
    assert not [r for r in rows(tmp_path / "out2" / "merge_review.csv") if r["right"] in ("2:amerika-pac", "2:sacks")]


def test_same_name_with_different_committee_ids_is_not_merged(tmp_path):
    other = write_folder(tmp_path / "other", [("a", "America PAC", "pac", "fec_committee:C00000001"), ("b", "Someone", "person", "")])
    merge_folders([DATA, other], tmp_path / "out")
    [row] = [r for r in rows(tmp_path / "out" / "merge_review.csv") if r["right"] == "2:a"]
    assert row["reason"] == "same name 'AMERICA PAC', different fec_committee identifiers"


def test_bad_inputs_and_overrides_are_errors_naming_file_and_line(tmp_path, capsys):
    other = write_folder(tmp_path / "other", [("a", "A", "pac", "fec_committee:C123"), ("b", "B", "person", "")])
    with pytest.raises(DataError) as err:
        merge_folders([DATA, other, tmp_path / "missing"], tmp_path / "out")
    found = {(Path(p.path).name, p.line, p.column) for p in err.value.problems}
    assert found == {("entities.csv", 2, "identifiers"), ("missing", 0, "(folder)")}
    good = write_folder(tmp_path / "good", [("a", "A", "pac", ""), ("b", "B", "person", "")])
    bad = tmp_path / "bad.csv"
    bad.write_text("left,right,decision\n1:america-pac,2:a,maybe\n1:nobody,2:a,merge\n", encoding="utf-8")
    assert main(["merge", str(DATA), str(good), "--overrides", str(bad), "--out", str(tmp_path / "out")]) == 1
    printed = capsys.readouterr().err
    assert f"{bad}:2: decision: unknown decision (found 'maybe', expected merge or keep_apart)" in printed
    assert f"{bad}:3: left: no such entity in the folders given" in printed
    assert "Traceback" not in printed and not (tmp_path / "out").exists()


def test_the_same_inputs_give_the_same_bytes(filings, merged, tmp_path, capsys):
    assert main(["merge", str(DATA), str(filings), "--out", str(tmp_path / "again")]) == 0
    printed = capsys.readouterr().out
    assert "relationships: 115 + 10 in = 125 out + 0 joined as one fact + 0 dropped (both ends one entity)" in printed
    for name in ("entities.csv", "relationships.csv", "sources.csv", "merge_log.csv", "merge_review.csv", "schema.toml"):
        assert (tmp_path / "again" / name).read_bytes() == (merged / name).read_bytes(), name
