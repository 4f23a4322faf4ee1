"""FEC input files: unzip, hash, count lines and find the lines an engine cannot read as UTF-8.

One pass over each file in Python (at disk speed: it only hashes, counts
newlines and checks bytes) gives what every engine needs to agree on the
line numbers of exclusions: the SHA-256 for provenance, the number of lines
for progress, and the rare lines that are not UTF-8 (the FEC's files carry
a few Latin-1 bytes) or that contain the byte DuckDB uses as its column
separator. Those lines are handed to the engine already decoded (as UTF-8
when valid, else ISO-8859-1), so no line is lost or renumbered. A line longer
than `MAX_LINE_BYTES` makes the file malformed (the longest FEC record is a
few hundred bytes): the pass measures it without keeping it in memory and the
ingest stops with its file, line and length, before any engine reads it.
"""

from __future__ import annotations

import codecs
import hashlib
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Mapping

from network.errors import DataError, Problem
from network.fec.layouts import LAYOUTS
from network.storage.inputs import checked_input

__all__ = ["MAX_FEC_BYTES", "MAX_LINE_BYTES", "SEPARATOR", "ZIP_ERRORS", "InputFile", "line_too_long", "prepare_input", "prepare_inputs", "scan_lines"]

SEPARATOR = "\x1f"
"""The byte DuckDB is told separates columns, so that each line is read whole (FEC data never has it)."""
_CHUNK = 1 << 24
MAX_FEC_BYTES = 1 << 40
"""No practical bound on an FEC file's size (a cycle's itcont.txt passes 10 GB); its lines are bounded instead."""
MAX_LINE_BYTES = 1 << 16
"""The longest line an FEC file may have (64 KiB, its line end included). FEC bulk records are at most a
few hundred bytes and electronic filing records a few thousand (a TEXT record's text is at most 4,000
characters); a longer line is a damaged file or no FEC file at all. The bound keeps every line an engine
reads, and the text of an excluded line in exclusions.csv, short enough for any CSV reader; and one
300 MB line is measured, never read into memory."""


def line_too_long(shown: str, line: int, length: int) -> Problem:
    """The problem of a line of ``length`` bytes, over `MAX_LINE_BYTES`."""
    return Problem(shown, line, "(line)", f"a line of {length:,} bytes", None,
                   f"at most {MAX_LINE_BYTES:,} bytes a line (FEC records are a few hundred; are the line ends intact?)")


@dataclass(frozen=True)
class InputFile:
    """One input as the engines read it.

    Attributes
    ----------
    key : str
        ``indiv``, ``oth``, ``pas2``, ``cm``, ``cn`` or ``ccl``.
    shown : str
        The path as the user gave it (with ``:member`` for a zip), used in exclusions.
    file_name : str
        The name of the file the user gave (``indiv16.zip``, ``itcont.txt``).
    text_path : Path
        The plain text file to read (the zip member extracted to the work folder).
    sha256 : str
        Of the file the user gave (the zip itself for a zip).
    size_bytes, lines : int
        Of the text file; ``lines`` counts a last line without a newline.
    odd_lines : tuple of (int, str, bool)
        Lines that are not UTF-8, or contain `SEPARATOR`: line number, text, and
        whether the text was decoded as ISO-8859-1 (the line is not UTF-8).
    latin1_lines : int
        How many lines were decoded as ISO-8859-1.
    """

    key: str
    shown: str
    file_name: str
    text_path: Path
    sha256: str
    size_bytes: int
    lines: int
    odd_lines: tuple[tuple[int, str, bool], ...] = field(default=())
    latin1_lines: int = 0


def _decode(raw: bytes) -> tuple[str, bool]:
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode("iso-8859-1"), True


