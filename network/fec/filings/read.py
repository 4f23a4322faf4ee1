"""Read one FEC electronic filing (.fec, plain or inside a .zip) with fastfec, every record tied to its line.

fastfec (the Washington Post's C parser) knows each format version's field
names. It reports records, not line numbers, so this module reads the raw
lines itself beside it and checks, record by record, that fastfec's fields
are the line's fields: a line fastfec skipped, merged or read differently is
an error naming the file and the line, never a silent shift. The values kept
are the raw texts (exact cents), under fastfec's names. fastfec runs in a
child process (`network.fec.filings.worker`): on some malformed input the C
code stops its process, and that must be an error message, not the end of
the user's command.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator, Mapping

from network.errors import DataError, Problem
from network.fec.inputs import MAX_FEC_BYTES, MAX_LINE_BYTES, ZIP_ERRORS, line_too_long
from network.storage.inputs import checked_input

__all__ = ["REPORT_FAMILIES", "FilingFile", "Filing", "Record", "filing_files", "read_filing", "schedule_of"]

REPORT_FAMILIES = {
    "F3": "report of a House or Senate candidate's committee",
    "F3P": "report of a presidential candidate's committee",
    "F3X": "report of a PAC or party committee",
    "F24": "24- or 48-hour report of independent expenditures",
}
"""Report forms read (with their N/A/T suffix: new, amendment, termination)."""
_FORM = re.compile(r"^(F3X|F3P|F3|F24)([NAT]?)$")
_FILING_ID = re.compile(r"^[0-9]{1,12}$")
_COMMITTEE = re.compile(r"^C[0-9]{8}$")


@dataclass(frozen=True)
class FilingFile:
    """A .fec file to read: on disk, or a member of a zip archive.

    ``filing_id`` is the file name's stem: the FEC publishes every filing as
    ``<FILING_ID>.fec`` ('' when the name is not one; `filing_files` reports that).
    """

    path: Path
    member: str | None
    filing_id: str

    @property
    def shown(self) -> str:
        """How messages name the file: ``path`` or ``archive.zip:member.fec``."""
        return f"{self.path}:{self.member}" if self.member else str(self.path)

    @contextlib.contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        if self.member is None:
            with open(self.path, "rb") as handle:
                yield handle
        else:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as handle:
                yield handle

    def sha256(self) -> tuple[str, int]:
        """SHA-256 of the filing's bytes (the member's, for a zip) and its size."""
        digest, size = hashlib.sha256(), 0
        with self.open() as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
        return digest.hexdigest(), size


@dataclass(frozen=True)
class Record:
    """One line of a filing after the header: its number, form type and fields (raw text, stripped)."""

    line: int
    form: str
    fields: Mapping[str, str]

    def get(self, *names: str) -> str:
        """The first non-empty field among ``names`` ('' if none)."""
        for name in names:
            value = self.fields.get(name, "")
            if value:
                return value
        return ""


@dataclass(frozen=True)
class Filing:
    """A filing as read: header facts, the report form (its first record) and every later record."""

    file: FilingFile
    version: str
    header: Mapping[str, str]
    report: Record
    records: tuple[Record, ...] = field(default=())

    @property
    def form_type(self) -> str:
        return self.report.form

    @property
    def family(self) -> str:
        """``F3``, ``F3P``, ``F3X`` or ``F24``."""
        return _FORM.match(self.report.form).group(1)  # type: ignore[union-attr]

    @property
    def is_amendment(self) -> bool:
        return _FORM.match(self.report.form).group(2) == "A"  # type: ignore[union-attr]

    @property
    def amends(self) -> str:
        """The filing id this one amends (the header's ``FEC-<id>`` report id), or ''."""
        found = re.fullmatch(r"(?:FEC-)?([0-9]+)", self.header.get("report_id", "").strip().upper())
        return found.group(1) if self.is_amendment and found else ""

    @property
    def filer(self) -> str:
        return self.report.get("filer_committee_id_number").upper()


def schedule_of(form: str) -> str:
    """The schedule a record belongs to, for counting: ``A`` for SA11AI, ``C`` for SC/10, ``TEXT``...

    Examples
    --------
    >>> [schedule_of(f) for f in ("SA11AI", "SB23", "SC/10", "SC2/10", "SE", "H4", "TEXT")]
    ['A', 'B', 'C', 'C', 'E', 'H4', 'TEXT']
    """
    found = re.match(r"^S([A-L])", form)
    return found.group(1) if found else form


def filing_files(paths: list[Path]) -> tuple[list[FilingFile], list[Problem]]:
    """The filings named on the command line: .fec files, and every .fec member of .zip archives."""
    found: list[FilingFile] = []
    problems: list[Problem] = []
    for path in paths:
        shown = str(path)
        try:  # a folder, a FIFO, /dev/zero, a dangling link: named by the input boundary
            checked_input(path, expected="a .fec filing or a .zip of them", max_bytes=MAX_FEC_BYTES)
            if not zipfile.is_zipfile(path):
                with open(path, "rb") as handle:
                    if handle.read(4) in (b"PK\x03\x04", b"PK\x05\x06"):
                        raise DataError([Problem(shown, 0, "(zip)", "a damaged .zip archive: its table of contents is missing",
                                                 None, "the whole archive (was the download cut short?)")])
        except DataError as err:
            problems.extend(err.problems)
            continue
        if zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as archive:
                    members = sorted(m for m in archive.namelist() if m.lower().endswith(".fec"))
            except ZIP_ERRORS as err:
                problems.append(Problem(shown, 0, "(zip)", f"cannot read the archive: {err}", None, "a whole .zip archive"))
                continue
            if not members:
                problems.append(Problem(shown, 0, "(zip)", "no .fec file in the archive", None, "members named <FILING_ID>.fec"))
            for member in members:
                _add(found, problems, path, member, Path(member).name)
        else:
            _add(found, problems, path, None, path.name)
    return found, problems


def _add(found: list[FilingFile], problems: list[Problem], path: Path, member: str | None, name: str) -> None:
    stem = name[:-4] if name.lower().endswith(".fec") else name
    file = FilingFile(path, member, stem if _FILING_ID.match(stem) else "")
    if not file.filing_id:  # still read, so that one run reports the file's other problems too
        problems.append(Problem(file.shown, 0, "(file name)", "cannot tell the FEC filing id from the file name", name,
                                "<FILING_ID>.fec, as the FEC publishes it (docquery.fec.gov/dcdev/posted/<FILING_ID>.fec)"))
    found.append(file)


def _decode(raw: bytes) -> str:
    """A line's text: UTF-8, else Latin-1 (as fastfec decodes it)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _fields(text: str) -> list[str]:
    """A line's fields: split on the ASCII file separator 0x1C, or read as CSV (older formats)."""
    if "\x1c" in text:
        return text.split("\x1c")
    return next(csv.reader([text]), [])


def _lines(handle: IO[bytes], shown: str) -> Iterator[tuple[int, str]]:
    """Number and text of each line; a line over `MAX_LINE_BYTES` is measured, never held, and refused."""
    number = 0
    while raw := handle.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            length = len(raw)
            while not raw.endswith(b"\n") and (raw := handle.readline(1 << 20)):
                length += len(raw)
            raise DataError([line_too_long(shown, number, length)])
        yield number, _decode(raw.rstrip(b"\n").rstrip(b"\r"))


def _same(parsed: Any, raw: str | None) -> bool:
    """Does fastfec's value show the raw field? (Dates come back as YYYY-MM-DD, amounts as floats.)"""
    if raw is None or raw == "":
        return parsed is None or parsed == "" or (raw == "" and parsed == "null")
    if isinstance(parsed, float):
        try:
            return float(raw) == parsed
        except ValueError:  # text that is no number (the rules list such a line as a bad amount)
            return True
    if not isinstance(parsed, str):
        return False
    parsed = parsed.strip()
    return parsed == raw or (len(raw) == 8 and raw.isdigit() and parsed == f"{raw[:4]}-{raw[4:6]}-{raw[6:]}")


class _Parser:
    """fastfec's records of one filing, read from the worker process as they come."""

    def __init__(self, file: FilingFile) -> None:
        self.errors = tempfile.TemporaryFile()
        # Run the file itself, not ``-m``: importing the packages around it would load pandas and DuckDB first.
        worker = Path(__file__).with_name("worker.py")
        command = [sys.executable, str(worker), str(file.path), *([file.member] if file.member else [])]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.errors)
        self.messages: list[str] = []
        self.status: int | None = None
        self.stopped = False

    def __iter__(self) -> Iterator[tuple[str, dict[str, Any]]]:
        assert self.process.stdout is not None
        for text in self.process.stdout:
            form, pairs = json.loads(text)
            yield form, dict(pairs)

    def close(self) -> None:
        if self.process.poll() is None:  # the reader stopped at a problem: the rest is not needed
            self.stopped = True
            self.process.kill()
        self.status = self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.errors.seek(0)
        self.messages = [m for m in self.errors.read().decode("utf-8", "replace").splitlines() if m.strip()]
        self.errors.close()


