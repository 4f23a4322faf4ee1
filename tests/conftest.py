"""Shared fixtures: paths to the test data sets and a built tiny graph."""

from pathlib import Path

import pytest

from network.graph import build_influence_graph
from network.contract.load import load_tables
from network.contract.schema import load_schema
from network.contract.validate import validated_tables

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY = FIXTURES / "tiny"
BAD = FIXTURES / "bad"


@pytest.fixture
def schema():
    return load_schema()


@pytest.fixture
def tiny_graph(schema):
    return build_influence_graph(validated_tables(load_tables(TINY), schema), schema)


@pytest.fixture(scope="session")
def bundled_graph():
    bundled_schema = load_schema()
    return build_influence_graph(validated_tables(load_tables(), bundled_schema), bundled_schema)