class _LineScanner:
    """Counts lines and collects odd ones from blocks of bytes fed in order."""

    def __init__(self) -> None:
        self.lines = 0
        self.size = 0
        self.odd: list[tuple[int, str, bool]] = []
        self.latin1 = 0
        self.bare_cr = 0
        self.long_lines: list[tuple[int, int]] = []
        """(line, length in bytes) of each line over `MAX_LINE_BYTES`."""
        self._carry = b""
        self._long: list[int] | None = None  # [line, bytes so far] of an over-long line still being read

    def _check(self, complete: bytes) -> None:
        """Note the odd lines of a block of whole lines (fast when there are none)."""
        separator = SEPARATOR.encode()
        if b"\r" in complete and complete.count(b"\r") != complete.count(b"\r\n") and not self.bare_cr:
            at = next(i for i in range(len(complete)) if complete[i:i + 1] == b"\r" and complete[i + 1:i + 2] != b"\n")
            self.bare_cr = self.lines + complete.count(b"\n", 0, at) + 1
        ascii_only = complete.isascii()
        if ascii_only and separator not in complete:
            return
        starts: set[int] = set()
        at = complete.find(separator)
        while at != -1:
            starts.add(complete.rfind(b"\n", 0, at) + 1)
            at = complete.find(separator, complete.find(b"\n", at))
        if not ascii_only:
            view, offset = memoryview(complete), 0
            while offset < len(complete):
                try:
                    codecs.utf_8_decode(view[offset:], "strict", True)
                    break
                except UnicodeDecodeError as err:
                    at = offset + err.start
                    starts.add(complete.rfind(b"\n", 0, at) + 1)
                    offset = complete.find(b"\n", at) + 1
        line, counted_to = self.lines + 1, 0
        for start in sorted(starts):  # count line ends from the previous odd line on, not from the block's start
            line += complete.count(b"\n", counted_to, start)
            counted_to = start
            text, latin1 = _decode(complete[start:complete.find(b"\n", start)])
            self.odd.append((line, text, latin1))
            self.latin1 += latin1

    def _note_long_lines(self, complete: bytes) -> None:
        """Note the lines over `MAX_LINE_BYTES` in a block of whole lines.

        A line of at most the limit that starts at ``start`` ends before ``start + limit``: one
        backward search per window of that size (256 per 16 MiB block, each stopping at the
        nearest line end) proves a block has none, so the check costs nothing measurable.
        """
        start = 0
        while len(complete) - start > MAX_LINE_BYTES:
            end = complete.rfind(b"\n", start, start + MAX_LINE_BYTES)
            if end != -1:
                start = end + 1
                continue
            end = complete.find(b"\n", start)
            self.long_lines.append((self.lines + complete.count(b"\n", 0, start) + 1, end + 1 - start))
            start = end + 1

    def feed(self, block: bytes) -> None:
        self.size += len(block)
        if self._long is not None:  # inside an over-long line: measure it, keep none of it
            end = block.find(b"\n")
            if end == -1:
                self._long[1] += len(block)
                return
            self.long_lines.append((self._long[0], self._long[1] + end + 1))
            self._long = None
            self.lines += 1
            block = block[end + 1:]
        data = self._carry + block
        cut = data.rfind(b"\n") + 1
        complete, self._carry = data[:cut], data[cut:]
        if complete:
            self._note_long_lines(complete)
            if not self.long_lines:  # a malformed file is refused: its odd lines do not matter
                self._check(complete)
            self.lines += complete.count(b"\n")
        if len(self._carry) > MAX_LINE_BYTES:
            self._long, self._carry = [self.lines + 1, len(self._carry)], b""

    def finish(self) -> None:
        if self._long is not None:
            self.long_lines.append((self._long[0], self._long[1]))
            self._long = None
            self.lines += 1
        if self._carry:
            if not self.long_lines:
                self._check(self._carry + b"\n")
            self.lines += 1
            self._carry = b""


def scan_lines(handle: BinaryIO, *, digest=None, sink: BinaryIO | None = None,
               on_bytes: Callable[[int], None] | None = None) -> _LineScanner:
    """Read a binary stream to the end: count its lines, find its odd lines.

    Parameters
    ----------
    handle : binary file
    digest : hashlib object, optional
        Updated with every byte read.
    sink : binary file, optional
        Receives a copy of every byte (to extract a zip member while scanning it).
    on_bytes : callable, optional
        Called with the number of bytes read so far.

    Examples
    --------
    >>> import io
    >>> scan = scan_lines(io.BytesIO(b"A|1\\nJOS\\xc9|2\\nlast"))
    >>> scan.lines, scan.odd, scan.latin1
    (3, [(2, 'JOSÉ|2', True)], 1)
    """
    scanner = _LineScanner()
    while True:
        block = handle.read(_CHUNK)
        if not block:
            break
        if digest is not None:
            digest.update(block)
        if sink is not None:
            sink.write(block)
        scanner.feed(block)
        if on_bytes is not None:
            on_bytes(scanner.size)
    scanner.finish()
    return scanner


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)
"""What reading a damaged, truncated, encrypted or oddly compressed archive raises."""


