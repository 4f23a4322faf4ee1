"""The money model of schema.toml's ``[money]`` table: which relationship types are which kind of money (docs/money.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from network.errors import Problem

__all__ = ["MONEY_KINDS", "MoneyModel", "money_model"]

MONEY_KINDS = ("contribution", "in_kind", "pledge", "support", "oppose")
"""The money kinds of docs/money.md: what a money relationship adds to given, received and spent for/against."""


@dataclass(frozen=True)
class MoneyModel:
    """Which relationship types are which kind of money (schema.toml's ``[money]``; docs/money.md).

    ``contribution`` and ``in_kind`` move money from the source to the target
    (given by one, received by the other); ``pledge`` promises it;
    ``support`` and ``oppose`` are outside spending (independent
    expenditures) for or against the target: spent by the source, never
    received by the target. A type may be named that the schema does not
    define (an ingest's own schema adds it); money-layer types named in no
    kind count as contributions. Aggregate rows (the ``aggregate`` column)
    are of any kind and are never added or weighted.
    """

    kinds: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: {
        "contribution": ("donation", "contract", "gift"), "in_kind": ("in_kind",), "pledge": ("pledge",),
        "support": ("spending",), "oppose": ("oppose",),
    })

    def kind_of(self, relationship_type: str, layer: str = "") -> str:
        """The money kind of a type ('' when it is no money); an unnamed money-layer type is a contribution."""
        for kind, types in self.kinds.items():
            if relationship_type in types:
                return kind
        return "contribution" if layer == "money" else ""

    def types(self, *kinds: str) -> tuple[str, ...]:
        """The types of the given kinds (all kinds when none is given), in kind order."""
        return tuple(t for kind in (kinds or MONEY_KINDS) for t in self.kinds.get(kind, ()))


def money_model(raw: Mapping | None, line: int, shown: str, problems: list[Problem]) -> MoneyModel:
    """``[money]``: each kind a list of relationship type names, no type in two kinds (default `MoneyModel`).

    ``line`` is the line of the ``[money]`` header in ``shown``, named by every problem.
    """
    if raw is None:
        return MoneyModel()
    kinds: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for kind, types in raw.items():
        if kind not in MONEY_KINDS:
            problems.append(Problem(shown, line, f"money.{kind}", "unknown money kind", kind, ", ".join(MONEY_KINDS)))
            continue
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            problems.append(Problem(shown, line, f"money.{kind}", "not a list of type names", types, '["donation", ...]'))
            continue
        for name in types:
            if name in seen:
                problems.append(Problem(shown, line, f"money.{kind}", "type already in another kind", name, f"only in money.{seen[name]}"))
            seen[name] = kind
        kinds[kind] = tuple(types)
    return MoneyModel({kind: kinds.get(kind, ()) for kind in MONEY_KINDS})
