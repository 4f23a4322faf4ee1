"""How relationships become edges: each relationship's strength, its direction, and one edge per pair and layer."""

from __future__ import annotations

import numpy as np
import pandas as pd

from network.contract.dates import earliest_days, latest_days
from network.contract.schema import STATUSES, Schema, WeightPolicy

__all__ = ["EDGE_COLUMNS", "relationship_strengths", "orient_relationships", "edge_strengths", "edge_table", "grouped_qualifiers", "sum_qualifier"]

EDGE_COLUMNS = (
    "source", "target", "layer", "directed", "types", "relationship_ids", "relationship_count",
    "strength", "cost", "amount_usd", "amount_qualifier", "stated_total_usd", "first_date", "last_date", "status", "source_ids",
)
_STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}


def relationship_strengths(relationships: pd.DataFrame, schema: Schema, weights: WeightPolicy) -> pd.Series:
    """The strength of each relationship on its own, under a weight policy.

    Money relationships with an amount follow the money scale; others take
    their type's default strength; each is multiplied by its status factor.
    Under the ``unweighted`` scale every relationship weighs 1.

    Examples
    --------
    >>> from network.contract.schema import load_schema
    >>> import math
    >>> rows = pd.DataFrame({"type": ["donation", "executive"], "amount_usd": [1e6, math.nan], "status": ["planned", "confirmed"]})
    >>> relationship_strengths(rows, load_schema(), load_schema().weights).round(3).tolist()
    [2.0, 4.0]
    """
    if weights.money_scale == "unweighted":
        return pd.Series(1.0, index=relationships.index)
    kinds = relationships["type"]
    layer = _map_distinct(kinds, {name: spec.layer for name, spec in schema.relationship_types.items()})
    default = _map_distinct(kinds, {name: spec.default_strength for name, spec in schema.relationship_types.items()}).astype(float)
    amount = relationships["amount_usd"].to_numpy(dtype=float)
    with_amount = (layer == "money") & (amount > 0)
    base = default.copy()
    base[with_amount] = _money_strengths(amount[with_amount], weights)
    factor = _map_distinct(relationships["status"], lambda s: weights.status_factor.get(s, 1.0)).astype(float)
    return pd.Series(base * factor, index=relationships.index, dtype=float)


def _money_strengths(amount_usd: np.ndarray, weights: WeightPolicy) -> np.ndarray:
    """`WeightPolicy.money_strength` over an array of positive amounts."""
    if weights.money_scale == "log":
        return weights.money_base + np.log10(1.0 + amount_usd / weights.money_unit_usd)
    if weights.money_scale == "linear":
        return amount_usd / weights.money_unit_usd
    return np.ones_like(amount_usd)


def orient_relationships(relationships: pd.DataFrame, schema: Schema, weights: WeightPolicy) -> pd.DataFrame:
    """Relationships with their ``layer``, ``edge_source``/``edge_target`` (the ends in the
    direction influence flows: swapped for ``reverse`` types, in id order for ``mutual`` ones),
    ``directed`` and their own ``strength`` (`relationship_strengths`)."""
    kinds = relationships["type"]
    influence = _map_distinct(kinds, {name: spec.influence for name, spec in schema.relationship_types.items()})
    source, target = relationships["source"].to_numpy(dtype=object), relationships["target"].to_numpy(dtype=object)
    swap = (influence == "reverse") | ((influence == "mutual") & (target < source))
    return relationships.assign(
        layer=_map_distinct(kinds, {name: spec.layer for name, spec in schema.relationship_types.items()}),
        edge_source=np.where(swap, target, source),
        edge_target=np.where(swap, source, target),
        directed=influence != "mutual",
        strength=relationship_strengths(relationships, schema, weights).to_numpy(dtype=float),
    )


KEY = ["edge_source", "edge_target", "layer", "directed"]