def _header(lines: Iterator[tuple[int, str]], shown: str) -> tuple[dict[str, str], str, int]:
    """The header's fields (lowercase names), its format version and its last line."""
    number, first = next(lines, (0, ""))
    if not first.strip(" \t\r\n"):
        raise DataError([Problem(shown, max(number, 1), "(header)", "empty file", None, "a .fec filing starting with its HDR record")])
    if first.startswith("/*"):  # the multi-line header of formats before 3
        values: dict[str, str] = {}
        for number, text in lines:
            if text.startswith("/*"):
                break
            key, _, value = text.partition("=")
            values[key.strip().lower()] = value.strip()
        version = values.get("fec_ver_#", "")
        return values, version, number
    parts = [p.strip() for p in _fields(first)]
    if not parts or parts[0].upper() != "HDR":
        raise DataError([Problem(shown, 1, "(header)", "not an FEC filing header", first[:40], "HDR, FEC, the format version, ...")])
    names = ("record_type", "ef_type", "fec_version", "soft_name", "soft_ver", "report_id", "report_number", "comment")
    if len(parts) > 1 and parts[1].upper() != "FEC":  # very old: HDR, version, ...
        names = ("record_type", "fec_version", "soft_name", "soft_ver", "report_id", "report_number")
    values = dict(zip(names, parts))
    if not values.get("fec_version"):
        raise DataError([Problem(shown, 1, "(header)", "the header names no format version", first[:40],
                                 "HDR, FEC, the format version (8.3...), ...")])
    return values, values.get("fec_version", ""), number


