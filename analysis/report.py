"""The report: ranked tables, communities, money flows, robustness, method notes and provenance.

Built once as blocks, rendered as Markdown (charts as PNG files beside it) and as one self-contained
HTML file (charts inlined as data URIs; every string from the data escaped).
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, Sequence

import pandas as pd

from analysis.centrality import METRICS, REFERENCES
from analysis.charts import bar_chart, layer_chart, money_chart
from analysis.communities import community_summary, consensus_communities
from analysis.flow_groups import flows_by_group
from analysis.flows import QUALIFIER_WORDS, chain_totals, flows_by_entity, stated_totals, with_qualifiers
from analysis.rankings import HEADLINES, PLAIN_PAGERANK, headline_table, ranked_table
from analysis.report_sections import bibliography, filters_sentence, single_source_ties
from analysis.robustness import ROBUSTNESS_RESAMPLES, robustness_summary
from network.graph import InfluenceGraph

__all__ = ["Report", "build_report", "html_pieces", "markdown_pieces", "render_markdown", "render_html", "report_communities",
           "report_robustness"]


@dataclass
class Report:
    """Blocks in order: ("h", level, text) | ("p", text) | ("table", DataFrame) | ("chart", name, alt)
    | ("links", [(label, relative href), ...])."""

    title: str
    blocks: list[tuple] = field(default_factory=list)
    charts: dict[str, bytes] = field(default_factory=dict)
    cells: dict = field(default_factory=dict, repr=False, compare=False)
    """Each table's formatted cells, by the table's identity: computed by the first rendering, reused by the other."""

    def heading(self, level: int, text: str) -> None:
        self.blocks.append(("h", level, text))

    def paragraph(self, text: str) -> None:
        self.blocks.append(("p", text))

    def formatted(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` as `table` keeps it, its cells formatted now (in `cells`): `table` it later with no more work
        (`build_report` formats the long tables while the robustness tables are still being computed elsewhere)."""
        frame = frame.reset_index(drop=True)
        _table_columns(frame, self.cells)
        self.cells[("kept", id(frame))] = frame  # kept alive with the report: its id is never another frame's
        return frame

    def table(self, frame: pd.DataFrame) -> None:
        formatted = self.cells.get(("kept", id(frame))) is frame  # by `formatted`: already as kept
        self.blocks.append(("table", frame if formatted else frame.reset_index(drop=True)))

    def links(self, links: list[tuple[str, str]]) -> None:
        self.blocks.append(("links", list(links)))

    def chart(self, name: str, png: bytes, alt: str) -> None:
        self.charts[name] = png
        self.blocks.append(("chart", name, alt))


def _fmt(value: Any, column: str) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        if column.endswith("_usd"):
            return f"${value:,.0f}"
        return f"{value:.4f}"
    return str(value)


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


def _markdown_text(text: object) -> str:
    """Data as Markdown shows it, never as markup: ``<`` and ``>`` escaped (``<script>`` is text), control characters dropped.

    ``&`` stays as typed (``Brin & Page`` renders the same); without ``<`` no tag can open.
    """
    cleaned = _CONTROL_CHARACTERS.sub("", str(text))
    return cleaned.replace("<", "&lt;").replace(">", "&gt;")


