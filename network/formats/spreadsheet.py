"""Any CSV or XLSX edge list -> our data contract: entities, relationships and sources, with a report."""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import urlparse

import pandas as pd

from network.contract.dates import DATE_FORMATS, parse_partial_date
from network.errors import DataError, Problem
from network.contract.amounts import AMOUNT_EXPECTED, amount_problem, parse_amount
from network.storage.inputs import MAX_CELL_CHARS, checked_input, normalize_digits, raise_field_limit, read_input_text
from network.contract.load import ENTITY_COLUMNS, RELATIONSHIP_COLUMNS, SOURCE_COLUMNS, DataTables
from network.contract.schema import Schema
from network.contract.validate import split_list
from network.formats.common import number_text

__all__ = ["EdgeColumns", "EdgeImport", "import_edge_rows", "read_spreadsheet", "slugify"]


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


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return "" if math.isnan(value) else number_text(value)
    return str(value).strip()


def read_spreadsheet(path: str | Path, *, sheet: str | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the ``(line, cells)`` rows of a CSV (UTF-8) or XLSX file (first sheet unless ``sheet``).

    Lines are those of the file (CSV) or the worksheet row numbers (XLSX),
    the header being line 1; blank rows are left out. Dates in XLSX become
    ``YYYY-MM-DD``, whole numbers lose their ``.0``.

    Raises
    ------
    ValueError
        For an unknown sheet, an empty file or an unsupported suffix.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path, sheet)
    elif suffix in (".csv", ".txt", ".tsv"):
        rows = _csv_rows(path, "\t" if suffix == ".tsv" else ",")
    else:
        raise ValueError(f"{path}: expected a .csv, .tsv or .xlsx file")
    if not rows:
        raise ValueError(f"{path}: the file is empty")
    header = [cell.strip() for cell in rows[0][1]]
    return header, [(line, cells) for line, cells in rows[1:] if any(cells)]


def _csv_rows(path: Path, delimiter: str) -> list[tuple[int, list[str]]]:
    text = read_input_text(path, expected="a UTF-8 .csv or .tsv file with a header row")
    raise_field_limit()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, start = [], 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return rows
        except csv.Error as err:
            raise DataError([Problem(str(path), start, "(row)", f"unreadable CSV: {err}", None,
                                     f"well-formed quoting, cells of at most {MAX_CELL_CHARS} characters")]) from None
        rows.append((start, [cell.strip() for cell in record]))
        start = reader.line_num + 1


def _xlsx_rows(path: Path, sheet: str | None) -> list[tuple[int, list[str]]]:
    """Every row of the sheet, whatever its ``<dimension>`` claims; a formula with no saved value is an error.

    openpyxl's read-only mode stops at the size the file declares, which
    files written by other tools often under-state: the dimension is reset
    so every row is read. A formula cell with no cached value (written by a
    script, never opened in a spreadsheet program) is reported by cell, not
    read as a blank amount.
    """
    from openpyxl import load_workbook

    checked_input(path, expected="an .xlsx workbook")
    shown = str(path)
    try:
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except Exception as err:  # noqa: BLE001 - zip, XML and XXE errors of every kind: the file is not a workbook we read
        raise DataError([Problem(shown, 0, "(file)", f"not a readable .xlsx workbook ({type(err).__name__}: {str(err)[:120]})",
                                 None, "an .xlsx file saved by a spreadsheet program, not encrypted")]) from None
    try:
        if sheet is not None and sheet not in values.sheetnames:
            raise ValueError(f"{path}: no sheet {sheet!r}; sheets: {', '.join(values.sheetnames)}")
        name = sheet or values.sheetnames[0]
        rows: list[tuple[int, list[str]]] = []
        unsaved: list[Problem] = []
        value_sheet, formula_sheet = values[name], formulas[name]
        for worksheet in (value_sheet, formula_sheet):
            if hasattr(worksheet, "reset_dimensions"):
                worksheet.reset_dimensions()
        try:
            for number, (cells, written) in enumerate(zip(value_sheet.iter_rows(values_only=True),
                                                          formula_sheet.iter_rows(values_only=True)), start=1):
                for column, (value, formula) in enumerate(zip(cells, written), start=1):
                    if value is None and isinstance(formula, str) and formula.startswith("="):
                        unsaved.append(Problem(shown, number, f"cell {_column_letter(column)}{number}",
                                               "formula with no saved value", formula,
                                               "a value: open and save the file in a spreadsheet program, or type the number"))
                rows.append((number, [_cell(v) for v in cells]))
        except Exception as err:  # noqa: BLE001 - a corrupt sheet part inside a valid zip
            raise DataError([Problem(shown, len(rows) + 1, "(sheet)", f"unreadable worksheet ({type(err).__name__}: {str(err)[:120]})",
                                     None, "an .xlsx file saved by a spreadsheet program")]) from None
    finally:
        values.close()
        formulas.close()
    if unsaved:
        raise DataError(unsaved)
    if rows:
        width = len(rows[0][1])
        while width and not rows[0][1][width - 1]:
            width -= 1
        # pad short rows; cut the empty cells that a sheet's declared width adds beyond the header
        rows = [(n, (c + [""] * (width - len(c)))[: max(width, _last_filled(c))]) for n, c in rows]
    return rows


