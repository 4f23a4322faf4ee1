"""Run fastfec on one filing in a child process and print its records as JSON lines.

fastfec is C code: on some malformed input it stops the whole process (an
illegal instruction, not an exception). Running it here, apart, turns that
into an exit status the reader reports with the file and line, instead of
the user's command dying. Usage: ``python worker.py PATH [MEMBER]`` (run as
a file, so that nothing else is imported); each output line is
``[form type, [[field, value], ...]]``.
"""

from __future__ import annotations

import json
import sys
import zipfile

__all__ = ["main"]


def main(argv: list[str]) -> int:
    from fastfec import FastFEC

    path, member = argv[0], (argv[1] if len(argv) > 1 else None)
    archive = zipfile.ZipFile(path) if member else None
    handle = archive.open(member) if archive and member else open(path, "rb")
    out = sys.stdout
    try:
        with FastFEC() as parser:
            for form, values in parser.parse(handle, should_parse_date=False):
                out.write(json.dumps([form, list(values.items())]) + "\n")
                out.flush()  # so that the records before a crash reach the reader
    finally:
        handle.close()
        if archive:
            archive.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
