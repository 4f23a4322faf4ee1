"""The data contract: the schema, the three CSV tables, partial dates, and validation that names file and line."""
