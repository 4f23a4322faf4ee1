"""The report: ranked tables, communities, money flows, robustness, method notes and provenance.

Built once as the blocks of a `analysis.report_render.Report`, rendered as Markdown (charts as PNG files
beside it) and as one self-contained HTML file (charts inlined as data URIs; every string from the data
escaped) by `analysis.report_render`.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Mapping, Sequence

import pandas as pd

from analysis.centrality import METRICS, REFERENCES
from analysis.charts import bar_chart, layer_chart, money_chart
from analysis.communities import community_summary, consensus_communities
from analysis.flow_groups import flows_by_group
from analysis.flows import QUALIFIER_WORDS, chain_totals, flows_by_entity, stated_totals, with_qualifiers
from analysis.rankings import HEADLINES, PLAIN_PAGERANK, headline_table, ranked_table
from analysis.report_render import Report
from analysis.report_sections import bibliography, filters_sentence, single_source_ties
from analysis.robustness import ROBUSTNESS_RESAMPLES, robustness_summary
from network.graph import InfluenceGraph

__all__ = ["build_report", "report_communities", "report_robustness"]


def _top(nodes: pd.DataFrame, metric: str, top: int, *, ascending: bool = False) -> pd.DataFrame:
    """The top of the node table by one metric: ties share a rank, zero (or missing) scores unranked."""
    return ranked_table(nodes[["id", "name", "type", metric, "community"]], metric, top=top,
                        ascending=ascending).drop(columns=["id"])


def report_robustness(graph: InfluenceGraph, *, top: int = 10, resamples: int = ROBUSTNESS_RESAMPLES,
                      seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The robustness tables the report shows: `robustness_summary` of PageRank's top ``top``."""
    return robustness_summary(graph, metric="pagerank", top=top, resamples=resamples, seed=seed)


