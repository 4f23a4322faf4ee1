"""A progress line on stderr for long ingests: step, percent done, rows and rows per second."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, TextIO

__all__ = ["Progress", "format_rate"]


def format_rate(rows: float, seconds: float) -> str:
    """Rows per second, rounded for a human.

    Examples
    --------
    >>> format_rate(2_500_000, 2.0)
    '1.2M rows/s'
    >>> format_rate(900, 3.0)
    '300 rows/s'
    """
    rate = rows / seconds if seconds > 0 else 0.0
    if rate >= 1e6:
        return f"{rate / 1e6:.1f}M rows/s"
    if rate >= 1e4:
        return f"{rate / 1e3:.0f}k rows/s"
    return f"{rate:.0f} rows/s"


class Progress:
    """Redraws one status line while a step runs; silent when disabled.

    Parameters
    ----------
    stream : text file
        Usually ``sys.stderr``.
    enabled : bool
        The CLI enables it only when the stream is a terminal and --quiet is off.
    interval : float
        Seconds between redraws.
    """

    def __init__(self, stream: TextIO, *, enabled: bool, interval: float = 0.5) -> None:
        self.stream = stream
        self.enabled = enabled
        self.interval = interval

    def _draw(self, text: str) -> None:
        self.stream.write("\r" + text[:110].ljust(110))
        self.stream.flush()

    @contextmanager
    def step(self, label: str, fraction: Callable[[], float | None], *, total_rows: int | None = None) -> Iterator[None]:
        """Show ``label`` with the engine's completion while the block runs.

        ``fraction`` reports the running query's completion (0..1, or None
        when unknown); with ``total_rows`` the line also shows rows and rows
        per second.
        """
        if not self.enabled:
            yield
            return
        started = time.monotonic()
        done = threading.Event()

        def draw() -> None:
            while not done.wait(self.interval):
                value = fraction()
                elapsed = time.monotonic() - started
                text = f"fec ingest: {label}"
                if value is not None:
                    text += f" {value:5.1%}"
                    if total_rows:
                        rows = value * total_rows
                        text += f"  {rows:,.0f} of {total_rows:,} rows  {format_rate(rows, elapsed)}"
                self._draw(text + f"  {elapsed:.0f}s")

        thread = threading.Thread(target=draw, daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()
            elapsed = time.monotonic() - started
            text = f"fec ingest: {label} done in {elapsed:.1f}s"
            if total_rows:
                text += f" ({format_rate(total_rows, elapsed)})"
            self._draw(text)
            self.stream.write("\n")
            self.stream.flush()
