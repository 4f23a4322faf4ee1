"""FEC bulk campaign-finance files -> our data contract, with one SQL query run on DuckDB or Spark.

Modules: `layouts` (file columns, transaction types), `inputs` (unzip, hash,
line scan), `lists` (tech employers, overrides), `query` and ingest.sql (the
one query definition), `engine_duckdb` and `engine_spark`, `writing`
(sources, schema, summary), `progress`, and `ingest` (`ingest_fec`).
The subpackage `filings` reads electronic filings (.fec) instead of bulk files.
See docs/fec.md.
"""

from network.fec.ingest import IngestOptions, IngestResult, ingest_fec

__all__ = ["IngestOptions", "IngestResult", "ingest_fec"]