def sum_qualifier(qualifiers, amounts) -> str:
    """How exact a sum of amounts is, from its terms' qualifiers (docs/money.md, rule 12).

    ``exact`` when every term with an amount is exact; ``at_least`` (or
    ``at_most``) when the inexact terms all say so, since adding exact
    amounts keeps the bound; ``approx`` for any other mix; blank when no term
    has an amount.

    Examples
    --------
    >>> sum_qualifier(["exact", "at_least"], [1.0, 2.0]), sum_qualifier(["at_least", "at_most"], [1.0, 2.0])
    ('at_least', 'approx')
    >>> sum_qualifier(["at_least"], [float("nan")])
    ''
    """
    given = {(q or "exact") for q, a in zip(qualifiers, amounts) if a == a and a > 0}
    if not given:
        return ""
    inexact = given - {"exact"}
    if not inexact:
        return "exact"
    return inexact.pop() if len(inexact) == 1 and inexact <= {"at_least", "at_most"} else "approx"


_QUALIFIER_BITS = {"": 1, "exact": 1, "at_least": 2, "at_most": 4}
"""`sum_qualifier` as bit flags: a blank qualifier is exact; any other text (approx, ...) is bit 8."""
_QUALIFIER_TEXTS = {0: "", 1: "exact", 2: "at_least", 4: "at_most"}


def grouped_qualifiers(codes: np.ndarray, qualifiers: np.ndarray, amounts: np.ndarray, groups: int) -> np.ndarray:
    """Per group code (0 .. groups - 1), `sum_qualifier` of its rows: the same text, without a Python loop.

    Each row with an amount (not NaN, above 0) sets the bit of its qualifier (`_QUALIFIER_BITS`); a group's
    bits, OR-ed, say which qualifiers it mixes: none gives "", only exact "exact", exact plus one bound that
    bound, anything else "approx". Qualifiers must be text (no missing values: callers fill them first).
    """
    has = ~np.isnan(amounts) & (amounts > 0) & (codes >= 0)  # code -1: a missing key, in no group
    seen = np.zeros(groups, dtype=np.int64)
    if has.any():
        value_codes, values = pd.factorize(pd.Series(qualifiers[has], dtype=object))
        bits = np.array([_QUALIFIER_BITS.get(v, 8) for v in values] + [8], dtype=np.int64)[value_codes]
        np.bitwise_or.at(seen, codes[has], bits)
    inexact = seen & ~1
    texts = np.array([_QUALIFIER_TEXTS.get(int(b), "approx") for b in range(16)], dtype=object)
    return np.where(seen == 0, "", np.where(inexact == 0, "exact", texts[inexact])).astype(object)


def _grouped_qualifiers(codes: np.ndarray, qualifiers: np.ndarray, amounts: np.ndarray, groups: int) -> np.ndarray:
    """Per group, `sum_qualifier` of its rows with an amount (a missing qualifier counts as blank: exact)."""
    filled = pd.Series(qualifiers, dtype=object).fillna("").to_numpy(dtype=object)
    return grouped_qualifiers(codes, filled, amounts, groups)


