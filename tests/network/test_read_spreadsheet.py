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
        (4, "Donor", "empty name"),
        (6, "Recipient", "source and target are the same entity"),
        (7, "(row)", "duplicate of line 5"),
        (8, "Date", "not a date"),
        (9, "Kind", "unknown relationship type"),
        (10, "Link", "not a web address"),
    ]
    # an n/a amount keeps the tie, without an amount, and says so
    assert [str(p) for p in result.notes] == [
        f"{tmp_path / 'donors.csv'}:3: Amount: amount unknown: tie kept without an amount (found 'n/a')"]
    assert result.tables.relationships.set_index("id").loc["donors-3", ["amount_usd", "amount_qualifier"]].tolist() == ["", ""]
    assert result.relationships_written == 4


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


# ---------------------------------------------------------------- the analyst's spreadsheet (issue 15)

def analyst_workbook(path):
    """20-odd edges as an analyst types them: a formula, n/a, US dates, per-row types, an Arabic name."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Giver", "Giver type", "Recipient", "Recipient type", "Amount", "Date", "Kind", "Role", "Status",
                  "Title", "URL"])
    sheet.append(["Jane Roe", "person", "Roe Victory Fund", "committee", "=5500000*2", "12/13/2024", "donation", "",
                  "confirmed", "FEC filing 123", "https://www.fec.gov/r1"])
    sheet.append(["Jane Roe", "person", "Acme Robotics", "company", "n/a", "01/02/2025", "investor", "lead investor",
                  "", "", ""])
    sheet.append(["إيلون ماسك", "", "Roe Victory Fund", "", 250000, "11/05/2024", "donation", "", "reported",
                  "Local paper", ""])
    # the same two gifts as r001 and r002 of the bundled data: reported, never added again
    sheet.append(["Musk, Elon", "", "America PAC", "", 43600000, "10/16/2024", "donation", "", "", "", ""])
    sheet.append(["elon-musk", "", "America PAC", "", 75000000, "09/30/2024", "donation", "", "", "", ""])
    sheet.append(["Jane Roe", "person", "Roe Victory Fund", "committee", "=A1*2", "12/20/2024", "donation", "", "",
                  "", ""])
    book.save(path)


def test_the_analysts_spreadsheet_imports_with_nothing_silently_lost(tmp_path, schema):
    path = tmp_path / "analyst.xlsx"
    analyst_workbook(path)
    existing = load_tables()
    header, rows = read_spreadsheet(path)
    columns = EdgeColumns("Giver", "Recipient", amount_column="Amount", type_column="Kind", date_column="Date",
                          url_column="URL", role_column="Role", status_column="Status", title_column="Title",
                          source_type_column="Giver type", target_type_column="Recipient type", date_format="us")
    result = import_edge_rows(header, rows, columns, schema, shown=str(path), out_dir=tmp_path / "out", existing=existing)
    # every row is accounted for: imported, or skipped with its reason
    assert result.rows_read == 6
    assert result.relationships_written + len(result.skipped) == result.rows_read
    written = result.tables.relationships.set_index("id")
    # the formula is evaluated, the US date read month first, the row's own type, status and source title kept
    assert written.loc["analyst-2", ["amount_usd", "start_date", "type", "status"]].tolist() == [
        "11000000", "2024-12-13", "donation", "confirmed"]
    assert result.tables.sources.set_index("id").loc[written.loc["analyst-2", "source_ids"], "title"] == "FEC filing 123"
    # n/a keeps the tie without an amount, with a note
    assert written.loc["analyst-3", ["amount_usd", "type", "role", "start_date"]].tolist() == ["", "investor", "lead investor", "2025-01-02"]
    assert [(p.line, p.problem) for p in result.notes] == [(3, "amount unknown: tie kept without an amount")]
    # per-row entity types for new entities
    entities = result.tables.entities.set_index("id")
    assert entities.loc["jane-roe", "type"] == "person"
    assert entities.loc["roe-victory-fund", "type"] == "committee"
    assert entities.loc["acme-robotics", "type"] == "company"
    # Musk's Arabic name matches the existing entity: no new entity for him
    assert written.loc["analyst-4", "source"] == "elon-musk"
    assert not any(e.startswith("entity-") for e in result.entities_created)
    # the two gifts repeating r001 and r002 are reported, not added: Musk -> America PAC stays $118,600,000
    assert [(p.line, p.problem.split(" of ")[0]) for p in result.duplicates] == [
        (5, "repeats relationship r001"), (6, "repeats relationship r002")]
    musk_pac = written[(written["source"] == "elon-musk") & (written["target"] == "america-pac") & (written["type"] == "donation")]
    assert sorted(musk_pac.index) == ["r001", "r002"]
    assert sum(float(a) for a in musk_pac["amount_usd"]) == 118_600_000
    # a formula referring to cells has no saved value: the row is skipped with the reason, not imported blank
    formula = [p for p in result.skipped if p.line == 7]
    assert formula and formula[0].problem == "a formula the file saved no value for" and formula[0].found == "=A1*2"
    assert validate_tables(result.tables, schema) == []


def test_semicolon_files_are_read_with_their_delimiter(tmp_path, schema):
    text = "Donor;Recipient;Amount\nA Fund;B PAC;1500\nC Fund;B PAC;200\n"
    result = imported(tmp_path, schema, text, amount_column="Amount")
    assert result.tables.relationships[["source", "target", "amount_usd"]].values.tolist() == [
        ["a-fund", "b-pac", "1500"], ["c-fund", "b-pac", "200"]]
    assert result.skipped == ()


def test_dates_in_other_orders_are_refused_with_a_hint_unless_asked(tmp_path, schema):
    text = "Donor,Recipient,Date\nA Fund,B PAC,12/13/2024\nA Fund,C PAC,45639\n"
    refused = imported(tmp_path, schema, text, date_column="Date")
    assert [p.problem for p in refused.skipped] == ["not a date", "not a date"]
    assert "--date-format us" in refused.skipped[0].expected and "--date-format excel" in refused.skipped[1].expected
    dayfirst = imported(tmp_path, schema, "Donor,Recipient,Date\nA Fund,B PAC,13.12.2024\n", date_column="Date",
                        date_format="dayfirst")
    assert dayfirst.tables.relationships["start_date"].tolist() == ["2024-12-13"]
    excel = imported(tmp_path, schema, "Donor,Recipient,Date\nA Fund,C PAC,45639\n", date_column="Date", date_format="excel")
    assert excel.tables.relationships["start_date"].tolist() == ["2024-12-13"]
