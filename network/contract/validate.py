"""Check the curated tables against the data contract; every problem at once."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Iterable, Mapping

import pandas as pd

from network.contract.identifiers import IDENTIFIERS_COLUMN, identifier_problems
from network.contract.amounts import AMOUNT_EXPECTED, amount_problem, parse_amount
from network.storage.inputs import normalize_digits
from network.contract.dates import DATE_FORMATS, earliest, latest, parse_partial_date
from network.errors import DataError, Problem
from network.contract.load import DataTables
from network.contract.schema import STATUSES, Schema

__all__ = [
    "AMOUNT_QUALIFIERS",
    "ID_PATTERN",
    "split_list",
    "validate_tables",
    "validated_tables",
]

AMOUNT_QUALIFIERS = ("exact", "approx", "at_least", "at_most")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_ID_EXPECTED = "lowercase letters, digits, '-', '_' or '.', starting with a letter or digit"
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0", "")


def split_list(text: str) -> list[str]:
    """Split a ``;``-separated cell into its stripped, non-empty parts.

    Examples
    --------
    >>> split_list("cnbc-2024; fec ;;")
    ['cnbc-2024', 'fec']
    """
    return [part.strip() for part in str(text).split(";") if part.strip()]


def _parse_amount(text: str) -> float | None:
    return parse_amount(text)


class _Checker:
    """Collects problems for one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, line: int, column: str, problem: str, found: str | None = None, expected: str | None = None) -> None:
        self.problems.append(Problem(self.path, int(line), column, problem, found, expected))

    def required(self, frame: pd.DataFrame, columns: Iterable[str]) -> None:
        for column in columns:
            for line, value in frame[column].items():
                if value == "":
                    self.add(line, column, "required value is empty", "", "a value")

    def unique_ids(self, frame: pd.DataFrame) -> None:
        first: dict[str, int] = {}
        for line, value in frame["id"].items():
            if value == "":
                continue
            if value in first:
                self.add(line, "id", f"duplicate id, first used on line {first[value]}", value, "a unique id")
            else:
                first[value] = line

    def duplicate_rows(self, frame: pd.DataFrame, key: list[str], what: str) -> None:
        first: dict[tuple, int] = {}
        for line, signature in zip(frame.index, frame[key].itertuples(index=False, name=None)):
            if signature in first:
                self.add(line, "(row)", f"duplicate {what} of line {first[signature]}", ",".join(signature), "each row once")
            else:
                first[signature] = line


def _check_entities(frame: pd.DataFrame, schema: Schema, check: _Checker) -> None:
    check.required(frame, ["id", "name", "type"])
    check.unique_ids(frame)
    for line, value in frame["id"].items():
        if value and not ID_PATTERN.match(value):
            check.add(line, "id", "not a valid id", value, _ID_EXPECTED)
    known = ", ".join(sorted(schema.entity_types))
    for line, value in frame["type"].items():
        if value and value not in schema.entity_types:
            check.add(line, "type", "unknown entity type", value, f"one of {known} (data/schema.toml)")
    check.duplicate_rows(frame, [c for c in frame.columns if c != "id"], "entity")


def _check_sources(frame: pd.DataFrame, check: _Checker) -> None:
    check.required(frame, ["id", "publisher", "title"])
    check.unique_ids(frame)
    for line, value in frame["id"].items():
        if value and not ID_PATTERN.match(value):
            check.add(line, "id", "not a valid id", value, _ID_EXPECTED)
    for line, value in frame["published"].items():
        if value and parse_partial_date(value) is None:
            check.add(line, "published", "not a date", value, DATE_FORMATS)
    for line, value in frame["url"].items():
        if value and not re.match(r"^https?://[^\s]+$", value):
            check.add(line, "url", "not a web address", value, "an http:// or https:// URL")
    check.duplicate_rows(frame, [c for c in frame.columns if c != "id"], "source")


