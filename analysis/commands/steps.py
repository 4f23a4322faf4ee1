"""Wall time of each step of a long command, and on a terminal a progress line per step on stderr."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from typing import Iterator, Sequence, TextIO

__all__ = ["StepClock", "TIMINGS_FILE"]

TIMINGS_FILE = "run-timings.json"
"""Where `influence run` records its steps' wall times, beside run.json (which they would make differ
from run to run: run.json holds no clock reading, so the same data and seed give the same bytes)."""


class StepClock:
    """Time the steps of one command; on a terminal, show which step runs and how far the command is.

    Parameters
    ----------
    command : str
        The command's name, shown at the start of each progress line (``influence run``).
    steps : sequence of str
        The steps in the order they run, so that a line can say ``[3/8]``.
    stream : text file, optional
        Where progress goes (the CLI passes ``sys.stderr``). Nothing is written when it is
        None or not a terminal, so pipes, log files and outputs never see a progress line.

    Examples
    --------
    >>> import io
    >>> clock = StepClock("influence run", ["read", "write"], io.StringIO())
    >>> with clock.step("read"):
    ...     pass
    >>> list(clock.seconds), clock.seconds["read"] >= 0
    (['read'], True)
    """

    def __init__(self, command: str, steps: Sequence[str], stream: TextIO | None = None) -> None:
        self.command = command
        self.steps = list(steps)
        self.stream = stream if stream is not None and _is_terminal(stream) else None
        self.seconds: dict[str, float] = {}
        self._current = ""

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the block as step ``name`` (times add up if a step runs twice)."""
        position = f"[{self.steps.index(name) + 1}/{len(self.steps)}] " if name in self.steps else ""
        self._current = f"{self.command}: {position}{name}"
        self._show(self._current + " ...", end="")
        started = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            self.seconds[name] = self.seconds.get(name, 0.0) + elapsed
            self._show(f"{self._current}: {elapsed:.1f}s")

    def note(self, detail: str) -> None:
        """Say how far the current step is (``map 3 of 7: maps/money.html``), on the same line."""
        self._show(f"{self._current}: {detail}", end="")

    def record(self) -> dict:
        """The timings as a JSON-ready dict: each step's seconds in the order they ran, and the total."""
        return {
            "command": self.command,
            "note": "wall-clock seconds; they change from run to run, so they are kept out of run.json",
            "steps": {name: round(seconds, 3) for name, seconds in self.seconds.items()},
            "total_seconds": round(sum(self.seconds.values()), 3),
            "cpu_count": os.cpu_count(),
            "load_average_at_end": [round(value, 2) for value in os.getloadavg()],
        }

    def _show(self, text: str, *, end: str = "\n") -> None:
        if self.stream is None:
            return
        self.stream.write("\r\033[K" + text + end)
        self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False
