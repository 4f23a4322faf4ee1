"""Give the map browser tests a Chromium, on its own: run by `make test` before pytest.

In order: a Chromium already on the machine (Debian's /usr/bin/chromium, or `chromium` on the PATH);
else, as root with apt-get, Debian's `chromium` package; else Playwright's own browser
(`python -m playwright install chromium`, which needs internet). If none of these works it says what to
do and exits 0: the browser tests then fail with the same advice (they are never skipped).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from browsers import ADVICE, find_chromium


def _run(command: list[str], env: dict | None = None) -> bool:
    print("provision:", " ".join(command), flush=True)
    try:
        return subprocess.run(command, env=env, check=False).returncode == 0
    except OSError as err:
        print(f"provision: {err}", flush=True)
        return False


def provision() -> str | None:
    """The Chromium the tests will use after installing one if needed; None if none could be had."""
    found = find_chromium()
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if _run(["apt-get", "update", "-qq"], env) and _run(["apt-get", "install", "-y", "-qq", "chromium"], env):
            found = find_chromium()
            if found:
                return found
    if _run([sys.executable, "-m", "playwright", "install", "chromium"]):
        return find_chromium()
    return None


def main() -> int:
    found = provision()
    if found:
        print(f"provision: the browser tests use {found}")
    else:
        print(f"provision: no Chromium could be installed. {ADVICE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
