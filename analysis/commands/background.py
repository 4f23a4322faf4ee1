"""Work that runs beside the main process on a second core: a forked child whose failure comes back as an exception.

`influence run` writes its exports (files no later step reads) in such a child while the main process
draws the maps and builds the report. The child is a fork, so it sees the same tables, graph and seed
and writes the same bytes it would have written in the main process; it only writes the files it is
given. Without ``os.fork`` (Windows) or with one CPU the work simply runs first, in the main process.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from typing import Callable

__all__ = ["Background", "start_in_background"]


class Background:
    """A started piece of work: `wait` for it (its exception is raised here), or `stop` it."""

    def __init__(self, pid: int | None = None, pipe: int | None = None) -> None:
        self._pid, self._pipe = pid, pipe

    def wait(self) -> None:
        """Wait for the child; raise its exception (or a RuntimeError if it died without one)."""
        if self._pid is None:
            return
        with os.fdopen(self._pipe, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if payload:
            try:
                error = pickle.loads(payload)
            except Exception:  # noqa: BLE001 - an exception type that cannot be rebuilt from its pickle
                error = RuntimeError("the background process failed")
            raise error
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"the background process stopped (exit status {os.waitstatus_to_exitcode(status)})")

    def stop(self) -> None:
        """End the child if it still runs (the main process failed): nothing it writes will be kept."""
        if self._pid is None:
            return
        try:
            os.kill(self._pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(self._pid, 0)
        os.close(self._pipe)
        self._pid = None


def start_in_background(work: Callable[[], None]) -> Background:
    """Run ``work()`` in a forked child and return at once; on one CPU or without fork, run it now.

    The child reports an exception by pickling it to a pipe (an unpicklable one as a RuntimeError
    with its text) and leaves with ``os._exit``, so it never runs the parent's cleanup.
    """
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        work()
        return Background()
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        code, payload = 0, b""
        try:
            work()
        except BaseException as err:  # noqa: BLE001 - every failure goes back to the parent
            code = 1
            try:
                payload = pickle.dumps(err)
            except Exception:  # noqa: BLE001
                payload = pickle.dumps(RuntimeError(f"{type(err).__name__}: {err}"))
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(code)
    os.close(write_end)
    return Background(pid, read_end)
