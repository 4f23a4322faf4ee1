"""`influence run` writes its exports and scores robustness in a second process: same files, failures reported,
nothing half-written."""

import os
import time

import pytest

import network.formats.export as export_module
from analysis.cli import main
from analysis.commands.background import start_in_background
from tests.conftest import TINY

needs_fork = pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2,
                                reason="the work runs in the main process without fork or a second CPU")


def _writes_after_30_s(marker):
    """Work that sleeps 30 s, then writes ``marker``: its absence shows the child was ended before."""
    def slow() -> None:
        time.sleep(30)
        marker.write_text("too late", encoding="utf-8")

    return slow


@needs_fork
def test_the_child_writes_what_it_is_given(tmp_path):
    target = tmp_path / "out.txt"
    started = start_in_background(lambda: target.write_text(f"from {os.getpid()}", encoding="utf-8"))
    started.wait()
    assert target.read_text(encoding="utf-8") != f"from {os.getpid()}"  # another process wrote it
    assert target.read_text(encoding="utf-8").startswith("from ")


@needs_fork
def test_an_exception_in_the_child_is_raised_by_wait():
    def fail() -> None:
        raise OSError(28, "No space left on device", "graph.gexf")

    started = start_in_background(fail)
    with pytest.raises(OSError) as raised:
        started.wait()
    assert raised.value.errno == 28 and raised.value.filename == "graph.gexf"


@needs_fork
def test_stop_ends_a_child_that_still_runs(tmp_path):
    marker = tmp_path / "late.txt"
    slow = _writes_after_30_s(marker)

    started = time.perf_counter()
    running = start_in_background(slow)
    running.stop()
    assert time.perf_counter() - started < 10 and not marker.exists()


