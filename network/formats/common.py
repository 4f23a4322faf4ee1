"""What every format shares: exact number text, XML escaping, row records, text tables with line numbers."""

from __future__ import annotations

import math
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from network.errors import Problem
from network.graph import InfluenceGraph
from network.graph.build import DERIVED_COLUMNS
from network.contract.load import ENTITY_COLUMNS, RELATIONSHIP_COLUMNS, SOURCE_COLUMNS, DataTables
from network.contract.schema import default_data_dir

__all__ = [
    "DERIVED_RELATIONSHIP_COLUMNS",
    "FORMAT_VERSION",
    "attribute_type",
    "cell_text",
    "column_texts",
    "frame_chunks",
    "json_value",
    "map_style",
    "node_rows",
    "number_text",
    "number_texts",
    "relationship_columns",
    "row_records",
    "schema_path_for",
    "shared_node_rows",
    "stable_float",
    "stable_metrics",
    "tables_from_rows",
    "xml_attribute",
    "xml_text",
]

FORMAT_VERSION = 1
"""Version of the embedded layout (``relationships``/``sources`` data); readers check it."""
DERIVED_RELATIONSHIP_COLUMNS = DERIVED_COLUMNS  # the columns a built graph adds (network.graph.build)
"""Columns `InfluenceGraph.relationships` computes; exports may show them, readers ignore them."""

_ILLEGAL_XML = {code: None for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]}
_TEXT_ESCAPES = {**_ILLEGAL_XML, ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}
_ATTRIBUTE_ESCAPES = {**_TEXT_ESCAPES, ord('"'): "&quot;", ord("\n"): "&#10;", ord("\t"): "&#9;"}
_ILLEGAL_XML_PATTERN = re.compile("[" + "".join(re.escape(chr(code)) for code in _ILLEGAL_XML) + "]")
"""Finds a character XML 1.0 forbids; text without one is escaped by `str.replace` (much faster than translate)."""
_CHUNK_ROWS = 5_000


def number_text(value: Any) -> str:
    """Exact, stable text for a number: integers without a decimal point, others as `repr`; blank for NaN.

    Examples
    --------
    >>> number_text(1500000.0), number_text(0.1 + 0.2), number_text(float("nan")), number_text(3)
    ('1500000', '0.30000000000000004', '', '3')
    """
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    number = float(value)
    if math.isnan(number):
        return ""
    if number.is_integer() and abs(number) < 2**53:
        return str(int(number))
    return repr(number)


def number_texts(values: pd.Series | np.ndarray | Sequence[Any]) -> list[str]:
    """`number_text` of every value, whole columns at a time for float, integer and boolean arrays.

    Examples
    --------
    >>> number_texts(np.array([1500000.0, 0.1 + 0.2, float("nan"), -0.0, float("inf")]))
    ['1500000', '0.30000000000000004', '', '0', 'inf']
    """
    array = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values) if not isinstance(values, list) else None
    if array is None or array.dtype.kind not in "fiub" or array.ndim != 1:
        return [number_text(v) for v in values]
    if array.dtype.kind == "b":
        return np.where(array, "true", "false").tolist()
    numbers = array.astype(np.float64)
    texts = np.full(len(numbers), "", dtype=object)
    finite = np.isfinite(numbers)
    whole = np.zeros(len(numbers), dtype=bool)
    whole[finite] = (numbers[finite] == np.floor(numbers[finite])) & (np.abs(numbers[finite]) < 2.0**53)
    texts[whole] = numbers[whole].astype(np.int64).astype(str).astype(object)
    other = ~whole & ~np.isnan(numbers)
    texts[other] = list(map(float.__repr__, numbers[other].tolist()))
    return texts.tolist()


def cell_text(value: Any) -> str:
    """A value as a data-contract cell: stripped text, ``true``/``false``, exact numbers, blank for missing.

    Examples
    --------
    >>> cell_text(None), cell_text(True), cell_text(2e6), cell_text("  a "), cell_text(float("nan"))
    ('', 'true', '2000000', 'a', '')
    """
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_, int, float, np.integer, np.floating)):
        return number_text(value)
    return str(value).strip()


