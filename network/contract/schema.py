"""Read data/schema.toml into a typed Schema value."""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from network.contract.money_model import MONEY_KINDS, MoneyModel, money_model
from network.errors import DataError, Problem
from network.storage.inputs import read_input_text

__all__ = [
    "INFLUENCE_DIRECTIONS",
    "LITTLESIS_CATEGORIES",
    "STATUSES",
    "EntityType",
    "IdentifierScheme",
    "MONEY_KINDS",
    "MoneyModel",
    "RelationshipType",
    "WeightPolicy",
    "Schema",
    "default_data_dir",
    "load_schema",
]

INFLUENCE_DIRECTIONS = ("forward", "reverse", "mutual")
STATUSES = ("confirmed", "reported", "planned", "alleged")
"""Relationship statuses, best supported first."""
LITTLESIS_CATEGORIES = (
    "Position", "Education", "Membership", "Family", "Donation/Grant", "Service/Transaction",
    "Lobbying", "Social", "Professional", "Ownership", "Hierarchy", "Generic",
)
MONEY_SCALES = ("log", "linear", "unweighted")
def default_data_dir() -> Path:
    """The folder of the bundled curated data.

    In a source checkout (and an editable install) it is the repository's data/; a wheel installs the
    same files as network/bundled/ (pyproject.toml maps one to the other).

    Examples
    --------
    >>> (default_data_dir() / "schema.toml").is_file()
    True
    """
    package = Path(__file__).resolve().parents[1]
    installed = package / "bundled"
    return installed if installed.is_dir() else package.parent / "data"


@dataclass(frozen=True)
class EntityType:
    """A kind of entity (person, company, pac...)."""

    name: str
    label: str
    littlesis: str = ""
    ftm: str = ""
    description: str = ""


@dataclass(frozen=True)
class RelationshipType:
    """A kind of relationship and how it enters the graph.

    ``influence`` is ``forward`` (edge source -> target), ``reverse``
    (target -> source) or ``mutual`` (undirected, counted both ways).
    """

    name: str
    layer: str
    influence: str
    default_strength: float
    littlesis: str = ""
    ftm: str = ""
    description: str = ""

    @property
    def directed(self) -> bool:
        return self.influence != "mutual"


@dataclass(frozen=True)
class WeightPolicy:
    """How relationships become edge strengths (see data/schema.toml, [weights]).

    A money relationship with an amount has strength
    ``money_base + log10(1 + amount_usd / money_unit_usd)`` (``log``),
    ``amount_usd / money_unit_usd`` (``linear``), or 1 (``unweighted``, where
    every relationship weighs 1); any other relationship has its type's
    ``default_strength`` (1 when unweighted). Each is multiplied by the
    factor of its status.

    Examples
    --------
    >>> policy = WeightPolicy()
    >>> round(policy.money_strength(1_000_000), 3)
    4.0
    >>> policy.status_factor["planned"]
    0.5
    """

    money_scale: str = "log"
    money_base: float = 1.0
    money_unit_usd: float = 1000.0
    status_factor: Mapping[str, float] = field(
        default_factory=lambda: {"confirmed": 1.0, "reported": 0.9, "planned": 0.5, "alleged": 0.5}
    )

    def money_strength(self, amount_usd: float) -> float:
        """Strength of a money tie carrying ``amount_usd`` (> 0), before the status factor."""
        import math

        if self.money_scale == "log":
            return self.money_base + math.log10(1.0 + amount_usd / self.money_unit_usd)
        if self.money_scale == "linear":
            return amount_usd / self.money_unit_usd
        return 1.0

    def with_scale(self, money_scale: str) -> "WeightPolicy":
        """The same policy with another money scale (``log``, ``linear`` or ``unweighted``)."""
        if money_scale not in MONEY_SCALES:
            raise ValueError(f"unknown money scale {money_scale!r}; expected one of {', '.join(MONEY_SCALES)}")
        return WeightPolicy(money_scale, self.money_base, self.money_unit_usd, dict(self.status_factor))


@dataclass(frozen=True)
class IdentifierScheme:
    """A kind of external id an entity can carry (``fec_committee``, ``wikidata``...).

    ``pattern`` is the regular expression a whole value must match; ``ftm``
    the FollowTheMoney property exports write the value to (empty: a
    ``scheme:value`` keyword); ``url`` a lookup address with ``{value}``.

    Examples
    --------
    >>> scheme = IdentifierScheme("fec_committee", "FEC committee id", "^C[0-9]{8}$")
    >>> scheme.matches("C00879510"), scheme.matches("C0087951")
    (True, False)
    """

    name: str
    label: str
    pattern: str
    ftm: str = ""
    url: str = ""
    description: str = ""

    def matches(self, value: str) -> bool:
        return re.fullmatch(self.pattern, value) is not None


