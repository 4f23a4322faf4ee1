"""Files on disk: outputs written whole or not at all, and the provenance (hashes, versions) of what was written."""
