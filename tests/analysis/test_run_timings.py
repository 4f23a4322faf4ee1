"""`influence run` times its steps in run-timings.json and, on a terminal only, shows them on stderr."""

import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.commands.steps import TIMINGS_FILE, StepClock
from tests.conftest import TINY

ROOT = Path(__file__).resolve().parents[2]
RUN_STEPS = ["read", "validate", "build graph", "metrics", "communities", "exports", "maps", "report", "run.json"]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_run_records_each_steps_wall_time_beside_run_json(tmp_path, capsys):
    assert main(["run", "--data", str(TINY), "--out", str(tmp_path)]) == 0
    timings = json.loads((tmp_path / TIMINGS_FILE).read_text(encoding="utf-8"))
    assert timings["command"] == "influence run"
    assert list(timings["steps"]) == RUN_STEPS
    assert all(seconds >= 0 for seconds in timings["steps"].values())
    assert timings["total_seconds"] == pytest.approx(sum(timings["steps"].values()), abs=0.01)
    run = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert TIMINGS_FILE not in run["outputs"] and "seconds" not in json.dumps(run)
    assert f"wrote {tmp_path / TIMINGS_FILE} (wall time of each step)" in capsys.readouterr().out


def test_a_filtered_run_times_its_filter_step(tmp_path, capsys):
    assert main(["run", "--data", str(TINY), "--out", str(tmp_path), "--layer", "money"]) == 0
    steps = list(json.loads((tmp_path / TIMINGS_FILE).read_text(encoding="utf-8"))["steps"])
    assert steps == [*RUN_STEPS[:3], "filter", *RUN_STEPS[3:]]


def test_every_file_but_the_timings_is_byte_identical_across_runs(tmp_path, capsys):
    first, second = tmp_path / "first", tmp_path / "second"
    assert main(["run", "--data", str(TINY), "--out", str(first)]) == 0
    assert main(["run", "--data", str(TINY), "--out", str(second)]) == 0
    one, two = _files(first), _files(second)
    assert sorted(one) == sorted(two) and TIMINGS_FILE in one
    assert [name for name in one if name != TIMINGS_FILE and one[name] != two[name]] == []


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path, capsys):
    assert main(["run", "--data", str(TINY), "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""


def test_step_clock_writes_only_to_a_terminal():
    quiet, terminal = io.StringIO(), _Terminal()
    for stream in (quiet, terminal):
        clock = StepClock("influence run", ["read", "maps"], stream)
        with clock.step("read"):
            pass
        with clock.step("maps"):
            clock.note("map 1 of 2: map.html")
    assert quiet.getvalue() == ""
    lines = terminal.getvalue().replace("\033[K", "").split("\r")
    assert lines[1] == "influence run: [1/2] read ..."
    assert lines[2].startswith("influence run: [1/2] read: ") and lines[2].endswith("s\n")
    assert lines[4] == "influence run: [2/2] maps: map 1 of 2: map.html"
    assert lines[5].startswith("influence run: [2/2] maps: ") and lines[5].endswith("s\n")


def test_progress_on_a_pseudo_terminal_goes_to_stderr_and_never_into_outputs(tmp_path):
    """stderr is a pseudo-terminal (as in an interactive shell), stdout a pipe."""
    controller, terminal = pty.openpty()
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "analysis", "run", "--data", str(TINY), "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=terminal, cwd=ROOT)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO once the child has closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    printed = process.stdout.read().decode()
    assert process.wait() == 0
    os.close(controller)
    text = shown.decode()
    for number, step in enumerate(RUN_STEPS, start=1):
        assert f"influence run: [{number}/{len(RUN_STEPS)}] {step} ..." in text, step
    assert "maps: map 7 of 7: maps/ego-" in text
    assert "influence run:" not in printed and "\r" not in printed
    for name, content in _files(out).items():
        assert b"influence run: [" not in content, name
