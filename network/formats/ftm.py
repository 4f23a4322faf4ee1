"""FollowTheMoney JSON lines, for OCCRP Aleph and OpenSanctions: export, and import into our tables."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Iterator, Mapping

import numpy as np

from network.errors import Problem
from network.graph import InfluenceGraph
from network.contract.load import DataTables
from network.contract.identifiers import format_identifiers, parse_identifiers
from network.contract.schema import STATUSES, Schema, load_schema
from network.contract.validate import ID_PATTERN, split_list
from network.formats.common import cell_text, number_text, row_records, schema_path_for, tables_from_rows

__all__ = [
    "FTM_EDGE_PROPERTIES",
    "FTM_IMPORT_TYPES",
    "ftm_entities",
    "read_ftm",
    "write_ftm",
]

FTM_EDGE_PROPERTIES = {
    "Payment": ("payer", "beneficiary"), "Ownership": ("owner", "asset"),
    "Directorship": ("director", "organization"), "Employment": ("employee", "employer"),
    "Membership": ("member", "organization"), "Representation": ("agent", "client"),
    "UnknownLink": ("subject", "object"), "Associate": ("person", "associate"), "Family": ("person", "relative"),
}
"""FtM interval schema -> (property of our ``source``, property of our ``target``)."""
FTM_IMPORT_TYPES = {
    "Payment": "donation", "Ownership": "ownership", "Directorship": "board", "Employment": "employee",
    "Membership": "appointment", "Representation": "advisor", "UnknownLink": "associate",
    "Associate": "associate", "Family": "associate",
}
"""Our relationship type for an FtM relationship that does not name one in its ``summary``."""
_ENTITY_TYPES = {"Person": "person", "Company": "company", "Organization": "organization",
                 "PublicBody": "government", "LegalEntity": "organization"}
_DOCUMENT_SCHEMATA = ("Article", "Document", "PlainText", "HyperText", "Page", "Pages")
_RANGES = {("Ownership", "asset"): {"Company"}, ("Employment", "employee"): {"Person"},
           ("Employment", "employer"): {"Company", "Organization", "PublicBody"},
           ("Directorship", "organization"): {"Company", "Organization", "PublicBody"},
           ("Membership", "organization"): {"Company", "Organization", "PublicBody"}}
_LANGUAGES = {"ar": "ara", "de": "deu", "en": "eng", "es": "spa", "fa": "fas", "fr": "fra", "he": "heb",
              "hi": "hin", "it": "ita", "ja": "jpn", "ko": "kor", "nl": "nld", "pl": "pol", "pt": "por",
              "ru": "rus", "sv": "swe", "tr": "tur", "uk": "ukr", "ur": "urd", "zh": "zho"}
"""ISO 639-1 (our ``language``) -> ISO 639-3 (FtM's); other codes travel as ``keywords: language:xx``."""
_PREFIXES = {"entity": "ent-", "relationship": "rel-", "source": "src-"}
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
"""``json.dumps(value, ensure_ascii=False, sort_keys=True)``, its encoder built once."""
_SUMMARY = re.compile(r"^(?P<type>[a-z0-9_]+) \((?P<status>[a-z]+)(?:; (?P<amount>[0-9.e+-]+) USD (?P<qualifier>[a-z_]+))?"
                      r"(?P<aggregate>; aggregate)?\)$")
_ARABIC = re.compile("[\u0600-\u06ff]")


def _clean(properties: Mapping[str, list[str]]) -> dict[str, list[str]]:
    return {key: values for key, values in sorted(properties.items()) if values}


def _one(value: Any) -> list[str]:
    text = cell_text(value)
    return [text] if text else []


def _summary(row: Mapping[str, Any]) -> str:
    parts = [str(row["status"])]
    amount = number_text(row["amount_usd"])
    if amount:
        parts.append(f"{amount} USD {row['amount_qualifier'] or 'exact'}")
    if bool(row["aggregate"]):
        parts.append("aggregate")
    return f"{row['type']} ({'; '.join(parts)})"


def _by_id(frame) -> np.ndarray:
    return np.argsort(frame["id"].to_numpy(dtype=object), kind="stable")


def ftm_entities(graph: InfluenceGraph) -> Iterator[dict[str, Any]]:
    """Every entity, source and relationship as an FtM entity dict, in file order.

    Entities become Person, Company, Organization or PublicBody (the
    schema.toml ``ftm`` of their type), with ``name`` = [name, name_ar],
    ``alias``, ``description``, ``classification`` = our type, and each
    identifier in the FtM property its scheme names in schema.toml
    (``registrationNumber``, ``idNumber``, ``wikidataId``), or as a
    ``scheme:value`` keyword when it names none. Sources
    become Article (title, publisher, publishedAt, language, sourceUrl,
    fileName). Relationships become the ``ftm`` schema of their type, with
    the two ends, ``startDate``/``endDate``, ``role`` (``purpose`` for a
    Payment), ``amount``/``amountUsd`` with ``currency`` USD, ``status``,
    ``summary`` (``TYPE (STATUS[; AMOUNT USD QUALIFIER][; aggregate])``),
    ``description`` = evidence, ``proof`` = the Article ids, and the sources'
    ``sourceUrl`` and ``publisher``. A type whose ends do not fit the FtM
    schema's range (ownership of a non-company) becomes an UnknownLink.
    Ids are ``ent-``, ``src-`` and ``rel-`` plus our id.
    """
    ftm_schema: dict[str, str] = {}
    sources: dict[str, dict] = {}
    yield from _entity_and_source_items(graph, ftm_schema, sources)
    yield from _relationship_items(graph, ftm_schema, sources)


def _entity_and_source_items(graph: InfluenceGraph, ftm_schema: dict[str, str], sources: dict[str, dict]) -> Iterator[dict[str, Any]]:
    """The entities, then the sources, of `ftm_entities`; fills ``ftm_schema`` (entity id -> FtM schema) and
    ``sources`` (source id -> record) for the relationships."""
    schema = graph.schema
    for row in row_records(graph.entities, list(graph.entities.columns), _by_id(graph.entities)):
        kind = schema.entity_types[row["type"]].ftm if row["type"] in schema.entity_types else ""
        ftm_schema[row["id"]] = kind or "LegalEntity"
        yield {"id": _PREFIXES["entity"] + row["id"], "schema": ftm_schema[row["id"]], "properties": _clean({
            "name": _one(row["name"]) + _one(row.get("name_ar")), "alias": split_list(row.get("aliases", "")),
            "description": _one(row.get("description")), "classification": _one(row["type"]),
            **_identifier_properties(row.get("identifiers"), schema)})}
    for row in row_records(graph.sources, list(graph.sources.columns), _by_id(graph.sources)):
        sources[row["id"]] = row
        language = cell_text(row.get("language"))
        yield {"id": _PREFIXES["source"] + row["id"], "schema": "Article", "properties": _clean({
            "title": _one(row["title"]), "publisher": _one(row["publisher"]), "publishedAt": _one(row.get("published")),
            "language": [_LANGUAGES[language]] if language in _LANGUAGES else [],
            "keywords": [f"language:{language}"] if language and language not in _LANGUAGES else [],
            "sourceUrl": _one(row.get("url")), "fileName": _one(row.get("document"))})}


def _relationship_kind(schema: Schema, kind_of_type: str, source_schema: str | None, target_schema: str | None) -> str:
    """The FtM schema of a relationship: its type's, or UnknownLink when the FtM schemata of its ends do not fit
    that schema's range."""
    kind = schema.relationship_types[kind_of_type].ftm or "UnknownLink"
    ends = FTM_EDGE_PROPERTIES.get(kind, FTM_EDGE_PROPERTIES["UnknownLink"])
    fits = all(end in _RANGES.get((kind, prop), {end}) for end, prop in zip((source_schema, target_schema), ends))
    return kind if fits and kind in FTM_EDGE_PROPERTIES else "UnknownLink"


def _relationship_items(graph: InfluenceGraph, ftm_schema: Mapping[str, str], sources: Mapping[str, dict]) -> Iterator[dict[str, Any]]:
    """The relationships of `ftm_entities`, one dict each."""
    for row in row_records(graph.relationships, list(graph.relationships.columns), _by_id(graph.relationships)):
        kind = _relationship_kind(graph.schema, row["type"], ftm_schema.get(row["source"]), ftm_schema.get(row["target"]))
        ends = FTM_EDGE_PROPERTIES[kind]
        cited = [sources[s] for s in split_list(row["source_ids"]) if s in sources]
        amount = number_text(row["amount_usd"])
        payment = kind == "Payment"
        properties = {
            ends[0]: [_PREFIXES["entity"] + row["source"]], ends[1]: [_PREFIXES["entity"] + row["target"]],
            "startDate": _one(row["start_date"]), "endDate": _one(row["end_date"]),
            "purpose" if payment else "role": _one(row["role"]),
            "summary": [_summary(row)], "description": _one(row["evidence"]),
            "proof": [_PREFIXES["source"] + s for s in split_list(row["source_ids"])],
            "sourceUrl": list(dict.fromkeys(s["url"] for s in cited if s.get("url"))),
            "publisher": list(dict.fromkeys(s["publisher"] for s in cited if s.get("publisher"))),
        }
        if payment:
            properties.update({"amount": [amount] if amount else [], "amountUsd": [amount] if amount else [],
                               "currency": ["USD"] if amount else []})
        else:
            properties["status"] = _one(row["status"])
        yield {"id": _PREFIXES["relationship"] + row["id"], "schema": kind, "properties": _clean(properties)}


def _identifier_properties(cell: Any, schema: Schema) -> dict[str, list[str]]:
    """FtM properties holding an entity's identifiers (see `ftm_entities`)."""
    properties: dict[str, list[str]] = {}
    for scheme_name, value in parse_identifiers(cell_text(cell)):
        scheme = schema.identifier_schemes.get(scheme_name)
        if scheme is not None and scheme.ftm:
            properties.setdefault(scheme.ftm, []).append(value)
        else:
            properties.setdefault("keywords", []).append(f"{scheme_name}:{value}")
    return properties


def _identifiers_from(props: Mapping[str, list], schema: Schema) -> str:
    """Our ``identifiers`` cell from FtM properties: a value in a scheme's property that matches its
    pattern (the first such scheme when several share a property), and ``scheme:value`` keywords."""
    pairs = []
    by_property: dict[str, list] = {}
    for scheme in schema.identifier_schemes.values():
        if scheme.ftm:
            by_property.setdefault(scheme.ftm, []).append(scheme)
    for prop, schemes in by_property.items():
        for value in props.get(prop, []):
            scheme = next((s for s in schemes if s.matches(str(value))), None)
            if scheme is not None:
                pairs.append((scheme.name, str(value)))
    for keyword in props.get("keywords", []):
        for scheme_name, value in parse_identifiers(str(keyword)):
            if scheme_name in schema.identifier_schemes and schema.identifier_schemes[scheme_name].matches(value):
                pairs.append((scheme_name, value))
    return format_identifiers(pairs)


def write_ftm(graph: InfluenceGraph, path: str | Path) -> Path:
    """Write `ftm_entities` as FollowTheMoney JSON lines (one entity per line, keys sorted).

    Examples
    --------
    >>> import tempfile
    >>> g = InfluenceGraph.from_edges([("a", "b", 2.0)])
    >>> lines = write_ftm(g, tempfile.mkdtemp() + "/g.ftm.json").read_text(encoding="utf-8").splitlines()
    >>> [json.loads(line)["schema"] for line in lines]
    ['Person', 'Person', 'UnknownLink']
    """
    from network.formats.ftm_lines import relationship_lines

    path = Path(path)
    ftm_schema: dict[str, str] = {}
    sources: dict[str, dict] = {}
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for entity in _entity_and_source_items(graph, ftm_schema, sources):
            out.write(_ENCODER.encode(entity) + "\n")
        for text in relationship_lines(graph, ftm_schema, sources):  # the same lines, built a column at a time
            out.write(text)
    return path


def _local_id(ftm_id: str, kind: str) -> str:
    """Our id for an FtM id: ours without its prefix, a foreign one made into a valid id."""
    prefix = _PREFIXES[kind]
    if ftm_id.startswith(prefix) and ID_PATTERN.match(ftm_id[len(prefix):]):
        return ftm_id[len(prefix):]
    slug = re.sub(r"[^a-z0-9_.-]+", "-", ftm_id.lower()).strip("-._")
    return slug or "x-" + hashlib.sha1(ftm_id.encode("utf-8")).hexdigest()[:12]


def _entity_row(data: Mapping[str, Any], props: Mapping[str, list], schema: Schema) -> dict[str, str]:
    names = [str(n) for n in props.get("name", [])]
    name = names[0] if names else data.get("caption") or data["id"]
    arabic = [n for n in names[1:] if _ARABIC.search(n)]
    others = [n for n in names[1:] if n not in arabic[:1]]
    classification = (props.get("classification") or [""])[0]
    kind = classification if classification in schema.entity_types else _ENTITY_TYPES.get(data["schema"], "organization")
    return {"id": _local_id(data["id"], "entity"), "name": name, "type": kind, "name_ar": arabic[0] if arabic else "",
            "aliases": ";".join(dict.fromkeys([*props.get("alias", []), *others])),
            "description": (props.get("description") or [""])[0], "identifiers": _identifiers_from(props, schema)}


def _source_row(data: Mapping[str, Any], props: Mapping[str, list]) -> dict[str, str]:
    first = lambda name: str((props.get(name) or [""])[0])  # noqa: E731
    language = first("language")
    spelled = {v: k for k, v in _LANGUAGES.items()}.get(language, language)
    for keyword in props.get("keywords", []):
        if str(keyword).startswith("language:"):
            spelled = str(keyword)[len("language:"):]
    return {"id": _local_id(data["id"], "source"), "publisher": first("publisher") or "unknown",
            "title": first("title") or first("name") or first("fileName") or data["id"],
            "published": (first("publishedAt") or first("date"))[:10], "language": spelled,
            "url": first("sourceUrl"), "document": first("fileName")}


def _relationship_row(data: Mapping[str, Any], props: Mapping[str, list], line: int,
                      sources: dict[str, tuple[int, dict]], fallback_source: str) -> dict[str, str]:
    first = lambda name: str((props.get(name) or [""])[0])  # noqa: E731
    ends = FTM_EDGE_PROPERTIES[data["schema"]]
    summary = _SUMMARY.match(first("summary"))
    amount = summary["amount"] if summary and summary["amount"] else ""
    if not summary and data["schema"] == "Payment":
        amount = first("amountUsd") or (first("amount") if first("currency") in ("", "USD") else "")
    status = summary["status"] if summary else (first("status") if first("status") in STATUSES else "reported")
    proof = [_local_id(p, "source") for p in props.get("proof", [])]
    if not proof:
        for url in props.get("sourceUrl", []):
            source_id = "url-" + hashlib.sha1(str(url).encode("utf-8")).hexdigest()[:10]
            sources.setdefault(source_id, (line, {"id": source_id, "publisher": first("publisher") or "unknown",
                                                  "title": str(url), "url": str(url)}))
            proof.append(source_id)
    return {
        "id": _local_id(data["id"], "relationship"),
        "source": _local_id(first(ends[0]), "entity"), "target": _local_id(first(ends[1]), "entity"),
        "type": summary["type"] if summary else FTM_IMPORT_TYPES[data["schema"]],
        "role": first("purpose") if data["schema"] == "Payment" else first("role"),
        "amount_usd": amount, "amount_qualifier": (summary["qualifier"] or "") if summary else ("exact" if amount else ""),
        "start_date": (first("startDate") or first("date"))[:10], "end_date": first("endDate")[:10],
        "status": status, "aggregate": "true" if summary and summary["aggregate"] else "false",
        "source_ids": ";".join(dict.fromkeys(proof)) or fallback_source,
        "evidence": first("description") or first("summary"),
    }


def read_ftm(path: str | Path) -> DataTables:
    """Read FollowTheMoney JSON lines (ours or any, e.g. from Aleph) into text tables.

    Person, Company, Organization, PublicBody and LegalEntity become
    entities (our type from ``classification`` if it names one, else from the
    schema); Article and other documents become sources; Payment, Ownership,
    Directorship, Employment, Membership, Representation, UnknownLink,
    Associate and Family become relationships (type, status, qualifier,
    aggregate from our ``summary`` form, else `FTM_IMPORT_TYPES`, status
    ``reported``; sources from ``proof``, else one per ``sourceUrl``, else one
    source standing for the file). Other schemata are skipped. A line that
    is not JSON is a problem naming the line.

    Examples
    --------
    >>> import tempfile
    >>> g = InfluenceGraph.from_edges([("a", "b", 2.0)])
    >>> read_ftm(write_ftm(g, tempfile.mkdtemp() + "/g.ftm.json")).relationships["type"].tolist()
    ['endorsement']
    """
    path = Path(path)
    schema = load_schema(schema_path_for(path))
    fallback = "ftm-" + (re.sub(r"[^a-z0-9]+", "-", path.name.lower()).strip("-") or "import")
    entities, relationships, problems = [], [], []
    sources: dict[str, tuple[int, dict]] = {}
    with open(path, encoding="utf-8-sig") as handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as err:
                problems.append(Problem(str(path), line, "(json)", f"not valid JSON: {err.msg}", text[:60], "one FtM entity per line"))
                continue
            if not isinstance(data, dict) or "schema" not in data or "id" not in data:
                problems.append(Problem(str(path), line, "(json)", "not an FtM entity", text[:60], 'an object with "id", "schema", "properties"'))
                continue
            props = data.get("properties") or {}
            if data["schema"] in _ENTITY_TYPES:
                entities.append((line, _entity_row(data, props, schema)))
            elif data["schema"] in _DOCUMENT_SCHEMATA:
                row = _source_row(data, props)
                sources[row["id"]] = (line, row)
            elif data["schema"] in FTM_EDGE_PROPERTIES:
                relationships.append((line, _relationship_row(data, props, line, sources, fallback)))
    if any(row["source_ids"] == fallback for _, row in relationships):
        sources.setdefault(fallback, (1, {"id": fallback, "publisher": "FollowTheMoney import", "title": path.name,
                                          "document": path.name}))
    return tables_from_rows(path, entities, relationships, [sources[k] for k in sorted(sources)], problems)