def _rows(frame: pd.DataFrame):
    """(line, row as a dict) for each row: what ``iterrows`` gives, without building a Series per row."""
    columns = list(frame.columns)
    values = zip(*[frame[column].tolist() for column in columns])  # no columns: no rows, as to_dict gives
    return zip(frame.index, (dict(zip(columns, row)) for row in values))


def _check_relationships(
    frame: pd.DataFrame, schema: Schema, check: _Checker,
    entity_ids: set[str] | None, source_ids: set[str] | None,
) -> None:
    check.required(frame, ["id", "source", "target", "type", "status", "source_ids"])
    check.unique_ids(frame)
    for line, value in frame["id"].items():
        if value and not ID_PATTERN.match(value):
            check.add(line, "id", "not a valid id", value, _ID_EXPECTED)
    known_types = ", ".join(sorted(schema.relationship_types))
    for line, row in _rows(frame):
        for column in ("source", "target"):
            value = row[column]
            if value and entity_ids is not None and value not in entity_ids:
                check.add(line, column, "unknown entity", value, "an id from entities.csv")
        if row["source"] and row["source"] == row["target"]:
            check.add(line, "target", "relationship from an entity to itself", row["target"], "a different entity than source")
        if row["type"] and row["type"] not in schema.relationship_types:
            check.add(line, "type", "unknown relationship type", row["type"], f"one of {known_types} (data/schema.toml)")
        if row["status"] and row["status"] not in STATUSES:
            check.add(line, "status", "unknown status", row["status"], ", ".join(STATUSES))
        if row["aggregate"].lower() not in _TRUE + _FALSE:
            check.add(line, "aggregate", "not true or false", row["aggregate"], "true or false (empty means false)")
        if row["source_ids"] and source_ids is not None:
            for source_id in split_list(row["source_ids"]):
                if source_id not in source_ids:
                    check.add(line, "source_ids", "unknown source", source_id, "ids from sources.csv, separated by ';'")
        _check_amount(line, row, check)
        _check_money_type(line, row, schema, check)
        _check_dates(line, row, check)
    _check_duplicate_relationships(frame, schema, check)


def _check_amount(line: int, row: Mapping[str, str], check: _Checker) -> None:
    amount, qualifier = row["amount_usd"], row["amount_qualifier"]
    if amount:
        value = _parse_amount(amount)
        if value is None:
            check.add(line, "amount_usd", "not a number", amount, "a non-negative number in dollars, without commas or symbols")
        elif amount_problem(value) == "negative amount":
            check.add(line, "amount_usd", "negative amount", amount, "a non-negative number")
        elif amount_problem(value):
            check.add(line, "amount_usd", amount_problem(value), amount, AMOUNT_EXPECTED)
    if qualifier and qualifier not in AMOUNT_QUALIFIERS:
        check.add(line, "amount_qualifier", "unknown qualifier", qualifier, ", ".join(AMOUNT_QUALIFIERS))
    elif qualifier and not amount:
        check.add(line, "amount_qualifier", "qualifier without an amount", qualifier, "empty, or an amount_usd")


def _check_money_type(line: int, row: Mapping[str, str], schema: Schema, check: _Checker) -> None:
    """An amount only on a type that carries money (data/README.md): on ``executive`` or ``board`` it
    would be summed into a control edge's ``amount_usd`` and read as money by no rule of docs/money.md."""
    kind = row["type"]
    if row["amount_usd"] and kind in schema.relationship_types and not schema.money_kind(kind):
        money = ", ".join(t for t in schema.money_types() if t in schema.relationship_types)
        check.add(line, "amount_usd", f"an amount on type {kind!r}, which carries no money", row["amount_usd"],
                  f"empty, or a money type ({money})")


def _check_dates(line: int, row: Mapping[str, str], check: _Checker) -> None:
    for column in ("start_date", "end_date"):
        value = row[column]
        if value and parse_partial_date(value) is None:
            check.add(line, column, "not a date", value, DATE_FORMATS)
    start, end = earliest(row["start_date"]), latest(row["end_date"])
    if start and end and end < start:
        check.add(line, "end_date", f"ends before it starts ({row['start_date']})", row["end_date"], "an end_date on or after start_date")


