"""The hostile corpus, continued: the commands that read a data folder besides those of corpus.py
(map, report, path, brokers, ego, claims, merge), and the FEC readers (fec ingest on both engines,
fec filing). Imported at the end of corpus.py, whose `CASES` these cases join.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Callable

from corpus import (HOSTILE_NAMES, STRENGTH, TINY, Error, Ok, case, replace_file, with_entity_name, with_relationship_cell,
                    with_schema)

# ---------------------------------------------------------------- every other command that reads a data folder
# (validate, centrality, flows, timeline, export, run, communities, robustness and import-edges are above)
DATA_COMMANDS = {
    "map": lambda folder, data: ["map", "--data", str(data), "--out", str(folder / "m.html")],
    "report": lambda folder, data: ["report", "--data", str(data), "--out", str(folder / "rep")],
    "path": lambda folder, data: ["path", "--data", str(data), "--from", "alice", "--to", "campaign"],
    "brokers": lambda folder, data: ["brokers", "--data", str(data), "--from", "alice", "--to", "campaign"],
    "ego": lambda folder, data: ["ego", "alice", "--data", str(data)],
    "claims": lambda folder, data: ["claims", "--data", str(data)],
    "merge": lambda folder, data: ["merge", str(data), str(TINY), "--out", str(folder / "merged")],
}
DATA_DAMAGE = {
    "relationships-binary": (replace_file("relationships.csv", bytes(range(256)) * 4), r"relationships\.csv:\d+: "),
    "entities-folder": (replace_file("entities.csv", kind="folder"), r"entities\.csv:0: \(file\): a folder, not a file"),
    "sources-fifo": (replace_file("sources.csv", kind="fifo"), r"sources\.csv:0: \(file\): not a regular file"),
    "amount-1_000": (with_relationship_cell("amount_usd", "1_000"), r"relationships\.csv:2: amount_usd"),
    "amount-on-executive": (with_relationship_cell("amount_usd", "5000", row=5), r"relationships\.csv:6: amount_usd: an amount on type"),
    "schema-inf": (with_schema(STRENGTH, STRENGTH.replace("3.0", "inf")), r"schema\.toml:72: [^\n]*default_strength"),
}
for command, argv in DATA_COMMANDS.items():
    for damage, (make, pattern) in DATA_DAMAGE.items():
        def build(folder, make=make, argv=argv):
            return argv(folder, make(folder))
        case(f"{command}-{damage}", Error(pattern))(build)


def _outputs_inert(folder: Path, out: str) -> None:
    """No CSV cell written is a live formula; the HTML holds the name only escaped."""
    for path in folder.rglob("*.csv"):
        if "data" in path.relative_to(folder).parts:
            continue
        for row in csv.reader(open(path, encoding="utf-8")):
            for cell in row:
                assert not re.match(r"^[=+\-@\t\r]", cell) or re.match(r"^[+-]?[0-9.]+(e[+-]?[0-9]+)?$", cell), (path, cell)
    for path in folder.rglob("*.html"):
        assert "<script>alert(1)</script>" not in path.read_text(encoding="utf-8"), path
    assert "\x1b" not in out


for command, argv in DATA_COMMANDS.items():
    for number, name in ((0, HOSTILE_NAMES[0]), (5, HOSTILE_NAMES[5]), (7, HOSTILE_NAMES[7])):
        def build(folder, name=name, argv=argv):
            return argv(folder, with_entity_name(name)(folder))
        case(f"{command}-hostile-name-{number}", Ok(_outputs_inert))(build)

# merge and claims: the folders they are given
case("merge-one-folder", Error(r"fewer than two folders"))(lambda folder: ["merge", str(TINY), "--out", str(folder / "m")])
case("merge-a-file-as-folder", Error(r"x\.csv:0: \(folder\): not a folder"))(
    lambda folder: ((folder / "x.csv").write_text("a,b\n"), ["merge", str(folder / "x.csv"), str(TINY), "--out", str(folder / "m")])[1])
case("merge-overrides-binary", Error(r"review\.csv:\d+: \(encoding\)"))(
    lambda folder: ((folder / "review.csv").write_bytes(bytes(range(256))),
                    ["merge", str(TINY), str(TINY), "--out", str(folder / "m"), "--overrides", str(folder / "review.csv")])[1])
case("claims-folders-one-broken", Error(r"entities\.csv:0: \(file\): a folder"))(
    lambda folder: ["claims", str(replace_file("entities.csv", kind="folder")(folder)), str(TINY)])

# ---------------------------------------------------------------- fec ingest and fec filing: files that are not FEC files
FEC_FIXTURES = TINY.parent / "fec"


def fec_ingest(indiv: Callable[[Path], Path], *extra: str):
    def build(folder: Path) -> list[str]:
        return ["fec", "ingest", "--indiv", str(indiv(folder)), "--cm", str(FEC_FIXTURES / "cm.txt"), "--cn",
                str(FEC_FIXTURES / "cn.txt"), "--ccl", str(FEC_FIXTURES / "ccl.txt"), "--out", str(folder / "out"), "--quiet", *extra]
    return build


def written(name: str, content: bytes | Callable[[], bytes]):
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content() if callable(content) else content)
        return path
    return make


def one_line(size: int, *, newline: bool = False) -> Callable[[], bytes]:
    return lambda: b"C00580100|" + b"N" * (size - 10 - newline) + (b"\n" if newline else b"")


def zipped(member: str, content: Callable[[], bytes], *, cut: bool = False):
    def make() -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            target.writestr(member, content())
        return out.getvalue()[: len(out.getvalue()) // 2] if cut else out.getvalue()
    return make


ITCONT = lambda: (FEC_FIXTURES / "itcont.txt").read_bytes()  # noqa: E731
FEC_INGEST_CASES = {
    # the "an FEC line over 10 MB" and "a 300 MB file of one line" (at 20 MB: the same path, measured not held)
    "line-over-10MB": (written("big.txt", one_line(11_000_000)), r"big\.txt:1: \(line\): a line of 11,000,000 bytes"),
    "one-line-20MB": (written("big.txt", one_line(20_000_000, newline=True)), r"big\.txt:1: \(line\): a line of 20,000,000 bytes"),
    "line-just-over": (written("big.txt", lambda: ITCONT() + one_line(65_537)()), r"big\.txt:\d+: \(line\): a line of 65,537 bytes"),
    "long-line-in-zip": (written("indiv.zip", zipped("itcont.txt", one_line(3_000_000))), r"indiv\.zip:itcont\.txt:1: \(line\)"),
    "truncated-zip": (written("indiv.zip", zipped("itcont.txt", ITCONT, cut=True)), r"indiv\.zip:0: \(zip\): a damaged \.zip"),
    "zip-without-itcont": (written("indiv.zip", zipped("a/b.csv", ITCONT)), r"indiv\.zip:0: \(zip\): cannot tell which member"),
    "bare-cr": (written("cr.txt", lambda: b"C00580100|N\rQ2|x\n"), r"cr\.txt:1: \(line\): carriage return inside a line"),
    "folder": (lambda folder: (folder / "d").mkdir() or folder / "d", r"d:0: \(file\): a folder, not a file"),
    "fifo": (lambda folder: os.mkfifo(folder / "p") or folder / "p", r"p:0: \(file\): not a regular file"),
    "dev-zero": (lambda folder: Path("/dev/zero"), r"/dev/zero:0: \(file\): not a regular file"),
    "missing": (lambda folder: folder / "none.txt", r"none\.txt:0: \(file\): file not found"),
}
for name, (make, pattern) in FEC_INGEST_CASES.items():
    case(f"fec-ingest-{name}", Error(pattern))(fec_ingest(make))
case("fec-ingest-binary-lines-excluded", Ok())(fec_ingest(written("bin.txt", lambda: bytes(range(256)).replace(b"\r", b"") * 4)))
case("fec-ingest-spark-long-line", Error(r"big\.txt:1: \(line\): a line of 2,000,000 bytes"))(
    fec_ingest(written("big.txt", one_line(2_000_000)), "--engine", "spark"))


def _fec_cells_neutralized(folder: Path, out: str) -> None:
    names = [row["name"] for row in csv.DictReader(open(folder / "out" / "entities.csv", encoding="utf-8"))]
    assert "'=HYPERLINK(\"http://x\")" in names, names
    _outputs_inert(folder, out)


case("fec-ingest-formula-donor", Ok(_fec_cells_neutralized))(fec_ingest(written("itcont.txt", lambda: ITCONT() + (
    'C00580100|N|Q2|P2016|201607159000000901|15|IND|=HYPERLINK("http://x")|AUSTIN|TX|78701|TESLA|@SUM(1+1)|03152016|2500'
    "||SA11AI.0901|1100000|||4041520161293000901\n").encode())))

FILING = FEC_FIXTURES / "filings" / "1550126.fec"
FEC_FILING_CASES = {
    "long-line": (written("99999.fec", lambda: FILING.read_bytes() + b"SA11AI\x1c" + b"Z" * 100_000 + b"\n"),
                  r"99999\.fec:\d+: \(line\): a line of 100,008 bytes"),
    "one-huge-line": (written("99999.fec", lambda: b"HDR\x1cFEC\x1c8.3\x1c" + b"X" * 20_000_000), r"99999\.fec:1: \(line\)"),
    "truncated-zip": (written("f.zip", zipped("99999.fec", FILING.read_bytes, cut=True)), r"f\.zip:0: \(zip\): a damaged"),
    "binary": (written("99999.fec", lambda: bytes(range(256)) * 8), r"99999\.fec:1: \(header\)"),
    "empty": (written("99999.fec", b""), r"99999\.fec:1: \(header\): empty file"),
    "folder": (lambda folder: (folder / "9.fec").mkdir() or folder / "9.fec", r"9\.fec:0: \(file\): a folder"),
    "dev-zero": (lambda folder: (folder / "9.fec").symlink_to("/dev/zero") or folder / "9.fec", r"9\.fec:0: \(file\): not a regular"),
}
for name, (make, pattern) in FEC_FILING_CASES.items():
    case(f"fec-filing-{name}", Error(pattern))(lambda folder, make=make: ["fec", "filing", str(make(folder)), "--out", str(folder / "out")])
