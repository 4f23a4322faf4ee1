"""External identifiers on entities (``fec_committee:C00879510;wikidata:Q42``): parse, format, check."""

from __future__ import annotations

from typing import Iterable, Mapping

import pandas as pd

from network.contract.schema import IdentifierScheme, Schema
from network.errors import Problem

__all__ = [
    "IDENTIFIERS_COLUMN",
    "format_identifiers",
    "identifier_problems",
    "identifier_url",
    "parse_identifiers",
]

IDENTIFIERS_COLUMN = "identifiers"
"""The optional column of entities.csv that holds an entity's external ids."""


def parse_identifiers(text: str) -> list[tuple[str, str]]:
    """``scheme:value`` pairs of a cell, in order; a part without ``:`` gives ``("", part)``.

    Whitespace around parts, schemes and values is dropped; empty parts are skipped.

    Examples
    --------
    >>> parse_identifiers("fec_committee:C00879510; wikidata:Q42 ;;")
    [('fec_committee', 'C00879510'), ('wikidata', 'Q42')]
    >>> parse_identifiers("C00879510")
    [('', 'C00879510')]
    """
    pairs = []
    for part in str(text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        scheme, colon, value = part.partition(":")
        pairs.append((scheme.strip(), value.strip()) if colon else ("", part))
    return pairs


def format_identifiers(pairs: Iterable[tuple[str, str]]) -> str:
    """The cell text of ``(scheme, value)`` pairs: sorted, each once, ``;``-separated.

    Examples
    --------
    >>> format_identifiers([("wikidata", "Q42"), ("fec_committee", "C00879510"), ("wikidata", "Q42")])
    'fec_committee:C00879510;wikidata:Q42'
    """
    return ";".join(f"{scheme}:{value}" for scheme, value in sorted(set(pairs)))


def identifier_url(scheme: IdentifierScheme, value: str) -> str:
    """Where ``value`` can be looked up, or '' when the scheme gives no address.

    Examples
    --------
    >>> identifier_url(IdentifierScheme("wikidata", "Wikidata", "^Q[0-9]+$", url="https://www.wikidata.org/wiki/{value}"), "Q42")
    'https://www.wikidata.org/wiki/Q42'
    """
    return scheme.url.replace("{value}", value) if scheme.url else ""


def identifier_problems(entities: pd.DataFrame, schema: Schema, path: str) -> list[Problem]:
    """Every problem in the ``identifiers`` column of an entity table (none if the column is absent).

    A part must read ``scheme:value`` with a scheme of ``schema.toml``'s
    ``[identifier_schemes]`` and a value matching its pattern; one identifier
    may belong to one entity only (and is listed once on it).

    Examples
    --------
    >>> from network.contract.schema import load_schema
    >>> frame = pd.DataFrame({"id": ["a", "b"], "identifiers": ["fec_committee:C00879510", "fec_committee:C00879510;x"]},
    ...                      index=pd.Index([2, 3], name="line"))
    >>> [(p.line, p.problem) for p in identifier_problems(frame, load_schema(), "entities.csv")]
    [(3, 'identifier already used by entity a on line 2'), (3, 'not scheme:value')]
    """
    if IDENTIFIERS_COLUMN not in entities.columns:
        return []
    schemes: Mapping[str, IdentifierScheme] = schema.identifier_schemes
    known = ", ".join(sorted(schemes)) or "none defined"
    problems: list[Problem] = []
    first: dict[tuple[str, str], tuple[str, int]] = {}
    for line, entity_id, cell in zip(entities.index, entities["id"], entities[IDENTIFIERS_COLUMN]):
        line = int(line)
        for scheme_name, value in parse_identifiers(cell):
            shown = f"{scheme_name}:{value}" if scheme_name else value
            if not scheme_name or not value:
                problems.append(Problem(path, line, IDENTIFIERS_COLUMN, "not scheme:value", shown,
                                        "scheme:value pairs separated by ';', such as fec_committee:C00879510"))
                continue
            scheme = schemes.get(scheme_name)
            if scheme is None:
                problems.append(Problem(path, line, IDENTIFIERS_COLUMN, "unknown identifier scheme", scheme_name,
                                        f"one of {known} (schema.toml [identifier_schemes])"))
                continue
            if not scheme.matches(value):
                problems.append(Problem(path, line, IDENTIFIERS_COLUMN, f"not a valid {scheme.label}", shown,
                                        f"a value matching {scheme.pattern}"))
                continue
            key = (scheme_name, value)
            if key in first:
                owner, owner_line = first[key]
                what = "identifier listed twice" if owner == entity_id and owner_line == line else \
                    f"identifier already used by entity {owner} on line {owner_line}"
                problems.append(Problem(path, line, IDENTIFIERS_COLUMN, what, shown, "each identifier on one entity, once"))
            else:
                first[key] = (entity_id, line)
    return problems
