"""`python -m analysis` runs the `influence` command."""

from analysis.cli import entry

entry()
