"""The map's column-wise builders give exactly what the cell-by-cell and record-by-record forms give."""

from __future__ import annotations

import gc
import json
import math
import random

import numpy as np
import pandas as pd
import pytest

from network.maps import cells
from network.maps.columns import _column, _column_by_loop, as_columns, collection_paused, column_table
from network.maps.records import TIE_OPTIONAL, records_of, tie_columns

ODD = [None, float("nan"), math.inf, -0.0, 0.0, 1, 1.0, True, False, 2 ** 60, float(2 ** 60), 2.5, 1e15, 1e16,
       "", " ", "1", "yes", " True ", "a; b;;", ";", " r1 ", ["x", " y"], ("z",), pd.NA, np.float64(3.0), np.int64(4),
       np.nan, "at_least", "exact", "odd"]


def _typed(value):
    """A value with its class, so that 1, 1.0 and True compare apart."""
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    if isinstance(value, dict):
        return ("dict", {k: _typed(v) for k, v in value.items()})
    return (type(value).__name__, repr(value))


@pytest.mark.parametrize("seed", range(60))
def test_columns_are_coded_as_the_loop_codes_them(seed):
    rng = random.Random(seed)
    pools = [["money", "access", "conflict"], [1, 2, 3, 2.0, 3.5], [True, False, None], [1, 1.0, True, None, "1"],
             [[10, 6], [2, 5], None], [[10, 6], [2, 5]], [{"size": 14}, {"size": 15}], [2 ** 60, float(2 ** 60), 1],
             [float("nan"), 1.5], [2.0 ** 60, -0.0, math.inf, -math.inf, 3.0, 0.5], [f"n{i}" for i in range(50)], [0.1 * i for i in range(40)], ["-0", -0.0, 0],
             ["", "\x00", "é", "e\u0301", "a", "A", "a "]]
    pool = rng.choice(pools)
    values = [rng.choice(pool) for _ in range(rng.choice([0, 1, 2, 3, 7, 40, 200]))]
    expected_input = [int(v) if v.__class__ is float and v.is_integer() and abs(v) < 2 ** 53 else v for v in values]
    got, expected = _column(list(values)), _column_by_loop(expected_input, len(values) // 2)
    assert type(got) is type(expected)
    if isinstance(got, dict):
        assert got["codes"] == expected["codes"]
        assert [_typed(v) for v in got["values"]] == [_typed(v) for v in expected["values"]]
    else:
        assert [_typed(v) for v in got] == [_typed(v) for v in expected]


def test_a_column_of_one_value_and_a_column_of_distinct_values():
    assert _column(["a"] * 4) == {"values": ["a"], "codes": [0, 0, 0, 0]}
    assert _column(["a", "b", "c"]) == ["a", "b", "c"]  # 3 distinct of 3: a list is shorter
    assert _column([]) == {"values": [], "codes": []}


@pytest.mark.parametrize("seed", range(20))
def test_column_tables_are_the_tables_of_their_records(seed):
    """Optional fields come in the order of the first record that has them, as in `as_columns` of the records."""
    rng = np.random.default_rng(seed)
    count = int(rng.integers(0, 30))
    edges = pd.DataFrame({
        "source": [f"a{i % 4}" for i in range(count)], "target": [f"b{i % 3}" for i in range(count)],
        "layer": rng.choice(["money", "access", ""], count), "strength": rng.random(count),
        "amount_usd": np.where(rng.random(count) < 0.6, np.nan, rng.integers(0, 10 ** 6, count)),
        "stated_total_usd": np.where(rng.random(count) < 0.7, np.nan, 5.0),
        "amount_qualifier": rng.choice(["", "exact", "at_least", "approx"], count),
        "relationship_ids": rng.choice(["r1;r2", "r3", ""], count), "directed": rng.choice([True, False], count),
    })
    ids = [f"e{i}" for i in range(count)]
    columns = tie_columns(edges)
    expected = as_columns(records_of(columns, ids, optional=TIE_OPTIONAL))
    got = column_table(columns, count=count, ids=ids, optional=TIE_OPTIONAL)
    assert json.dumps(got) == json.dumps(expected)  # the same fields in the same order


@pytest.mark.parametrize("value", ODD, ids=repr)
def test_column_cells_are_the_cells(value):
    column = [value, value]
    assert cells.texts(column) == [cells.clean_text(value)] * 2
    assert cells.id_lists(column) == [cells.split_ids(value)] * 2
    assert cells.truths(column) == [cells.truthy(value)] * 2
    number = cells.clean_number(value)
    assert _typed(cells.numbers(column)) == _typed([number, number])
    assert cells.metric_texts([number]) == [cells.format_metric(number)]
    qualifier = cells.clean_text(value)
    assert cells.amount_texts([2.5e6, number], [qualifier, "at_most"]) == [
        cells.format_amount(2.5e6, qualifier), cells.format_amount(number, "at_most")]


def test_numbers_of_numeric_arrays_match_cell_by_cell():
    for array in (np.array([1, 2, -3]), np.array([0.5, np.nan, -np.inf, 2.0]), np.array([True, False])):
        assert cells.numbers(array) == [cells.clean_number(v) for v in array]


def test_collection_is_paused_inside_and_restored_after():
    assert gc.isenabled()
    with collection_paused():
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block restores what it found
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()  # not switched on when it was off before
    finally:
        gc.enable()
