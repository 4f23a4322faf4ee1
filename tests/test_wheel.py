"""The package as users install it: a wheel in an empty virtual environment carries the bundled data and
writes the same files as the editable install the tests run on."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.wheel


def _run(command: list, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_wheel_installs_into_an_empty_venv_and_writes_the_same_outputs(tmp_path):
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "-w", wheels], cwd=tmp_path)
    wheel = next(wheels.glob("influence_network-*.whl"))

    # The same library versions as this environment, so that the two runs can be compared byte for byte.
    frozen = _run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"], cwd=tmp_path).stdout
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(line for line in frozen.splitlines() if not line.startswith("influence")))
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    _run([python, "-m", "pip", "install", "--quiet", wheel, "-c", constraints], cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"  # not the repository: nothing may come from the checkout
    elsewhere.mkdir()
    installed = _run([python, "-c", "import network; print(network.__file__)"], cwd=elsewhere).stdout
    assert str(env) in installed and str(ROOT) not in installed

    _run([env / "bin" / "influence", "run", "--out", "from-wheel"], cwd=elsewhere)
    _run([Path(sys.executable).parent / "influence", "run", "--out", tmp_path / "from-editable"], cwd=tmp_path)
    from_wheel, from_editable = _files(elsewhere / "from-wheel"), _files(tmp_path / "from-editable")
    assert "nodes.csv" in from_wheel and "map.html" in from_wheel and "run.json" in from_wheel
    assert sorted(from_wheel) == sorted(from_editable)
    # run-timings.json holds wall times, which differ from run to run (and say so)
    different = [name for name in from_wheel if name != "run-timings.json" and from_wheel[name] != from_editable[name]]
    assert different == []
