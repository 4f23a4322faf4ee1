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
