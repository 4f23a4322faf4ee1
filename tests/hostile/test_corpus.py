"""Every case of the hostile corpus: the right result or exit 1 naming file:line; never a traceback."""

from __future__ import annotations

import re

import pytest

from analysis.cli import main
from corpus import CASES, Error

IDS = [c.name for c in CASES]
assert len(set(IDS)) == len(IDS), "corpus case names must be unique"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_corpus_case(case, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = case.build(tmp_path)
    status = main(argv)  # an exception escaping main() fails the test: that would be a traceback
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if isinstance(case.expect, Error):
        assert status == 1, f"expected exit 1, got {status}\n{out}\n{err}"
        assert re.search(case.expect.pattern, err), f"{case.expect.pattern!r} not in:\n{err}"
    else:
        assert status == 0, f"expected success, got {status}\n{err}"
        if case.expect.check is not None:
            case.expect.check(tmp_path, out)


def test_the_corpus_is_large():
    assert len(CASES) >= 150
