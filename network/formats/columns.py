"""Whole columns of export text at once: XML escaping, JSON encoding, row joins, relationships grouped by edge.

The writers build each output column as a list of strings with one C-speed pass (``str.replace`` over the
column joined into one text, ``map`` of a C function, numpy object arithmetic), never a Python call per
cell; every function gives the same text as its one-value counterpart in `network.formats.common`.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any, Callable, Iterator, Sequence

import numpy as np
import pandas as pd

from network.graph import InfluenceGraph
from network.formats.common import (
    _ATTRIBUTE_ESCAPES, _ILLEGAL_XML, _LAST_NODE_ROWS, _TEXT_ESCAPES, _json_column, cell_text, json_value, xml_attribute,
    xml_text,
)

__all__ = [
    "cell_texts",
    "element_pieces",
    "escaped_xml",
    "grouped_json_arrays",
    "joined_rows",
    "json_object_pieces",
    "json_texts",
    "objects",
    "per_distinct",
    "relationship_chunks",
    "relationship_order_by_edge",
    "text_of_rows",
    "xml_attributes",
    "xml_texts",
]

_GAP = "\x00"
"""Joins a column's values into one text to be escaped at once: XML drops it, JSON escapes it, so no output has it."""
_ILLEGAL_BUT_GAP = tuple(chr(code) for code in _ILLEGAL_XML if code != 0)
"""Characters XML 1.0 forbids, the gap aside: looked for one by one (``in`` scans at memchr speed, a regex class does not)."""
_SAMPLE = 2_000
_ALLOWING = json.JSONEncoder(ensure_ascii=False)
_STRICT = json.JSONEncoder(ensure_ascii=False, allow_nan=False)


