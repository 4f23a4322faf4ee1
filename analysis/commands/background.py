"""Work that runs beside the main process on a second core: a forked child whose result (or failure) comes back.

`influence run` writes and hashes its exports (files no later step reads) and scores the robustness scenarios
in such a child while the main process draws the maps and builds the rest of the report. The child is a
fork, so it sees the same tables, graph and seed and computes the same values and bytes it would have
in the main process; it writes only the files it is given and sends back its return value (pickled).
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
    """A started piece of work: `wait` for its result (its exception is raised here), or `stop` it."""

    def __init__(self, pid: int | None = None, pipe: int | None = None, result: Any = None) -> None:
        self._pid, self._pipe, self._result = pid, pipe, result

    def wait(self) -> Any:
        """The work's return value, once the child has ended; its exception (or a RuntimeError) is raised here."""
        if self._pid is None:
            return self._result
        with os.fdopen(self._pipe, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        try:
            failed, value = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - nothing sent (the child was killed) or an exception that cannot be rebuilt
            code = os.waitstatus_to_exitcode(status)
            raise RuntimeError(f"the background process stopped without a result (exit status {code})") from None
        if failed:
            raise value
        self._result = value
        return value

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


def start_in_background(work: Callable[[], Any]) -> Background:
    """Run ``work()`` in a forked child and return at once; on one CPU or without fork, run it now.

    The child sends back ``work()``'s value, or its exception (an unpicklable one as a RuntimeError
    with its text), pickled through a pipe, and leaves with ``os._exit``, so it never runs the
    parent's cleanup.
    """
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return Background(result=work())
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        _end_with_parent(parent)
        code = 0
        try:
            payload = pickle.dumps((False, work()))
        except BaseException as err:  # noqa: BLE001 - every failure goes back to the parent
            code = 1
            try:
                payload = pickle.dumps((True, err))
            except Exception:  # noqa: BLE001
                payload = pickle.dumps((True, RuntimeError(f"{type(err).__name__}: {err}")))
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(code)
    os.close(write_end)
    return Background(pid, read_end)
