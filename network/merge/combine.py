"""Several data folders' tables -> one set of tables, with a log of what became what and counts that add up.

Rules (docs/merge.md says why):

- Entities: joined as `network.merge.entities.match_entities` decides; the
  first folder's row gives id, name and type; the others' names become
  aliases; identifiers are united.
- Sources: a source with the same id, publisher, title, date and URL in two
  folders is one source; otherwise every source is kept (ids made unique).
- Relationships: every row is kept, ids made unique, ends and source ids
  renamed. Two rows that state the same fact (same ends, type, role, amount
  and dates once entities are joined) become one row citing the sources of
  both. A row whose two ends were joined into one entity is dropped and
  logged (a relationship with itself says nothing).
- Money stated twice: a news row (a money row whose sources are not FEC
  records) next to FEC-filed money rows between the same two entities inside
  its period restates money the filings count; it is kept but made
  ``aggregate`` (stated, not added), so totals count the filed money once.
  The log lists it; `influence claims` compares the two.

Counts: relationships in = out + facts joined + self-relationships dropped;
sources in = out + sources joined; entities in = out + entities joined.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from network.contract.dates import earliest, latest
from network.contract.identifiers import format_identifiers, parse_identifiers
from network.contract.load import DataTables
from network.contract.schema import Schema
from network.contract.validate import split_list
from network.merge.entities import EntityMatch, match_entities

__all__ = ["LOG_COLUMNS", "MergedTables", "filed_source_ids", "merge_tables"]

LOG_COLUMNS = ("kind", "input", "old_id", "new_id", "detail")
FILED_PUBLISHER = "US Federal Election Commission"
"""Sources whose publisher starts with this are FEC records (`fec ingest`, `fec filing`); all others are news."""


@dataclass
class MergedTables:
    """Rows of the merged entities, relationships and sources (text cells), the log, the review list and the counts."""

    entities: list[dict[str, str]]
    relationships: list[dict[str, str]]
    sources: list[dict[str, str]]
    log: list[dict[str, str]]
    review: list[dict[str, str]]
    counts: dict[str, Any] = field(default_factory=dict)


def filed_source_ids(sources: Sequence[Mapping[str, str]]) -> set[str]:
    """Ids of the sources that are FEC records (publisher starting with `FILED_PUBLISHER`)."""
    return {row["id"] for row in sources if str(row.get("publisher", "")).startswith(FILED_PUBLISHER)}


def _unique(wanted: str, taken: set[str], number: int) -> str:
    new = wanted
    suffix = 0
    while new in taken:
        suffix += 1
        new = f"{wanted}-in{number}" + (f"-{suffix}" if suffix > 1 else "")
    taken.add(new)
    return new


def _merge_entities(inputs: Sequence[DataTables], match: EntityMatch, log: list) -> tuple[list, dict]:
    rows = {f"{n}:{r['id']}": r for n, t in enumerate(inputs, 1) for r in t.entities.to_dict("records")}
    taken: set[str] = set()
    new_id: dict[str, str] = {}
    entities = []
    for group in match.groups:
        first = rows[group[0]]
        number = int(group[0].split(":")[0])
        merged_id = _unique(first["id"], taken, number)
        aliases = [a for ref in group for a in [rows[ref]["name"], *split_list(rows[ref].get("aliases", ""))]]
        aliases = list(dict.fromkeys(a for a in aliases if a and a != first["name"]))
        identifiers = format_identifiers(p for ref in group for p in parse_identifiers(rows[ref].get("identifiers", "")))
        entities.append({
            "id": merged_id, "name": first["name"], "type": first["type"],
            "name_ar": next((rows[r]["name_ar"] for r in group if rows[r].get("name_ar")), ""),
            "aliases": ";".join(aliases),
            "description": next((rows[r]["description"] for r in group if rows[r].get("description")), ""),
            "identifiers": identifiers})
        for ref in group:
            new_id[ref] = merged_id
            number_text, old = ref.split(":", 1)
            if ref == group[0]:
                detail = "kept" if merged_id == old else "kept; id taken by an entity of an earlier folder"
            else:
                detail = f"joined into {group[0]} by {match.how[ref]}"
            if ref != group[0] or merged_id != old or len(group) > 1:
                log.append({"kind": "entity", "input": number_text, "old_id": old, "new_id": merged_id, "detail": detail})
    return entities, new_id


def _merge_sources(inputs: Sequence[DataTables], log: list) -> tuple[list, dict, int]:
    taken: set[str] = set()
    seen: dict[tuple, str] = {}
    new_id: dict[str, str] = {}
    sources, joined = [], 0
    for number, tables in enumerate(inputs, 1):
        for row in tables.sources.to_dict("records"):
            key = (row["id"], row.get("publisher", ""), row.get("title", ""), row.get("published", ""), row.get("url", ""))
            if key in seen:
                new_id[f"{number}:{row['id']}"] = seen[key]
                joined += 1
                log.append({"kind": "source", "input": str(number), "old_id": row["id"], "new_id": seen[key],
                            "detail": "the same source as in an earlier folder: kept once"})
                continue
            merged_id = _unique(row["id"], taken, number)
            seen[key] = merged_id
            new_id[f"{number}:{row['id']}"] = merged_id
            sources.append({**{k: row.get(k, "") for k in ("id", "publisher", "title", "published", "language", "url", "document")},
                            "id": merged_id})
            if merged_id != row["id"]:
                log.append({"kind": "source", "input": str(number), "old_id": row["id"], "new_id": merged_id,
                            "detail": "id taken by another source of an earlier folder"})
    return sources, new_id, joined


def _fact_key(row: Mapping[str, str], schema: Schema) -> tuple:
    ends = (row["source"], row["target"])
    kind = schema.relationship_types.get(row["type"])
    if kind is not None and not kind.directed:
        ends = tuple(sorted(ends))
    return (*ends, row["type"], row.get("role", "").casefold(), row.get("amount_usd", ""), row.get("start_date", ""),
            row.get("end_date", ""))


def _is_true(text: str) -> bool:
    return str(text).strip().lower() in ("true", "yes", "1")


def _restate_filed_money(relationships: list[dict], filed: set[str], schema: Schema, log: list) -> int:
    """Make news money rows that restate filed money aggregate; return how many."""
    def money(row) -> bool:
        kind = schema.relationship_types.get(row["type"])
        return kind is not None and kind.layer == "money" and row.get("status", "") != "planned" and row["type"] != "pledge"

    filed_rows: dict[tuple, list[dict]] = defaultdict(list)
    for row in relationships:
        ids = set(split_list(row["source_ids"]))
        if ids and ids <= filed and money(row) and not _is_true(row.get("aggregate", "")):
            filed_rows[(row["source"], row["target"])].append(row)
    changed = 0
    for row in relationships:
        ids = set(split_list(row["source_ids"]))
        if not money(row) or ids & filed or _is_true(row.get("aggregate", "")) or not row.get("amount_usd"):
            continue
        low, high = earliest(row.get("start_date", "")), latest(row.get("end_date", ""))
        inside = [f for f in filed_rows.get((row["source"], row["target"]), [])
                  if (low is None or (latest(f.get("end_date") or f.get("start_date", "")) or low) >= low)
                  and (high is None or (earliest(f.get("start_date") or f.get("end_date", "")) or high) <= high)]
        if inside:
            row["aggregate"] = "true"
            changed += 1
            log.append({"kind": "money_overlap", "input": "", "old_id": row["id"], "new_id": row["id"],
                        "detail": f"news row restates {len(inside)} filed row(s) between the same entities in its period "
                                  f"({', '.join(sorted(f['id'] for f in inside)[:5])}{', ...' if len(inside) > 5 else ''}): "
                                  "made aggregate so that the filed money is counted once"})
    return changed


def merge_tables(inputs: Sequence[DataTables], schema: Schema, *, decisions: Mapping[frozenset, str] | None = None) -> MergedTables:
    """Merge validated text tables of several folders (see the module docstring for the rules).

    ``decisions`` maps a pair of ``N:id`` refs to ``merge`` or ``keep_apart``
    (from the overrides file). ``schema`` is the merged folder's schema: it
    says which relationship types are money and which are undirected.
    """
    log: list[dict[str, str]] = []
    match = match_entities([t.entities for t in inputs], decisions)
    entities, entity_id = _merge_entities(inputs, match, log)
    sources, source_id, sources_joined = _merge_sources(inputs, log)
    taken: set[str] = set()
    by_fact: dict[tuple, dict] = {}
    relationships: list[dict] = []
    joined_facts = self_loops = 0
    for number, tables in enumerate(inputs, 1):
        for row in tables.relationships.to_dict("records"):
            new = dict(row)
            new["source"] = entity_id[f"{number}:{row['source']}"]
            new["target"] = entity_id[f"{number}:{row['target']}"]
            new["source_ids"] = ";".join(dict.fromkeys(source_id[f"{number}:{s}"] for s in split_list(row["source_ids"])))
            if new["source"] == new["target"]:
                self_loops += 1
                log.append({"kind": "relationship", "input": str(number), "old_id": row["id"], "new_id": "",
                            "detail": f"dropped: both ends were joined into {new['source']}"})
                continue
            key = _fact_key(new, schema)
            if key in by_fact:
                kept = by_fact[key]
                kept["source_ids"] = ";".join(dict.fromkeys([*split_list(kept["source_ids"]), *split_list(new["source_ids"])]))
                if new.get("evidence") and new["evidence"] not in kept.get("evidence", ""):
                    kept["evidence"] = " | ".join(filter(None, [kept.get("evidence", ""), new["evidence"]]))
                joined_facts += 1
                log.append({"kind": "relationship", "input": str(number), "old_id": row["id"], "new_id": kept["id"],
                            "detail": "the same fact as an earlier folder's row: kept once, citing the sources of both"})
                continue
            new["id"] = _unique(row["id"], taken, number)
            if new["id"] != row["id"]:
                log.append({"kind": "relationship", "input": str(number), "old_id": row["id"], "new_id": new["id"],
                            "detail": "id taken by a relationship of an earlier folder"})
            by_fact[key] = new
            relationships.append(new)
    restated = _restate_filed_money(relationships, filed_source_ids(sources), schema, log)
    counts_in = {name: [len(getattr(t, name)) for t in inputs] for name in ("entities", "relationships", "sources")}
    counts = {
        "in": counts_in,
        "out": {"entities": len(entities), "relationships": len(relationships), "sources": len(sources)},
        "entities_joined": sum(counts_in["entities"]) - len(entities),
        "relationships_joined_as_one_fact": joined_facts,
        "relationships_dropped_self": self_loops,
        "sources_joined": sources_joined,
        "news_rows_made_aggregate": restated,
        "review_pairs": len(match.review),
    }
    return MergedTables(sorted(entities, key=lambda r: r["id"]), sorted(relationships, key=lambda r: r["id"]),
                        sorted(sources, key=lambda r: r["id"]), log, match.review, counts)