@dataclass(frozen=True)
class Schema:
    """Entity types, relationship types, layers, the weight policy and the identifier schemes."""

    layers: Mapping[str, str]
    entity_types: Mapping[str, EntityType]
    relationship_types: Mapping[str, RelationshipType]
    weights: WeightPolicy
    path: Path | None = None
    identifier_schemes: Mapping[str, IdentifierScheme] = field(default_factory=dict)
    money: MoneyModel = field(default_factory=MoneyModel)

    def money_kind(self, relationship_type: str) -> str:
        """The money kind of a relationship type ('' for none): see `MoneyModel`.

        Examples
        --------
        >>> schema = load_schema()
        >>> schema.money_kind("spending"), schema.money_kind("donation"), schema.money_kind("founder")
        ('support', 'contribution', '')
        """
        spec = self.relationship_types.get(relationship_type)
        return self.money.kind_of(relationship_type, spec.layer if spec else "")

    def money_types(self, *kinds: str) -> list[str]:
        """The defined relationship types of these money kinds (every kind when none is given), sorted."""
        return sorted(t for t in self.relationship_types if self.money_kind(t) in (kinds or MONEY_KINDS))

    def layer_of(self, relationship_type: str) -> str:
        return self.relationship_types[relationship_type].layer

    def types_in_layer(self, layer: str) -> list[str]:
        return sorted(name for name, rt in self.relationship_types.items() if rt.layer == layer)


def _header_line(text: str, header: str) -> int:
    """The line of ``[header]`` in the TOML text (1 if not found)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == f"[{header}]":
            return number
    return 1


_LARGEST = 1e12
"""Largest strength, factor or unit a schema may give: beyond it igraph's arithmetic overflows."""


def _positive(value: object) -> bool:
    """A finite number > 0 (``inf`` and ``nan`` are TOML floats too, and crash igraph)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and 0 < value <= _LARGEST


def _tables(raw: Mapping, key: str, text: str, shown: str, problems: list[Problem]) -> dict:
    """``raw[key]`` as a table of tables; a value of the wrong kind is a problem, not a crash."""
    value = raw.get(key, {})
    if not isinstance(value, Mapping):
        problems.append(Problem(shown, _key_line(text, key), key, "not a table", repr(value)[:40], f"[{key}.NAME] tables"))
        return {}
    good = {}
    for name, spec in value.items():
        if isinstance(spec, Mapping):
            good[name] = spec
        else:
            problems.append(Problem(shown, _key_line(text, key), f"{key}.{name}", "not a table", repr(spec)[:40],
                                    f"a [{key}.{name}] table of settings"))
    return good


def _key_line(text: str, key: str) -> int:
    """The first line that mentions ``key`` (1 if none)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if key in line:
            return number
    return 1