def report_communities(graph: InfluenceGraph, *, community_runs: int = 10, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The consensus communities the report shows: `consensus_communities` of ``community_runs`` seeded Leiden runs."""
    return consensus_communities(graph, method="leiden", runs=community_runs, seed=seed)


def build_report(
    graph: InfluenceGraph, nodes: pd.DataFrame, provenance: Mapping[str, Any], *,
    top: int = 10, seed: int = 0, community_runs: int = 10, resamples: int = ROBUSTNESS_RESAMPLES,
    maps: Sequence[str] = (), claims: pd.DataFrame | None = None,
    robustness: Callable[[], tuple[pd.DataFrame, pd.DataFrame]] | None = None,
    entity_flows: pd.DataFrame | None = None,
    rankings: Mapping[Any, pd.DataFrame] | None = None,
) -> Report:
    """Assemble the report from a graph and its node table (metrics and community per entity).

    Runs the consensus communities (``community_runs`` seeded Leiden runs), the money flows and the
    robustness scenarios (``resamples`` resamples, as many as ``influence robustness`` draws by
    default), all seeded by ``seed``. The header names the filters in force (from ``provenance``);
    ``maps`` (paths relative to the report, such as ``map.html``) are linked under it. The report
    lists the single-source ties and ends with a bibliography of every source cited. ``robustness``
    gives the tables of `report_robustness` for the same graph, ``top``, ``resamples`` and ``seed`` when
    they are computed elsewhere (`influence run` scores the scenarios in a second process);
    ``entity_flows`` is the graph's `analysis.flows.flows_by_entity` table, and ``rankings`` maps headlines
    to their `analysis.rankings.headline_scores` with ``seed``, when the caller has them.
    """
    report = Report("Influence report")
    report.paragraph(filters_sentence(provenance))
    if maps:
        report.links([(name, name) for name in maps])
    counts = provenance.get("counts", {})
    report.paragraph(
        f"{counts.get('entities', len(graph.entities))} entities, {counts.get('relationships', len(graph.relationships))} "
        f"relationships from {len(graph.sources)} sources, {len(graph.edges)} graph edges. Every relationship cites its "
        "sources; money totals never add aggregate rows (totals that restate other rows).")

    report.heading(2, "Who matters")
    report.chart("rankings.png", bar_chart(nodes, "pagerank", title=f"Top {top} by plain weighted PageRank (every layer but conflict)",
                                           top=top, xlabel="PageRank (sums to 1)"), "Top entities by weighted PageRank")
    report.paragraph(
        "Each ranking is computed on the layers its title names, as `influence centrality` computes it with the same "
        "--metric and --layer options. Ties share a rank; entities with a score of zero (on no path, reached by no "
        "money) are left out. Receivers are ranked on money only: on every layer, a property that one owner controls "
        "inherits the owner's PageRank (it has no other tie), and a single media appearance ranks a show among the "
        "recipients of influence; the plain PageRank is shown beside it for comparison.")
    for headline in (*HEADLINES, PLAIN_PAGERANK):
        report.heading(3, headline.title)
        report.paragraph(f"Same scores: `{headline.command}`.")
        report.table(headline_table(graph, headline, top=top, seed=seed, communities=nodes,
                                    scores=(rankings or {}).get(headline)).drop(columns=["id"]))
    report.heading(3, "Least constrained brokers (Burt's constraint, low first; every layer but conflict)")
    report.table(_top(nodes, "constraint", top, ascending=True))

    entities, runs = report_communities(graph, community_runs=community_runs, seed=seed)
    summary = community_summary(graph, entities, nodes[["id", "pagerank"]])
    consensus = runs[runs["consensus"]].iloc[0]
    report.heading(2, "Communities")
    report.paragraph(
        f"Leiden on modularity over the undirected strength graph, {community_runs} seeded runs (seeds {seed}-{seed + community_runs - 1}); "
        f"the consensus is the run that agrees best with the others (seed {int(consensus['seed'])}, modularity "
        f"{consensus['modularity']:.3f}). Stability is the mean Jaccard overlap of an entity's community across runs with "
        f"its consensus community (mean {entities['stability'].mean():.3f}). Communities are named after their member "
        "with the highest PageRank.")
    report.table(summary.rename(columns={"name": "named after"}).drop(columns=["id"]))

    report.heading(2, "Money")
    report.paragraph(
        "Counted as docs/money.md says: contributions and in-kind gifts are given by one entity and received by "
        "another; independent expenditures are outside spending for or against the entity they name, spent by the "
        "spender and never received; pledges are apart; aggregate rows (stated totals that restate other rows) "
        "are never added. Every amount carries its qualifier (at least, at most, about).")
    flows = flows_by_entity(graph) if entity_flows is None else entity_flows
    by_type = flows_by_group(graph, by="type")
    report.chart("money.png", money_chart(flows), "Top givers and recipients")
    report.chart("layers.png", layer_chart(graph.edges, by_type), "Ties by layer and money by type")
    columns = ["given_usd", "received_usd", "outside_for_usd", "outside_against_usd", "spent_for_usd",
               "spent_against_usd", "pass_through_usd", "pledged_usd"]
    movers = flows[(flows[columns] > 0).any(axis=1)]
    shown = movers.head(15)[["name", "type", *columns, *[c[:-4] + "_qualifier" for c in columns], "stated_given_usd"]]
    report.table(with_qualifiers(shown, symbol="$", pad=False))
    totals = chain_totals(graph, entity_flows=flows)
    report.paragraph(
        f"Money moved: {QUALIFIER_WORDS.get(totals['qualifier'], '')}${totals['gross_usd']:,.0f} gross in "
        f"{totals['transfers']} relationships with an amount; {QUALIFIER_WORDS.get(totals['qualifier'], '')}"
        f"${totals['net_usd']:,.0f} net of pass-through (what recipients passed on, "
        f"{QUALIFIER_WORDS.get(totals['pass_through_qualifier'], '')}${totals['pass_through_usd']:,.0f}, counted once).")
    report.heading(3, "Money by type (outside spending against a candidate included)")
    report.table(with_qualifiers(by_type, symbol="$", pad=False))
    stated = stated_totals(graph)
    if len(stated):
        report.paragraph("Stated totals (aggregate rows): kept for context, never added to the sums above.")
        report.table(with_qualifiers(stated, symbol="$", pad=False))

    if claims is not None:
        _claims_section(report, claims)


    ties = single_source_ties(graph)  # and the bibliography: before the robustness tables, which may still be coming
    ties_table = report.formatted(ties) if len(ties) else ties
    books = bibliography(graph)
    books_table = report.formatted(books) if len(books) else books

    report.heading(2, "Robustness")
    comparisons, ranked = (robustness() if robustness is not None
                           else report_robustness(graph, top=top, resamples=resamples, seed=seed))
    report.paragraph(
        f"How much the top {top} by PageRank changes under other weight policies, single layers, dropping unconfirmed ties "
        f"({resamples} seeded resamples, each unconfirmed tie dropped with probability 0.5) and leaving each source out. "
        "Kendall tau-b on the union of the two top lists; overlap = shared entities / k.")
    report.table(comparisons)
    flagged = ranked[ranked["single_source"].astype(bool)] if "single_source" in ranked else ranked.iloc[0:0]
    if len(flagged):
        report.paragraph("Top entities whose rank rests on a single source:")
        report.table(flagged[["rank", "name", "type", "sources", "reason"]])

    report.heading(2, "Ties resting on one source")
    report.paragraph(f"{len(ties)} of {len(graph.relationships)} relationships cite a single source; a second, "
                     "independent source would make them firmer. Money first, largest first.")
    if len(ties):
        report.table(ties_table)

    report.heading(2, "Method notes")
    weights = provenance.get("parameters", {}).get("weights", {})
    report.paragraph(
        "Edges point the way influence flows (donor to recipient, owner to company, employer to employee); all "
        "relationships between two entities in one layer form one edge. Money strength = "
        f"{weights.get('money_base', 1.0)} + log10(1 + amount / {weights.get('money_unit_usd', 1000.0):.0f}) ({weights.get('money_scale', 'log')} scale); "
        "other types use their default strength; each is multiplied by its status factor "
        f"({', '.join(f'{k} {v}' for k, v in weights.get('status', {}).items())}). Path metrics use cost = 1 / strength. "
        "Conflict edges (lawsuits, rivalries) are left out of metrics and communities.")
    report.table(pd.DataFrame([vars(m) for m in METRICS.values()]))
    report.paragraph("References: " + " ".join(REFERENCES.splitlines()))

    report.heading(2, "Provenance")
    inputs = provenance.get("inputs", {})
    report.table(pd.DataFrame([{"input": name, "path": item["path"], "sha256": item["sha256"]} for name, item in inputs.items()]))
    report.paragraph("Versions: " + ", ".join(f"{k} {v}" for k, v in provenance.get("versions", {}).items())
                     + f". Seed {seed}. Parameters: " + json.dumps(provenance.get("parameters", {}), sort_keys=True, ensure_ascii=False))

    report.heading(2, "Bibliography")
    report.paragraph(f"{len(books)} sources, each with the number of relationships citing it.")
    if len(books):
        report.table(books_table)
    return report


def _claims_section(report: Report, claims: pd.DataFrame) -> None:
    """Reported money (news rows) against FEC filings: the outcome counts, then one row per claim (claims.csv)."""
    report.heading(2, "Reported money against filings")
    counts = claims["outcome"].value_counts()
    report.paragraph(
        "Each money relationship from a news source, checked against the FEC-filed money between the same two entities "
        "in its period (`influence claims`, docs/claims.md): " + ", ".join(f"{counts[o]} {o}" for o in sorted(counts.index))
        + ". Difference = filed minus reported.")
    report.table(claims[["relationship_id", "source", "target", "claimed_usd", "qualifier", "outcome", "filed_usd",
                         "difference_usd", "reason"]])