def json_value(value: Any) -> Any:
    """A JSON-ready value: numpy scalars as Python ones, NaN as None, integral floats kept as floats.

    Examples
    --------
    >>> json_value(np.float64("nan")) is None, json_value(np.int64(3)), json_value(np.bool_(True))
    (True, 3, True)
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    return value


def xml_text(value: str) -> str:
    """Escape text for an XML element (``&``, ``<``, ``>``, carriage returns); drop characters XML 1.0 forbids.

    Examples
    --------
    >>> xml_text("a < b & c\\x00")
    'a &lt; b &amp; c'
    """
    if _ILLEGAL_XML_PATTERN.search(value):
        return value.translate(_TEXT_ESCAPES)
    # the same text as the translate table, by a few C-speed scans (``&`` first: the others add ``&``)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def xml_attribute(value: str) -> str:
    """A double-quoted XML attribute value that keeps quotes, newlines and tabs through parsing.

    Examples
    --------
    >>> print(xml_attribute('a "b" & <c>\\n'))
    "a &quot;b&quot; &amp; &lt;c&gt;&#10;"
    """
    if _ILLEGAL_XML_PATTERN.search(value):
        return '"' + value.translate(_ATTRIBUTE_ESCAPES) + '"'
    return ('"' + value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
            .replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;") + '"')


def column_texts(column: pd.Series, kind: str) -> list[str]:
    """The cells of a column as unescaped text for its attribute type (``string``, ``boolean`` or a number type).

    Strings via `cell_text`, booleans ``true``/``false``, numbers via
    `number_text`; missing values are ``""``. One pass per column, for speed.

    Examples
    --------
    >>> column_texts(pd.Series([1.0, float("nan"), 0.5]), "double")
    ['1', '', '0.5']
    """
    values = column.tolist()
    if kind == "string":
        return [v.strip() if isinstance(v, str) else cell_text(v) for v in values]
    if kind == "boolean":
        return ["true" if v else "false" for v in values]
    return number_texts(column)


def attribute_type(column: pd.Series) -> str:
    """``boolean``, ``long``, ``double`` or ``string``: how a column is typed in GraphML and GEXF.

    Examples
    --------
    >>> [attribute_type(pd.Series(v)) for v in ([True], [1], [1.5], ["a"])]
    ['boolean', 'long', 'double', 'string']
    """
    if pd.api.types.is_bool_dtype(column):
        return "boolean"
    if pd.api.types.is_integer_dtype(column):
        return "long"
    if pd.api.types.is_float_dtype(column):
        return "double"
    return "string"


def stable_float(value: float) -> float:
    """A metric rounded to 12 decimals and 12 significant digits, so run-to-run noise does not change files.

    Eigenvector-type metrics come from iterative solvers with random starts:
    a zero may come out as 2e-17 one run and 0 the next.

    Examples
    --------
    >>> stable_float(2.4e-17), stable_float(0.6042031209452803), stable_float(float("nan"))
    (0.0, 0.604203120945, nan)
    """
    if value != value or math.isinf(value):
        return value
    return float(format(round(float(value), 12), ".12g")) + 0.0


def stable_metrics(table: pd.DataFrame, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """A copy of ``table`` whose float columns (or the given ones) go through `stable_float`."""
    table = table.copy()
    for name in columns if columns is not None else table.columns:
        if isinstance(table[name].dtype, np.dtype) and table[name].dtype.kind == "f":  # once per distinct value
            distinct, where = np.unique(table[name].to_numpy(dtype=np.float64), return_inverse=True)
            table[name] = np.array([stable_float(v) for v in distinct.tolist()], dtype=np.float64)[where.ravel()]
        elif pd.api.types.is_float_dtype(table[name]):
            table[name] = [stable_float(v) for v in table[name]]
    return table


def node_rows(graph: InfluenceGraph, nodes: pd.DataFrame | None) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Entities joined with the metric columns of a node table, sorted by id.

    Returns the joined table, the entity columns and the metric columns (every
    column of ``nodes`` that is not an entity column, such as ``pagerank`` or
    ``community``), floats made stable with `stable_float`.
    """
    if _LAST_NODE_ROWS and _LAST_NODE_ROWS[0] is graph and _LAST_NODE_ROWS[1] is nodes and _LAST_NODE_ROWS[3]:
        table, entity_columns, metrics = _LAST_NODE_ROWS[2]  # GEXF, GraphML and JSON of one run: join once
        return table.copy(), list(entity_columns), list(metrics)
    entity_columns = list(graph.entities.columns)
    table = graph.entities.reset_index(drop=True)
    metrics: list[str] = []
    if nodes is not None:
        metrics = [c for c in nodes.columns if c not in set(entity_columns)]
        table = table.merge(stable_metrics(nodes[["id", *metrics]], metrics), on="id", how="left", validate="one_to_one")
    table = table.sort_values("id", kind="stable").reset_index(drop=True)
    if _LAST_NODE_ROWS and _LAST_NODE_ROWS[3]:
        _LAST_NODE_ROWS[:] = [graph, nodes, (table, entity_columns, metrics), True]
        return table.copy(), list(entity_columns), list(metrics)
    return table, entity_columns, metrics


_LAST_NODE_ROWS: list = []
"""Inside `shared_node_rows`: the graph and node table of the last `node_rows` call and its result."""


@contextmanager
def shared_node_rows() -> Iterator[None]:
    """Within the block, `node_rows` joins a graph and node table once, and relationships are grouped by edge
    once (`network.formats.columns.relationship_order_by_edge`): several writers of one run need the
    same rows (the tables must not change inside the block; nothing is kept after it)."""
    from network.formats.columns import _LAST_ORDER

    _LAST_NODE_ROWS[:] = [None, None, None, True]
    try:
        yield
    finally:
        _LAST_NODE_ROWS.clear()
        _LAST_ORDER.clear()


