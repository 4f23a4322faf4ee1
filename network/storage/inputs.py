"""The input boundary: every file the tool reads is checked here first, and every OS error named.

A careless or hostile path (a folder, a dangling link, a symlink loop, a
FIFO, ``/dev/zero``, a file too large to be data) becomes one `DataError`
naming the file and what was expected, never a traceback or a hang.
Text is decoded as UTF-8 (a BOM allowed); a bad byte is named by line.
Numbers in cells go through `normalize_digits`, which turns Arabic-Indic,
Persian and full-width digits into ASCII, so that ``١٠٠٠`` is read as 1000
and written back as ``1000``.
"""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

from network.errors import DataError, Problem

__all__ = [
    "MAX_INPUT_BYTES", "MAX_CELL_CHARS", "checked_input", "read_input_bytes", "decode_text",
    "read_input_text", "normalize_digits", "raise_field_limit",
]

MAX_INPUT_BYTES = 4 * 1024**3
"""Largest file read whole or streamed as data (4 GiB): larger is refused, not read for hours."""

MAX_CELL_CHARS = 1_000_000
"""Longest CSV cell accepted (Python's csv module alone stops at 131,072 characters)."""

_DIGITS = {}
for _zero in (0x0660, 0x06F0, 0xFF10):  # Arabic-Indic, extended (Persian), full-width
    for _offset in range(10):
        _DIGITS[_zero + _offset] = str(_offset)
_DIGITS.update({0x066C: ",", 0x066B: ".", 0xFF0C: ",", 0xFF0E: ".", 0xFF0D: "-", 0xFF04: "$"})


def normalize_digits(text: str) -> str:
    """ASCII digits for Arabic-Indic, Persian and full-width ones (and their separators).

    Examples
    --------
    >>> normalize_digits("٢٠٢٤-١٠-٠١"), normalize_digits("１００"), normalize_digits("١٬٠٠٠")
    ('2024-10-01', '100', '1,000')
    """
    return text.translate(_DIGITS)


def raise_field_limit() -> None:
    """Let the csv module read cells up to `MAX_CELL_CHARS` (a longer one is a clear csv.Error)."""
    if csv.field_size_limit() < MAX_CELL_CHARS:
        csv.field_size_limit(MAX_CELL_CHARS)


def _problem(shown: str, problem: str, found: str | None = None, expected: str | None = None) -> DataError:
    return DataError([Problem(shown, 0, "(file)", problem, found, expected)])


def checked_input(path: str | Path, *, expected: str = "a readable file", max_bytes: int = MAX_INPUT_BYTES) -> Path:
    """The path, if it is a regular readable file no larger than ``max_bytes``; else a `DataError` naming it.

    Examples
    --------
    >>> import tempfile
    >>> try:
    ...     checked_input(tempfile.mkdtemp(), expected="a CSV file")
    ... except DataError as err:
    ...     print(err.problems[0].problem)
    a folder, not a file
    """
    path = Path(path)
    shown = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise _problem(shown, "a link to nothing (dangling symbolic link)", None, expected) from None
        raise _problem(shown, "file not found", None, expected) from None
    except OSError as err:  # symlink loop, name too long, permission on a parent folder, ...
        raise _problem(shown, f"cannot open: {err.strerror or err}", None, expected) from None
    if stat.S_ISDIR(info.st_mode):
        raise _problem(shown, "a folder, not a file", None, expected)
    if not stat.S_ISREG(info.st_mode):
        raise _problem(shown, "not a regular file (a device, pipe or socket)", None, expected)
    if info.st_size > max_bytes:
        raise _problem(shown, "file too large", f"{info.st_size} bytes", f"at most {max_bytes} bytes")
    if not os.access(path, os.R_OK):
        raise _problem(shown, "not readable (permission denied)", None, expected)
    return path


def read_input_bytes(path: str | Path, *, expected: str = "a readable file", max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a checked input file (`checked_input`); OS errors become a `DataError`."""
    path = checked_input(path, expected=expected, max_bytes=max_bytes)
    try:
        return path.read_bytes()
    except OSError as err:
        raise _problem(str(path), f"cannot read: {err.strerror or err}", None, expected) from None


def decode_text(raw: bytes, shown: str) -> str:
    """UTF-8 text (a BOM allowed); a bad byte or a NUL is a `DataError` naming its line.

    Examples
    --------
    >>> decode_text("\\ufeffid\\n".encode(), "x.csv")
    'id\\n'
    >>> try:
    ...     decode_text(b"id\\n\\xff\\n", "x.csv")
    ... except DataError as err:
    ...     print(err.problems[0])
    x.csv:2: (encoding): not UTF-8 text at byte 1 of the line (found 'byte 0xff', expected UTF-8 (re-save the file as UTF-8))
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        bad = raw[err.start : err.start + 1]
        raise DataError([Problem(shown, line, "(encoding)", f"not UTF-8 text at byte {column} of the line",
                                 f"byte 0x{bad.hex()}", "UTF-8 (re-save the file as UTF-8)")]) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataError([Problem(shown, line, "(encoding)", "a NUL character: a binary file, or UTF-16",
                                 "byte 0x00", "UTF-8 text")])
    return text


def read_input_text(path: str | Path, *, expected: str = "a UTF-8 text file", max_bytes: int = MAX_INPUT_BYTES) -> str:
    """`read_input_bytes` then `decode_text`."""
    return decode_text(read_input_bytes(path, expected=expected, max_bytes=max_bytes), str(path))
