"""How entities' ranks move between periods: the graph of each period measured on its own."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple, Sequence

import pandas as pd

from analysis.centrality import centrality_table
from network.contract.dates import earliest, latest
from network.graph import InfluenceGraph, filter_relationships

__all__ = [
    "LOWER_RANKS_FIRST", "Window", "calendar_windows", "parse_windows", "rank_timeline", "timeline_table",
]

LOWER_RANKS_FIRST = ("constraint",)
"""Metrics on which a lower score ranks first (Burt's constraint: low means a broker)."""


class Window(NamedTuple):
    """A period: its label and its first and last day (both included)."""

    label: str
    start: date
    end: date


def _next_start(day: date, period: str) -> date:
    if period == "year":
        return date(day.year + 1, 1, 1)
    months = 3 if period == "quarter" else 1
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _period_start(day: date, period: str) -> date:
    if period == "year":
        return date(day.year, 1, 1)
    if period == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, day.month, 1)


def _label(day: date, period: str) -> str:
    if period == "year":
        return str(day.year)
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def calendar_windows(
    graph: InfluenceGraph, period: str, *, since: str | None = None, until: str | None = None,
) -> list[Window]:
    """Consecutive calendar periods covering the dated relationships (or since..until).

    Parameters
    ----------
    graph : InfluenceGraph
    period : {"year", "quarter", "month"}
    since, until : str, optional
        Partial dates (YYYY[-MM[-DD]]) bounding the range; by default the
        first and last day any relationship's dates mention.

    Returns
    -------
    list of Window
        Labelled ``2024``, ``2024-Q3`` or ``2024-08``, in time order.

    Raises
    ------
    ValueError
        For an unknown period or a bad date.

    Examples
    --------
    >>> graph = InfluenceGraph.from_edges([("a", "b", 1.0)])
    >>> [w.label for w in calendar_windows(graph, "quarter", since="2024-05", until="2024-12")]
    ['2024-Q2', '2024-Q3', '2024-Q4']
    """
    if period not in ("year", "quarter", "month"):
        raise ValueError(f"unknown period {period!r}; expected year, quarter, month or custom")
    mentioned = [d for column in ("start_date", "end_date") for d in graph.relationships[column] if d]
    low = _day(since, earliest, "since") if since else min((earliest(d) for d in mentioned), default=None)
    high = _day(until, latest, "until") if until else max((latest(d) for d in mentioned), default=None)
    if low is None or high is None or high < low:
        return []
    windows, start = [], _period_start(low, period)
    while start <= high:
        following = _next_start(start, period)
        windows.append(Window(_label(start, period), start, date.fromordinal(following.toordinal() - 1)))
        start = following
    return windows


def _day(text: str, pick, name: str) -> date:
    day = pick(str(text))
    if day is None:
        raise ValueError(f"{name}: not a date (found {text!r}, expected YYYY, YYYY-MM or YYYY-MM-DD)")
    return day


def parse_windows(text: str) -> list[Window]:
    """Custom periods from ``START:END,START:END``, each end a partial date.

    A period runs from the first day of START to the last day of END, so
    ``2024-06:2024-11`` is 1 June to 30 November 2024. Periods may overlap.

    Raises
    ------
    ValueError
        For a part that is not ``START:END`` with valid dates in order.

    Examples
    --------
    >>> parse_windows("2024-06:2024-11, 2024-12:2025-01")[1]
    Window(label='2024-12:2025-01', start=datetime.date(2024, 12, 1), end=datetime.date(2025, 1, 31))
    """
    windows = []
    for part in (p.strip() for p in str(text).split(",")):
        pieces = part.split(":")
        if len(pieces) != 2:
            raise ValueError(f"--periods: {part!r} is not START:END (for example 2024-06:2024-11)")
        start, end = _day(pieces[0].strip(), earliest, "--periods"), _day(pieces[1].strip(), latest, "--periods")
        if end < start:
            raise ValueError(f"--periods: {part!r} ends before it starts")
        windows.append(Window(part, start, end))
    if not windows:
        raise ValueError("--periods: give at least one START:END")
    return windows


def _merged(graph: InfluenceGraph, windows: Sequence[Window]) -> list[tuple[Window, frozenset]]:
    """Non-empty windows with the ids of their relationships; runs with the same ties merged."""
    kept: list[tuple[Window, frozenset]] = []
    for window in windows:
        ids = frozenset(filter_relationships(graph.relationships, graph.schema, since=window.start,
                                             until=window.end, include_undated=False)["id"])
        if not ids:
            continue
        if kept and kept[-1][1] == ids and kept[-1][0].end.toordinal() + 1 == window.start.toordinal():
            first = kept[-1][0]
            label = first.label.split("..")[0] + ".." + window.label
            kept[-1] = (Window(label, first.start, window.end), ids)
        else:
            kept.append((window, ids))
    return kept


