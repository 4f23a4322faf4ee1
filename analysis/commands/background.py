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
import threading
from typing import Any, Callable

__all__ = ["Background", "start_in_background"]


class Background:
    """Started work, in parts: `part` gives one part's result as soon as the child has sent it (its exception is
    raised here), `wait` the last part's once the child has ended; or `stop` it.

    A thread reads each part from the pipe as soon as the child writes it, so the child never waits for the
    main process to ask (a pipe holds 64 KiB: a larger part would hold the child up until then).
    """

    def __init__(self, parts: int, pid: int | None = None, pipe: int | None = None, results: list | None = None) -> None:
        self._parts, self._pid, self._code = parts, pid, None if pid is not None else 0
        self._results = list(results or [])  # (failed, value) of each part read back, in order
        self._payloads: list[bytes] = []  # the frames the reading thread has received
        self._ended = pipe is None  # the pipe has reached its end (or there is none)
        self._ready = threading.Condition()
        if pipe is not None:
            threading.Thread(target=self._drain, args=(os.fdopen(pipe, "rb"),), daemon=True).start()

    def part(self, number: int) -> Any:
        """The value of part ``number`` (from 0), as soon as the child has sent it; a part's exception, or that of
        a part before it, is raised here; a RuntimeError if the child stopped without sending it."""
        while len(self._results) <= number:
            with self._ready:
                self._ready.wait_for(lambda: len(self._payloads) > len(self._results) or self._ended)
                if len(self._payloads) <= len(self._results):
                    break  # the child has sent all it will send
                payload = self._payloads[len(self._results)]
            try:
                self._results.append(pickle.loads(payload))
            except Exception:  # noqa: BLE001 - an exception or value that cannot be rebuilt here
                self.stop()
                raise RuntimeError("the background process sent a result that cannot be read back") from None
        for failed, value in self._results[:number + 1]:
            if failed:
                self._reap()  # the child stops after a failure
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

    def _drain(self, pipe) -> None:
        """The reading thread: every frame (8-byte length, then a pickle) as soon as it comes, until the pipe ends."""
        try:
            with pipe:
                while True:
                    head = pipe.read(8)
                    if len(head) < 8:
                        break
                    size = int.from_bytes(head, "big")
                    payload = pipe.read(size)
                    if len(payload) < size:  # cut short: the child was killed while writing
                        break
                    with self._ready:
                        self._payloads.append(payload)
                        self._ready.notify_all()
        except (OSError, ValueError):
            pass
        finally:
            with self._ready:
                self._ended = True
                self._ready.notify_all()

    def _reap(self) -> int:
        """Wait for the child once; its exit code (kept for later calls; 0 when there was no child)."""
        if self._pid is not None:
            _, status = os.waitpid(self._pid, 0)
            self._pid, self._code = None, os.waitstatus_to_exitcode(status)
        return self._code if self._code is not None else 0


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
