import pytest

from network.errors import DataError
from network.contract.load import load_tables
from network.contract.validate import validate_tables, validated_tables
from tests.conftest import BAD, FIXTURES, TINY

# One bad data set per kind of mistake, and the exact messages it must give.
EXPECTED = {
    "encoding": ["entities.csv:6: (encoding): not UTF-8 text at byte 8 of the line (found 'byte 0xe9', expected UTF-8 (re-save the file as UTF-8))"],
    "missing_column": ["relationships.csv:1: amount_usd: required column missing (found 'id,source,target,type,role,amount,amount_qualifier,start_date,end_date,status...', expected a header with id, source, target, type, role, amount_usd, amount_qualifier, start_date, end_date, status, aggregate, source_ids, evidence)"],
    "wrong_cell_count": ["relationships.csv:7: (row): wrong number of cells (found '12 cells', expected 13 as in the header)"],
    "duplicate_id": ["entities.csv:8: id: duplicate id, first used on line 2 (found 'acme', expected a unique id)"],
    "bad_id": [
        "entities.csv:7: id: not a valid id (found 'Rival Co', expected lowercase letters, digits, '-', '_' or '.', starting with a letter or digit)",
        "relationships.csv:7: target: unknown entity (found 'rival-co', expected an id from entities.csv)",
    ],
    "unknown_entity_type": ["entities.csv:6: type: unknown entity type (found 'superpac', expected one of campaign, committee, company, fund, government, media, organization, pac, person, platform (data/schema.toml))"],
    "unknown_relationship_type": ["relationships.csv:6: type: unknown relationship type (found 'boss', expected one of advisor, appearance, appointment, associate, beneficiary, board, competitor, contract, donation, employee, endorsement, executive, founder, gift, host, in_kind, investor, lawsuit, leadership, meeting, ownership, pledge, rivalry, spending, subsidiary (data/schema.toml))"],
    "unknown_entity": ["relationships.csv:5: target: unknown entity (found 'campagin', expected an id from entities.csv)"],
    "unknown_source": ["relationships.csv:9: source_ids: unknown source (found 's3', expected ids from sources.csv, separated by ';')"],
    "missing_source_ids": ["relationships.csv:7: source_ids: required value is empty (found '', expected a value)"],
    "bad_amount": ["relationships.csv:5: amount_usd: not a number (found 'n/a', expected a non-negative number in dollars, without commas or symbols)"],
    "negative_amount": ["relationships.csv:3: amount_usd: negative amount (found '-500000', expected a non-negative number)"],
    "bad_qualifier": ["relationships.csv:2: amount_qualifier: unknown qualifier (found 'roughly', expected exact, approx, at_least, at_most)"],
    "bad_date": ["relationships.csv:3: end_date: not a date (found '2024-13-15', expected YYYY, YYYY-MM or YYYY-MM-DD)"],
    "end_before_start": ["relationships.csv:5: end_date: ends before it starts (2024-06) (found '2023-10', expected an end_date on or after start_date)"],
    "bad_status": ["relationships.csv:9: status: unknown status (found 'rumoured', expected confirmed, reported, planned, alleged)"],
    "bad_aggregate": ["relationships.csv:4: aggregate: not true or false (found 'maybe', expected true or false (empty means false))"],
    "self_loop": ["relationships.csv:8: target: relationship from an entity to itself (found 'bob', expected a different entity than source)"],
    "duplicate_row": ["relationships.csv:10: (row): duplicate relationship of line 9 (found 'bob pledge campaign', expected each relationship once (cite several sources in one row))"],
    "bad_url": ["sources.csv:2: url: not a web address (found 'javascript:alert(1)', expected an http:// or https:// URL)"],
}


def messages(folder, schema):
    return [str(p) for p in validate_tables(load_tables(folder), schema)]


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_each_bad_fixture_gives_its_exact_message(kind, schema):
    folder = BAD / kind
    assert messages(folder, schema) == [f"{folder}/{m}" for m in EXPECTED[kind]]


def test_every_bad_fixture_folder_is_covered():
    assert {p.name for p in BAD.iterdir() if p.is_dir()} == set(EXPECTED) | {"many"}


def test_all_problems_are_reported_in_one_run(schema):
    folder = BAD / "many"
    found = messages(folder, schema)
    assert len(found) == 5
    assert [m.split(": ")[0].rsplit("/", 1)[1] for m in found] == [
        "entities.csv:6", "relationships.csv:3", "relationships.csv:5", "relationships.csv:8", "sources.csv:2",
    ]
    with pytest.raises(DataError) as caught:
        validated_tables(load_tables(folder), schema)
    assert str(caught.value).splitlines()[0] == "5 problems in the data"


@pytest.mark.parametrize("folder", [TINY, FIXTURES / "tiny_bom"])
def test_good_data_passes_and_is_typed(folder, schema):
    tables = validated_tables(load_tables(folder), schema)
    rel = tables.relationships.set_index("id")
    assert rel.loc["r1", "amount_usd"] == 1_000_000.0
    assert rel.loc["r3", "aggregate"] is True or rel.loc["r3", "aggregate"] == True  # noqa: E712
    assert rel.loc["r1", "aggregate"] == False  # noqa: E712
    assert rel.loc["r5", "amount_usd"] != rel.loc["r5", "amount_usd"]  # NaN


def test_mutual_relationships_written_both_ways_are_duplicates(tmp_path, schema):
    for name in ("entities", "sources"):
        (tmp_path / f"{name}.csv").write_bytes((TINY / f"{name}.csv").read_bytes())
    text = (TINY / "relationships.csv").read_text(encoding="utf-8")
    text += "r9,rival-co,acme,competitor,,,,,,reported,false,s1,s1 ¶8: again\n"
    (tmp_path / "relationships.csv").write_text(text, encoding="utf-8")
    assert messages(tmp_path, schema) == [
        f"{tmp_path}/relationships.csv:10: (row): duplicate relationship of line 7 (found 'rival-co competitor acme', "
        "expected each relationship once (cite several sources in one row))"
    ]


def test_bundled_data_is_valid(schema):
    assert messages(None, schema) == []
