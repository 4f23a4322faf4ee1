import re

import pytest

from analysis.cli import main
from analysis.report import Report, render_html, render_markdown
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
