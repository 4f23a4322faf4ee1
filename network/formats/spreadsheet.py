"""Any CSV or XLSX edge list -> our data contract: entities, relationships and sources, with a report."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence
from urllib.parse import urlparse

import pandas as pd

from network.errors import Problem
from network.contract.amounts import AMOUNT_EXPECTED, amount_problem, parse_amount
from network.storage.inputs import normalize_digits
from network.contract.load import ENTITY_COLUMNS, RELATIONSHIP_COLUMNS, SOURCE_COLUMNS, DataTables
from network.contract.names import normalize_name, swapped_name
from network.contract.schema import STATUSES, Schema
from network.formats.edge_cells import DATE_ORDERS, duplicate_of, import_date, is_unknown_amount
from network.contract.validate import split_list
from network.formats.common import number_text
from network.formats.sheets import csv_delimiter, read_spreadsheet

__all__ = ["EdgeColumns", "EdgeImport", "csv_delimiter", "import_edge_rows", "read_spreadsheet", "slugify"]


@dataclass(frozen=True)
class EdgeColumns:
    """Which spreadsheet columns hold what, and the defaults for what they do not hold.

    ``relationship_type`` applies when ``type_column`` is None; when both are
    None the type is ``donation`` if there is an amount column, else ``associate``.
    """

    source_column: str
    target_column: str
    amount_column: str | None = None
    type_column: str | None = None
    relationship_type: str | None = None
    date_column: str | None = None
    url_column: str | None = None
    entity_type: str = "organization"
    status: str = "reported"
    role_column: str | None = None
    status_column: str | None = None
    start_column: str | None = None
    end_column: str | None = None
    title_column: str | None = None
    source_type_column: str | None = None
    target_type_column: str | None = None
    date_format: str = "iso"

    def named(self) -> tuple[str, ...]:
        """Every column named, in the order the options list them."""
        return tuple(c for c in (self.source_column, self.target_column, self.amount_column, self.type_column,
                                 self.date_column, self.url_column, self.role_column, self.status_column,
                                 self.start_column, self.end_column, self.title_column, self.source_type_column,
                                 self.target_type_column) if c is not None)


@dataclass(frozen=True)
class EdgeImport:
    """The imported tables (existing data first, if any) and what happened to every row."""

    tables: DataTables
    rows_read: int
    relationships_written: int
    entities_created: tuple[str, ...]
    entities_matched: int
    sources_created: tuple[str, ...]
    skipped: tuple[Problem, ...]
    notes: tuple[Problem, ...] = ()
    """Rows imported with a remark: an unknown amount kept as blank, a formula evaluated, a type ignored."""
    duplicates: tuple[Problem, ...] = ()
    """Rows not added because they state a relationship already in the existing data (also in ``skipped``)."""


def slugify(name: str) -> str:
    """A valid id from a name: ASCII, lowercase, words joined by ``-``; a hash for names with no Latin letters.

    Examples
    --------
    >>> slugify("Elon Musk"), slugify("ACME, Inc."), slugify("Zoë  O'Brien"), slugify("أمازون")
    ('elon-musk', 'acme-inc', 'zoe-o-brien', 'entity-f9a039b5')
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "entity-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def _name_keys(name: str) -> list[str]:
    """The keys a name is matched on: its normalized form, its slug, and "Last, First" turned around."""
    keys = [normalize_name(name), slugify(name)]
    swapped = swapped_name(name)
    if swapped:
        keys.append(swapped)
    return [key for key in keys if key]


def _known_entities(existing: DataTables | None) -> dict[str, set[str]]:
    """Match keys of every existing entity's id, name, Arabic name and aliases -> entity ids."""
    known: dict[str, set[str]] = {}
    if existing is None:
        return known
    for row in existing.entities.to_dict("records"):
        for name in [row["id"], row["name"], str(row.get("name_ar", "") or ""), *split_list(row.get("aliases", ""))]:
            if str(name).strip():
                for key in _name_keys(str(name)):
                    known.setdefault(key, set()).add(row["id"])
    return known


def _amount(text: str) -> float | None:
    """Dollars in a cell: ``$`` and ``USD`` around the number allowed, then the data contract's rules."""
    cleaned = re.sub(r"^\$\s*|\s*(USD|\$)$", "", text.strip().replace("＄", "$"))
    return parse_amount(cleaned)


