"""The map of a run on merged news + filings data shows each money relationship's check against the filings."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.cli import main
from network.contract.schema import default_data_dir
from network.fec.filings.ingest import ingest_filings
from network.merge.folders import merge_folders
from test_maps_browser import browser, open_map  # noqa: F401  (the fixture is used by name)

pytestmark = pytest.mark.browser
FILING = Path(__file__).resolve().parent.parent / "fixtures" / "claims" / "900000010.fec"


def test_a_money_edge_panel_shows_its_check_against_the_filings(browser, tmp_path):  # noqa: F811
    ingest_filings([FILING], tmp_path / "filings")
    merge_folders([default_data_dir(), tmp_path / "filings"], tmp_path / "merged")
    assert main(["run", "--data", str(tmp_path / "merged"), "--out", str(tmp_path / "run")]) == 0
    with open_map(browser, tmp_path / "run" / "map.html") as opened:
        page = opened.page
        edge_id = page.evaluate("""Object.entries(influenceMap.data.ties)
            .find(([id, t]) => t.source === 'elon-musk' && t.target === 'america-pac' && t.layers.includes('money'))[0]""")
        assert page.evaluate(f"influenceMap.selectEdge({edge_id!r})") is True
        panel = page.evaluate("influenceMap.panelText()")
        assert "Against filings" in panel
        assert ("matches filings: filed $75,000,000 against $75,000,000 reported (difference $0; "
                "filing 900000010 line 3; filing 900000010 line 4)") in panel
        assert "period not covered: the reports of C00879510 read cover 2024-07-01 to 2024-09-30" in panel  # r001
        assert opened.errors == [] and opened.other_requests == []
