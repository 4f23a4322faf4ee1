"""Load, validate and build weighted influence graphs; draw maps and write exports."""

__version__ = "0.1.0"
