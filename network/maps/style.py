"""One visual style for maps and styled exports: colors, node sizes, seeded layouts."""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = [
    "TYPE_COLORS",
    "LAYER_COLORS",
    "COMMUNITY_COLORS",
    "FALLBACK_COLOR",
    "type_color",
    "layer_color",
    "community_color",
    "node_sizes",
    "edge_widths",
]

# Colorblind-aware hues (Okabe-Ito and Tableau 10 families), one per entity type.
TYPE_COLORS = {
    "person": "#E69F00",
    "company": "#0072B2",
    "platform": "#56B4E9",
    "pac": "#D55E00",
    "campaign": "#CC79A7",
    "fund": "#009E73",
    "government": "#7A5195",
    "organization": "#8C8C8C",
    "media": "#F0E442",
    "committee": "#B5651D",
}
LAYER_COLORS = {
    "money": "#2E8B57",
    "control": "#1F4E9A",
    "affiliation": "#9E9E9E",
    "access": "#8E44AD",
    "conflict": "#C0392B",
}
COMMUNITY_COLORS = (
    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948",
    "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC", "#1B9E77", "#D95F02",
)
FALLBACK_COLOR = "#666666"


def type_color(entity_type: str) -> str:
    """The color of an entity type (grey for a type the style does not know)."""
    return TYPE_COLORS.get(entity_type, FALLBACK_COLOR)


def layer_color(layer: str) -> str:
    """The color of a relationship layer."""
    return LAYER_COLORS.get(layer, FALLBACK_COLOR)


def community_color(community: int) -> str:
    """The color of community number ``community`` (numbered from 1; the palette repeats).

    Examples
    --------
    >>> community_color(1), community_color(13)
    ('#4E79A7', '#4E79A7')
    """
    return COMMUNITY_COLORS[(int(community) - 1) % len(COMMUNITY_COLORS)]


def _scale(values: Sequence[float], low: float, high: float) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    array = np.where(np.isfinite(array), array, 0.0)
    spread = array.max() - array.min() if len(array) else 0.0
    if spread <= 0:
        return np.full(len(array), (low + high) / 2)
    return low + (array - array.min()) / spread * (high - low)


def node_sizes(values: Sequence[float], *, low: float = 10.0, high: float = 50.0) -> np.ndarray:
    """Pixel sizes for a metric: square-root scaled so areas, not radii, track the metric.

    Examples
    --------
    >>> node_sizes([0.0, 0.25, 1.0]).round(1).tolist()
    [10.0, 30.0, 50.0]
    """
    array = np.sqrt(np.clip(np.asarray(values, dtype=float), 0, None))
    return _scale(array, low, high)


def edge_widths(strengths: Sequence[float], *, low: float = 1.0, high: float = 8.0) -> np.ndarray:
    """Pixel widths for edge strengths, linear between ``low`` and ``high`` (never raw dollars)."""
    return _scale(strengths, low, high)