def import_edge_rows(
    header: Sequence[str],
    rows: Sequence[tuple[int, Sequence[str]]],
    columns: EdgeColumns,
    schema: Schema,
    *,
    shown: str,
    out_dir: str | Path,
    existing: DataTables | None = None,
) -> EdgeImport:
    """Map spreadsheet rows onto entities, relationships and sources.

    Names are matched to ``existing`` entities by id, name, Arabic name or
    alias, compared as `network.contract.names.normalize_name` compares them
    (case, Arabic letter variants and diacritics, punctuation) or by slug,
    "Last, First" as well; a name that matches two existing entities is
    reported, not guessed. Other names become new entities (id `slugify`
    (name), type from ``columns.source_type_column`` /
    ``target_type_column`` when given and filled, else ``columns.entity_type``;
    names with the same slug are one entity). Each good row becomes a
    relationship with id ``STEM-LINE``, the type, role and status of its
    columns (or the defaults), its dates (``date_column`` for both ends, or
    ``start_column`` and ``end_column``; read with ``columns.date_format``),
    the amount with qualifier ``exact`` and evidence ``FILE:LINE``. Its
    source is the row's URL (one source per URL, publisher the host, title
    from ``title_column`` if given), a title without a URL, or one source
    standing for the file.

    An amount cell saying the amount is unknown (``n/a``, ``unknown``, ``-``,
    see `network.formats.edge_cells.UNKNOWN_AMOUNTS`) keeps the tie without
    an amount and adds a note. Rows are skipped, with a `Problem` naming the
    line, for an empty end, an unknown type, status or entity type, a bad
    amount or one on a type that carries no money, a bad date or URL, a
    self-loop, a duplicate of an earlier row, or a fact that repeats a
    relationship of ``existing`` (same ends, type and amount, overlapping
    dates; also listed in ``duplicates``).

    Raises
    ------
    ValueError
        If a named column is not in the header, or a default type is unknown.
    """
    missing = [c for c in columns.named() if c not in header]
    if missing:
        raise ValueError(f"{shown}: no column {', '.join(map(repr, missing))}; the header has {', '.join(header)}")
    default_type = columns.relationship_type or ("donation" if columns.amount_column else "associate")
    if default_type not in schema.relationship_types:
        raise ValueError(f"unknown relationship type {default_type!r}; expected one of {', '.join(sorted(schema.relationship_types))}")
    if columns.entity_type not in schema.entity_types:
        raise ValueError(f"unknown entity type {columns.entity_type!r}; expected one of {', '.join(sorted(schema.entity_types))}")
    if columns.status not in STATUSES:
        raise ValueError(f"unknown status {columns.status!r}; expected one of {', '.join(STATUSES)}")
    if columns.date_format not in DATE_ORDERS:
        raise ValueError(f"--date-format: found {columns.date_format!r}, expected one of {', '.join(DATE_ORDERS)}")
    where = {name: i for i, name in enumerate(header)}
    stem = slugify(Path(shown).stem)
    file_source = f"import-{stem}"
    known = _known_entities(existing)
    earlier = existing.relationships if existing is not None else None
    created: dict[str, dict[str, str]] = {}
    matched: set[str] = set()
    sources: dict[str, dict[str, str]] = {}
    relationships: list[dict[str, str]] = []
    skipped: list[Problem] = []
    notes: list[Problem] = []
    duplicates: list[Problem] = []
    seen: dict[tuple, int] = {}
    entity_types = sorted(schema.entity_types)

    def existing_match(name: str) -> set[str]:
        for key in _name_keys(name):
            if key in known:
                return known[key]
        return set()

    def entity_for(name: str, wanted_type: str, line: int, column: str) -> str:
        found = existing_match(name)
        entity_id = next(iter(found))
        if entity_id not in created:
            matched.add(entity_id)
            if wanted_type:
                row_notes.append(Problem(shown, line, column, "type ignored: the name matches an existing entity",
                                     wanted_type, f"the type of {entity_id}"))
        else:
            row = created[entity_id]
            if name != row["name"] and name not in split_list(row["aliases"]):
                row["aliases"] = ";".join([*split_list(row["aliases"]), name])
            if wanted_type and wanted_type != row["type"]:
                row_notes.append(Problem(shown, line, column, f"type ignored: {entity_id} is already a {row['type']}",
                                     wanted_type, row["type"]))
        return entity_id

    def new_entity(name: str, wanted_type: str) -> str:
        entity_id = slugify(name)
        created[entity_id] = {"id": entity_id, "name": name, "type": wanted_type or columns.entity_type, "name_ar": "",
                              "aliases": "", "description": "", "identifiers": ""}
        for key in _name_keys(name):
            known.setdefault(key, set()).add(entity_id)
        return entity_id

    def cell(cells: Sequence[str], column: str | None) -> str:
        return cells[where[column]].strip() if column is not None and where[column] < len(cells) else ""

    for line, cells in rows:
        row_notes: list[Problem] = []

        def skip(column, problem, found=None, expected=None):
            skipped.append(Problem(shown, line, column, problem, found, expected))

        if len(cells) > len(header) and any(cells[len(header):]):
            # `Alice,Bob PAC,$1,000,000` unquoted: the amount split over three cells; never import it as $1
            skip("(row)", "more cells than the header", f"{len(cells)} cells: {','.join(cells)}",
                 f"{len(header)} cells as in the header (quote a cell that holds a comma: \"$1,000,000\")")
            continue
        source_name, target_name = cell(cells, columns.source_column), cell(cells, columns.target_column)
        kind = cell(cells, columns.type_column).lower().replace(" ", "_") if columns.type_column else default_type
        kind = kind or default_type
        status = cell(cells, columns.status_column).lower() or columns.status
        role = cell(cells, columns.role_column)
        amount_text, url, title = cell(cells, columns.amount_column), cell(cells, columns.url_column), cell(cells, columns.title_column)
        types = {side: cell(cells, column).lower() for side, column in
                 (("source", columns.source_type_column), ("target", columns.target_type_column))}
        unknown_amount = bool(amount_text) and is_unknown_amount(amount_text)
        amount = _amount(amount_text) if amount_text and not unknown_amount else None
        dates, bad_date = {}, None
        for end, column in (("start", columns.start_column or columns.date_column), ("end", columns.end_column or columns.date_column)):
            text = normalize_digits(cell(cells, column))
            dates[end] = ""
            if text:
                read, expected = import_date(text, columns.date_format)
                if read is None and bad_date is None:
                    bad_date = (column, text, expected)
                dates[end] = read or ""
        ends_known = {side: existing_match(name) for side, name in (("source", source_name), ("target", target_name)) if name}
        ambiguous = next(((side, ids) for side, ids in ends_known.items() if len(ids) > 1), None)
        bad_type = next(((side, t) for side, t in types.items() if t and t not in schema.entity_types), None)
        if not source_name or not target_name:
            skip(columns.source_column if not source_name else columns.target_column, "empty name", "", "an entity name")
        elif kind not in schema.relationship_types:
            skip(columns.type_column or "type", "unknown relationship type", kind, "one of " + ", ".join(sorted(schema.relationship_types)))
        elif status not in STATUSES:
            skip(columns.status_column, "unknown status", status, "one of " + ", ".join(STATUSES))
        elif bad_type:
            column = columns.source_type_column if bad_type[0] == "source" else columns.target_type_column
            skip(column, "unknown entity type", bad_type[1], "one of " + ", ".join(entity_types))
        elif amount_text and not unknown_amount and amount_text.startswith("="):
            skip(columns.amount_column, "a formula the file saved no value for", amount_text,
                 "a number (open the file in a spreadsheet program and save it, so that the value is stored)")
        elif amount_text and not unknown_amount and (amount is None or amount < 0):
            skip(columns.amount_column, "not a non-negative number", amount_text,
                 "dollars, like 25000 or $25,000, or n/a when unknown")
        elif amount_text and not unknown_amount and amount_problem(amount):
            skip(columns.amount_column, amount_problem(amount), amount_text, AMOUNT_EXPECTED)
        elif amount is not None and not schema.money_kind(kind):
            money = ", ".join(t for t in schema.money_types() if t in schema.relationship_types)
            skip(columns.amount_column, f"an amount on type {kind!r}, which carries no money", amount_text,
                 f"no amount, or a money type ({money})")
        elif bad_date is not None:
            skip(bad_date[0], "not a date", bad_date[1], bad_date[2])
        elif dates["start"] and dates["end"] and dates["end"] < dates["start"][:len(dates["end"])]:
            skip(columns.end_column or columns.date_column, "ends before it starts", dates["end"], f"{dates['start']} or later")
        elif url and not re.match(r"^https?://[^\s]+$", url):
            skip(columns.url_column, "not a web address", url, "an http:// or https:// URL")
        elif ambiguous:
            name = source_name if ambiguous[0] == "source" else target_name
            skip(columns.source_column if ambiguous[0] == "source" else columns.target_column,
                 "names several existing entities", name, "one of " + ", ".join(sorted(ambiguous[1])) + " (use its id)")
        else:
            source_id = (entity_for(source_name, types["source"], line, columns.source_type_column or columns.source_column)
                         if existing_match(source_name) else new_entity(source_name, types["source"]))
            target_id = (entity_for(target_name, types["target"], line, columns.target_type_column or columns.target_column)
                         if existing_match(target_name) else new_entity(target_name, types["target"]))
            if source_id == target_id:
                skip(columns.target_column, "source and target are the same entity", target_name, "two different entities")
                continue
            mutual = not schema.relationship_types[kind].directed
            if mutual:
                source_id, target_id = sorted((source_id, target_id))
            key = (source_id, target_id, kind, number_text(amount), dates["start"], dates["end"])
            if key in seen:
                skip("(row)", f"duplicate of line {seen[key]}", f"{source_name} {kind} {target_name}", "each relationship once")
                continue
            repeated = duplicate_of(earlier, source_id, target_id, kind, amount, dates["start"], dates["end"], mutual=mutual)
            if repeated is not None:
                problem = Problem(shown, line, "(row)", f"repeats relationship {repeated} of the existing data (same ends, "
                                  "type and amount, overlapping dates); not added",
                                  f"{source_name} {kind} {target_name} {number_text(amount)}".strip(), "a new fact")
                skipped.append(problem)
                duplicates.append(problem)
                continue
            seen[key] = line
            notes.extend(row_notes)
            if unknown_amount:
                notes.append(Problem(shown, line, columns.amount_column, "amount unknown: tie kept without an amount",
                                     amount_text, None))
            cited = file_source
            if url:
                cited = "url-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]
                host = urlparse(url).netloc.removeprefix("www.")
                sources.setdefault(cited, {"id": cited, "publisher": host, "title": title or url, "published": "",
                                           "language": "", "url": url, "document": Path(shown).name})
            elif title:
                cited = "title-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:10]
                sources.setdefault(cited, {"id": cited, "publisher": "import-edges", "title": title, "published": "",
                                           "language": "", "url": "", "document": Path(shown).name})
            else:
                sources.setdefault(file_source, {"id": file_source, "publisher": "import-edges", "title": Path(shown).name,
                                                 "published": "", "language": "", "url": "", "document": Path(shown).name})
            relationships.append({
                "id": f"{stem}-{line}", "source": source_id, "target": target_id, "type": kind, "role": role,
                "amount_usd": number_text(amount), "amount_qualifier": "exact" if amount is not None else "",
                "start_date": dates["start"], "end_date": dates["end"], "status": status, "aggregate": "false",
                "source_ids": cited, "evidence": f"{Path(shown).name}:{line}: {source_name} {kind} {target_name}",
            })
    used = {r["source"] for r in relationships} | {r["target"] for r in relationships}
    new_entities = [row for entity_id, row in sorted(created.items()) if entity_id in used]
    out_dir = Path(out_dir)
    tables = DataTables(
        _combined(existing.entities if existing else None, new_entities, ENTITY_COLUMNS),
        _combined(existing.relationships if existing else None, relationships, RELATIONSHIP_COLUMNS),
        _combined(existing.sources if existing else None, [sources[k] for k in sorted(sources)], SOURCE_COLUMNS),
        {"entities": out_dir / "entities.csv", "relationships": out_dir / "relationships.csv",
         "sources": out_dir / "sources.csv", "schema": existing.paths["schema"] if existing else schema.path},
        existing.problems if existing else (),
    )
    return EdgeImport(tables, len(rows), len(relationships), tuple(r["id"] for r in new_entities),
                      len(matched & used), tuple(sorted(sources)), tuple(skipped), tuple(notes), tuple(duplicates))


def _combined(existing: pd.DataFrame | None, rows: list[dict[str, str]], columns: tuple[str, ...]) -> pd.DataFrame:
    """Existing rows then new ones, as text, sorted by id; the index counts lines of the file to be written."""
    frames = [existing.reset_index(drop=True).astype(str)] if existing is not None else []
    frames.append(pd.DataFrame(rows, columns=list(columns), dtype=object))
    table = pd.concat(frames, ignore_index=True).fillna("").sort_values("id", kind="stable").reset_index(drop=True)
    table.index = pd.Index(range(2, len(table) + 2), dtype="int64", name="line")
    return table
