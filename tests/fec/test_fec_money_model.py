"""The FEC ingest's output counted by docs/money.md: independent expenditures are outside spending, never
receipts, and money against a candidate shows in `flows --by type`, `flows --by entity` and the report."""

from __future__ import annotations

import io

import pandas as pd

from analysis.cli import main

PRIORITIES, STOP_HILLARY, CLINTON = "c00495861", "c00544767", "p00003392"


def _csv(capsys) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False, na_values=[""])


def test_outside_spending_is_not_received(full, capsys):
    assert main(["flows", "--data", str(full.folder), "--format", "csv"]) == 0
    rows = _csv(capsys).set_index("id")
    clinton = rows.loc[CLINTON]
    # Priorities USA's $1,000,000 for her and Stop Hillary's $50,000 against her: neither is money she received
    assert clinton["received_usd"] == 0
    assert clinton["outside_for_usd"] == 1_000_000 and clinton["outside_against_usd"] == 50_000
    assert rows.loc[PRIORITIES, "spent_for_usd"] == 1_000_000 and rows.loc[PRIORITIES, "given_usd"] == 0
    assert rows.loc[STOP_HILLARY, "spent_against_usd"] == 50_000


def test_oppose_shows_in_flows_by_type_and_the_report(full, capsys, tmp_path):
    assert main(["flows", "--by", "type", "--data", str(full.folder), "--format", "csv"]) == 0
    by_type = _csv(capsys).set_index("type")
    assert by_type.loc["oppose", "given_usd"] == 50_000 and by_type.loc["oppose", "relationships"] == 1
    assert main(["report", "--data", str(full.folder), "--out", str(tmp_path)]) == 0
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    money = report[report.index("## Money"):report.index("## Robustness")]
    assert "| oppose | 1 | 0 | $50,000 |" in money
