"""What produced an output: input hashes, parameters, library versions, seed."""

from __future__ import annotations

import hashlib
import platform
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping

import network

__all__ = ["LIBRARIES", "file_sha256", "library_versions", "provenance_record"]

LIBRARIES = ("igraph", "networkx", "pandas", "numpy", "scipy", "pyvis")


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    """Versions of Python, this tool and the libraries that shape results.

    Examples
    --------
    >>> sorted(library_versions())[:3]
    ['igraph', 'influence-network', 'networkx']
    """
    versions = {"python": platform.python_version(), "influence-network": network.__version__}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return dict(sorted(versions.items()))


def provenance_record(
    command: str,
    inputs: Mapping[str, Path],
    parameters: Mapping[str, Any],
    *,
    shown_paths: Mapping[str, str] | None = None,
    counts: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """A JSON-ready record of one run: command, inputs with SHA-256, parameters, versions.

    It holds no timestamp, so that the same inputs and parameters give the same bytes.
    ``shown_paths`` replaces machine-specific paths by how the user named them.
    """
    shown = shown_paths or {}
    return {
        "tool": "influence-network",
        "command": command,
        "parameters": dict(parameters),
        "inputs": {
            name: {"path": shown.get(name, str(path)), "sha256": file_sha256(path)}
            for name, path in sorted(inputs.items())
        },
        "counts": dict(counts or {}),
        "versions": library_versions(),
    }
