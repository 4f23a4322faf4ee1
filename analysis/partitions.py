"""Comparing two partitions of the same items: normalized mutual information and adjusted Rand index."""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["adjusted_rand_index", "contingency", "normalized_mutual_information"]


def contingency(a: Sequence, b: Sequence) -> np.ndarray:
    """Counts n_ij of items in cluster i of ``a`` and cluster j of ``b``."""
    if len(a) != len(b):
        raise ValueError(f"partitions of different sizes ({len(a)} and {len(b)} items)")
    _, rows = np.unique(np.asarray(a), return_inverse=True)
    _, columns = np.unique(np.asarray(b), return_inverse=True)
    table = np.zeros((rows.max(initial=-1) + 1, columns.max(initial=-1) + 1), dtype=np.int64)
    np.add.at(table, (rows, columns), 1)
    return table


def _same_partition(table: np.ndarray) -> bool:
    """True when every cluster of one partition is exactly one cluster of the other."""
    nonzero = table > 0
    return bool((nonzero.sum(axis=0) == 1).all() and (nonzero.sum(axis=1) == 1).all())


def normalized_mutual_information(a: Sequence, b: Sequence) -> float:
    """Normalized mutual information of two partitions: 2 I(A;B) / (H(A) + H(B)).

    The normalization by the arithmetic mean of the entropies of [1]_ (also
    igraph's ``compare_communities(method="nmi")``). Exactly 1.0 for the same
    partition under any labels (also when both are a single cluster), 0.0
    for independent ones.

    References
    ----------
    .. [1] L. Danon, A. Diaz-Guilera, J. Duch and A. Arenas, "Comparing
       community structure identification", J. Stat. Mech. (2005) P09008.

    Examples
    --------
    >>> round(normalized_mutual_information([0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1, 1]), 4)
    0.5158
    >>> normalized_mutual_information([0, 0, 1], ["x", "x", "y"])
    1.0
    """
    table = contingency(a, b)
    if table.size == 0 or _same_partition(table):
        return 1.0
    p = table / table.sum()
    pa, pb = p.sum(axis=1), p.sum(axis=0)
    entropy = -(pa * np.log(pa)).sum() - (pb * np.log(pb)).sum()
    cells = p > 0
    mutual = (p[cells] * np.log(p[cells] / np.outer(pa, pb)[cells])).sum()
    return float(max(0.0, 2.0 * mutual / entropy)) if entropy > 0 else 0.0


def _pairs(counts: np.ndarray) -> float:
    """The number of unordered pairs within each count, summed."""
    return float((counts * (counts - 1) // 2).sum())


def adjusted_rand_index(a: Sequence, b: Sequence) -> float:
    """Adjusted Rand index of two partitions (Hubert and Arabie [1]_).

    The share of item pairs the two partitions treat alike, corrected for
    chance: 1.0 for the same partition under any labels (exactly, also when
    both are all singletons or one cluster), about 0 for random ones; it can
    be negative.

    References
    ----------
    .. [1] L. Hubert and P. Arabie, "Comparing partitions", Journal of
       Classification 2 (1985) 193-218.

    Examples
    --------
    >>> round(adjusted_rand_index([0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1, 1]), 4)
    0.2424
    """
    table = contingency(a, b)
    if table.size == 0 or _same_partition(table):
        return 1.0
    together = _pairs(table)
    rows, columns, total = _pairs(table.sum(axis=1)), _pairs(table.sum(axis=0)), _pairs(np.array([table.sum()]))
    expected = rows * columns / total if total else 0.0
    best = (rows + columns) / 2.0
    return float((together - expected) / (best - expected)) if best != expected else 0.0