def _last_filled(cells: list[str]) -> int:
    for index in range(len(cells), 0, -1):
        if cells[index - 1]:
            return index
    return 0


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _known_entities(existing: DataTables | None) -> dict[str, str]:
    known: dict[str, str] = {}
    if existing is None:
        return known
    for row in existing.entities.to_dict("records"):
        for name in [row["id"], row["name"], *split_list(row.get("aliases", ""))]:
            known.setdefault(name.casefold(), row["id"])
            known.setdefault(slugify(name), row["id"])
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

    Names are matched to ``existing`` entities by id, name or alias (case
    ignored) or by their slug; other names become new entities (id
    `slugify` (name), type ``columns.entity_type``; names with the same slug
    are one entity). Each good row becomes a relationship with id
    ``STEM-LINE`` (the file's stem and the row's line), one date for start
    and end, the amount with qualifier ``exact``, status ``columns.status``
    and evidence ``FILE:LINE``. Its source is the row's URL (one source per
    URL, publisher the host) or, without a URL column, one source standing
    for the file. Rows are skipped, with a `Problem` naming the line, for an
    empty end, an unknown type, a bad amount, date or URL, a self-loop or a
    duplicate of an earlier row.

    Raises
    ------
    ValueError
        If a named column is not in the header, or the type is unknown.
    """
    missing = [c for c in (columns.source_column, columns.target_column, columns.amount_column, columns.type_column,
                           columns.date_column, columns.url_column) if c is not None and c not in header]
    if missing:
        raise ValueError(f"{shown}: no column {', '.join(map(repr, missing))}; the header has {', '.join(header)}")
    default_type = columns.relationship_type or ("donation" if columns.amount_column else "associate")
    if default_type not in schema.relationship_types:
        raise ValueError(f"unknown relationship type {default_type!r}; expected one of {', '.join(sorted(schema.relationship_types))}")
    if columns.entity_type not in schema.entity_types:
        raise ValueError(f"unknown entity type {columns.entity_type!r}; expected one of {', '.join(sorted(schema.entity_types))}")
    where = {name: i for i, name in enumerate(header)}
    stem = slugify(Path(shown).stem)
    file_source = f"import-{stem}"
    known = _known_entities(existing)
    created: dict[str, dict[str, str]] = {}
    matched: set[str] = set()
    sources: dict[str, dict[str, str]] = {}
    relationships: list[dict[str, str]] = []
    skipped: list[Problem] = []
    seen: dict[tuple, int] = {}

    def entity_for(name: str) -> str:
        if name.casefold() in known or slugify(name) in known:
            entity_id = known.get(name.casefold()) or known[slugify(name)]
            if entity_id not in created:
                matched.add(entity_id)
            elif name != created[entity_id]["name"] and name not in split_list(created[entity_id]["aliases"]):
                created[entity_id]["aliases"] = ";".join([*split_list(created[entity_id]["aliases"]), name])
            return entity_id
        entity_id = slugify(name)
        created[entity_id] = {"id": entity_id, "name": name, "type": columns.entity_type, "name_ar": "", "aliases": "", "description": ""}
        known[name.casefold()] = known[entity_id] = entity_id
        return entity_id

    def cell(cells: Sequence[str], column: str | None) -> str:
        return cells[where[column]].strip() if column is not None and where[column] < len(cells) else ""

    for line, cells in rows:
        skip = lambda column, problem, found=None, expected=None: skipped.append(Problem(shown, line, column, problem, found, expected))  # noqa: E731
        if len(cells) > len(header) and any(cells[len(header):]):
            # `Alice,Bob PAC,$1,000,000` unquoted: the amount split over three cells; never import it as $1
            skip("(row)", "more cells than the header", f"{len(cells)} cells: {','.join(cells)}",
                 f"{len(header)} cells as in the header (quote a cell that holds a comma: \"$1,000,000\")")
            continue
        source_name, target_name = cell(cells, columns.source_column), cell(cells, columns.target_column)
        kind = cell(cells, columns.type_column).lower().replace(" ", "_") if columns.type_column else default_type
        amount_text, day, url = cell(cells, columns.amount_column), normalize_digits(cell(cells, columns.date_column)), cell(cells, columns.url_column)
        amount = _amount(amount_text) if amount_text else None
        if not source_name or not target_name:
            skip(columns.source_column if not source_name else columns.target_column, "empty name", "", "an entity name")
        elif kind not in schema.relationship_types:
            skip(columns.type_column or "type", "unknown relationship type", kind, "one of " + ", ".join(sorted(schema.relationship_types)))
        elif amount_text and (amount is None or amount < 0):
            skip(columns.amount_column, "not a non-negative number", amount_text, "dollars, like 25000 or $25,000")
        elif amount_text and amount_problem(amount):
            skip(columns.amount_column, amount_problem(amount), amount_text, AMOUNT_EXPECTED)
        elif day and parse_partial_date(day) is None:
            skip(columns.date_column, "not a date", day, DATE_FORMATS)
        elif url and not re.match(r"^https?://[^\s]+$", url):
            skip(columns.url_column, "not a web address", url, "an http:// or https:// URL")
        elif entity_for(source_name) == entity_for(target_name):
            skip(columns.target_column, "source and target are the same entity", target_name, "two different entities")
        else:
            source_id, target_id = entity_for(source_name), entity_for(target_name)
            if not schema.relationship_types[kind].directed:
                source_id, target_id = sorted((source_id, target_id))
            key = (source_id, target_id, kind, number_text(amount), day)
            if key in seen:
                skip("(row)", f"duplicate of line {seen[key]}", f"{source_name} {kind} {target_name}", "each relationship once")
                continue
            seen[key] = line
            cited = file_source
            if url:
                cited = "url-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]
                host = urlparse(url).netloc.removeprefix("www.")
                sources.setdefault(cited, {"id": cited, "publisher": host, "title": url, "published": "",
                                           "language": "", "url": url, "document": Path(shown).name})
            else:
                sources.setdefault(file_source, {"id": file_source, "publisher": "import-edges", "title": Path(shown).name,
                                                 "published": "", "language": "", "url": "", "document": Path(shown).name})
            relationships.append({
                "id": f"{stem}-{line}", "source": source_id, "target": target_id, "type": kind, "role": "",
                "amount_usd": number_text(amount), "amount_qualifier": "exact" if amount is not None else "",
                "start_date": day, "end_date": day, "status": columns.status, "aggregate": "false",
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
                      len(matched & used), tuple(sorted(sources)), tuple(skipped))


def _combined(existing: pd.DataFrame | None, rows: list[dict[str, str]], columns: tuple[str, ...]) -> pd.DataFrame:
    """Existing rows then new ones, as text, sorted by id; the index counts lines of the file to be written."""
    frames = [existing.reset_index(drop=True).astype(str)] if existing is not None else []
    frames.append(pd.DataFrame(rows, columns=list(columns), dtype=object))
    table = pd.concat(frames, ignore_index=True).fillna("").sort_values("id", kind="stable").reset_index(drop=True)
    table.index = pd.Index(range(2, len(table) + 2), dtype="int64", name="line")
    return table