def _map_distinct(values: pd.Series, mapping) -> np.ndarray:
    """``mapping`` (a function or dict) applied to each distinct value once, then spread back (NaN for missing)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    lookup = mapping.get if isinstance(mapping, dict) else mapping
    mapped = np.array([lookup(u) for u in uniques] + [None], dtype=object)
    return mapped[codes]


def _grouped_join(codes: np.ndarray, values: np.ndarray, groups: int, *, unique: bool, sort: bool = True) -> np.ndarray:
    """Per group code, its values joined with ';' (distinct and sorted when asked).

    Vectorized: Python touches only the groups with more than one value.
    """
    frame = pd.DataFrame({"code": codes, "value": values})
    frame = frame[frame["value"].notna() & (frame["value"] != "")]
    if unique:
        frame = frame.drop_duplicates()
    frame = frame.sort_values(["code", "value"] if sort else ["code"], kind="stable")
    code, value = frame["code"].to_numpy(), frame["value"].to_numpy(dtype=object)
    out = np.full(groups, "", dtype=object)
    if len(code) == 0:
        return out
    starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
    ends = np.r_[starts[1:], len(code)]
    out[code[starts]] = value[starts]
    for i in np.flatnonzero(ends - starts > 1):
        out[code[starts[i]]] = ";".join(value[starts[i]:ends[i]])
    return out


def _date_ends(codes: np.ndarray, starts: pd.Series, ends: pd.Series, groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group, the earliest date mentioned and the latest, as written (ties: the shorter text)."""
    text = np.concatenate([starts.to_numpy(dtype=object), ends.to_numpy(dtype=object)])
    code = np.concatenate([codes, codes])
    keep = text != ""
    text, code = text[keep], code[keep]
    first, last = np.full(groups, "", dtype=object), np.full(groups, "", dtype=object)
    if len(text) == 0:
        return first, last
    low = earliest_days(text).astype("int64")
    high = latest_days(text).astype("int64")
    length = _map_distinct(pd.Series(text, dtype=object), len).astype(np.int64)
    for target, order in ((first, np.lexsort((length, low, code))), (last, np.lexsort((length, -high, code)))):
        ordered = code[order]
        heads = order[np.r_[True, ordered[1:] != ordered[:-1]]]
        target[code[heads]] = text[heads]
    return first, last


def edge_strengths(codes: np.ndarray, groups: int, money: np.ndarray, amount: np.ndarray, aggregate: np.ndarray,
                   factor: np.ndarray, row_strength: np.ndarray, weights: WeightPolicy) -> tuple[np.ndarray, np.ndarray]:
    """Each edge's ``amount_usd`` and ``strength`` from its relationships' arrays (see `edge_table`).

    ``codes`` numbers each relationship's edge (``0 .. groups - 1``); ``money`` says which edges are in
    the money layer; ``amount``, ``aggregate``, ``factor`` (status factor) and ``row_strength`` are per
    relationship. Sums run over relationships in the order given, so the same rows in the same order
    give the same floats whatever else is in the table (the robustness scenarios weigh their touched
    edges this way, `analysis.scenario_scores`).
    """
    counted = np.where(aggregate | np.isnan(amount), 0.0, amount)
    has_counted = np.bincount(codes, weights=(~aggregate & ~np.isnan(amount)).astype(float), minlength=groups) > 0
    amount_usd = np.where(has_counted, np.bincount(codes, weights=counted, minlength=groups), np.nan)
    best_factor = np.full(groups, -np.inf)
    np.maximum.at(best_factor, codes[~aggregate], factor[~aggregate])
    row_strength = np.where(aggregate, 0.0, row_strength)
    strength_sum = np.bincount(codes, weights=row_strength, minlength=groups)
    strength_max = np.zeros(groups)
    np.maximum.at(strength_max, codes, row_strength)
    basis = np.nan_to_num(amount_usd)
    strength = strength_sum.copy()
    with_amount = money & (basis > 0)
    strength[with_amount] = _money_strengths(basis[with_amount], weights) * best_factor[with_amount]
    strength[money & ~(basis > 0)] = strength_max[money & ~(basis > 0)]
    if weights.money_scale == "unweighted":
        strength[strength > 0] = 1.0
    return amount_usd, strength


