"""Write output files whole or not at all."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["atomic_path", "StagedOutputs"]


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` if the block succeeds.

    If the block raises, the temporary file is removed and ``path`` is left as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as temp:
    ...     _ = temp.write_text("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    missing = []
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        missing.append(parent)
        parent = parent.parent
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temp = Path(name)
    done = False
    try:
        yield temp
        os.chmod(temp, 0o644)
        os.replace(temp, path)
        done = True
    finally:
        if temp.exists():
            temp.unlink()
        if not done:  # folders made for this file go again: a failure leaves nothing behind
            for folder in missing:
                try:
                    folder.rmdir()
                except OSError:
                    pass


class StagedOutputs:
    """Collect several outputs as temporary files; put them all in place at the end, or none.

    Use as a context manager: ``stage(path)`` gives a temporary path to write;
    when the block ends without error every staged file is renamed onto its
    target. If the block raises, all temporary files are removed and no
    target is touched. If putting them in place fails part way (a target
    that is a folder, a full disk), the targets already replaced get their
    old files back, so an output folder is left byte-identical. Folders
    created for the outputs are removed again when nothing was written.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []
        self._created: list[Path] = []

    def stage(self, path: str | Path) -> Path:
        path = Path(path)
        missing = []
        parent = path.parent
        while not parent.exists() and parent != parent.parent:
            missing.append(parent)
            parent = parent.parent
        path.parent.mkdir(parents=True, exist_ok=True)
        self._created.extend(reversed(missing))
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(handle)
        self._staged.append((Path(name), path))
        return Path(name)

    @property
    def targets(self) -> list[Path]:
        return [target for _, target in self._staged]

    def __enter__(self) -> "StagedOutputs":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        committed = False
        try:
            if kind is None:
                self._commit()
                committed = True
        finally:
            for temp, _ in self._staged:
                if temp.exists():
                    temp.unlink()
            if not committed:
                for folder in sorted(set(self._created), key=lambda p: len(p.parts), reverse=True):
                    try:
                        folder.rmdir()
                    except OSError:
                        pass

    def _commit(self) -> None:
        for _, target in self._staged:
            if target.is_dir() and not target.is_symlink():
                raise IsADirectoryError(21, "an output is a folder; nothing was written", str(target))
        done: list[tuple[Path, Path | None]] = []  # (target, its old file moved aside, or None)
        try:
            for temp, target in self._staged:
                os.chmod(temp, 0o644)
                backup = None
                if os.path.lexists(target):
                    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent)
                    os.close(handle)
                    backup = Path(name)
                    os.replace(target, backup)
                done.append((target, backup))
                os.replace(temp, target)
        except BaseException:
            for target, backup in reversed(done):
                if backup is not None:
                    os.replace(backup, target)
                elif os.path.lexists(target):
                    target.unlink()
            raise
        for _, backup in done:
            if backup is not None:
                backup.unlink()
