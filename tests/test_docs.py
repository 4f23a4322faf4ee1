"""The README and --help stay true to the code."""

import argparse
from pathlib import Path

import pytest

from analysis.centrality import METRICS
from analysis.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_subcommand_has_help_with_an_example_and_is_in_the_readme(name):
    parser = subcommands()[name]
    help_text = parser.format_help()
    assert parser.description
    assert "example:" in help_text and "$ influence" in help_text.split("example:")[1]
    assert f"`influence {name}" in README, f"README does not mention `influence {name}`"


def test_readme_metric_table_matches_the_code():
    rows = [line for line in README.splitlines() if line.startswith("| `") and line.split("`")[1] in METRICS]
    assert [line.split("`")[1] for line in rows] == list(METRICS)
    for line in rows:
        metric = METRICS[line.split("`")[1]]
        assert f"| {metric.question} | {metric.direction} | {metric.weight} | {metric.normalization} | {metric.reference} |" in line


def test_readme_shows_the_two_commands():
    assert "make run" in README and "make test" in README
    assert "data/README.md" in README