def rank_timeline(
    graph: InfluenceGraph, windows: Sequence[Window], *, metric: str = "pagerank",
    include_conflict: bool = False, merge_unchanged: bool = True, include_undated: bool = False,
) -> pd.DataFrame:
    """Each entity's score and rank in each period, and how its rank moved.

    For every window the graph is cut down to the relationships whose dates
    overlap it (`InfluenceGraph.filter` with ``since``/``until`` and
    ``include_undated``: by default an undated tie cannot be placed in time,
    so it is left out of every period; with ``include_undated`` it counts in
    every period, as ``--since``/``--until`` keep it; an ongoing tie, with no
    end date, counts in every period from its start). Which periods exist and
    which are merged depends on the dated ties only. The metric is then computed on that
    graph alone by `analysis.centrality.centrality_table`, so a rank says
    where an entity stood among the ties of that period.

    Parameters
    ----------
    graph : InfluenceGraph
    windows : sequence of Window
        From `calendar_windows` or `parse_windows`.
    metric : str
        A metric of `analysis.centrality.centrality_table` (pagerank,
        betweenness, strength_in, ...). Rank 1 is the highest score, except for `LOWER_RANKS_FIRST`.
    include_conflict : bool
        Passed to `centrality_table`.
    include_undated : bool
        Count undated ties in every period (the command line's ``--undated keep``).
    merge_unchanged : bool
        Merge consecutive windows holding exactly the same relationships into
        one, labelled ``FIRST..LAST`` (their ranks would be identical).
        Windows with no dated relationship are always left out.

    Returns
    -------
    pd.DataFrame
        ``order`` (0, 1, ... in window order), ``period``, ``start``,
        ``end`` (ISO dates), ``id, name, value, rank`` (1 = first; ties share
        the best rank) and ``rank_change``: the rank in the previous period
        minus this one (positive = moved up; NaN when the entity was not in
        the previous period). Sorted by order, rank, id.

    Raises
    ------
    ValueError
        If ``metric`` is not one of `analysis.centrality.METRICS`.

    Examples
    --------
    >>> from network.graph import bundled_graph
    >>> graph = bundled_graph()
    >>> ranks = rank_timeline(graph, parse_windows("2024-06:2024-11,2024-12:2025-01"), metric="strength_in")
    >>> ranks[ranks["rank"] == 1][["period", "id"]].values.tolist()  # the campaign months, then the inaugural gifts
    [['2024-06:2024-11', 'america-pac'], ['2024-12:2025-01', 'trump-inaugural-fund-2025']]
    """
    chosen = _merged(graph, windows) if merge_unchanged else [
        (w, frozenset(filter_relationships(graph.relationships, graph.schema, since=w.start, until=w.end,
                                           include_undated=False)["id"])) for w in windows]
    names = graph.entities.set_index("id")["name"]
    frames, previous = [], {}
    for order, (window, ids) in enumerate((w, ids) for w, ids in chosen if ids):
        period_graph = graph.filter(since=window.start, until=window.end, include_undated=include_undated)
        scores = centrality_table(period_graph, metrics=[metric], include_conflict=include_conflict)
        values = scores.set_index("id")[metric]
        # Round before ranking, so that equal scores computed in different orders share a rank.
        ranks = values.round(12).rank(method="min", ascending=metric in LOWER_RANKS_FIRST, na_option="keep")
        frame = pd.DataFrame({"order": order, "period": window.label, "start": window.start.isoformat(),
                              "end": window.end.isoformat(), "id": values.index, "name": values.index.map(names),
                              "value": values.to_numpy(), "rank": ranks.to_numpy()})
        frame["rank_change"] = [previous.get(i, float("nan")) - r for i, r in zip(frame["id"], frame["rank"])]
        previous = dict(zip(frame["id"], frame["rank"]))
        frames.append(frame)
    columns = ["order", "period", "start", "end", "id", "name", "value", "rank", "rank_change"]
    if not frames:
        return pd.DataFrame(columns=columns)
    table = pd.concat(frames, ignore_index=True)[columns]
    return table.sort_values(["order", "rank", "id"], kind="stable", na_position="last").reset_index(drop=True)


def timeline_table(ranks: pd.DataFrame, *, top: int | None = None) -> pd.DataFrame:
    """One row per entity, its rank in each period, and the change from first to last.

    Parameters
    ----------
    ranks : pd.DataFrame
        From `rank_timeline`.
    top : int, optional
        Keep only entities ranked ``top`` or better in at least one period.

    Returns
    -------
    pd.DataFrame
        ``id, name``, one column per period (its label) with the rank (a
        nullable integer: missing when the entity has no dated tie in that
        period), then ``change``: the rank in the first period minus the
        rank in the last (positive = rose; missing unless ranked in both).
        Sorted by the rank in the last period, then the best rank in any
        period, then id.

    Examples
    --------
    >>> ranks = pd.DataFrame({"order": [0, 0, 1, 1], "period": ["A", "A", "B", "B"], "id": ["x", "y", "x", "y"],
    ...                       "name": ["X", "Y", "X", "Y"], "rank": [1.0, 2.0, 2.0, 1.0]})
    >>> timeline_table(ranks).values.tolist()
    [['y', 'Y', 2, 1, 1], ['x', 'X', 1, 2, -1]]
    """
    periods = list(dict.fromkeys(ranks.sort_values("order", kind="stable")["period"]))
    if not periods:
        return pd.DataFrame(columns=["id", "name", "change"])
    wide = ranks.pivot_table(index="id", columns="period", values="rank", aggfunc="min", dropna=False)
    wide = wide.reindex(columns=periods).reset_index()
    wide.columns.name = None
    wide.insert(1, "name", wide["id"].map(ranks.drop_duplicates("id").set_index("id")["name"]))
    wide["change"] = wide[periods[0]] - wide[periods[-1]]
    best = wide[periods].min(axis=1)
    if top is not None:
        wide = wide[best <= top]
        best = best[wide.index]
    wide = (wide.assign(_last=wide[periods[-1]], _best=best)
            .sort_values(["_last", "_best", "id"], kind="stable", na_position="last")
            .drop(columns=["_last", "_best"]).reset_index(drop=True))
    for column in [*periods, "change"]:
        wide[column] = wide[column].astype("Int64")
    return wide