def test_a_failing_export_stops_the_run_and_writes_nothing(tmp_path, monkeypatch, capsys):
    real = export_module.write_export

    def broken(graph, export_format, path, **options):
        if export_format == "graphml":
            raise OSError(28, "No space left on device", str(path))
        return real(graph, export_format, path, **options)

    monkeypatch.setattr(export_module, "write_export", broken)
    out = tmp_path / "out"
    assert main(["run", "--data", str(TINY), "--out", str(out)]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert not out.exists() or not any(out.rglob("*"))


def test_outputs_are_the_same_with_the_exports_in_the_main_process(tmp_path, monkeypatch, capsys):
    """The forked exports write the bytes the main process would: run once each way and compare every file."""
    assert main(["run", "--data", str(TINY), "--out", str(tmp_path / "forked")]) == 0
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # start_in_background then runs the work in place
    assert main(["run", "--data", str(TINY), "--out", str(tmp_path / "inline")]) == 0
    forked = {p.relative_to(tmp_path / "forked"): p.read_bytes() for p in (tmp_path / "forked").rglob("*") if p.is_file()}
    inline = {p.relative_to(tmp_path / "inline"): p.read_bytes() for p in (tmp_path / "inline").rglob("*") if p.is_file()}
    timings = next(name for name in forked if name.name == "run-timings.json")
    del forked[timings], inline[timings]
    assert forked.keys() == inline.keys() and len(forked) > 10
    assert [name for name in forked if forked[name] != inline[name]] == []


def test_a_robustness_failure_in_the_second_process_stops_the_run_where_the_report_asks(tmp_path, monkeypatch, capsys):
    import analysis.report as report_module

    def broken(graph, **options):
        raise ValueError("robustness could not be scored")

    monkeypatch.setattr(report_module, "report_robustness", broken)
    out = tmp_path / "out"
    assert main(["run", "--data", str(TINY), "--out", str(out)]) == 1
    assert "robustness could not be scored" in capsys.readouterr().err
    assert not out.exists() or not any(out.rglob("*"))


def test_a_communities_failure_in_the_report_stops_the_run_too(tmp_path, monkeypatch, capsys):
    import analysis.report as report_module

    def broken(graph, **options):
        raise ValueError("communities could not be found")

    monkeypatch.setattr(report_module, "report_communities", broken)
    out = tmp_path / "out"
    assert main(["run", "--data", str(TINY), "--out", str(out)]) == 1
    assert "communities could not be found" in capsys.readouterr().err
    assert not out.exists() or not any(out.rglob("*"))


@needs_fork
def test_wait_gives_the_childs_return_value_once_and_again():
    started = start_in_background(lambda: {"tables": [1, 2, 3], "pid": os.getpid()})
    first = started.wait()
    assert first["tables"] == [1, 2, 3] and first["pid"] != os.getpid()
    assert started.wait() == first


@needs_fork
def test_a_killed_parent_takes_its_child_with_it(tmp_path):
    # `influence run` killed (SIGKILL, as a timeout does) must not leave its second process running on
    import signal
    import subprocess
    import sys

    pid_file, marker = tmp_path / "child.pid", tmp_path / "late.txt"
    script = (
        "import os, time\n"
        "from analysis.commands.background import start_in_background\n"
        "def slow():\n"
        f"    open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "    time.sleep(20)\n"
        f"    open({str(marker)!r}, 'w').write('orphan ran on')\n"
        "start_in_background(slow)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=os.getcwd())
    deadline = time.monotonic() + 30
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the child never started"
        time.sleep(0.1)
    child = int(pid_file.read_text())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        if _is_zombie(child):
            break
        time.sleep(0.1)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the child outlived its killed parent by 10 s")
    assert not marker.exists()


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


@needs_fork
def test_a_part_arrives_while_the_child_still_runs_the_next(tmp_path):
    marker = tmp_path / "late.txt"
    slow = _writes_after_30_s(marker)

    started = time.perf_counter()
    running = start_in_background(lambda: ("robustness", os.getpid()), slow)
    name, pid = running.part(0)
    assert name == "robustness" and pid != os.getpid()
    assert time.perf_counter() - started < 10  # not after the second part's 30 s
    running.stop()
    assert not marker.exists()


@pytest.mark.parametrize("forked", [True, False])
def test_a_failing_part_stops_the_parts_after_it(tmp_path, monkeypatch, forked):
    if forked and (not hasattr(os, "fork") or (os.cpu_count() or 1) < 2):
        pytest.skip("no fork or a single CPU here: the forked case cannot be tried")
    if not forked:
        monkeypatch.setattr(os, "cpu_count", lambda: 1)
    marker = tmp_path / "after.txt"

    def fail() -> None:
        raise ValueError("robustness could not be scored")

    running = start_in_background(lambda: 1, fail, lambda: marker.write_text("ran", encoding="utf-8"))
    assert running.part(0) == 1
    for ask in (lambda: running.part(1), lambda: running.part(2), running.wait):
        with pytest.raises(ValueError, match="could not be scored"):
            ask()
    assert not marker.exists()


@pytest.mark.parametrize("forked", [True, False])
def test_parts_give_their_values_in_order(monkeypatch, forked):
    if forked and (not hasattr(os, "fork") or (os.cpu_count() or 1) < 2):
        pytest.skip("no fork or a single CPU here: the forked case cannot be tried")
    if not forked:
        monkeypatch.setattr(os, "cpu_count", lambda: 1)
    running = start_in_background(lambda: "a", lambda: {"b": [2]}, lambda: None)
    assert running.wait() is None  # the last part's value, and the earlier ones are kept
    assert running.part(1) == {"b": [2]} and running.part(0) == "a"


def test_an_interrupt_in_the_in_process_fallback_goes_up_at_once(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    ran = []

    def interrupted() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        start_in_background(interrupted, lambda: ran.append("next"))
    assert ran == []


@needs_fork
def test_a_large_part_does_not_hold_the_child_until_it_is_asked_for(tmp_path):
    # a pipe holds 64 KiB: the parent's reading thread takes each part as it comes, so the child goes on
    marker = tmp_path / "went-on.txt"

    def next_part() -> None:
        marker.write_text("on", encoding="utf-8")
        time.sleep(30)

    running = start_in_background(lambda: b"x" * 2_000_000, next_part)
    deadline = time.monotonic() + 10
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        assert marker.exists(), "the child waited for the parent to read its first part"
        assert running.part(0) == b"x" * 2_000_000
    finally:
        running.stop()


@needs_fork
def test_a_failure_reaps_the_child_and_asking_again_gives_the_same_answer():
    import signal

    def killed() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    running = start_in_background(lambda: 1, killed)
    assert running.part(0) == 1
    for _ in range(2):
        with pytest.raises(RuntimeError, match=r"exit status -9"):
            running.wait()