def edge_table(oriented: pd.DataFrame, schema: Schema, weights: WeightPolicy, *, scored_only: bool = False) -> pd.DataFrame:
    """One row per (edge_source, edge_target, layer, directed) group of oriented relationships.

    ``amount_usd`` sums the non-aggregate money rows, pledges included (NaN when none has an
    amount) and ``amount_qualifier`` says how exact that sum is (`sum_qualifier`);
    ``stated_total_usd`` is the largest aggregate amount, kept for display
    only. A money edge's strength follows the money scale on ``amount_usd``
    times the best status factor of its counted rows (or, with no amount, its
    strongest non-aggregate relationship): aggregate rows restate money other
    rows count, so they never create or raise a weight (docs/money.md, rule
    9). An edge of aggregate rows only has strength 0 and no cost (NaN):
    metrics leave it out. Other edges add their relationships' strengths.
    ``cost`` = 1 / strength. ``status`` is the best status of the edge's
    relationships. With ``scored_only``, only the columns metrics read: ``source, target, layer,
    directed, strength, cost`` (the same values; the text columns are not joined).
    """
    if oriented.empty:
        return pd.DataFrame(columns=list(EDGE_COLUMNS))
    codes = oriented.groupby(KEY, sort=True).ngroup().to_numpy()
    groups = int(codes.max()) + 1
    heads = np.unique(codes, return_index=True)[1]
    table = oriented[KEY].iloc[heads].reset_index(drop=True).rename(columns={"edge_source": "source", "edge_target": "target"})

    amount = oriented["amount_usd"].to_numpy(dtype=float)
    aggregate = oriented["aggregate"].to_numpy(dtype=bool)
    table["relationship_count"] = np.bincount(codes, minlength=groups).astype(int)
    stated = np.full(groups, np.nan)
    np.fmax.at(stated, codes, np.where(aggregate, amount, np.nan))
    factor = _map_distinct(oriented["status"], lambda s: weights.status_factor.get(s, 1.0)).astype(float)
    rank = _map_distinct(oriented["status"], lambda s: _STATUS_RANK.get(s, len(STATUSES))).astype(np.int64)
    best_rank = np.full(groups, len(STATUSES), dtype=np.int64)
    np.minimum.at(best_rank, codes, rank)
    money = (table["layer"] == "money").to_numpy()
    table["amount_usd"], strength = edge_strengths(codes, groups, money, amount, aggregate, factor,
                                                   oriented["strength"].to_numpy(dtype=float), weights)
    table["stated_total_usd"] = stated
    if not scored_only:
        _describe(table, oriented, codes, groups, np.where(aggregate, np.nan, amount))

    table["strength"] = strength
    with np.errstate(divide="ignore"):
        table["cost"] = np.where(strength > 0, 1.0 / np.where(strength > 0, strength, 1.0), np.nan)
    table["directed"] = table["directed"].astype(bool)
    if scored_only:
        return table[["source", "target", "layer", "directed", "strength", "cost"]]
    table["status"] = np.array([*STATUSES, ""], dtype=object)[best_rank]
    table["relationship_count"] = table["relationship_count"].astype(int)
    return table[list(EDGE_COLUMNS)]


def _describe(table: pd.DataFrame, oriented: pd.DataFrame, codes: np.ndarray, groups: int, counted_amounts: np.ndarray) -> None:
    """Add the edge columns that describe rather than weigh: qualifier, types, ids, sources, dates."""
    table["amount_qualifier"] = _grouped_qualifiers(codes, oriented["amount_qualifier"].to_numpy(dtype=object),
                                                    counted_amounts, groups)
    table["types"] = _grouped_join(codes, oriented["type"].to_numpy(dtype=object), groups, unique=True)
    table["relationship_ids"] = _grouped_join(codes, oriented["id"].to_numpy(dtype=object), groups, unique=False, sort=False)
    # split each distinct source_ids text once (a bulk file cites the same few sources everywhere)
    text_codes, texts = pd.factorize(oriented["source_ids"].astype(str))
    parts = [[part.strip() for part in text.split(";") if part.strip()] for text in texts]
    counts = np.array([len(p) for p in parts], dtype=np.int64)[text_codes]
    flat = np.array([part for p in parts for part in p], dtype=object)
    offsets = np.concatenate([[0], np.cumsum([len(p) for p in parts])])[:-1]
    id_codes = np.repeat(codes, counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    id_values = flat[np.repeat(offsets[text_codes], counts) + within] if len(flat) else np.array([], dtype=object)
    table["source_ids"] = _grouped_join(id_codes, id_values, groups, unique=True)
    table["first_date"], table["last_date"] = _date_ends(codes, oriented["start_date"], oriented["end_date"], groups)