def objects(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """A one-dimensional numpy object array of ``values`` (strings stay Python strings)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values if not isinstance(values, np.ndarray) or values.dtype == object else values.astype(object)
    return array


def escaped_xml(text: str, *, attribute: bool = False) -> str:
    """`xml_text` (or `xml_attribute` without its quotes) of a text, keeping the gap character that joins values.

    Escaping maps each character on its own, so the escape of values joined by the gap is the join of their escapes.
    """
    if any(character in text for character in _ILLEGAL_BUT_GAP):
        return text.translate({**(_ATTRIBUTE_ESCAPES if attribute else _TEXT_ESCAPES), 0: _GAP})
    # the translate table's text by a few C-speed scans (``&`` first: the others add ``&``)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def per_distinct(values: Sequence[str] | np.ndarray, texts_of: Callable[[list[str]], list[str]]) -> np.ndarray:
    """``texts_of`` applied to the distinct strings of ``values`` only (a hash pass), spread back to every row:
    most export columns (types, dates, statuses, qualifiers, layers) hold a few hundred distinct values."""
    values = objects(values)
    if len(values) > 4 * _SAMPLE and len(pd.unique(values[:_SAMPLE])) > _SAMPLE // 2:  # ids: hashing would not pay
        return objects(texts_of(values.tolist()))
    codes, distinct = pd.factorize(values)
    return objects(texts_of(distinct.tolist()))[codes] if len(codes) else objects([])


def _escaped(values: Sequence[str], attribute: bool) -> np.ndarray:
    return per_distinct(values, lambda distinct: _escaped_list(distinct, attribute))


def _escaped_list(values: list[str], attribute: bool) -> list[str]:
    if not values:
        return []
    text = _GAP.join(values)
    if text.count(_GAP) != len(values) - 1:  # a value holds the gap character itself: one value at a time
        return [xml_attribute(v)[1:-1] if attribute else xml_text(v) for v in values]
    return escaped_xml(text, attribute=attribute).split(_GAP)


def xml_texts(values: Sequence[str]) -> np.ndarray:
    """`xml_text` of every value, as an object array.

    Examples
    --------
    >>> xml_texts(["a < b", "c\\x00&", ""]).tolist()
    ['a &lt; b', 'c&amp;', '']
    """
    return _escaped(values, False)


def xml_attributes(values: Sequence[str], *, quoted: bool = True) -> np.ndarray:
    """`xml_attribute` of every value (without the enclosing quotes unless ``quoted``), as an object array.

    Examples
    --------
    >>> xml_attributes(['say "hi"\\n', "\\x00"]).tolist()
    ['"say &quot;hi&quot;&#10;"', '""']
    """
    escaped = _escaped(values, True)
    return '"' + escaped + '"' if quoted else escaped


def element_pieces(texts: Sequence[str], escaped: Sequence[str], head: str, tail: str) -> tuple[np.ndarray, list[np.ndarray]]:
    """Where the text is not empty, and the pieces ``head``, escaped text, ``tail`` of its element (all ``""`` where it is)."""
    filled = objects(texts).astype(bool)
    heads, tails = np.full(len(filled), "", dtype=object), np.full(len(filled), "", dtype=object)
    heads[filled], tails[filled] = head, tail
    return filled, [heads, objects(escaped), tails]


def text_of_rows(pieces: Sequence[str | np.ndarray], rows: int, separator: str = "") -> str:
    """The text of ``rows`` rows: each row's pieces (a string the same in every row, or one value per row) in
    order, ``separator`` after each row: one join, no string built per row."""
    grid = np.empty((rows, len(pieces) + (1 if separator else 0)), dtype=object)
    for column, piece in enumerate(pieces):
        grid[:, column] = piece
    if separator:
        grid[:, -1] = separator
    return "".join(grid.ravel().tolist())


def cell_texts(column: pd.Series | Sequence[Any]) -> np.ndarray:
    """The cells as `network.formats.common.column_texts` gives strings: stripped text, `cell_text` of others.

    Examples
    --------
    >>> cell_texts(pd.Series([" a ", None, 2.0])).tolist()
    ['a', '', '2']
    """
    array = column.to_numpy() if isinstance(column, pd.Series) else objects(column)
    values = array.tolist()
    if array.dtype == object and pd.api.types.infer_dtype(array, skipna=False) == "string":
        return per_distinct(array, lambda distinct: list(map(str.strip, distinct)))
    return objects([v.strip() if isinstance(v, str) else cell_text(v) for v in values])


def joined_rows(columns: Sequence[Sequence[str]], separator: str = "") -> list[str]:
    """Row by row, the texts of ``columns`` joined by ``separator`` (a C-speed join per row)."""
    if not columns:
        return []
    return list(map(separator.join, zip(*columns)))


def json_texts(column: pd.Series, *, allow_nan: bool = True) -> np.ndarray:
    """The JSON text of every cell, as `network.formats.common.row_records` then ``json.dumps(..., ensure_ascii=False)``
    give it: NaN ``null``, integral floats with ``.0``, non-finite ``Infinity`` (an error when not ``allow_nan``).

    Examples
    --------
    >>> json_texts(pd.Series([1.0, float("nan"), 0.5])).tolist(), json_texts(pd.Series(['a"', None])).tolist()
    (['1.0', 'null', '0.5'], ['"a\\\\""', 'null'])
    """
    encoder = _ALLOWING if allow_nan else _STRICT
    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else ""
    if kind == "f":
        numbers = column.to_numpy(dtype=np.float64)
        texts = objects(list(map(float.__repr__, numbers.tolist())))
        texts[np.isnan(numbers)] = "null"
        infinite = np.isinf(numbers)
        if infinite.any():
            texts[infinite] = [encoder.encode(v) for v in numbers[infinite].tolist()]  # raises when not allowed
        return texts
    if kind == "b":
        return objects(np.where(column.to_numpy(), "true", "false"))
    if kind in "iu" and kind:
        return objects(list(map(int.__repr__, column.tolist())))
    if kind == "O" and pd.api.types.infer_dtype(column.to_numpy(), skipna=False) == "string":
        return per_distinct(column.to_numpy(), lambda distinct: list(map(encode_basestring, distinct)))
    values = column.tolist()
    if kind == "O":
        return objects([encode_basestring(v) if isinstance(v, str) else encoder.encode(json_value(v)) for v in values])
    return objects([encoder.encode(v) for v in _json_column(column)])


def json_object_pieces(frame: pd.DataFrame, columns: Sequence[str], *, allow_nan: bool = True,
                       extra: Sequence[tuple[str, np.ndarray]] = ()) -> list[str | np.ndarray]:
    """The pieces (for `text_of_rows`) of each row's JSON object: keys in column order, then the ``extra`` keys
    with their JSON texts; the same text as ``json.dumps(record, ensure_ascii=False)`` of the records of
    `network.formats.common.row_records`.

    Examples
    --------
    >>> text_of_rows(json_object_pieces(pd.DataFrame({"a": [1.0, 2.5], "b": ["x", None]}), ["a", "b"]), 2, "\\n")
    '{"a": 1.0, "b": "x"}\\n{"a": 2.5, "b": null}\\n'
    """
    names = [*columns, *(name for name, _ in extra)]
    if not names:
        return ["{}"]
    if not all(isinstance(name, str) for name in names):  # keys JSON would convert: record by record
        from network.formats.common import row_records

        encoder = _ALLOWING if allow_nan else _STRICT
        records = row_records(frame, list(columns))
        return [objects([encoder.encode({**record, **{name: json.loads(texts[i]) for name, texts in extra}})
                         for i, record in enumerate(records)])]
    pieces: list[str | np.ndarray] = []
    values = [json_texts(frame[name], allow_nan=allow_nan) for name in columns] + [objects(texts) for _, texts in extra]
    for i, (name, texts) in enumerate(zip(names, values)):
        pieces += [("{" if i == 0 else ", ") + encode_basestring(name) + ": ", texts]
    pieces.append("}")
    return pieces


def grouped_json_arrays(owners: np.ndarray, pieces: Sequence[str | np.ndarray], groups: int, *,
                        escape: Callable[[str], str] | None = None) -> np.ndarray:
    """For each group ``0 .. groups - 1``, the JSON array of the values (given as `text_of_rows` pieces) whose
    owner it is (``owners`` sorted), ``"[]"`` for a group that owns none: ``json.dumps`` of the list of those
    values; passed through ``escape`` (which keeps the gap character), when given, a whole chunk at once.

    Examples
    --------
    >>> grouped_json_arrays(np.array([0, 0, 2]), [objects(['"a"', '"b"', '"c"'])], 4).tolist()
    ['["a", "b"]', '[]', '["c"]', '[]']
    """
    result = np.full(groups, "[]" if escape is None else escape("[]"), dtype=object)
    if len(owners) == 0:
        return result
    last = np.append(owners[1:] != owners[:-1], True)
    first = np.insert(last[:-1], 0, True)
    opens, closes = np.full(len(owners), "", dtype=object), np.full(len(owners), ", ", dtype=object)
    opens[first], closes[last] = "[", "]" + _GAP  # object arrays: a numpy text array would drop a trailing NUL
    text = text_of_rows([opens, *pieces, closes], len(owners))  # JSON text never holds the gap (it escapes NUL)
    result[owners[last]] = objects((escape(text) if escape is not None else text).split(_GAP)[:-1])
    return result


def relationship_order_by_edge(graph: InfluenceGraph) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``graph.relationships`` grouped by the row of ``graph.edges`` that merges them (by id within
    an edge), and how many each edge row merges.

    Relationships are matched to their edge on (edge_source, edge_target, layer, directed), all at once;
    inside `network.formats.common.shared_node_rows` (one run's writers), once per graph.
    """
    edges, rel = graph.edges, graph.relationships
    if _LAST_NODE_ROWS and _LAST_ORDER and _LAST_ORDER[0] is edges and _LAST_ORDER[1] is rel:
        return _LAST_ORDER[2], _LAST_ORDER[3]
    index = pd.MultiIndex.from_arrays([edges["source"].to_numpy(), edges["target"].to_numpy(), edges["layer"].to_numpy(),
                                       edges["directed"].to_numpy(dtype=bool)])
    owner = index.get_indexer(pd.MultiIndex.from_arrays([
        rel["edge_source"].to_numpy(), rel["edge_target"].to_numpy(), rel["layer"].to_numpy(), rel["directed"].to_numpy(dtype=bool)]))
    del index
    if (owner < 0).any():
        raise ValueError("a relationship belongs to no edge of the graph")
    by_id = np.argsort(rel["id"].to_numpy(dtype=object), kind="stable")
    order, counts = by_id[np.argsort(owner[by_id], kind="stable")], np.bincount(owner, minlength=len(edges))
    _LAST_ORDER[:] = [edges, rel, order, counts] if _LAST_NODE_ROWS else []
    return order, counts


_LAST_ORDER: list = []
"""Inside `network.formats.common.shared_node_rows`: the tables and result of the last `relationship_order_by_edge`."""


def relationship_chunks(graph: InfluenceGraph, rows: int) -> Iterator[tuple[int, int, pd.DataFrame, np.ndarray]]:
    """``graph.edges`` a chunk of ``rows`` at a time: ``(start, stop, relationships of those edges (by edge, then
    id), the row of each within the chunk)``."""
    order, counts = relationship_order_by_edge(graph)
    ends = np.concatenate([[0], np.cumsum(counts)])
    for start in range(0, len(graph.edges), rows):
        stop = min(start + rows, len(graph.edges))
        members = graph.relationships.iloc[order[ends[start]:ends[stop]]]
        yield start, stop, members, np.repeat(np.arange(stop - start), counts[start:stop])


