"""Which entities of several data folders are one: shared identifiers first, then equal name keys of one type.

Entities are named ``N:id`` here, N being the folder's place on the command
line (1 = first). Only entities of different folders are joined: a folder's
own entities are distinct by its curator's choice, so a join that would put
two entities of one folder together is refused and listed for review.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import pandas as pd

from network.contract.identifiers import parse_identifiers
from network.contract.validate import split_list
from network.merge.names import NEAR_MISS_RATIO, entity_keys, near_miss_ratio

__all__ = ["REVIEW_COLUMNS", "EntityMatch", "match_entities"]

REVIEW_COLUMNS = ("left", "left_name", "left_type", "right", "right_name", "right_type", "reason", "similarity", "decision")
_COMMON_TOKEN = 200  # a word shared by more entities than this does not pair them up for near misses


@dataclass
class EntityMatch:
    """Groups of joined entities (each a list of ``N:id``, in folder and line order), how each was joined, and the review list."""

    groups: list[list[str]]
    how: dict[str, str]
    review: list[dict[str, str]] = field(default_factory=list)


class _Groups:
    """Union-find over ``N:id`` that refuses to put two entities of one folder together."""

    def __init__(self, refs: Sequence[str]) -> None:
        self.parent = {ref: ref for ref in refs}
        self.inputs = {ref: {ref.split(":", 1)[0]} for ref in refs}

    def find(self, ref: str) -> str:
        while self.parent[ref] != ref:
            self.parent[ref] = self.parent[self.parent[ref]]
            ref = self.parent[ref]
        return ref

    def join(self, left: str, right: str) -> str:
        """'joined', 'already' or 'conflict' (both groups hold an entity of one folder)."""
        a, b = self.find(left), self.find(right)
        if a == b:
            return "already"
        if self.inputs[a] & self.inputs[b]:
            return "conflict"
        first, second = sorted((a, b), key=_order)
        self.parent[second] = first
        self.inputs[first] |= self.inputs.pop(second)
        return "joined"


def _order(ref: str) -> tuple[int, str]:
    number, entity_id = ref.split(":", 1)
    return int(number), entity_id


def match_entities(inputs: Sequence[pd.DataFrame], decisions: Mapping[frozenset, str] | None = None) -> EntityMatch:
    """Join the entities of several folders' entity tables.

    Order of rules: a ``merge`` decision of the overrides file; a shared
    identifier (``fec_committee:C00879510``); an equal name key (name or any
    alias, see `network.merge.names`) with the same type and no conflicting
    identifier of one scheme. A ``keep_apart`` decision stops any rule for
    that pair. Near misses (keys at least `NEAR_MISS_RATIO` alike, or equal
    keys of different types, or equal keys with different identifiers) are
    listed in ``review`` and not joined.

    Examples
    --------
    >>> a = pd.DataFrame({"id": ["elon-musk"], "name": ["Elon Musk"], "type": ["person"], "aliases": [""], "identifiers": [""]})
    >>> b = pd.DataFrame({"id": ["musk1"], "name": ["MUSK, ELON R."], "type": ["person"], "aliases": [""], "identifiers": [""]})
    >>> match_entities([a, b]).groups
    [['1:elon-musk', '2:musk1']]
    """
    decisions = dict(decisions or {})
    rows: dict[str, dict[str, str]] = {}
    for number, frame in enumerate(inputs, start=1):
        for record in frame.to_dict("records"):
            rows[f"{number}:{record['id']}"] = record
    groups = _Groups(list(rows))
    how = {ref: "" for ref in rows}
    review: list[dict[str, str]] = []
    reviewed: set[frozenset] = set()

    def note(left: str, right: str, reason: str, similarity: float) -> None:
        pair = frozenset((left, right))
        if pair in reviewed or pair in decisions:
            return
        reviewed.add(pair)
        a, b = sorted((left, right), key=_order)
        review.append({"left": a, "left_name": rows[a]["name"], "left_type": rows[a]["type"], "right": b,
                       "right_name": rows[b]["name"], "right_type": rows[b]["type"], "reason": reason,
                       "similarity": f"{similarity:.3f}", "decision": ""})

    def attempt(left: str, right: str, reason: str) -> None:
        if left.split(":")[0] == right.split(":")[0] or decisions.get(frozenset((left, right))) == "keep_apart":
            return
        outcome = groups.join(left, right)
        if outcome == "joined":
            later = max((left, right), key=_order)
            how[later] = how[later] or reason
        elif outcome == "conflict":
            note(left, right, f"{reason}, but the join would put two entities of one folder together", 1.0)

    for pair, decision in sorted(decisions.items(), key=lambda kv: sorted(kv[0], key=_order)):
        if decision == "merge":
            left, right = sorted(pair, key=_order)
            attempt(left, right, "overrides file: merge")

    identifiers: dict[str, dict[str, set[str]]] = {}
    by_identifier: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ref, record in rows.items():
        identifiers[ref] = defaultdict(set)
        for scheme, value in parse_identifiers(record.get("identifiers", "")):
            identifiers[ref][scheme].add(value)
            by_identifier[(scheme, value)].append(ref)
    for (scheme, value), refs in sorted(by_identifier.items()):
        for other in refs[1:]:
            attempt(refs[0], other, f"identifier {scheme}:{value}")

    keys = {ref: entity_keys(r["name"], split_list(r.get("aliases", "")), r["type"]) for ref, r in rows.items()}
    by_key: dict[str, list[str]] = defaultdict(list)
    for ref in rows:
        for key in sorted(keys[ref]):
            by_key[key].append(ref)
    for key, refs in sorted(by_key.items()):
        for i, left in enumerate(refs):
            for right in refs[i + 1:]:
                if left.split(":")[0] == right.split(":")[0] or groups.find(left) == groups.find(right):
                    continue
                if rows[left]["type"] != rows[right]["type"]:
                    note(left, right, f"same name {key!r}, types differ", 1.0)
                    continue
                clash = [s for s in identifiers[left] if s in identifiers[right] and identifiers[left][s] != identifiers[right][s]]
                if clash:
                    note(left, right, f"same name {key!r}, different {clash[0]} identifiers", 1.0)
                    continue
                attempt(left, right, f"name {key!r}")

    by_token: dict[str, set[str]] = defaultdict(set)
    for ref in rows:
        for key in keys[ref]:
            for token in key.split():
                if len(token) > 2:
                    by_token[token].add(ref)
    candidates: set[tuple[str, str]] = set()
    for token, refs in by_token.items():
        if len(refs) <= _COMMON_TOKEN:
            ordered = sorted(refs, key=_order)
            candidates.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]
                              if a.split(":")[0] != b.split(":")[0])
    for left, right in sorted(candidates, key=lambda p: (_order(p[0]), _order(p[1]))):
        if groups.find(left) == groups.find(right) or rows[left]["type"] != rows[right]["type"]:
            continue
        best = max((near_miss_ratio(a, b), a, b) for a in keys[left] for b in keys[right] if a != b) \
            if any(a != b for a in keys[left] for b in keys[right]) else None
        if best and best[0] >= NEAR_MISS_RATIO and not keys[left] & keys[right]:
            note(left, right, f"similar names {best[1]!r} and {best[2]!r}", best[0])

    members: dict[str, list[str]] = defaultdict(list)
    for ref in rows:
        members[groups.find(ref)].append(ref)
    ordered_groups = sorted((sorted(refs, key=_order) for refs in members.values()), key=lambda g: _order(g[0]))
    # one row per pair of final groups, none for a pair that ended up joined
    kept, seen = [], set()
    for row in sorted(review, key=lambda r: (_order(r["left"]), _order(r["right"]))):
        pair = frozenset((groups.find(row["left"]), groups.find(row["right"])))
        if len(pair) == 2 and pair not in seen:
            seen.add(pair)
            kept.append(row)
    return EntityMatch(ordered_groups, how, kept)
