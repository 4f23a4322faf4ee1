"""Work that runs beside the main process on a second core: a forked child whose result (or failure) comes back.

`influence run` scores the report's robustness scenarios, then writes and hashes its exports (files no later step
reads) in such a child while the main process draws the maps and builds the rest of the report. The child is a
fork, so it sees the same tables, graph and seed and computes the same values and bytes it would have
in the main process; it writes only the files it is given and sends back each part's return value (pickled) as
soon as it has it.
Without ``os.fork`` (Windows) or with one CPU the work simply runs first, in the main process.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from typing import Any, Callable

__all__ = ["Background", "start_in_background"]


class Background:
    """Started work, in parts: `part` gives one part's result as soon as the child has sent it (its exception is
    raised here), `wait` the last part's once the child has ended; or `stop` it."""

    def __init__(self, parts: int, pid: int | None = None, pipe: int | None = None, results: list | None = None) -> None:
        self._parts, self._pid, self._results = parts, pid, list(results or [])
        self._pipe = os.fdopen(pipe, "rb") if pipe is not None else None

    def part(self, number: int) -> Any:
        """The value of part ``number`` (from 0), read as soon as the child has sent it; a part's exception, or
        that of a part before it, is raised here; a RuntimeError if the child stopped without sending it."""
        while len(self._results) <= number and self._pipe is not None:
            frame = self._frame()
            if frame is None:
                break
            self._results.append(frame)
        for failed, value in self._results[:number + 1]:
            if failed:
                raise value
        if len(self._results) <= number:
            code = self._reap()
            raise RuntimeError(f"the background process stopped without a result (exit status {code})")
        return self._results[number][1]

    def wait(self) -> Any:
        """The last part's value, once the child has ended; an exception of any part (or a RuntimeError) is raised here."""
        value = self.part(max(self._parts, 1) - 1)
        self._reap()
        return value

    def stop(self) -> None:
        """End the child if it still runs (the main process failed): nothing it writes will be kept."""
        if self._pid is None:
            return
        try:
            os.kill(self._pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        self._reap()

    def _frame(self) -> tuple[bool, Any] | None:
        """The next ``(failed, value)`` the child sent, or None at the end of the pipe (or an unreadable frame)."""
        head = self._pipe.read(8)
        if len(head) < 8:
            return None
        payload = self._pipe.read(int.from_bytes(head, "big"))
        try:
            return pickle.loads(payload)
        except Exception:  # noqa: BLE001 - cut short (the child was killed) or an exception that cannot be rebuilt
            return None

    def _reap(self) -> int:
        """Close the pipe and wait for the child; its exit code (0 when there was no child)."""
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self._pid is None:
            return 0
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return os.waitstatus_to_exitcode(status)


def _end_with_parent(parent: int) -> None:
    """Make the child end when its parent does (killed, even by SIGKILL), instead of running on as an orphan.

    On Linux the kernel sends the child SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``);
    elsewhere a daemon thread checks once a second whether the parent is still there.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        armed = False
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if armed:
        return
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def start_in_background(*parts: Callable[[], Any]) -> Background:
    """Run ``parts()`` one after the other in a forked child and return at once; on one CPU or without fork, run
    them now (until one fails).

    The child sends back each part's value as soon as it has it, or its exception (an unpicklable one as a
    RuntimeError with its text) and then stops, pickled through a pipe; it leaves with ``os._exit``, so it
    never runs the parent's cleanup.
    """
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        results = []
        for work in parts:
            results.append(_outcome(work, Exception))  # an interrupt (Ctrl-C) goes up at once, as it would
            if results[-1][0]:
                break
        return Background(len(parts), results=results)
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            os.close(read_end)
            _end_with_parent(parent)
            with os.fdopen(write_end, "wb") as pipe:
                for work in parts:
                    failed, value = _outcome(work)
                    try:
                        payload = pickle.dumps((failed, value))
                    except Exception:  # noqa: BLE001 - an exception (or value) that cannot be pickled
                        failed, payload = True, pickle.dumps((True, RuntimeError(f"{type(value).__name__}: {value}")))
                    pipe.write(len(payload).to_bytes(8, "big") + payload)
                    pipe.flush()
                    if failed:
                        break
                else:
                    code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return Background(len(parts), pid, read_end)


def _outcome(work: Callable[[], Any], caught: type[BaseException] = BaseException) -> tuple[bool, Any]:
    """``(False, work())``, or ``(True, the exception)`` for a failure of the kind ``caught`` (in the child, every
    failure goes back to the parent)."""
    try:
        return False, work()
    except caught as err:  # noqa: BLE001
        return True, err