def load_schema(path: str | Path | None = None) -> Schema:
    """Read and check a schema.toml.

    Parameters
    ----------
    path : path-like, optional
        The file; the bundled ``data/schema.toml`` when omitted.

    Returns
    -------
    Schema

    Raises
    ------
    DataError
        Naming every problem (unknown layer, bad direction, non-positive strength...).

    Examples
    --------
    >>> schema = load_schema()
    >>> schema.relationship_types["donation"].layer
    'money'
    >>> schema.relationship_types["rivalry"].directed
    False
    """
    path = Path(path) if path is not None else default_data_dir() / "schema.toml"
    shown = str(path)
    text = read_input_text(path, expected="a schema.toml file", max_bytes=16 * 1024**2)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(err))
        line = int(found.group(1)) if found else 1
        raise DataError([Problem(shown, line, "(toml)", f"not valid TOML: {err}")]) from err

    problems: list[Problem] = []
    layers = {name: str(spec.get("description", "")) for name, spec in _tables(raw, "layers", text, shown, problems).items()}
    if not layers:
        problems.append(Problem(shown, 1, "layers", "no layers defined", None, "[layers.NAME] tables"))

    entity_types: dict[str, EntityType] = {}
    for name, spec in _tables(raw, "entity_types", text, shown, problems).items():
        line = _header_line(text, f"entity_types.{name}")
        littlesis = str(spec.get("littlesis", ""))
        entity_types[name] = EntityType(name, str(spec.get("label", name)), littlesis, str(spec.get("ftm", "")), str(spec.get("description", "")))
    if not entity_types:
        problems.append(Problem(shown, 1, "entity_types", "no entity types defined", None, "[entity_types.NAME] tables"))

    relationship_types: dict[str, RelationshipType] = {}
    for name, spec in _tables(raw, "relationship_types", text, shown, problems).items():
        line = _header_line(text, f"relationship_types.{name}")
        where = f"relationship_types.{name}"
        layer = spec.get("layer")
        if not isinstance(layer, str) or layer not in layers:
            problems.append(Problem(shown, line, f"{where}.layer", "unknown layer", layer, f"one of {', '.join(layers)}"))
        influence = spec.get("influence")
        if not isinstance(influence, str) or influence not in INFLUENCE_DIRECTIONS:
            problems.append(Problem(shown, line, f"{where}.influence", "unknown direction", influence, "forward, reverse or mutual"))
        strength = spec.get("default_strength")
        if not _positive(strength):
            problems.append(Problem(shown, line, f"{where}.default_strength", "not a positive number", strength, "a number > 0"))
        littlesis = str(spec.get("littlesis", ""))
        if littlesis and littlesis not in LITTLESIS_CATEGORIES:
            problems.append(Problem(shown, line, f"{where}.littlesis", "unknown LittleSis category", littlesis, ", ".join(LITTLESIS_CATEGORIES)))
        relationship_types[name] = RelationshipType(
            name, str(layer), str(influence), float(strength) if _positive(strength) else 1.0,
            littlesis, str(spec.get("ftm", "")), str(spec.get("description", "")),
        )
    if not relationship_types:
        problems.append(Problem(shown, 1, "relationship_types", "no relationship types defined", None, "[relationship_types.NAME] tables"))

    weights_raw = raw.get("weights", {})
    if not isinstance(weights_raw, Mapping):
        problems.append(Problem(shown, _key_line(text, "weights"), "weights", "not a table", repr(weights_raw)[:40], "a [weights] table"))
        weights_raw = {}
    line = _header_line(text, "weights")
    scale = weights_raw.get("money_scale", "log")
    if not isinstance(scale, str) or scale not in MONEY_SCALES:
        problems.append(Problem(shown, line, "weights.money_scale", "unknown money scale", scale, ", ".join(MONEY_SCALES)))
    base = weights_raw.get("money_base", 1.0)
    unit = weights_raw.get("money_unit_usd", 1000.0)
    if not isinstance(base, (int, float)) or isinstance(base, bool) or not math.isfinite(base) or not 0 <= base <= _LARGEST:
        problems.append(Problem(shown, line, "weights.money_base", "not a non-negative number", base, "a number >= 0"))
    if not _positive(unit):
        problems.append(Problem(shown, line, "weights.money_unit_usd", "not a positive number", unit, "a number > 0"))
    factors = dict(WeightPolicy().status_factor)
    status_line = _header_line(text, "weights.status")
    status_raw = weights_raw.get("status", {})
    if not isinstance(status_raw, Mapping):
        problems.append(Problem(shown, status_line, "weights.status", "not a table", repr(status_raw)[:40], "a [weights.status] table"))
        status_raw = {}
    for status, factor in status_raw.items():
        if status not in STATUSES:
            problems.append(Problem(shown, status_line, f"weights.status.{status}", "unknown status", status, ", ".join(STATUSES)))
        elif not _positive(factor):
            problems.append(Problem(shown, status_line, f"weights.status.{status}", "not a positive number", factor, "a number > 0"))
        else:
            factors[status] = float(factor)
    schemes = _identifier_schemes(_tables(raw, "identifier_schemes", text, shown, problems), text, shown, problems)
    money = money_model(raw.get("money"), _header_line(text, "money") if "money" in raw else 0, shown, problems)
    if problems:
        raise DataError(problems)
    weights = WeightPolicy(str(scale), float(base), float(unit), factors)
    return Schema(layers, entity_types, relationship_types, weights, path, schemes, money)


_SCHEME_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_FTM_PROPERTY = re.compile(r"^([a-z][A-Za-z0-9]*)?$")


def _identifier_schemes(raw: Mapping, text: str, shown: str, problems: list[Problem]) -> dict[str, IdentifierScheme]:
    """The ``[identifier_schemes.NAME]`` tables, checked: a name, a pattern that compiles, an FtM property name."""
    schemes: dict[str, IdentifierScheme] = {}
    for name, spec in raw.items():
        line = _header_line(text, f"identifier_schemes.{name}")
        where = f"identifier_schemes.{name}"
        if not _SCHEME_NAME.match(name):
            problems.append(Problem(shown, line, where, "not a valid scheme name", name, "lowercase letters, digits and '_', starting with a letter"))
            continue
        pattern = spec.get("pattern") if isinstance(spec, Mapping) else None
        if not isinstance(pattern, str) or not pattern:
            problems.append(Problem(shown, line, f"{where}.pattern", "pattern missing", pattern, "a regular expression for the values"))
            continue
        try:
            re.compile(pattern)
        except re.error as err:
            problems.append(Problem(shown, line, f"{where}.pattern", f"not a regular expression ({err})", pattern, "a Python regular expression"))
            continue
        ftm = str(spec.get("ftm", ""))
        if not _FTM_PROPERTY.match(ftm):
            problems.append(Problem(shown, line, f"{where}.ftm", "not a FollowTheMoney property name", ftm, "a property such as registrationNumber, or empty"))
        schemes[name] = IdentifierScheme(name, str(spec.get("label", name)), pattern, ftm, str(spec.get("url", "")),
                                         str(spec.get("description", "")))
    return schemes
