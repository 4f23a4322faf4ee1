from datetime import datetime

import pytest

from network.formats.spreadsheet import EdgeColumns, import_edge_rows, read_spreadsheet, slugify
from network.contract.load import load_tables
from network.contract.validate import validate_tables

CSV = """Donor,Recipient,Amount,Date,Link,Kind
Elon Musk,America PAC,"$43,600,000",2024-10-16,https://www.fec.gov/a,donation
Jane Doe,Some PAC,n/a,2024-01-01,,donation
,Some PAC,5,2024,,donation
Jane Doe,Some PAC,"1,000",2024-02,https://example.org/x,donation
Jane Doe,JANE DOE,10,2024,,donation
Jane Doe,Some PAC,1000,2024-02,https://example.org/x,donation
ACME Inc.,Some PAC,7,10/16/2024,,donation
Acme Inc,Some PAC,7,2024,,bribe
Acme Inc,Some PAC,7,2024,javascript:x,donation
Some PAC,Acme Inc,,,,rivalry
"""


def imported(tmp_path, schema, text=CSV, existing=None, **mapping):
    path = tmp_path / "donors.csv"
    path.write_text(text, encoding="utf-8")
    header, rows = read_spreadsheet(path)
    columns = EdgeColumns(**{"source_column": "Donor", "target_column": "Recipient", **mapping})
    return import_edge_rows(header, rows, columns, schema, shown=str(path), out_dir=tmp_path / "out", existing=existing)


def test_csv_rows_become_entities_relationships_and_sources(tmp_path, schema):
    result = imported(tmp_path, schema, amount_column="Amount", date_column="Date", url_column="Link", type_column="Kind")
    assert result.rows_read == 10
    assert result.entities_created == ("acme-inc", "america-pac", "elon-musk", "jane-doe", "some-pac")
    tables = result.tables
    assert validate_tables(tables, schema) == []
    rows = tables.relationships.set_index("id")
    assert rows.loc["donors-2", ["source", "target", "type", "amount_usd", "amount_qualifier", "start_date", "end_date"]].tolist() == [
        "elon-musk", "america-pac", "donation", "43600000", "exact", "2024-10-16", "2024-10-16"]
    assert rows.loc["donors-2", "evidence"] == "donors.csv:2: Elon Musk donation America PAC"
    assert rows.loc["donors-11", ["source", "target", "type"]].tolist() == ["acme-inc", "some-pac", "rivalry"]  # mutual: ids in order
    sources = tables.sources.set_index("id")
    assert sources.loc[rows.loc["donors-2", "source_ids"], ["publisher", "url"]].tolist() == ["fec.gov", "https://www.fec.gov/a"]
    assert "import-donors" in sources.index  # rows without a URL cite the file


def test_bad_rows_are_skipped_and_reported_by_line(tmp_path, schema):
    result = imported(tmp_path, schema, amount_column="Amount", date_column="Date", url_column="Link", type_column="Kind")
    assert [(p.line, p.column, p.problem) for p in result.skipped] == [
        (3, "Amount", "not a non-negative number"),
        (4, "Donor", "empty name"),
        (6, "Recipient", "source and target are the same entity"),
        (7, "(row)", "duplicate of line 5"),
        (8, "Date", "not a date"),
        (9, "Kind", "unknown relationship type"),
        (10, "Link", "not a web address"),
    ]
    assert str(result.skipped[0]).startswith(f"{tmp_path / 'donors.csv'}:3: Amount: not a non-negative number (found 'n/a'")
    assert result.relationships_written == 3


def test_one_type_for_every_row_and_defaults(tmp_path, schema):
    text = "Donor,Recipient\nA Fund,B PAC\n"
    assert imported(tmp_path, schema, text).tables.relationships["type"].tolist() == ["associate"]
    assert imported(tmp_path, schema, text, relationship_type="endorsement").tables.relationships["type"].tolist() == ["endorsement"]
    with pytest.raises(ValueError, match="unknown relationship type 'bribe'"):
        imported(tmp_path, schema, text, relationship_type="bribe")
    with pytest.raises(ValueError, match="no column 'Amount'"):
        imported(tmp_path, schema, text, amount_column="Amount")


def test_existing_entities_are_matched_by_name_alias_or_slug(tmp_path, schema):
    existing = load_tables()
    text = "Donor,Recipient,Amount\nelon musk,America PAC,100\nMusk PAC,Brand New Committee,5\n"
    result = imported(tmp_path, schema, text, existing=existing, amount_column="Amount")
    assert result.entities_created == ("brand-new-committee",)
    assert result.entities_matched == 2  # "elon musk" by name, "America PAC" and its alias "Musk PAC" are one
    assert len(result.tables.relationships) == len(existing.relationships) + 2
    assert validate_tables(result.tables, schema) == []


def test_xlsx_with_dates_and_numbers(tmp_path, schema):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Gifts")
    sheet.append(["From", "To", "USD", "When"])
    sheet.append(["Alpha Fund", "Beta PAC", 2500, datetime(2024, 3, 5)])
    sheet.append(["Alpha Fund", "Gamma Campaign", 12.5, "2024-04"])
    sheet.append([None, None, None, None])
    sheet.append(["Alpha Fund", None, 1, "2024"])
    path = tmp_path / "gifts.xlsx"
    book.save(path)
    with pytest.raises(ValueError, match="no sheet 'Missing'; sheets: Notes, Gifts"):
        read_spreadsheet(path, sheet="Missing")
    header, rows = read_spreadsheet(path, sheet="Gifts")
    assert header == ["From", "To", "USD", "When"]
    assert rows == [(2, ["Alpha Fund", "Beta PAC", "2500", "2024-03-05"]), (3, ["Alpha Fund", "Gamma Campaign", "12.5", "2024-04"]),
                    (5, ["Alpha Fund", "", "1", "2024"])]
    columns = EdgeColumns("From", "To", amount_column="USD", date_column="When")
    result = import_edge_rows(header, rows, columns, schema, shown=str(path), out_dir=tmp_path, existing=None)
    assert [(p.line, p.problem) for p in result.skipped] == [(5, "empty name")]
    assert result.tables.relationships[["id", "amount_usd", "start_date", "type"]].values.tolist() == [
        ["gifts-2", "2500", "2024-03-05", "donation"], ["gifts-3", "12.5", "2024-04", "donation"]]
    assert validate_tables(result.tables, schema) == []


def test_slugify_makes_valid_distinct_ids():
    assert slugify("Elon Musk") == "elon-musk"
    assert slugify("ACME, Inc.") == slugify("Acme Inc") == "acme-inc"
    assert slugify("أمازون").startswith("entity-") and slugify("أمازون") != slugify("ميتا")
