"""Metrics, communities, paths, money flows and reports over influence graphs; the CLI."""
