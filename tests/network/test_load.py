import pandas as pd
from hypothesis import given, settings, strategies as st

from network.contract.load import ENTITY_COLUMNS, load_tables, read_csv_table
from tests.conftest import FIXTURES, TINY


def test_rows_are_indexed_by_their_starting_line_even_across_quoted_newlines(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text('id,title\ns1,"two\nlines"\n\ns2,  padded  \n', encoding="utf-8")
    frame, problems = read_csv_table(path, ("id", "title"))
    assert problems == []
    assert frame.index.tolist() == [2, 5]
    assert frame.loc[2, "title"] == "two\nlines"
    assert frame.loc[5, "title"] == "padded"


def test_bom_is_accepted_and_does_not_rename_the_first_column():
    plain, bom = load_tables(TINY), load_tables(FIXTURES / "tiny_bom")
    assert bom.problems == ()
    assert list(bom.entities.columns) == list(ENTITY_COLUMNS)
    assert bom.entities.equals(plain.entities)


def test_missing_file_is_a_problem_not_an_exception(tmp_path):
    tables = load_tables(tmp_path)
    assert [str(p) for p in tables.problems][0].startswith(f"{tmp_path / 'entities.csv'}:0: (file): file not found")
    assert len(tables.problems) == 3


def test_folder_without_schema_uses_the_bundled_one(tmp_path):
    from network.contract.schema import default_data_dir

    assert load_tables(TINY).paths["schema"] == default_data_dir() / "schema.toml"
    (tmp_path / "schema.toml").write_text("", encoding="utf-8")
    assert load_tables(tmp_path).paths["schema"] == tmp_path / "schema.toml"


def _read_row_by_row(path, columns):
    """What read_csv_table returned when it stripped and kept each row as it read it (the reference)."""
    import csv

    import pandas as pd

    from network.storage.cells import restore_cell

    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        header = [name.strip() for name in next(reader)]
        rows, lines, start = [], [], reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record) and len(record) == len(header):
                rows.append([restore_cell(cell.strip()) for cell in record])
                lines.append(start)
            start = reader.line_num + 1
    frame = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(
        {name: pd.Series([], dtype=object) for name in header})
    frame.index = pd.Index(lines, dtype="int64", name="line")
    return frame


_CELLS = st.sampled_from(["", " ", "a", " b ", "'=1", "''=x", "'quoted'", "=2", "x\ny", "c,d", '"q"', "  \t"])


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(_CELLS, min_size=0, max_size=4), max_size=12))
def test_rows_read_column_wise_equal_rows_read_one_by_one(tmp_path_factory, rows):
    """Stripping, dropping blank rows and restoring neutralized cells a column at a time gives the frame that
    doing it row by row gave: the same cells, columns and line numbers (quoted cells spanning lines included)."""
    import csv

    folder = tmp_path_factory.mktemp("csv")
    path = folder / "t.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "type"])
        for row in rows:
            writer.writerow(row) if row else handle.write("\n")
    frame, problems = read_csv_table(path, ("id", "name", "type"))
    expected = _read_row_by_row(path, ("id", "name", "type"))
    pd.testing.assert_frame_equal(frame, expected)
    assert frame.index.tolist() == expected.index.tolist()
    wrong = [r for r in rows if r and len(r) != 3 and any(c.strip() for c in r)]
    assert len(problems) == len(wrong)
