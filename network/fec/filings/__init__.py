"""FEC electronic filings (.fec, as committees file them) -> our data contract, every line accounted for.

Modules: `read` (fastfec beside the raw lines, each record tied to its line;
fastfec itself runs in `worker`), `rules` (what each report line counts as,
and the relationship type of each kind of money), `fates` (amendments,
rules, 24-hour reports repeated on periodic reports), `donors` (the bulk
ingest's own donor resolution, reused), `tables` (entities, relationships,
sources, exclusions) and `ingest` (`ingest_filings`). See docs/fec.md.
"""

from network.fec.filings.ingest import FilingResult, ingest_filings

__all__ = ["FilingResult", "ingest_filings"]
