"""The one ingest query (network/fec/ingest.sql): SQL steps that DuckDB and Spark both run unchanged.

The text is written in the dialect DuckDB and Spark SQL share: no engine
specific functions, no division, explicit NULLS ordering, sums cast to a
fixed type. Two small conveniences are expanded in Python before either
engine sees the text: ``:name`` parameters (type lists and flags, rendered
as literals) and ``@macro(arg)@`` text macros (the name and company
normalizers, money formatting). `render_steps` returns the finished steps.

Input relations the engine registers before running the steps:

``rows_indiv``, ``rows_oth``, ``rows_pas2``, ``rows_cm``, ``rows_cn``, ``rows_ccl``
    One row per physical line: ``line`` (1-based), ``record`` (the line's
    text), ``n_fields`` and one text column per FEC field.
``files(src, file)``
    How each input is named in exclusions.
``tech_list(company_id, company, variant, line)``, ``overrides(action, name_key, zip5, target_name_key, target_zip5)``,
``code_labels(field, code, label)``
    Small tables from data/tech_employers.csv, the overrides file and `layouts.CODE_LABELS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Mapping

from network.fec.layouts import (
    COMPANY_SUFFIXES, EARMARK_TYPES, INDIVIDUAL_GIFT_TYPES, JFC_MEMO_TYPES, NAME_SUFFIXES, NAME_TITLES,
    ORGANIZATION_ENTITY_TYPES, PASSTHROUGH_TYPES, PERSON_ENTITY_TYPES, REFUND_TYPES, COMMITTEE_TYPES,
)

__all__ = ["Step", "OUTPUTS", "ingest_sql", "last_uses", "render_steps", "sql_list"]



def ingest_sql() -> str:
    """The text of network/fec/ingest.sql, the one query definition."""
    return resources.files("network.fec").joinpath("ingest.sql").read_text(encoding="utf-8")


OUTPUTS = {
    "entities.csv": ("out_entities", ("id",)),
    "relationships.csv": ("out_relationships", ("id",)),
    "exclusions.csv": ("out_exclusions", ("file", "line", "reason", "sub_id", "detail")),
    "merge_log.csv": ("out_merge_log", ("donor_id", "name", "employer", "name_key", "zip5", "how")),
    "company_totals.csv": ("out_company_totals", ("company_id",)),
}
"""Output file -> (the step whose rows it holds, the columns that sort it completely)."""


@dataclass(frozen=True)
class Step:
    """One named SELECT; ``table`` steps are materialized, ``view`` steps are not."""

    name: str
    kind: str
    sql: str


def sql_list(values) -> str:
    """A SQL list of string literals.

    Examples
    --------
    >>> sql_list(["15", "15E", "O'BRIEN"])
    "'15', '15E', 'O''BRIEN'"
    """
    return ", ".join("'" + str(value).replace("'", "''") + "'" for value in values)


def _squash(expr: str) -> str:
    """Collapse runs of up to 8 spaces into one (three halving passes)."""
    for _ in range(3):
        expr = f"replace({expr}, '  ', ' ')"
    return expr


def _strip_words(expr: str, words) -> str:
    """Remove whole words from a space-padded expression."""
    for word in words:
        expr = f"replace({expr}, ' {word} ', ' ')"
    return expr


def _company(arg: str) -> str:
    """Normalized company text: upper case, periods and quotes dropped, punctuation as spaces, legal suffixes off."""
    cleaned = f"translate(upper(coalesce({arg}, '')), ',-&/()!?:;#*+', '             ')"
    cleaned = f"translate({cleaned}, '.''\"`', '')"
    padded = "' ' || " + _squash(cleaned) + " || ' '"
    return "trim(" + _squash(_strip_words("(" + padded + ")", COMPANY_SUFFIXES)) + ")"


def _person(arg: str) -> str:
    """Normalized name text: upper case, periods, quotes and apostrophes dropped, other punctuation as spaces."""
    cleaned = f"translate(upper(coalesce({arg}, '')), '-/&()', '     ')"
    cleaned = f"translate({cleaned}, '.''\"`', '')"
    return "trim(" + _squash(cleaned) + ")"


def _strip_name_words(arg: str) -> str:
    """A name part without suffixes (JR, SR, II...) and titles (MR, DR...)."""
    padded = f"(' ' || {arg} || ' ')"
    return "trim(" + _squash(_strip_words(_strip_words(padded, NAME_SUFFIXES), NAME_TITLES)) + ")"


def _suffix(arg: str) -> str:
    """The generational suffix found anywhere in a padded name, or ''."""
    cases = " ".join(f"WHEN (' ' || {arg} || ' ') LIKE '% {word} %' THEN '{word}'" for word in NAME_SUFFIXES[::-1])
    return f"(CASE {cases} ELSE '' END)"


def _money(arg: str) -> str:
    """A decimal as text: whole dollars without decimals, cents with two."""
    return (f"(CASE WHEN {arg} = floor({arg}) THEN CAST(CAST({arg} AS BIGINT) AS STRING) "
            f"ELSE CAST(CAST({arg} AS DECIMAL(38,2)) AS STRING) END)")


def _record_ref(args: str) -> str:
    """A filing record cited in evidence: its SUB_ID, and its image link when the FEC gives an image number."""
    sub_id, image_num = (part.strip() for part in args.split(","))
    return (f"({sub_id} || CASE WHEN {image_num} <> '' THEN ' (image https://docquery.fec.gov/cgi-bin/fecimg/?' "
            f"|| {image_num} || ')' ELSE '' END)")


MACROS = {"company": _company, "record_ref": _record_ref, "person": _person, "strip_name_words": _strip_name_words,
          "suffix": _suffix, "money": _money, "squash": _squash}
_MACRO = re.compile(r"@(\w+)\(([^@]*)\)@")
_PARAM = re.compile(r":([a-z_]+)\b")
_TEXT = re.compile(r"'(?:[^']|'')*'|--[^\n]*")
_CTE = re.compile(r"(?:\bWITH|,)\s*(\w+)\s+AS\s*\(", re.IGNORECASE)
_STEP = re.compile(r"^-- step: (\w+) \((table|view)\)\s*$", re.MULTILINE)


def _parameters(*, tech_only: bool, match_employer: bool) -> dict[str, str]:
    committee_types = sorted(COMMITTEE_TYPES)
    return {
        "tech_only": "TRUE" if tech_only else "FALSE",
        "match_employer": "TRUE" if match_employer else "FALSE",
        "gift_types": sql_list(INDIVIDUAL_GIFT_TYPES),
        "earmark_types": sql_list(EARMARK_TYPES),
        "refund_types": sql_list(REFUND_TYPES),
        "jfc_memo_types": sql_list(JFC_MEMO_TYPES),
        "passthrough_types": sql_list(PASSTHROUGH_TYPES),
        "person_entities": sql_list(PERSON_ENTITY_TYPES),
        "org_entities": sql_list(ORGANIZATION_ENTITY_TYPES),
        "committee_types": sql_list(committee_types),
        "giver_types": sql_list(t for t in committee_types if COMMITTEE_TYPES[t][1] == "giver"),
        "receiver_types": sql_list(t for t in committee_types if COMMITTEE_TYPES[t][1] == "receiver"),
        "spender_types": sql_list(t for t in committee_types if COMMITTEE_TYPES[t][1] == "spender"),
        "name_titles": sql_list(NAME_TITLES),
    }


def _expand(sql: str, parameters: Mapping[str, str]) -> str:
    def macro(match: re.Match) -> str:
        name, argument = match.group(1), match.group(2)
        if name not in MACROS:
            raise ValueError(f"unknown macro @{name}(...)@ in the ingest query")
        return MACROS[name](argument)

    def parameter(match: re.Match) -> str:
        name = match.group(1)
        if name not in parameters:
            raise ValueError(f"unknown parameter :{name} in the ingest query")
        return parameters[name]

    previous = None
    while previous != sql:  # macros may nest
        previous, sql = sql, _MACRO.sub(macro, sql)
    return _PARAM.sub(parameter, sql)


def render_steps(*, tech_only: bool = False, match_employer: bool = False) -> list[Step]:
    """The ingest query's steps, with parameters and macros expanded.

    Parameters
    ----------
    tech_only : bool
        Keep only donors with a tech employer (and the committee money one hop downstream).
    match_employer : bool
        Resolve donors by name + ZIP5 + employer instead of name + ZIP5.

    Returns
    -------
    list of Step
        In the order they must run; every output of `OUTPUTS` is among them.

    Examples
    --------
    >>> steps = render_steps()
    >>> steps[0].name, steps[0].kind
    ('tx', 'table')
    >>> {view for view, _ in OUTPUTS.values()} <= {step.name for step in steps}
    True
    >>> any(":tech_only" in step.sql or "@" in step.sql for step in steps)
    False
    """
    parameters = _parameters(tech_only=tech_only, match_employer=match_employer)
    parts = _STEP.split(ingest_sql())
    steps = []
    for index in range(1, len(parts), 3):
        name, kind, body = parts[index], parts[index + 1], parts[index + 2]
        steps.append(Step(name, kind, _expand(body.strip(), parameters)))
    return steps


def last_uses(steps, events) -> dict[str, list[str]]:
    """When each table step and input relation is read for the last time.

    Parameters
    ----------
    steps : list of Step
        In running order (`render_steps`).
    events : list of (str, str)
        Everything that reads the steps, in order: ``(name, sql)``; a table step's event is its
        own name, and the reads after the steps (the summary, each output) follow.

    Returns
    -------
    dict
        Event name -> the tables (and ``rows_<key>`` inputs) no later event reads, so that an
        engine may free them once that event is done. A view's reads count where the view is
        read. A CTE named like a table (``WITH names AS``) stands for itself in its query (no
        step defines a CTE that reads the table it hides); any other word that only looks like a
        table name keeps that table longer, never shorter.

    Examples
    --------
    >>> steps = [Step("a", "table", "SELECT * FROM rows_x"), Step("v", "view", "SELECT * FROM a"),
    ...          Step("b", "table", "SELECT * FROM v")]
    >>> last_uses(steps, [("a", steps[0].sql), ("b", steps[2].sql), ("out", "SELECT * FROM b")])
    {'a': ['rows_x'], 'b': ['a'], 'out': ['b']}
    """
    views = {step.name: step.sql for step in steps if step.kind == "view"}
    tables = {step.name for step in steps if step.kind == "table"}
    word = re.compile(r"\b(rows_\w+|\w+)\b")

    def reads(sql: str, seen: frozenset = frozenset()) -> set[str]:
        found: set[str] = set()
        sql = _TEXT.sub(" ", sql)  # words in comments and string literals name nothing
        local = set(_CTE.findall(sql))  # a CTE named like a table (``names``) hides it in its query
        for name in set(word.findall(sql)) - local:
            if name in views and name not in seen:
                found |= reads(views[name], seen | {name})
            elif name in tables or name.startswith("rows_"):
                found.add(name)
        return found

    last: dict[str, str] = {}
    for event, sql in events:
        for name in reads(sql):
            last[name] = event
    result: dict[str, list[str]] = {event: [] for event, _ in events}
    for name, event in last.items():
        result[event].append(name)
    return {event: sorted(names) for event, names in result.items()}
