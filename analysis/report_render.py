"""The report as a document, and its two renderings: Markdown (charts as PNG files beside it) and one
self-contained HTML page (charts inlined as data URIs; every string from the data escaped).

`analysis.report.build_report` fills a `Report` with blocks; the renderings format each table's cells once
(for both), escape them a column at a time and give the text in pieces, a long table a chunk of rows at a
time, so that a report of a million rows is written without ever being one string.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import pandas as pd

__all__ = ["Report", "html_pieces", "markdown_pieces", "render_html", "render_markdown"]


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
