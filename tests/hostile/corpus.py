"""The hostile and careless inputs, each with its expected outcome written beside it.

A case is a generator: it builds its files in a fresh folder and names the command line
to run. Its outcome is ``OK`` (exit 0, and, where it matters, a check of the result) or
``Error(pattern)``: exit 1 with a message matching ``pattern``, which names the file and,
where there is one, the line (``relationships.csv:3:``). The corpus runs every command
that reads a file: validate, run, centrality, export (read-back), import-edges.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"
ENTITY_HEADER = "id,name,type,name_ar,aliases,description"
RELATIONSHIP_HEADER = ("id,source,target,type,role,amount_usd,amount_qualifier,start_date,end_date,status,"
                       "aggregate,source_ids,evidence")


@dataclass(frozen=True)
class Error:
    """Exit 1, stderr matching ``pattern`` (a regular expression), no traceback."""

    pattern: str


@dataclass(frozen=True)
class Ok:
    """Exit 0; ``check(folder, stdout)`` may look at the result."""

    check: Callable[[Path, str], None] | None = None


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], list[str]]  # writes files under the folder, returns argv
    expect: Error | Ok = field(default_factory=Ok)


CASES: list[Case] = []


def case(name: str, expect: Error | Ok):
    def register(build):
        CASES.append(Case(name, build, expect))
        return build
    return register


def tiny(folder: Path) -> Path:
    data = folder / "data"
    shutil.copytree(TINY, data)
    return data


def with_relationship_cell(column: str, value: str):
    """A tiny data folder whose relationship r1 has ``value`` in ``column`` (line 2)."""
    def build(folder: Path) -> Path:
        data = folder / "data" if (folder / "data").exists() else tiny(folder)
        path = data / "relationships.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        rows[1][rows[0].index(column)] = value
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
        return data
    return build


def with_entity_name(name: str):
    def build(folder: Path) -> Path:
        data = tiny(folder)
        path = data / "entities.csv"
        text = path.read_text(encoding="utf-8").replace("Acme Corp", name, 1)
        path.write_text(text, encoding="utf-8")
        return data
    return build


def replace_file(name: str, content: bytes | None = None, *, kind: str = "bytes"):
    """A tiny data folder whose ``name`` is replaced by bytes, a folder, a link, a FIFO..."""
    def build(folder: Path) -> Path:
        data = tiny(folder)
        path = data / name
        if path.exists() or path.is_symlink():
            path.unlink()
        if kind == "bytes":
            path.write_bytes(content)
        elif kind == "folder":
            path.mkdir()
        elif kind == "dangling":
            path.symlink_to(data / "no-such-file")
        elif kind == "loop":
            path.symlink_to(path)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "device":
            path.symlink_to("/dev/zero")
        elif kind == "unreadable":
            path.write_bytes(content or b"x")
            path.chmod(0)
        return data
    return build


READING_COMMANDS = {
    "validate": lambda data: ["validate", "--data", str(data)],
    "centrality": lambda data: ["centrality", "--data", str(data), "--format", "csv"],
    "flows": lambda data: ["flows", "--data", str(data), "--format", "csv"],
}

# ---------------------------------------------------------------- amounts (relationships.csv line 2)
AMOUNTS_REFUSED = ["1_000", "nan", "NaN", "inf", "-inf", "Infinity", "1e308", "1e16", "-5", "0.001", "1,00",
                   "12,34,567", "$5", "5 000", "0x10", "1e", "--1", "5..0", "five", "١_٠٠٠", "1000000000000001"]
AMOUNTS_ACCEPTED = {"1000": 1000.0, "١٠٠٠": 1000.0, "１００": 100.0, "۱۲۳": 123.0, "1,000": 1000.0,
                    "١٬٠٠٠": 1000.0, "2.5e3": 2500.0, "0": 0.0, "0.01": 0.01, "1e15": 1e15, "12.50": 12.5}


def _amount_is(expected: float):
    def check(folder: Path, out: str) -> None:
        rows = list(csv.DictReader(io.StringIO(out)))
        given = {row["id"]: float(row["given_usd"] or 0) for row in rows}
        assert abs(given["alice"] - (expected + 500000.0)) <= 1e-9 * (expected + 500000.0), given  # CSV: 10 digits
    return check


for command in ("validate", "flows"):
    for text in AMOUNTS_REFUSED:
        def build(folder, text=text, command=command):
            return READING_COMMANDS[command](with_relationship_cell("amount_usd", text)(folder))
        case(f"{command}-amount-{text!r}", Error(r"relationships\.csv:2: amount_usd"))(build)
for text, value in AMOUNTS_ACCEPTED.items():
    def build(folder, text=text):
        return ["flows", "--data", str(with_relationship_cell("amount_usd", text)(folder)), "--by", "entity", "--format", "csv"]
    case(f"flows-amount-ok-{text!r}", Ok(_amount_is(value)))(build)

# ---------------------------------------------------------------- dates
DATES_REFUSED = ["2024-13", "2024-02-30", "0024", "1699", "2201", "99999", "2024/01/01", "01-02-2024", "2024-1",
                 "nan", "２０２４-１٣", "2024-01-01T00:00"]
DATES_ACCEPTED = ["٢٠٢٤-٠١", "２０２４-０１", "۲۰۲۴-۰۱", "2024-01", "1700", "2200-12-31"]
for command in ("validate", "centrality"):
    for text in DATES_REFUSED:
        def build(folder, text=text, command=command):
            return READING_COMMANDS[command](with_relationship_cell("start_date", text)(folder))
        case(f"{command}-date-{text!r}", Error(r"relationships\.csv:2: start_date"))(build)
for text in DATES_ACCEPTED:
    def build(folder, text=text):
        data = with_relationship_cell("end_date", text)(with_relationship_cell("start_date", text)(folder).parent)
        return ["timeline", "--data", str(data), "--format", "csv"]
    case(f"timeline-date-ok-{text!r}", Ok())(build)


def _dated(folder: Path, out: str) -> None:
    assert "wrote" in out or out  # the command ran; the filter kept the tie below


for text in ("٢٠٢٤-٠١", "２０２４-０１"):
    def build(folder, text=text):
        data = with_relationship_cell("end_date", text)(with_relationship_cell("start_date", text)(folder).parent)
        return ["export", "--data", str(data), "--since", "2024-01", "--until", "2024-01", "--format", "relationships",
                "--out", str(folder / "out.csv")]

    def check(folder: Path, out: str) -> None:
        text = (folder / "out.csv").read_text(encoding="utf-8")
        assert ",r1," in text or "\nr1," in text, text  # the Arabic-Indic date is a date, not undated
        assert "2024-01,2024-01" in text  # written back in ASCII digits
    case(f"export-since-arabic-date-{text!r}", Ok(check))(build)

# ---------------------------------------------------------------- files that are not files
FILE_KINDS = {
    "folder": (None, "folder", r"a folder, not a file"),
    "dangling-link": (None, "dangling", r"dangling symbolic link"),
    "symlink-loop": (None, "loop", r"cannot open"),
    "fifo": (None, "fifo", r"not a regular file"),
    "dev-zero": (None, "device", r"not a regular file"),
    "binary": (bytes(range(256)) * 4, "bytes", r"not UTF-8|NUL"),
    "utf16": ("id,name\n".encode("utf-16"), "bytes", r"not UTF-8|NUL"),
    "latin1": ("id,name,type,name_ar,aliases,description\nx,Zo\xeb,person,,,\n".encode("latin-1"), "bytes", r":2: \(encoding\)"),
    "nul": (b"id,name\x00\n", "bytes", r"NUL"),
    "empty": (b"", "bytes", r"file is empty"),
    "unclosed-quote": (b'id,name,type,name_ar,aliases,description\n"x,y\n', "bytes", r":2: \(row\)|required"),
    "huge-cell": (("id,name,type,name_ar,aliases,description\nx," + "a" * 1_200_000 + ",person,,,\n").encode(), "bytes", r"\(row\): unreadable CSV"),
    "gzip": (b"\x1f\x8b\x08\x00" + bytes(64), "bytes", r"not UTF-8|NUL"),
}
for file_name in ("entities.csv", "relationships.csv", "sources.csv"):
    for kind_name, (content, kind, pattern) in FILE_KINDS.items():
        for command in ("validate", "centrality"):
            def build(folder, file_name=file_name, content=content, kind=kind, command=command):
                return READING_COMMANDS[command](replace_file(file_name, content, kind=kind)(folder))
            # the file and a line; the specific reason where the content does not depend on the file's columns
            specific = pattern if kind != "bytes" or kind_name in ("binary", "utf16", "nul", "empty", "gzip") else ""
            case(f"{command}-{file_name}-{kind_name}", Error(re.escape(file_name) + r":\d+: [^\n]*" + specific))(build)

# ---------------------------------------------------------------- schema.toml
BUNDLED_SCHEMA = (Path(__file__).resolve().parents[2] / "data" / "schema.toml").read_text(encoding="utf-8")


def with_schema(old: str | None, new: str | None = None, *, kind: str = "text"):
    """A tiny data folder with its own schema.toml: the bundled one with ``old`` replaced by ``new``."""
    def build(folder: Path) -> Path:
        data = tiny(folder)
        path = data / "schema.toml"
        if kind == "text":
            text = BUNDLED_SCHEMA if old is None else BUNDLED_SCHEMA.replace(old, new, 1)
            path.write_text(text, encoding="utf-8")
        else:
            replace_file("schema.toml", new.encode() if isinstance(new, str) else new, kind=kind)(folder) if False else None
            if kind == "folder":
                path.mkdir()
            elif kind == "dangling":
                path.symlink_to(data / "nothing.toml")
            elif kind == "loop":
                path.symlink_to(path)
            elif kind == "fifo":
                os.mkfifo(path)
            elif kind == "bytes":
                path.write_bytes(new)
        return data
    return build


STRENGTH = "default_strength = 3.0\nlittlesis = \"Donation/Grant\""
SCHEMA_CASES = {
    "inf-strength": (STRENGTH, STRENGTH.replace("3.0", "inf"), r"schema\.toml:72: relationship_types\.donation\.default_strength"),
    "nan-strength": (STRENGTH, STRENGTH.replace("3.0", "nan"), r"schema\.toml:72: relationship_types\.donation\.default_strength"),
    "minus-inf-strength": (STRENGTH, STRENGTH.replace("3.0", "-inf"), r"schema\.toml:72: [^\n]*default_strength"),
    "negative-strength": (STRENGTH, STRENGTH.replace("3.0", "-1.0"), r"schema\.toml:72: [^\n]*default_strength"),
    "zero-strength": (STRENGTH, STRENGTH.replace("3.0", "0"), r"schema\.toml:72: [^\n]*default_strength"),
    "huge-strength": (STRENGTH, STRENGTH.replace("3.0", "1e300"), r"schema\.toml:72: [^\n]*default_strength"),
    "text-strength": (STRENGTH, STRENGTH.replace("3.0", '"3"'), r"schema\.toml:72: [^\n]*default_strength"),
    "bool-strength": (STRENGTH, STRENGTH.replace("3.0", "true"), r"schema\.toml:72: [^\n]*default_strength"),
    "array-strength": (STRENGTH, STRENGTH.replace("3.0", "[3.0]"), r"schema\.toml:72: [^\n]*default_strength"),
    "money-base-nan": ("money_base = 1.0", "money_base = nan", r"schema\.toml:267: weights\.money_base"),
    "money-base-inf": ("money_base = 1.0", "money_base = inf", r"schema\.toml:267: weights\.money_base"),
    "money-unit-inf": ("money_unit_usd = 1000.0", "money_unit_usd = inf", r"schema\.toml:267: weights\.money_unit_usd"),
    "money-unit-zero": ("money_unit_usd = 1000.0", "money_unit_usd = 0", r"schema\.toml:267: weights\.money_unit_usd"),
    "status-inf": ("confirmed = 1.0", "confirmed = inf", r"schema\.toml:272: weights\.status\.confirmed"),
    "status-text": ("confirmed = 1.0", 'confirmed = "high"', r"schema\.toml:272: weights\.status\.confirmed"),
    "money-scale-number": ('money_scale = "log"', "money_scale = 5", r"schema\.toml:267: weights\.money_scale"),
    "layer-not-a-table": ("[layers.money]", "[layers.moneyx]\n[layers]\nmoney = 5\n[layers.money2]", r"schema\.toml:\d+: "),
    "type-not-a-table": ("[relationship_types.donation]", '[relationship_types]\nbogus_type = 5\n\n[relationship_types.donation]',
                         r"schema\.toml:\d+: relationship_types\.bogus_type: not a table"),
    "weights-a-number": ("[weights]\n", "[weights_old]\n", None),
    "bad-toml": ("[weights]", "[weights", r"schema\.toml:267: \(toml\)"),
    "duplicate-table": ("[weights.status]", "[weights]\n[weights.status]", r"schema\.toml:\d+: \(toml\)"),
    "unknown-layer": ('layer = "money"\ninfluence = "forward"\ndefault_strength = 3.0', 'layer = "cash"\ninfluence = "forward"\ndefault_strength = 3.0',
                      r"schema\.toml:72: relationship_types\.donation\.layer"),
    "bad-pattern": (None, None, None),
}
for name, (old, new, pattern) in SCHEMA_CASES.items():
    if old is None:
        continue
    for command in ("validate", "centrality"):
        def build(folder, old=old, new=new, command=command):
            return READING_COMMANDS[command](with_schema(old, new)(folder))
        case(f"{command}-schema-{name}", Ok() if pattern is None else Error(pattern))(build)
SCHEMA_FILES = {
    "folder": (None, "folder", r"schema\.toml:0: \(file\): a folder, not a file"),
    "dangling": (None, "dangling", r"schema\.toml:0: \(file\): a link to nothing"),
    "loop": (None, "loop", r"schema\.toml:0: \(file\): cannot open"),
    "fifo": (None, "fifo", r"schema\.toml:0: \(file\): not a regular file"),
    "binary": (bytes(range(256)), "bytes", r"schema\.toml:2: \(encoding\)"),
    "utf16": (BUNDLED_SCHEMA.encode("utf-16"), "bytes", r"schema\.toml:1: \(encoding\)"),
    "empty": (b"", "bytes", r"schema\.toml:1: layers: no layers defined"),
    "array-root": (b"layers = [1, 2]\nentity_types = 3\nrelationship_types = 'x'\nweights = 4\n", "bytes", r"schema\.toml:1: layers: not a table"),
}
for name, (content, kind, pattern) in SCHEMA_FILES.items():
    for command in ("validate", "run"):
        def build(folder, content=content, kind=kind, command=command):
            data = with_schema(None, content, kind=kind)(folder)
            if command == "run":
                return ["run", "--data", str(data), "--out", str(folder / "out")]
            return READING_COMMANDS[command](data)
        case(f"{command}-schema-file-{name}", Error(pattern))(build)

# ---------------------------------------------------------------- options
OPTION_CASES = {
    "min-amount-nan": (["--min-amount-usd", "nan"], r"--min-amount-usd"),
    "min-amount-inf": (["--min-amount-usd", "inf"], r"--min-amount-usd"),
    "min-amount-negative": (["--min-amount-usd", "-5"], r"--min-amount-usd"),
    "min-amount-underscore": (["--min-amount-usd", "1_000"], r"--min-amount-usd"),
    "min-amount-words": (["--min-amount-usd", "lots"], r"--min-amount-usd"),
    "since-bad-month": (["--since", "2024-13"], r"--since"),
    "since-words": (["--since", "yesterday"], r"--since"),
    "until-year-0": (["--until", "0000"], r"--until"),
    "unknown-layer": (["--layer", "cash"], r"unknown layer"),
    "top-underscore": (["--top", "1_0"], r"--top"),
    "top-huge": (["--top", "9" * 40], r"--top"),
    "seed-float": (["--seed", "1.5"], r"--seed"),
    "unknown-option": (["--frobnicate"], r"unrecognized arguments"),
}
for name, (extra, pattern) in OPTION_CASES.items():
    def build(folder, extra=extra):
        return ["centrality", "--data", str(TINY), *extra]
    case(f"centrality-option-{name}", Error(pattern))(build)
for name, extra in {"min-amount-arabic": ["--min-amount-usd", "١٠٠٠"], "min-amount-commas": ["--min-amount-usd", "1,000"],
                    "since-arabic": ["--since", "٢٠٢٤"], "since-full-width": ["--since", "２０２４-０１"]}.items():
    def build(folder, extra=extra):
        return ["centrality", "--data", str(TINY), *extra]
    case(f"centrality-option-ok-{name}", Ok())(build)
for name, extra, pattern in (
        ("resolution-nan", ["--resolution", "nan"], r"--resolution"), ("resolution-zero", ["--resolution", "0"], r"--resolution"),
        ("runs-text", ["--runs", "many"], r"--runs")):
    def build(folder, extra=extra):
        return ["communities", "--data", str(TINY), *extra]
    case(f"communities-option-{name}", Error(pattern))(build)
for name, extra, pattern in (("drop-nan", ["--drop-probability", "nan"], r"--drop-probability"),
                             ("drop-above-one", ["--drop-probability", "1.5"], r"--drop-probability")):
    def build(folder, extra=extra):
        return ["robustness", "--data", str(TINY), *extra]
    case(f"robustness-option-{name}", Error(pattern))(build)


def out_under_a_file(folder: Path) -> list[str]:
    (folder / "plain").write_text("x")
    return ["run", "--data", str(TINY), "--out", str(folder / "plain" / "out")]


case("run-out-under-a-file", Error(r"influence: error: "))(out_under_a_file)
case("run-out-in-proc", Error(r"influence: error: "))(lambda folder: ["run", "--data", str(TINY), "--out", "/proc/influence-out"])
case("export-out-is-a-folder", Error(r"influence: error: "))(
    lambda folder: (folder.joinpath("x.csv").mkdir(), ["export", "--data", str(TINY), "--format", "csv", "--out", str(folder / "x.csv")])[1])