def _check_duplicate_relationships(frame: pd.DataFrame, schema: Schema, check: _Checker) -> None:
    """Same endpoints, type, role, amount and dates twice (either order for mutual types)."""
    first: dict[tuple, int] = {}
    for line, row in _rows(frame):
        ends = (row["source"], row["target"])
        kind = schema.relationship_types.get(row["type"])
        if kind is not None and not kind.directed:
            ends = tuple(sorted(ends))
        key = (*ends, row["type"], row["role"].casefold(), row["amount_usd"], row["start_date"], row["end_date"])
        if key in first:
            check.add(line, "(row)", f"duplicate relationship of line {first[key]}",
                      f"{row['source']} {row['type']} {row['target']}", "each relationship once (cite several sources in one row)")
        else:
            first[key] = line


def validate_tables(tables: DataTables, schema: Schema) -> list[Problem]:
    """Every problem in the three tables, sorted by file and line.

    Checks encoding and columns (from loading), required values, unique and
    well-formed ids, known types and statuses, that sources, targets and
    source_ids exist, non-negative amounts only on types that carry money,
    dates and their order, no
    relationship from an entity to itself, and no duplicate rows.

    Examples
    --------
    >>> from network.contract.load import load_tables
    >>> from network.contract.schema import load_schema
    >>> validate_tables(load_tables(), load_schema())
    []
    """
    problems = list(tables.problems)
    failed = {p.path for p in tables.problems}
    checkers = {name: _Checker(str(tables.paths[name])) for name in ("entities", "relationships", "sources")}
    _check_entities(tables.entities, schema, checkers["entities"])
    _check_sources(tables.sources, checkers["sources"])
    # Do not report every reference as unknown when the referenced file could not be read.
    entity_ids = None if str(tables.paths["entities"]) in failed else set(tables.entities["id"])
    source_ids = None if str(tables.paths["sources"]) in failed else set(tables.sources["id"])
    _check_relationships(tables.relationships, schema, checkers["relationships"], entity_ids, source_ids)
    for checker in checkers.values():
        problems.extend(checker.problems)
    problems.extend(identifier_problems(tables.entities, schema, str(tables.paths["entities"])))
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.column, p.problem))


def validated_tables(tables: DataTables, schema: Schema) -> DataTables:
    """Check the tables and return typed copies, or raise with every problem.

    ``relationships.amount_usd`` becomes a float (NaN when blank),
    ``aggregate`` a bool, and an amount with no qualifier is ``exact``;
    entities get an empty ``identifiers`` column when the folder has none.
    All tables are sorted by id.

    Raises
    ------
    DataError
        Listing every problem found by `validate_tables`.
    """
    problems = validate_tables(tables, schema)
    if problems:
        raise DataError(problems)
    relationships = tables.relationships.copy()
    # amounts and dates written in other digits or with separators are normalized once, here
    relationships["amount_usd"] = [parse_amount(v) if v else math.nan for v in relationships["amount_usd"]]
    for column in ("start_date", "end_date"):
        relationships[column] = [normalize_digits(v) for v in relationships[column]]
    sources = tables.sources.assign(published=[normalize_digits(v) for v in tables.sources["published"]])
    relationships["amount_qualifier"] = [
        q if q else ("exact" if a else "") for q, a in zip(relationships["amount_qualifier"], tables.relationships["amount_usd"])
    ]
    relationships["aggregate"] = [v.lower() in _TRUE for v in relationships["aggregate"]]
    entities = tables.entities
    if IDENTIFIERS_COLUMN not in entities.columns:
        entities = entities.assign(**{IDENTIFIERS_COLUMN: ""})
    return replace(
        tables,
        entities=entities.sort_values("id", kind="stable"),
        relationships=relationships.sort_values("id", kind="stable"),
        sources=sources.sort_values("id", kind="stable"),
    )