def read_filing(file: FilingFile) -> Filing:
    """Read a filing's header, report form and records, each checked against its raw line.

    Raises
    ------
    DataError
        For an empty file, a line over `MAX_LINE_BYTES`, a header that is not one, a version or form type
        fastfec does not know, a report form other than `REPORT_FAMILIES`, or a
        record fastfec did not read as its line is written (naming the line).
    """
    shown = file.shown
    parser = _Parser(file)
    try:
        with file.open() as raw_handle:
            lines = _lines(raw_handle, shown)
            header, version, header_end = _header(lines, shown)
            records, problem = _aligned(iter(parser), lines, shown, version, header_end)
    except ZIP_ERRORS as err:  # a damaged member of a zip
        raise DataError([Problem(shown, 0, "(zip)", f"cannot read the archive: {err}", None, "a whole .zip archive")]) from None
    finally:
        parser.close()
    if problem is None and parser.status != 0 and not parser.stopped:
        problem = Problem(shown, records[-1].line if records else 1, "(record)", f"fastfec failed (exit status {parser.status})")
    if problem is None and not records:
        problem = Problem(shown, header_end + 1, "(report)", "no report form after the header", None,
                          "a report record such as F3XN, F3N, F3PN or F24N")
    if problem is not None:
        detail = "; ".join(m for m in parser.messages if m.lower().startswith(("error", "warning")))
        if parser.status not in (0, None) and not parser.stopped:
            detail = "; ".join(filter(None, [f"it stopped with exit status {parser.status}", detail]))
        if detail:
            problem = Problem(problem.path, problem.line, problem.column, f"{problem.problem} (fastfec: {detail})",
                              problem.found, problem.expected)
        raise DataError([problem])
    report = records[0]
    if not _FORM.match(report.form):
        raise DataError([Problem(shown, report.line, "form_type", "report form not supported", report.form,
                                 "one of " + ", ".join(f"{k} ({v})" for k, v in REPORT_FAMILIES.items())
                                 + ", with N, A or T")])
    filer = report.get("filer_committee_id_number").upper()
    if not _COMMITTEE.match(filer):
        raise DataError([Problem(shown, report.line, "filer_committee_id_number", "not a committee id", filer, "C and 8 digits")])
    return Filing(file, version, header, report, tuple(records[1:]))


def _aligned(parsed: Iterator[tuple[str, dict[str, Any]]], lines: Iterator[tuple[int, str]], shown: str, version: str,
             header_end: int) -> tuple[list[Record], Problem | None]:
    """Walk fastfec's records and the raw lines together; the first disagreement is the problem."""
    first = next(parsed, None)
    if first is None or first[0] != "header":
        return [], Problem(shown, 1, "(header)", "fastfec cannot read this filing's format version", version,
                           "an FEC format version fastfec knows (1 to 8.x)")
    records: list[Record] = []
    for number, text in lines:
        if not text.strip(" \t\r\n"):  # fastfec skips blank lines too (str.strip() would also drop 0x1C)
            continue
        parts = [p.strip() for p in _fields(text)]
        item = next(parsed, None)
        if item is None:
            return records, Problem(shown, number, "(record)", "fastfec did not read this line", parts[0],
                                    f"a form type fastfec knows for version {version}")
        form, values = item
        names = list(values)
        if form != parts[0]:
            return records, Problem(shown, number, "(record)", f"fastfec did not read this line (its next record is a {form})",
                                    parts[0], f"a form type fastfec knows for version {version}")
        if len(parts) < 2:
            return records, Problem(shown, number, "(record)", "a record with one field", parts[0], "a form type, then the filer's id and fields")
        check = len(names) if form.startswith(("S", "TEXT", "H")) else min(len(names), 4)
        for index in range(check):
            raw = parts[index] if index < len(parts) else None
            if not _same(values[names[index]], raw):
                return records, Problem(shown, number, names[index], "fastfec read this field differently",
                                        raw, f"{values[names[index]]!r} as fastfec read it")
        if check == len(names) and any(parts[len(names):]):
            return records, Problem(shown, number, "(record)", f"more fields than fastfec's layout of {form} has",
                                    f"{len(parts)} fields", f"{len(names)} for version {version}")
        fields = {name: (parts[index] if index < len(parts) else "") for index, name in enumerate(names)}
        records.append(Record(number, form, fields))
        if len(records) == 1 and not _FORM.match(form):  # not a report read here: the caller says so
            return records, None
    extra = next(parsed, None)
    if extra is not None and records:
        return records, Problem(shown, records[-1].line if records else header_end, "(record)",
                                "fastfec read more records than the file has lines", extra[0], "one record per line")
    return records, None
