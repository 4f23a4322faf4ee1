"""Shared fixtures of the FEC ingest tests: ingests run once, one SparkSession."""

from __future__ import annotations

import pytest

from fec_helpers import Output, run_ingest


@pytest.fixture(scope="session")
def full(tmp_path_factory) -> Output:
    """The fixtures ingested on DuckDB, every donor kept."""
    return run_ingest(tmp_path_factory.mktemp("fec-full"))


@pytest.fixture(scope="session")
def tech(tmp_path_factory) -> Output:
    """The fixtures ingested on DuckDB with --tech."""
    return run_ingest(tmp_path_factory.mktemp("fec-tech"), tech_only=True)


@pytest.fixture(scope="session")
def spark():
    """One small local SparkSession for the whole test session (no UI, one shuffle partition)."""
    from network.fec.engine_spark import spark_session

    session = spark_session("local[2]", shuffle_partitions=1)
    yield session
    session.stop()
