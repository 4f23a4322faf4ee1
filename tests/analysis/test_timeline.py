"""Ranks per period, worked out by hand on the tiny data, and the campaign versus the inauguration."""

import math
from datetime import date

import pytest

from analysis.timeline import Window, calendar_windows, parse_windows, rank_timeline, timeline_table

# tiny strengths (log money scale): alice->pac 1 + log10(1501); pac->campaign 1 + log10(2001);
# bob->campaign (pledge, planned) 0.5 * (1 + log10(101)); alice->acme executive 4; acme->bob employee 1.5 * 0.9.
ALICE_PAC = 1 + math.log10(1501)
CAMPAIGN_IN = 1 + math.log10(2001) + 0.5 * (1 + math.log10(101))


def test_calendar_windows(tiny_graph):
    years = calendar_windows(tiny_graph, "year")
    assert [w.label for w in years] == ["2019", "2020", "2021", "2022", "2023", "2024"]  # r5 starts 2019; r4 ends 2024-10
    assert years[0] == Window("2019", date(2019, 1, 1), date(2019, 12, 31))
    quarters = calendar_windows(tiny_graph, "quarter", since="2024-02", until="2024-08-15")
    assert [(w.label, w.start, w.end) for w in quarters] == [
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)), ("2024-Q2", date(2024, 4, 1), date(2024, 6, 30)),
        ("2024-Q3", date(2024, 7, 1), date(2024, 9, 30))]
    months = calendar_windows(tiny_graph, "month", since="2024-11", until="2025-02")
    assert [w.label for w in months] == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert months[-1].end == date(2025, 2, 28)
    with pytest.raises(ValueError, match="unknown period"):
        calendar_windows(tiny_graph, "week")


def test_parse_windows():
    assert parse_windows("2024-01:2024-11,2024-11:2025-01") == [
        Window("2024-01:2024-11", date(2024, 1, 1), date(2024, 11, 30)),
        Window("2024-11:2025-01", date(2024, 11, 1), date(2025, 1, 31))]
    assert parse_windows("2024:2024")[0].end == date(2024, 12, 31)


@pytest.mark.parametrize("text, problem", [
    ("2024-06", "is not START:END"), ("2024-11:2024-01", "ends before it starts"), ("2024-13:2025", "not a date"),
    ("2024:2025:2026", "is not START:END"),
])
def test_parse_windows_rejects(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_windows(text)


def test_tiny_ranks_by_hand(tiny_graph):
    ranks = rank_timeline(tiny_graph, calendar_windows(tiny_graph, "year"), metric="strength_in")
    # 2019: only r5 (alice runs acme); 2020-2023: r5 and r7 (bob at acme) unchanged, so merged; 2024: everything
    # dated. r6 (acme competitor rival-co) is undated and in no period.
    assert list(dict.fromkeys(ranks["period"])) == ["2019", "2020..2023", "2024"]
    assert "rival-co" not in set(ranks["id"])
    by = {(row["period"], row["id"]): row for row in ranks.to_dict("records")}
    assert by[("2019", "acme")]["rank"] == 1
    assert by[("2019", "alice")]["value"] == 0 and math.isnan(by[("2019", "alice")]["rank"])  # nothing reaches her: unranked
    assert by[("2020..2023", "bob")]["value"] == pytest.approx(1.35)
    assert [by[("2024", e)]["rank"] for e in ("campaign", "pac", "acme", "bob")] == [1, 2, 3, 4]
    assert math.isnan(by[("2024", "alice")]["rank"])
    assert by[("2024", "campaign")]["value"] == pytest.approx(CAMPAIGN_IN)
    assert by[("2024", "pac")]["value"] == pytest.approx(ALICE_PAC)
    assert by[("2024", "acme")]["rank_change"] == 1 - 3          # first in 2020-2023, third in 2024
    assert math.isnan(by[("2024", "pac")]["rank_change"])       # new in 2024
    assert by[("2020..2023", "acme")]["start"] == "2020-01-01" and by[("2020..2023", "acme")]["end"] == "2023-12-31"


def test_merging_can_be_turned_off(tiny_graph):
    ranks = rank_timeline(tiny_graph, calendar_windows(tiny_graph, "year"), metric="strength_in", merge_unchanged=False)
    assert list(dict.fromkeys(ranks["period"])) == ["2019", "2020", "2021", "2022", "2023", "2024"]


def test_wide_table(tiny_graph):
    ranks = rank_timeline(tiny_graph, calendar_windows(tiny_graph, "year"), metric="strength_in")
    wide = timeline_table(ranks)
    assert list(wide.columns) == ["id", "name", "2019", "2020..2023", "2024", "change"]
    assert wide["id"].tolist() == ["campaign", "pac", "acme", "bob", "alice"]  # by the last period's rank
    acme = wide.set_index("id").loc["acme"]
    assert (acme["2019"], acme["2020..2023"], acme["2024"], acme["change"]) == (1, 1, 3, -2)
    alice = wide.set_index("id").loc["alice"]
    assert alice["change"] is __import__("pandas").NA  # strength_in 0 in every period: never ranked
    assert wide.set_index("id").loc["campaign", "2019"] is __import__("pandas").NA
    assert timeline_table(ranks, top=1)["id"].tolist() == ["campaign", "acme"]


def test_lower_constraint_ranks_first(tiny_graph):
    ranks = rank_timeline(tiny_graph, parse_windows("2024:2024"), metric="constraint")
    values = ranks.dropna(subset=["value"]).sort_values("rank")["value"].tolist()
    assert values == sorted(values)


def test_unknown_metric(tiny_graph):
    with pytest.raises(ValueError, match="unknown metric"):
        rank_timeline(tiny_graph, parse_windows("2024:2024"), metric="fame")


def test_empty_periods_are_left_out(tiny_graph):
    assert rank_timeline(tiny_graph, parse_windows("2010:2011")).empty
    ranks = rank_timeline(tiny_graph, parse_windows("2010:2011,2024-01:2024-01"), metric="strength_in")
    assert set(ranks["period"]) == {"2024-01:2024-01"}
    # January 2024 holds r1 ($1M) and r3 (the aggregate $1.5M covering January to March); the aggregate never
    # weighs, so the alice->pac edge takes its strength from r1 alone, 1 + log10(1001) > 4 (acme's executive tie).
    found = ranks.set_index("id")["rank"].to_dict()
    assert {k: v for k, v in found.items() if k != "alice"} == {"pac": 1, "acme": 2, "bob": 3}
    assert math.isnan(found["alice"])  # strength_in 0: unranked


def test_campaign_months_against_inaugural_donations(bundled_graph):
    ranks = rank_timeline(bundled_graph, parse_windows("2024-06:2024-11,2024-12:2025-01"), metric="strength_in")
    wide = timeline_table(ranks, top=3).set_index("id")
    assert wide.loc["america-pac", "2024-06:2024-11"] == 1
    assert wide.loc["trump-inaugural-fund-2025", "2024-12:2025-01"] == 1
    assert wide.loc["trump-inaugural-fund-2025", "2024-06:2024-11"] is __import__("pandas").NA  # no gifts yet
    # the campaign ranked 3rd in the campaign months (America PAC's $21M; Musk's aggregate >= $200M never weighs)
    assert wide.loc["trump-campaign-2024", "2024-06:2024-11"] == 3
    assert wide.loc["trump-campaign-2024", "2024-12:2025-01"] is __import__("pandas").NA  # strength 0: unranked
    assert wide.loc["donald-trump", "change"] == 2 - 2
