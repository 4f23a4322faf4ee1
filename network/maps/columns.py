"""Records as columns, the repetitive ones stored once per distinct value: the form a map page embeds its data in."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any, Iterator, Mapping, Sequence

import numpy as np

__all__ = ["as_columns", "column_table", "from_columns", "collection_paused"]

_SCALARS = (int, float, bool, type(None))
_EXACT_KEYS = (frozenset({str, int, float, type(None)}), frozenset({bool, type(None)}))
"""Sets of classes whose values equal only values of their own class (bools equal 0 and 1, so apart):
a column of one of them can use its values as their own keys."""
_WHOLE_LIMIT = 2 ** 53


def _column(values: list[Any]) -> list[Any] | dict[str, list[Any]]:
    """Values as they are, or as ``{"values": distinct values, "codes": one index per record}`` when they repeat.

    Whole floats become ints (``2.0`` is written ``2``): JSON has one number type and the page reads both alike.
    Values are told apart by class as well as by value (``1``, ``1.0`` and ``True`` are three values), lists and
    dicts by their ``repr``.

    Examples
    --------
    >>> _column(["money", "money", "access", "money"])
    {'values': ['money', 'access'], 'codes': [0, 0, 1, 0]}
    >>> _column([1, 1.0, True, True]), _column([2.0, 3.5])
    ({'values': [1, True], 'codes': [0, 0, 1, 1]}, [2, 3.5])
    """
    classes = set(map(type, values))
    if classes == {float}:
        array = np.array(values, dtype=float)
        whole = np.flatnonzero(np.isfinite(array) & (array == np.trunc(array)) & (np.abs(array) < _WHOLE_LIMIT))
        if len(whole):
            values = list(values)
            for i in whole.tolist():
                values[i] = int(values[i])
    elif float in classes:
        values = [int(v) if v.__class__ is float and v.is_integer() and abs(v) < _WHOLE_LIMIT else v for v in values]
    most = len(values) // 2  # more distinct values than this: a plain list is shorter
    exact = any(classes <= kinds for kinds in _EXACT_KEYS)
    if values and exact and not (int in classes and float in classes and _big_whole(values)):
        keys = values  # equal keys are equal values of one class
    elif values and classes <= {list, dict}:
        keys = list(map(repr, values))
    else:
        return _column_by_loop(values, most)
    if len(set(keys)) > most:  # counted at C speed: most long columns (ids, positions, names) are all distinct
        return values
    if keys is values:  # the distinct values in order of first appearance and each one's index, by dict lookups in C
        # (not pandas' factorize: its string table stops at a NUL character, so "" and "\x00" would be one value)
        position = {key: index for index, key in enumerate(dict.fromkeys(keys))}
        return {"values": list(position), "codes": list(map(position.__getitem__, keys))}
    codes: dict[Any, int] = {}
    indexes = [codes.setdefault(key, len(codes)) for key in keys]
    first: dict[int, Any] = {}  # each code's value: where the code first appears
    for position, code in enumerate(indexes):
        if code == len(first):
            first[code] = values[position]
    return {"values": list(first.values()), "codes": indexes}


def _big_whole(values: list[Any]) -> bool:
    """Whether a float too large to be written as an int is whole (it would equal an int)."""
    return any(v.__class__ is float and abs(v) >= _WHOLE_LIMIT and v.is_integer() for v in values)


def _column_by_loop(values: list[Any], most: int) -> list[Any] | dict[str, list[Any]]:
    """`_column` for columns of mixed classes: each value keyed by its class, or its ``repr``."""
    codes: dict[Any, int] = {}
    distinct: list[Any] = []
    indexes = []
    for value in values:
        kind = value.__class__
        # 1, 1.0 and True are equal keys in a dict, so scalars carry their type; lists and dicts their repr
        key = value if kind is str else (kind, value) if kind in _SCALARS else repr(value)
        code = codes.get(key)
        if code is None:
            if len(distinct) == most:
                return values
            code = codes[key] = len(distinct)
            distinct.append(value)
        indexes.append(code)
    return {"values": distinct, "codes": indexes}


def column_table(columns: Mapping[str, list[Any]], *, count: int, ids: list[str] | None = None,
                 optional: Sequence[str] = ()) -> dict[str, Any]:
    """`as_columns` of the records that ``columns`` hold, without building the records.

    ``columns`` name every field in the order a record lists them; the ``optional`` ones are fields a
    record has only when its value is not None, listed after the others. As in `as_columns`, the fields
    come in the order of first use: the others, then the optional ones by the first record that has
    them (and, in one record, in their own order); an optional field no record has is left out.

    Examples
    --------
    >>> column_table({"layer": ["money", "money"], "amountUsd": [None, 5.0], "note": ["x", None]},
    ...              count=2, ids=["e0", "e1"], optional=["amountUsd", "note"])
    {'ids': ['e0', 'e1'], 'count': 2, 'columns': {'layer': {'values': ['money'], 'codes': [0, 0]}, 'note': ['x', None], 'amountUsd': [None, 5]}}
    """
    optional = [name for name in columns if name in set(optional)]
    firsts = []
    for rank, name in enumerate(optional):
        first = next((i for i, value in enumerate(columns[name]) if value is not None), None)
        if first is not None:
            firsts.append((first, rank, name))
    names = [name for name in columns if name not in set(optional)] + [name for _, _, name in sorted(firsts)]
    return {"ids": ids, "count": count,
            "columns": {name: _column(list(columns[name])) for name in names} if count else {}}


def as_columns(records: Mapping[str, Mapping[str, Any]] | Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Records as one list of values per field, the repetitive lists stored once per distinct value.

    Thousands of records repeat the same keys and mostly the same few values (a layer, a color, a
    status): as columns, a page's data shrink to a fraction, and the browser reads less. A field
    whose values repeat on average (at most half as many distinct values as records) becomes
    ``{"values": [...distinct, in order of first use], "codes": [index per record]}``. A mapping
    of records keeps its keys as ``ids``; keys a record lacks become None; whole floats are
    written as ints. `from_columns` (and ``fromColumns`` in the page script) reverse it.

    Examples
    --------
    >>> as_columns({"e0": {"layer": "money", "amountUsd": 5.0}, "e1": {"layer": "money"}})
    {'ids': ['e0', 'e1'], 'count': 2, 'columns': {'layer': {'values': ['money'], 'codes': [0, 0]}, 'amountUsd': [5, None]}}
    >>> as_columns([{"id": "r1", "type": "donation"}])
    {'ids': None, 'count': 1, 'columns': {'id': ['r1'], 'type': ['donation']}}
    """
    values = list(records.values()) if isinstance(records, Mapping) else list(records)
    names: dict[str, None] = {}
    for record in values:
        names.update(dict.fromkeys(record))
    return {"ids": list(records) if isinstance(records, Mapping) else None, "count": len(values),
            "columns": {name: _column([record.get(name) for record in values]) for name in names}}


