import re

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from analysis.cli import main
from analysis.report_render import Report, render_html, render_markdown
from tests.conftest import TINY


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    assert main(["report", "--out", str(out)]) == 0
    return out


def test_report_html_is_self_contained_with_its_charts(written):
    page = (written / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert page.count('src="data:image/png;base64,') == 3
    for heading in ("Who matters", "Communities", "Money", "Robustness", "Method notes", "Provenance"):
        assert f"<h2>{heading}</h2>" in page
    assert "Donald Trump" in page and "$118,600,000" in page  # Musk's gifts to America PAC, counted once


def test_markdown_points_at_charts_that_exist(written):
    text = (written / "report.md").read_text(encoding="utf-8")
    charts = re.findall(r"!\[[^]]*\]\((report/[^)]+)\)", text)
    assert sorted(charts) == ["report/layers.png", "report/money.png", "report/rankings.png"]
    for chart in charts:
        assert (written / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_same_data_and_seed_give_the_same_bytes(written, tmp_path):
    assert main(["report", "--out", str(tmp_path)]) == 0
    for name in ("report.html", "report.md", "report.json", "report/money.png", "report/rankings.png"):
        assert (tmp_path / name).read_bytes() == (written / name).read_bytes(), name


def test_text_from_data_is_escaped():
    report = Report("R")
    import pandas as pd
    report.paragraph("<script>alert(1)</script> & more")
    report.table(pd.DataFrame({"name": ['<img src=x onerror=alert(1)>'], "amount_usd": [5.0]}))
    page = render_html(report)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "| $5 |" in render_markdown(report, chart_folder="c")


def test_filters_apply_to_the_report(tmp_path):
    assert main(["report", "--data", str(TINY), "--layer", "money", "--out", str(tmp_path)]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Acme Corp" not in page.split("<h2>Method notes</h2>")[0]  # acme has no money ties


def test_report_header_names_the_filters_and_the_rule_for_undated_ties(tmp_path):
    assert main(["report", "--out", str(tmp_path), "--layer", "money", "--since", "2024-12"]) == 0
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert text.splitlines()[2] == "Filters: layers money; since 2024-12; undated ties dropped under the date filter."
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<p dir=\"auto\">Filters: layers money; since 2024-12; undated ties dropped under the date filter.</p>" in page


def test_report_lists_single_source_ties_and_a_bibliography(written, bundled_graph):
    text = (written / "report.md").read_text(encoding="utf-8")
    assert "Filters: none (every relationship of the data)." in text
    # counted by hand from the bundled relationships.csv: 97 of 115 cite one source
    assert "97 of 115 relationships cite a single source" in text
    section = text.split("## Ties resting on one source", 1)[1].split("\n## ", 1)[0]
    assert section.count("\n| r") == 97
    bibliography = text.split("## Bibliography", 1)[1]
    cited = {s for value in bundled_graph.relationships["source_ids"] for s in value.split(";") if s}
    assert f"{len(cited)} sources, each with the number of relationships citing it." in bibliography
    for source in bundled_graph.sources[bundled_graph.sources["id"].isin(cited)].itertuples():
        assert f"| {source.id} | {source.publisher.replace('|', chr(92) + '|')} |" in bibliography
        assert source.url in bibliography


def test_report_uses_the_robustness_command_default_resamples(written):
    text = (written / "report.md").read_text(encoding="utf-8")
    assert "(50 seeded resamples" in text


def test_run_report_links_the_maps(tmp_path, capsys):
    assert main(["run", "--data", str(TINY), "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    links = re.findall(r"\[([^]]+)\]\(([^)]+\.html)\)", text)
    assert links and all((tmp_path / href).is_file() for _, href in links)
    assert ("map.html", "map.html") in links and ("maps/money.html", "maps/money.html") in links
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<a href="maps/money.html">maps/money.html</a>' in page


_MARKDOWN_CELL = str.maketrans({**{chr(c): None for c in [*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0)]},
                                "<": "&lt;", ">": "&gt;", "|": "\\|", "\n": " "})
"""`_markdown_cell` as one character mapping: control characters dropped, ``<`` ``>`` escaped, ``|`` escaped, newline a space."""
_HTML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})
"""`html.escape` (quotes included) as one character mapping."""