def _zip_member(path: Path, key: str) -> str:
    """The member of an FEC zip that holds the file (``itcont.txt`` ...), or the only .txt member."""
    with zipfile.ZipFile(path) as archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
    expected = LAYOUTS[key].member
    if expected in names:
        return expected
    texts = [name for name in names if name.lower().endswith(".txt") and "/" not in name]
    if len(texts) == 1:
        return texts[0]
    raise DataError([Problem(str(path), 0, "(zip)", f"cannot tell which member holds {expected}",
                             ", ".join(names[:8]), f"a member named {expected}, or a single .txt file")])


def _refuse_malformed_lines(scan: _LineScanner, shown: str) -> None:
    """Refuse a file with lines over `MAX_LINE_BYTES` (every one named) or a carriage return inside a line."""
    problems = [line_too_long(shown, line, length) for line, length in scan.long_lines]
    if scan.bare_cr and not scan.long_lines:
        problems.append(Problem(shown, scan.bare_cr, "(line)", "carriage return inside a line", "\\r",
                                "lines ending in \\n (or \\r\\n); the engines would split this line differently"))
    if problems:
        raise DataError(problems)


def prepare_input(key: str, path: str | Path, work_dir: Path) -> InputFile:
    """Check, hash and scan one input; extract it first when it is a zip.

    Raises
    ------
    DataError
        If the file is missing or no regular file, a zip is damaged or holds no recognizable member, a line
        is longer than `MAX_LINE_BYTES`, or a line holds a carriage return
        that does not end it.
    """
    # a folder, a FIFO, /dev/zero, a dangling link: named by the input boundary (FEC files may pass 4 GiB)
    given = checked_input(path, expected=f"the FEC file for --{key}", max_bytes=MAX_FEC_BYTES)
    is_zip = zipfile.is_zipfile(given)
    if not is_zip:
        with open(given, "rb") as handle:
            if handle.read(4) in (b"PK\x03\x04", b"PK\x05\x06"):
                raise DataError([Problem(str(given), 0, "(zip)", "a damaged .zip archive: its table of contents is missing",
                                         None, "the whole archive as the FEC publishes it (was the download cut short?)")])
    if is_zip:
        member = "?"
        try:
            member = _zip_member(given, key)
            text_path = work_dir / f"{key}-{Path(member).name}"
            with zipfile.ZipFile(given) as archive, archive.open(member) as source, open(text_path, "wb") as sink:
                scan = scan_lines(source, sink=sink)
        except ZIP_ERRORS as err:
            raise DataError([Problem(f"{given}:{member}", 0, "(zip)", f"cannot read the archive: {err}", None,
                                     "the whole archive as the FEC publishes it (was the download cut short?)")]) from None
        _refuse_malformed_lines(scan, f"{given}:{member}")
        return InputFile(key, f"{given}:{member}", given.name, text_path, _file_sha256(given), scan.size, scan.lines,
                         tuple(scan.odd), scan.latin1)
    digest = hashlib.sha256()
    with open(given, "rb") as handle:
        scan = scan_lines(handle, digest=digest)
    _refuse_malformed_lines(scan, str(given))
    return InputFile(key, str(given), given.name, given, digest.hexdigest(), scan.size, scan.lines, tuple(scan.odd), scan.latin1)


def prepare_inputs(paths: Mapping[str, str | Path], work_dir: Path) -> dict[str, InputFile]:
    """`prepare_input` for every given input, keyed like `layouts.LAYOUTS`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "cm.txt").write_bytes(b"C00000001|A PAC|||||||U|Q|||||\\n")
    >>> prepare_inputs({"cm": folder / "cm.txt"}, folder)["cm"].lines
    1
    """
    unknown = sorted(set(paths) - set(LAYOUTS))
    if unknown:
        raise ValueError(f"unknown FEC inputs {unknown}; expected some of {sorted(LAYOUTS)}")
    prepared: dict[str, InputFile] = {}
    problems: list[Problem] = []
    for key, path in paths.items():  # every input's problems in one run
        try:
            prepared[key] = prepare_input(key, path, work_dir)
        except DataError as err:
            problems.extend(err.problems)
    if problems:
        raise DataError(problems)
    return prepared