_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Unicode category Cc (U+0000-U+001F, U+007F-U+009F) but tab and newline: what `_markdown_text` drops."""


def _markdown_cell(text: str) -> str:
    return _markdown_text(text).replace("|", "\\|").replace("\n", " ")


def _column_cells(values: list, column: str) -> tuple[list[str], list[bool]]:
    """`_fmt` of every value of one column, and whether each value is a number (right-aligned in HTML)."""
    kinds = set(map(type, values))
    if kinds == {float}:  # a float column: one format for all
        pattern = "${:,.0f}" if column.endswith("_usd") else "{:.4f}"
        return ["" if v != v else pattern.format(v) for v in values], [True] * len(values)
    if kinds == {str}:
        return values, [False] * len(values)
    if kinds == {int}:
        return list(map(str, values)), [True] * len(values)
    numeric = [isinstance(v, (int, float)) and not isinstance(v, bool) for v in values]
    return [_fmt(v, column) for v in values], numeric


def _table_columns(frame: pd.DataFrame, cache: dict | None = None) -> list[tuple[list[str], list[bool]]]:
    """Per column, the cells' text and numeric flags: the values `DataFrame.itertuples` gives, formatted once
    (kept in ``cache``, the report's, under the table's identity for the other rendering)."""
    if cache is not None and id(frame) in cache:
        return cache[id(frame)]
    columns = [_column_cells(list(frame.iloc[:, k]), str(column)) for k, column in enumerate(frame.columns)]
    if cache is not None:
        cache[id(frame)] = columns
    return columns


_SEPARATORS = ("\ue000", "\ue001", "\ue002", "\uffff")
"""Characters (private use, non-characters) that neither escaping function changes: `_translated` joins cells with one."""


def _joined(texts: list[str], escape: Callable[[str], str]) -> tuple[str, str] | None:
    """``texts`` escaped as one string, joined by a separator that no text holds, and that separator;
    None when every candidate occurs in the texts.

    ``escape`` (`html.escape` or `_markdown_cell`) maps a text character by character, each character on its own
    (tests/analysis/test_report.py checks both against a character mapping on every BMP character), so the
    escaped join is the join of the escaped texts."""
    for separator in _SEPARATORS:
        joined = separator.join(texts)
        if escape(separator) == separator and joined.count(separator) == len(texts) - 1:
            return escape(joined), separator
    return None


def _translated(texts: list[str], escape: Callable[[str], str]) -> list[str]:
    """``[escape(text) for text in texts]`` with one call over the whole column (at 1.5M rows the calls
    themselves cost seconds).

    Examples
    --------
    >>> _translated(["a<b", "c>d", ""], _markdown_cell)
    ['a&lt;b', 'c&gt;d', '']
    """
    if not texts:
        return []
    joined = _joined(texts, escape)
    if joined is None:
        return [escape(text) for text in texts]
    return joined[0].split(joined[1])


_ROW_CHUNK = 20_000
"""Table rows rendered (and written) this many at a time: a report of a million rows is never one string."""


def _markdown_rows(frame: pd.DataFrame, cache: dict) -> Iterator[str]:
    """The table's Markdown rows, `_ROW_CHUNK` at a time, each chunk's lines joined by newlines."""
    columns = _table_columns(frame, cache)
    for start in range(0, len(frame) if columns else 0, _ROW_CHUNK):  # no columns: no cells, no rows
        cut = [_translated(texts[start:start + _ROW_CHUNK], _markdown_cell) for texts, _ in columns]
        yield "\n".join(["| " + " | ".join(cells) + " |" for cells in zip(*cut)])


_NUMBER_CELL, _TEXT_CELL = '<td class="n" dir="auto">', '<td dir="auto">'


def _html_cells(texts: list[str], numeric: list[bool]) -> list[str]:
    """Each text escaped in its ``<td>`` (right-aligned when a number); a column of one kind in one pass."""
    joined = _joined(texts, html.escape) if texts and len(set(numeric)) == 1 else None
    if joined is None:
        return [f"{_NUMBER_CELL if number else _TEXT_CELL}{text}</td>"
                for text, number in zip(_translated(texts, html.escape), numeric)]
    escaped, separator = joined
    opening = _NUMBER_CELL if numeric[0] else _TEXT_CELL
    return (opening + escaped.replace(separator, "</td>" + separator + opening) + "</td>").split(separator)


def _html_rows(frame: pd.DataFrame, cache: dict) -> Iterator[str]:
    """The table's HTML rows, `_ROW_CHUNK` at a time, each chunk's rows joined."""
    columns = _table_columns(frame, cache)
    for start in range(0, len(frame) if columns else 0, _ROW_CHUNK):
        cut = [_html_cells(texts[start:start + _ROW_CHUNK], numeric[start:start + _ROW_CHUNK]) for texts, numeric in columns]
        yield "".join(["<tr>" + "".join(cells) + "</tr>" for cells in zip(*cut)])


def render_markdown(report: Report, *, chart_folder: str) -> str:
    """Markdown text; charts are referenced as ``chart_folder/NAME``."""
    return "".join(markdown_pieces(report, chart_folder=chart_folder))


def markdown_pieces(report: Report, *, chart_folder: str) -> Iterator[str]:
    """`render_markdown`'s text in pieces, made one at a time (a long table a chunk of rows at a time)."""
    for number, block in enumerate(_markdown_blocks(report, chart_folder)):
        if number:
            yield "\n"
        yield block


def _markdown_blocks(report: Report, chart_folder: str) -> Iterator[str]:
    """The lines of the Markdown text (a chunk of table rows counts as its lines), to be joined by newlines."""
    yield f"# {_markdown_text(report.title)}"
    yield ""
    for block in report.blocks:
        if block[0] == "h":
            yield "#" * block[1] + " " + _markdown_text(block[2])
            yield ""
        elif block[0] == "p":
            yield _markdown_text(block[1])
            yield ""
        elif block[0] == "chart":
            yield f"![{_markdown_text(block[2])}]({chart_folder}/{block[1]})"
            yield ""
        elif block[0] == "links":
            yield "Maps: " + " · ".join(f"[{_markdown_cell(label)}]({href})" for label, href in block[1])
            yield ""
        else:
            frame: pd.DataFrame = block[1]
            yield "| " + " | ".join(_markdown_cell(str(c)) for c in frame.columns) + " |"
            yield "|" + "---|" * len(frame.columns)
            yield from _markdown_rows(frame, report.cells)
            yield ""


STYLE = """body{font:15px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.2em;font-size:13px}td,th{border:1px solid #ddd;padding:3px 7px;text-align:left}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}img{max-width:100%}h2{border-bottom:2px solid #eee;margin-top:1.6em}"""


def render_html(report: Report) -> str:
    """One self-contained HTML page: styles inline, charts as data URIs, no external request, data escaped."""
    return "".join(html_pieces(report))


def html_pieces(report: Report) -> Iterator[str]:
    """`render_html`'s page in pieces, made one at a time (a long table a chunk of rows at a time)."""
    e = html.escape
    yield (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{e(report.title)}</title>"
           f"<style>{STYLE}</style></head><body><h1>{e(report.title)}</h1>")
    for block in report.blocks:
        yield "\n"
        if block[0] == "h":
            yield f"<h{block[1]}>{e(block[2])}</h{block[1]}>"
        elif block[0] == "p":
            yield f"<p dir=\"auto\">{e(block[1])}</p>"
        elif block[0] == "links":
            anchors = " · ".join(f'<a href="{e(href)}">{e(label)}</a>' for label, href in block[1])
            yield f"<p>Maps: {anchors}</p>"
        elif block[0] == "chart":
            data = base64.b64encode(report.charts[block[1]]).decode("ascii")
            yield f"<p><img alt=\"{e(block[2])}\" src=\"data:image/png;base64,{data}\"></p>"
        else:
            frame: pd.DataFrame = block[1]
            head = "".join(f"<th>{e(str(c))}</th>" for c in frame.columns)
            yield f"<table><thead><tr>{head}</tr></thead><tbody>"
            yield from _html_rows(frame, report.cells)
            yield "</tbody></table>"
    yield "\n</body></html>\n"