def test_cell_translations_equal_the_escaping_functions_they_replace():
    """`_markdown_cell` and `html.escape` map each character on its own (the same text as a character mapping), which
    is what lets the report escape a whole column joined by a separator in one call."""
    import html

    import numpy as np

    from analysis.report_render import _markdown_cell

    every = "".join(chr(c) for c in range(0x0, 0x3000) if not 0xD800 <= c < 0xE000) + "\U0001F600"
    assert every.translate(_MARKDOWN_CELL) == _markdown_cell(every)
    assert every.translate(_HTML_TEXT) == html.escape(every)
    rng = np.random.default_rng(0)
    alphabet = list("<>&|\"'\n\r\t\x00\x1f\x7f\x85\x9f\xa0=+-@ aZ") + ["\u202e", "\U0001F600"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet, rng.integers(0, 12)))
        assert text.translate(_MARKDOWN_CELL) == _markdown_cell(text)
        assert text.translate(_HTML_TEXT) == html.escape(text)


_CELL_CHARS = st.sampled_from(list("<>&|\"'\n\x00\x7f aZ") + ["\ue000", "\ue001", "\ue002", "\uffff", "\u202e"])


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.text(_CELL_CHARS, max_size=6), max_size=8), numeric=st.lists(st.booleans(), min_size=8, max_size=8),
       mixed=st.booleans())
def test_column_escaping_in_one_pass_equals_escaping_each_cell(texts, numeric, mixed):
    """Tables are escaped a column at a time (one call over the cells joined by a separator none of them
    holds, even when cells hold every candidate separator): the same cells as escaping each one."""
    import html

    from analysis.report_render import _html_cells, _markdown_cell, _translated

    numeric = numeric[:len(texts)] if mixed else [numeric[0]] * len(texts)
    assert _translated(texts, _markdown_cell) == [_markdown_cell(t) for t in texts]
    assert _translated(texts, html.escape) == [html.escape(t) for t in texts]
    expected = [f'<td class="n" dir="auto">{html.escape(t)}</td>' if n else f'<td dir="auto">{html.escape(t)}</td>'
                for t, n in zip(texts, numeric)]
    assert _html_cells(texts, numeric) == expected


def test_table_cells_are_formatted_as_each_value_was():
    """Column-wise formatting gives what formatting each row's values did: floats, money, NaN, ints, bools, None, text."""
    import math

    import pandas as pd

    from analysis.report_render import _column_cells, _fmt, _table_columns

    frame = pd.DataFrame({"amount_usd": [1234.5, math.nan, -0.4], "pagerank": [0.123456, math.nan, 1e-9],
                          "count": [1, 2, 3], "flag": [True, False, True], "mixed": ["a", None, 2.5],
                          "text": ["<b>", "x|y", "=1+2"]})
    columns = _table_columns(frame)
    for k, column in enumerate(frame.columns):
        expected = [_fmt(row[k], column) for row in frame.itertuples(index=False)]
        numeric = [isinstance(row[k], (int, float)) and not isinstance(row[k], bool) for row in frame.itertuples(index=False)]
        assert columns[k] == (expected, numeric), column
    assert _column_cells([1.0, math.nan], "total_usd") == (["$1", ""], [True, True])


def test_a_table_with_rows_but_no_columns_renders_no_rows():
    report = Report("R")
    report.table(pd.DataFrame(index=range(4)))
    report.paragraph("after")
    assert render_markdown(report, chart_folder="c").endswith("|  |\n|\n\nafter\n")
    assert "<tbody></tbody>" in render_html(report)


@pytest.mark.parametrize("rows", [0, 1, 3, 7, 10])
def test_a_report_rendered_in_chunks_of_rows_is_the_report_rendered_whole(monkeypatch, rows):
    """Long tables are rendered and written a chunk of rows at a time: the same bytes as in one piece."""
    import analysis.report_render as report_module
    from analysis.report_render import html_pieces, markdown_pieces

    report = Report("R <&>")
    report.paragraph("before")
    report.table(pd.DataFrame({"name": [f"n{i}<|&\ue000\n" for i in range(rows)], "amount_usd": [float(i) for i in range(rows)],
                               "mixed": [i if i % 2 else f"t{i}" for i in range(rows)]}))
    report.paragraph("after")
    whole_html, whole_md = render_html(report), render_markdown(report, chart_folder="c")
    monkeypatch.setattr(report_module, "_ROW_CHUNK", 3)
    report.cells.clear()
    assert "".join(html_pieces(report)) == whole_html
    assert "".join(markdown_pieces(report, chart_folder="c")) == whole_md
    pieces = list(html_pieces(report))
    assert sum(piece.count("<tr>") for piece in pieces if piece.startswith("<tr>")) == rows  # every row, once
    assert max((piece.count("<tr>") for piece in pieces), default=0) <= 3