def map_style(table: pd.DataFrame, pairs: Sequence[tuple[str, str]], seed: int | None) -> tuple[list[float], list, list]:
    """Node sizes and positions exactly as the HTML map draws them: ``(sizes, xs, ys)`` in the order of ``table``.

    Sizes scale ``pagerank`` into the map's radius range (`network.maps.style.node_sizes`); positions are the
    map's seeded Fruchterman-Reingold layout of ``table["id"]`` over ``pairs`` (`network.maps.page.seeded_layout`);
    None each when ``seed`` is None.
    """
    from network.maps.page import seeded_layout
    from network.maps.records import NODE_SIZE_RANGE
    from network.maps.style import node_sizes

    low, high = NODE_SIZE_RANGE
    ids = table["id"].tolist()
    if "pagerank" in table.columns and len(table):
        sizes = node_sizes([0.0 if v != v else float(v) for v in table["pagerank"]], low=low, high=high).tolist()
    else:
        sizes = [low] * len(table)
    if seed is None:
        return [round(size, 3) for size in sizes], [None] * len(ids), [None] * len(ids)
    spots = seeded_layout(ids, list(pairs), seed=seed)
    return [round(size, 3) for size in sizes], [spots[i][0] for i in ids], [spots[i][1] for i in ids]


def relationship_columns(graph: InfluenceGraph) -> list[str]:
    """The data columns of the relationships (the contract's and any extra), without derived ones."""
    return [c for c in graph.relationships.columns if c not in DERIVED_RELATIONSHIP_COLUMNS]


def frame_chunks(frame: pd.DataFrame, order: np.ndarray | None = None, *, rows: int | None = None) -> Iterator[pd.DataFrame]:
    """The rows of ``frame`` (in ``order``, positions, when given) a few thousand at a time, so writers stay in bounded memory."""
    rows = rows or _CHUNK_ROWS
    total = len(frame) if order is None else len(order)
    for start in range(0, total, rows):
        yield frame.iloc[start:start + rows] if order is None else frame.iloc[order[start:start + rows]]


def _json_column(column: pd.Series) -> list[Any]:
    values = column.tolist()
    if pd.api.types.is_float_dtype(column):
        return [None if v != v else v for v in values]
    if pd.api.types.is_bool_dtype(column) or pd.api.types.is_integer_dtype(column):
        return values
    return [v if isinstance(v, str) else json_value(v) for v in values]


def row_records(frame: pd.DataFrame, columns: Sequence[str], order: np.ndarray | None = None) -> Iterator[dict[str, Any]]:
    """Rows (in ``order``, when given) as JSON-ready dicts, converted a chunk of columns at a time."""
    columns = list(columns)
    for chunk in frame_chunks(frame[columns], order):
        lists = [_json_column(chunk[name]) for name in columns]
        for values in zip(*lists):
            yield dict(zip(columns, values))


def schema_path_for(path: Path) -> Path:
    """The schema that goes with an exported file: a schema.toml beside it, else the bundled one."""
    beside = path.parent / "schema.toml"
    return beside if beside.is_file() else default_data_dir() / "schema.toml"


def _text_table(rows: Sequence[tuple[int, Mapping[str, Any]]], required: Sequence[str]) -> pd.DataFrame:
    names = list(required)
    seen = set(names)
    for _, row in rows:
        for name in row:
            if name not in seen:
                seen.add(name)
                names.append(name)
    frame = pd.DataFrame({name: pd.Series([cell_text(row.get(name)) for _, row in rows], dtype=object) for name in names})
    frame.index = pd.Index([int(line) for line, _ in rows], dtype="int64", name="line")
    return frame


def tables_from_rows(
    path: str | Path,
    entities: Sequence[tuple[int, Mapping[str, Any]]],
    relationships: Sequence[tuple[int, Mapping[str, Any]]],
    sources: Sequence[tuple[int, Mapping[str, Any]]],
    problems: Iterable[Problem] = (),
) -> DataTables:
    """`DataTables` of text cells from ``(line, row)`` pairs read out of one exported file.

    Every table's path is the file itself, so a validation problem reads
    ``graph.graphml:57: amount_usd: ...``. Columns missing from the rows are
    blank; extra keys become extra columns.

    Examples
    --------
    >>> t = tables_from_rows("g.json", [(3, {"id": "a", "name": "A", "type": "person"})], [], [])
    >>> t.entities.loc[3, ["id", "name_ar"]].tolist(), t.paths["entities"].name
    (['a', ''], 'g.json')
    """
    path = Path(path)
    return DataTables(
        _text_table(entities, ENTITY_COLUMNS),
        _text_table(relationships, RELATIONSHIP_COLUMNS),
        _text_table(sources, SOURCE_COLUMNS),
        {"entities": path, "relationships": path, "sources": path, "schema": schema_path_for(path)},
        tuple(problems),
    )
