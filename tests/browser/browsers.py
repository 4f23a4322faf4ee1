"""Which Chromium the map browser tests (and the map benchmark) drive through Playwright."""

from __future__ import annotations

import shutil
from pathlib import Path

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
ADVICE = ("The map browser tests need Chromium: run `make test` (it installs one: Debian's `chromium` package "
          "as root, else Playwright's own with `python -m playwright install chromium`), or install either by hand.")


def playwright_chromium() -> str | None:
    """The browser `python -m playwright install chromium` put in Playwright's cache, if it is there."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
    except Exception:  # noqa: BLE001 - Playwright raises its own errors when its driver cannot start
        return None
    return path if path and Path(path).is_file() else None


def find_chromium() -> str | None:
    """A Chromium executable: Debian's, one on the PATH, else Playwright's own; None when there is none.

    Examples
    --------
    >>> found = find_chromium()
    >>> found is None or Path(found).is_file()
    True
    """
    if DEBIAN_CHROMIUM.is_file():
        return str(DEBIAN_CHROMIUM)
    on_path = shutil.which("chromium") or shutil.which("chromium-browser")
    return on_path or playwright_chromium()
