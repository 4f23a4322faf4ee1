"""Charts for the report (matplotlib, object API: no global pyplot state), as PNG bytes."""

from __future__ import annotations

import functools
import io
import unicodedata

import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from network.maps.style import LAYER_COLORS, TYPE_COLORS

__all__ = ["bar_chart", "money_chart", "layer_chart"]


def _png(figure: Figure) -> bytes:
    """PNG bytes without software or date metadata, so the same figure gives the same bytes."""
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None}, bbox_inches="tight")
    return buffer.getvalue()


LABEL_WIDTH = 48
"""Longest bar label in characters; longer names (FEC committee names run to 90) end in an ellipsis."""


def _bars(axes, labels, values, colors):
    """Horizontal bars at positions 0..n-1 labelled with ``labels``: two entities of the same name stay two bars
    (bars keyed by name would be merged into one)."""
    positions = list(range(len(values)))
    bars = axes.barh(positions, list(values), color=colors)
    axes.set_yticks(positions, [_short(str(label)) for label in labels])
    return bars


def _short(label: str) -> str:
    """``label`` without control characters (no font draws them), cut to `LABEL_WIDTH` characters.

    Examples
    --------
    >>> _short("America PAC")
    'America PAC'
    >>> len(_short("X" * 90)), _short("X" * 90)[-1]
    (48, '…')
    >>> _short("Evil\x1b[31m Corp")
    'Evil[31m Corp'
    """
    label = "".join(ch for ch in label if unicodedata.category(ch) != "Cc")
    return label if len(label) <= LABEL_WIDTH else label[:LABEL_WIDTH - 1] + "…"


def _plain_text(chart):
    """Draw names as typed: ``$x$`` in a name or type is text, not matplotlib mathtext (``$$`` crashed it)."""
    @functools.wraps(chart)
    def drawn(*args, **kwargs):
        with matplotlib.rc_context({"text.parse_math": False}):
            return chart(*args, **kwargs)
    return drawn


def _dollars(value: float) -> str:
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= limit:
            return f"${value / limit:.1f}{suffix}"
    return f"${value:,.0f}"


@_plain_text
def bar_chart(table: pd.DataFrame, value: str, *, title: str, label: str = "name", color_by: str = "type",
              top: int = 10, xlabel: str = "") -> bytes:
    """Horizontal bars for the top rows of ``table`` by ``value``, colored by entity type."""
    shown = table.sort_values([value, "id"], ascending=[False, True]).head(top).iloc[::-1]
    figure = Figure(figsize=(7.5, 0.38 * len(shown) + 1.2))
    axes = figure.add_subplot()
    colors = [TYPE_COLORS.get(t, "#666666") for t in shown[color_by]] if color_by in shown else None
    bars = _bars(axes, shown[label], shown[value], colors)
    for bar, amount in zip(bars, shown[value]):
        axes.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {amount:.3f}", va="center", fontsize=8)
    axes.set_xlim(0, (shown[value].max() if len(shown) else 1) * 1.15)
    axes.set_title(title, loc="left", fontsize=11)
    axes.set_xlabel(xlabel or value)
    axes.spines[["top", "right"]].set_visible(False)
    if color_by in shown:
        handles = [Patch(color=TYPE_COLORS.get(kind, "#666666"), label=kind) for kind in sorted(set(shown[color_by]))]
        axes.legend(handles=handles, loc="lower right", fontsize=8, frameon=False)
    return _png(figure)


@_plain_text
def money_chart(flows: pd.DataFrame, *, top: int = 8) -> bytes:
    """Top givers and top recipients side by side (money counted once: aggregate rows excluded)."""
    figure = Figure(figsize=(11, 0.42 * top + 1.6))
    for position, (column, title) in enumerate((("given_usd", "Top givers"), ("received_usd", "Top recipients")), start=1):
        axes = figure.add_subplot(1, 2, position)
        shown = flows[flows[column] > 0].sort_values([column, "id"], ascending=[False, True]).head(top).iloc[::-1]
        bars = _bars(axes, shown["name"], shown[column], [TYPE_COLORS.get(t, "#666666") for t in shown["type"]])
        for bar, amount in zip(bars, shown[column]):
            axes.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, " " + _dollars(amount), va="center", fontsize=8)
        axes.set_title(title + " (US$, counted once)", loc="left", fontsize=11)
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_xticks([])
        axes.set_xlim(0, (shown[column].max() if len(shown) else 1) * 1.3)
    figure.tight_layout()
    return _png(figure)


@_plain_text
def layer_chart(edges: pd.DataFrame, money_by_type: pd.DataFrame) -> bytes:
    """Ties by layer (count and total strength) beside money by relationship type."""
    figure = Figure(figsize=(11, 3.6))
    layers = edges.groupby("layer").agg(edges=("strength", "size"), strength=("strength", "sum")).reset_index()
    axes = figure.add_subplot(1, 2, 1)
    axes.bar(layers["layer"], layers["strength"], color=[LAYER_COLORS.get(l, "#666666") for l in layers["layer"]])
    for x, (count, total) in enumerate(zip(layers["edges"], layers["strength"])):
        axes.text(x, total, f"{count} edges", ha="center", va="bottom", fontsize=8)
    axes.set_ylim(0, layers["strength"].max() * 1.15 if len(layers) else 1)
    axes.set_title("Ties by layer: total strength", loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    axes = figure.add_subplot(1, 2, 2)
    money = money_by_type[money_by_type["given_usd"] + money_by_type["pledged_usd"] > 0]
    axes.bar(money["type"], money["given_usd"], color=LAYER_COLORS["money"], label="given")
    axes.bar(money["type"], money["pledged_usd"], bottom=money["given_usd"], color="#A8D5BA", label="pledged")
    for x, total in enumerate(money["given_usd"] + money["pledged_usd"]):
        axes.text(x, total, _dollars(total), ha="center", va="bottom", fontsize=8)
    axes.set_ylim(0, (money["given_usd"] + money["pledged_usd"]).max() * 1.15 if len(money) else 1)
    axes.set_title("Money by type (aggregate totals not added)", loc="left", fontsize=11)
    axes.set_yticks([])
    axes.spines[["top", "right", "left"]].set_visible(False)
    axes.legend(frameon=False, fontsize=8)
    figure.tight_layout()
    return _png(figure)