def from_columns(table: Mapping[str, Any], *,
                 keep_none: bool = True) -> dict[str, dict[str, Any]] | list[dict[str, Any]]:
    """Records back from `as_columns`: keyed by ``ids`` when the table has them, else a list.

    With ``keep_none=False`` a record leaves out the fields that are None (as vis-network items must).

    Examples
    --------
    >>> records = {"e0": {"layer": "money", "dashes": None}, "e1": {"layer": "money", "dashes": [2, 5]}}
    >>> from_columns(as_columns(records)) == records
    True
    >>> from_columns(as_columns([{"id": "a", "x": None}]), keep_none=False)
    [{'id': 'a'}]
    """
    columns = {name: column if isinstance(column, list) else [column["values"][code] for code in column["codes"]]
               for name, column in table["columns"].items()}
    records = [{name: values[i] for name, values in columns.items() if keep_none or values[i] is not None}
               for i in range(table["count"])]
    return dict(zip(table["ids"], records)) if table["ids"] is not None else records


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block; restart it after, if it was running.

    Drawing a map makes hundreds of thousands of small lists and dicts (cells, records, columns), none of
    them in a reference cycle: each is freed as soon as it is no longer used, and the collector finds
    nothing to collect. Yet every few hundred new containers it runs, and at times walks every container
    the process holds (tables of a large graph: millions): at 150,000 relationships that was a fifth of
    the time spent drawing `influence run`'s maps. Cycles made meanwhile are collected once it restarts.

    Examples
    --------
    >>> with collection_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
