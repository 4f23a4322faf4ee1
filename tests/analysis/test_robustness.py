import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import kendalltau

from analysis.robustness import (
    COMPARISON_COLUMNS, metric_scores, ranking_agreement, robustness_summary, scenario_graphs, top_entities,
    without_source,
)
from network.graph import build_influence_graph
from network.contract.load import load_tables
from network.contract.schema import load_schema
from network.contract.validate import validated_tables

ENTITIES = "id,name,type,name_ar,aliases,description\n"
RELATIONSHIPS = "id,source,target,type,role,amount_usd,amount_qualifier,start_date,end_date,status,aggregate,source_ids,evidence\n"
SOURCES = "id,publisher,title,published,language,url,document\n"


def write_data(folder, entities, relationships, sources):
    """A data folder in the contract: entity rows ``(id, type)``, relationship rows, source ids."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "entities.csv").write_text(ENTITIES + "".join(f"{i},{i.title()},{t},,,\n" for i, t in entities), encoding="utf-8")
    (folder / "relationships.csv").write_text(RELATIONSHIPS + "".join(
        f"{rid},{s},{t},{kind},,{amount},exact,2024,,{status},false,{cites},{cites.split(';')[0]} ¶1\n"
        for rid, s, t, kind, amount, status, cites in relationships), encoding="utf-8")
    (folder / "sources.csv").write_text(SOURCES + "".join(f"{s},Paper {s},Title {s},2024-11-01,en,,\n" for s in sources), encoding="utf-8")
    return folder


def single_source_data(folder):
    """pac rests on source s1 alone (three $1M gifts); fund on s2 and s3 together."""
    return write_data(
        folder,
        [("d1", "person"), ("d2", "person"), ("d3", "person"), ("d4", "person"), ("fund", "fund"), ("pac", "pac")],
        [("r1", "d1", "pac", "donation", 1_000_000, "confirmed", "s1"),
         ("r2", "d2", "pac", "donation", 1_000_000, "confirmed", "s1"),
         ("r3", "d3", "pac", "donation", 1_000_000, "confirmed", "s1"),
         ("r4", "d4", "fund", "donation", 50_000, "confirmed", "s2;s3"),
         ("r5", "d1", "fund", "donation", 50_000, "confirmed", "s2;s3"),
         ("r6", "d2", "fund", "pledge", 10_000, "planned", "s3")],
        ["s1", "s2", "s3"])


def built(folder):
    schema = load_schema()
    return build_influence_graph(validated_tables(load_tables(folder), schema), schema)


def test_kendall_tau_b_by_hand():
    base = pd.Series({"a": 5.0, "b": 4.0, "c": 3.0, "d": 2.0, "e": 1.0})
    swapped = pd.Series({"a": 5.0, "b": 3.0, "c": 4.0, "d": 1.0, "e": 2.0})
    # 10 pairs; (b, c) and (d, e) are reversed: 8 concordant, 2 discordant -> tau = (8 - 2) / 10 = 0.6.
    assert ranking_agreement(base, swapped, top=5) == pytest.approx((0.6, 1.0))
    tied = pd.Series({"a": 5.0, "b": 4.0, "c": 4.0, "d": 2.0, "e": 1.0})
    # b and c tied in the second ranking: 9 concordant, 0 discordant, no ties in the first (n1 = 0) and one in
    # the second (n2 = 1): tau-b = (9 - 0) / sqrt((10 - 0) * (10 - 1)) = 9 / sqrt(90) = 0.948683.
    tau, _ = ranking_agreement(base, tied, top=5)
    assert tau == pytest.approx(9 / math.sqrt(90)) == pytest.approx(0.948683, abs=1e-6)
    assert tau == pytest.approx(kendalltau(base.to_numpy(), tied.to_numpy()).statistic)


def test_agreement_uses_the_union_of_both_top_k_sets():
    base = pd.Series({"a": 5.0, "b": 4.0, "c": 3.0, "d": 2.0, "e": 1.0})
    other = pd.Series({"a": 5.0, "b": 1.0, "c": 3.0, "d": 4.0, "e": 2.0})
    # Top 2: {a, b} and {a, d}; union {a, b, d}, scored (5, 4, 2) and (5, 1, 4):
    # (a, b) and (a, d) concordant, (b, d) discordant -> tau = (2 - 1) / 3; overlap |{a}| / 2.
    tau, overlap = ranking_agreement(base, other, top=2)
    assert tau == pytest.approx(1 / 3)
    assert overlap == 0.5
    assert ranking_agreement(base, base, top=3) == (1.0, 1.0)


def test_top_entities_break_ties_by_id():
    assert top_entities(pd.Series({"b": 2.0, "a": 2.0, "c": 1.0}), 5) == ["a", "b", "c"]


def test_without_source_drops_rows_citing_only_it_and_keeps_the_others():
    rows = pd.DataFrame({"id": ["r1", "r2", "r3", "r4"], "source_ids": ["s1", "s1;s2", "s2", ""]})
    kept = without_source(rows, "s1")
    assert kept["id"].tolist() == ["r2", "r3", "r4"]
    assert kept["source_ids"].tolist() == ["s2", "s2", ""]
    assert rows["source_ids"].tolist() == ["s1", "s1;s2", "s2", ""]  # the argument is left untouched


def test_dropping_one_source_removes_the_top_entity_and_flags_it(tmp_path):
    graph = built(single_source_data(tmp_path))
    assert top_entities(metric_scores(graph), 2) == ["pac", "fund"]
    comparisons, entities = robustness_summary(graph, top=2, resamples=3, seed=0)
    flagged = entities.set_index("id")
    assert flagged.loc["pac", "single_source"] and flagged.loc["pac", "sources"] == "s1"
    assert flagged.loc["pac", "reason"] == "only source, out of top k without it"
    assert flagged.loc["pac", "rank: without s1"] == 6  # all its ties gone, last of six (ties by id)
    assert not flagged.loc["fund", "single_source"]  # cites s2 and s3; survives either alone
    sources = comparisons[comparisons["group"] == "sources"].set_index("scenario")
    assert sources.loc["without s1", "top_k_overlap"] == 0.5  # {pac, fund} -> {fund, d1}
    assert sources.loc["without s1", "relationships"] == 3
    assert sources.loc["without s3", "relationships"] == 5  # r6 cites s3 only; r4 and r5 keep s2


def test_money_scales_reorder_a_big_gift_and_many_small_ones(tmp_path):
    # a gets one $10M gift, b three $100k gifts. strength_in: log 1 + log10(1 + 10000) = 5.00 for a against
    # 3 * (1 + log10(101)) = 9.01 for b; linear (per $1000) 10000 against 300; unweighted 1 against 3.
    graph = built(write_data(
        tmp_path, [("a", "pac"), ("b", "pac"), ("g1", "person"), ("g2", "person"), ("g3", "person"), ("g4", "person")],
        [("r1", "g1", "a", "donation", 10_000_000, "confirmed", "s1"),
         ("r2", "g2", "b", "donation", 100_000, "confirmed", "s1"),
         ("r3", "g3", "b", "donation", 100_000, "confirmed", "s1"),
         ("r4", "g4", "b", "donation", 100_000, "confirmed", "s1")],
        ["s1"]))
    comparisons, entities = robustness_summary(graph, metric="strength_in", top=1, resamples=0)
    weights = comparisons[comparisons["group"] == "weights"].set_index("scenario")
    assert weights.loc["linear weights", ["kendall_tau", "top_k_overlap"]].tolist() == [-1.0, 0.0]
    tau, overlap = weights.loc["unweighted weights", ["kendall_tau", "top_k_overlap"]]
    assert math.isnan(tau) and overlap == 1.0  # both tops are {b}: one entity, no pair to rank
    assert entities["id"].tolist() == ["b", "a"]
    assert entities["rank: linear weights"].tolist() == [2, 1]
    assert "resampling" not in set(comparisons["group"])  # every tie is confirmed: nothing to resample


def test_scenarios_cover_weights_layers_status_resamples_and_sources(tiny_graph):
    names = [(group, scenario) for group, scenario, _ in scenario_graphs(tiny_graph, resamples=2, seed=0)]
    assert names == [
        ("weights", "linear weights"), ("weights", "unweighted weights"),
        ("layers", "only money"), ("layers", "without money"), ("layers", "only control"), ("layers", "without control"),
        ("layers", "only affiliation"), ("layers", "without affiliation"),
        ("status", "confirmed only"), ("resampling", "resample 1"), ("resampling", "resample 2"),
        ("sources", "without s1"), ("sources", "without s2"),
    ]
    for _, _, graph in scenario_graphs(tiny_graph, resamples=2, seed=0):
        assert graph.ids == tiny_graph.ids  # the same entities, so ranks compare


def test_resampling_only_drops_uncertain_ties(tiny_graph):
    confirmed = set(tiny_graph.relationships.loc[tiny_graph.relationships["status"] == "confirmed", "id"])
    for group, _, graph in scenario_graphs(tiny_graph, resamples=5, seed=4):
        if group == "resampling":
            assert confirmed <= set(graph.relationships["id"])


def test_bundled_data_runs_in_sane_ranges_and_is_deterministic(bundled_graph):
    comparisons, entities = robustness_summary(bundled_graph, top=10, resamples=3, seed=1)
    assert tuple(comparisons.columns) == COMPARISON_COLUMNS
    assert list(dict.fromkeys(comparisons["group"])) == ["weights", "layers", "status", "resampling", "sources"]
    taus = comparisons[["kendall_tau", "kendall_tau_min"]].to_numpy().ravel()
    assert ((taus >= -1) & (taus <= 1) | np.isnan(taus)).all()
    assert comparisons[["top_k_overlap", "top_k_overlap_min"]].stack().between(0, 1).all()
    assert (comparisons["kendall_tau_min"] <= comparisons["kendall_tau"] + 1e-12).all()
    assert entities["rank"].head(10).tolist() == list(range(1, 11))
    assert entities["rank"].is_monotonic_increasing
    assert (entities["resampled_min"] <= entities["resampled_median"]).all()
    assert (entities["resampled_median"] <= entities["resampled_max"]).all()
    assert entities.loc[entities["rank"] > 10, "single_source"].eq(False).all()  # only the top k is judged
    again = robustness_summary(bundled_graph, top=10, resamples=3, seed=1)
    assert comparisons.equals(again[0]) and entities.equals(again[1])


def test_bad_arguments_are_refused(tiny_graph):
    with pytest.raises(ValueError, match="unknown metric"):
        robustness_summary(tiny_graph, metric="fame", resamples=0)
    with pytest.raises(ValueError, match="at least 1"):
        robustness_summary(tiny_graph, top=0)


def test_hundreds_of_source_scenarios_build_the_entity_table_without_warnings(tmp_path):
    """One column per source scenario: the table is built at once (pandas warned on every insert past 100)."""
    import warnings

    count = 130
    folder = write_data(
        tmp_path, [("pac", "pac"), *[(f"d{i:03d}", "person") for i in range(count)]],
        [(f"r{i:03d}", f"d{i:03d}", "pac", "donation", 1000 + i, "confirmed", f"s{i:03d}") for i in range(count)],
        [f"s{i:03d}" for i in range(count)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        comparisons, entities = robustness_summary(built(folder), top=3, resamples=0)
    assert (comparisons["group"] == "sources").sum() == count
    assert sum(c.startswith("rank: without s") for c in entities.columns) == count
