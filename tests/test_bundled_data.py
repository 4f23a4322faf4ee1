"""The bundled data holds what the five articles report (a list checked by hand against the texts)."""

import math

import pytest

from network.contract.load import load_tables
from network.contract.schema import load_schema
from network.contract.validate import validated_tables
from tests.conftest import FIXTURES

# (source, type, target, amount_usd or None, source document prefixes that must be cited)
REPORTED = [
    # 000 Al-Ahram, 2024-11-06
    ("elon-musk", "donation", "america-pac", 43_600_000, {"000"}),
    ("elon-musk", "donation", "america-pac", 75_000_000, {"000"}),
    ("elon-musk", "donation", "trump-campaign-2024", 100_000_000, {"000"}),
    ("elon-musk", "pledge", "trump-campaign-2024", None, {"000"}),
    ("elon-musk", "endorsement", "donald-trump", None, {"000"}),
    ("elon-musk", "appointment", "trump-administration-2025", None, {"000"}),
    ("timothy-mellon", "donation", "trump-campaign-2024", 150_000_000, {"000"}),
    ("miriam-adelson", "donation", "trump-campaign-2024", None, {"000"}),
    ("donald-trump", "rivalry", "kamala-harris", None, {"000"}),
    # 001 CNBC
    ("elon-musk", "founder", "america-pac", None, {"001"}),
    ("america-pac", "spending", "trump-campaign-2024", 21_000_000, {"001"}),
    ("america-pac", "spending", "trump-campaign-2024", 800_000, {"001"}),
    ("america-pac", "spending", "facebook", None, {"001"}),
    ("america-pac", "spending", "instagram", None, {"001"}),
    ("america-pac", "spending", "youtube", None, {"001"}),
    ("elon-musk", "ownership", "x", None, {"001"}),
    ("elon-musk", "executive", "tesla", None, {"001"}),
    ("elon-musk", "executive", "spacex", None, {"001"}),
    ("phil-cox", "leadership", "america-pac", None, {"001"}),
    ("generra-peck", "leadership", "america-pac", None, {"001"}),
    ("dave-rexrode", "leadership", "america-pac", None, {"001"}),
    ("doug-leone", "donation", "america-pac", None, {"001"}),
    ("cameron-winklevoss", "donation", "america-pac", None, {"001"}),
    ("tyler-winklevoss", "donation", "america-pac", None, {"001"}),
    ("joe-lonsdale", "donation", "america-pac", None, {"001"}),
    ("joe-lonsdale", "leadership", "america-pac", None, {"001"}),
    ("joe-lonsdale", "founder", "palantir", None, {"001"}),
    # 002 Los Angeles Times
    ("sam-altman", "pledge", "trump-inaugural-fund-2025", 1_000_000, {"002", "003"}),
    ("meta", "donation", "trump-inaugural-fund-2025", 1_000_000, {"002", "003"}),
    ("amazon", "donation", "trump-inaugural-fund-2025", 1_000_000, {"002", "003"}),
    ("amazon", "donation", "trump-inaugural-fund-2017", 58_000, {"002"}),
    ("elon-musk", "spending", "trump-campaign-2024", 200_000_000, {"002"}),
    ("elon-musk", "investor", "openai", None, {"002"}),
    ("elon-musk", "rivalry", "sam-altman", None, {"002"}),
    ("mark-zuckerberg", "meeting", "donald-trump", None, {"002"}),
    ("mark-zuckerberg", "gift", "donald-trump", None, {"002"}),
    ("jeff-bezos", "meeting", "donald-trump", None, {"002"}),
    ("jeff-bezos", "ownership", "washington-post", None, {"002"}),
    ("jeff-bezos", "ownership", "blue-origin", None, {"002"}),
    ("blue-origin", "competitor", "spacex", None, {"002"}),
    ("amazon", "subsidiary", "amazon-web-services", None, {"002"}),
    ("andy-stone", "employee", "meta", None, {"002"}),
    # 003 Financial Times
    ("perplexity", "donation", "trump-inaugural-fund-2025", 1_000_000, {"003"}),
    ("peter-thiel", "founder", "paypal", None, {"003"}),
    ("peter-thiel", "founder", "palantir", None, {"003"}),
    ("david-sacks", "appointment", "trump-administration-2025", None, {"003"}),
    ("marc-andreessen", "advisor", "department-of-government-efficiency", None, {"003"}),
    ("elon-musk", "appointment", "department-of-government-efficiency", None, {"003"}),
    ("vivek-ramaswamy", "appointment", "department-of-government-efficiency", None, {"003"}),
    ("elon-musk", "lawsuit", "openai", None, {"003"}),
    ("elon-musk", "founder", "openai", None, {"003"}),
    ("elon-musk", "founder", "xai", None, {"003"}),
    ("sarah-friar", "executive", "openai", None, {"003"}),
    ("elon-musk", "advisor", "donald-trump", None, {"003"}),
    ("meta", "subsidiary", "whatsapp", None, {"003"}),
    # 004 Arabic tech blog, 2022
    ("elon-musk", "ownership", "spacex", None, {"004"}),
    ("elon-musk", "ownership", "tesla", None, {"004"}),
]


@pytest.fixture(scope="module")
def tables():
    schema = load_schema()
    return validated_tables(load_tables(), schema)


def documents_cited(row, sources):
    prefix = dict(zip(sources["id"], sources["document"].str[:3]))
    return {prefix[s] for s in row["source_ids"].split(";")}


@pytest.mark.parametrize("source,kind,target,amount,documents", REPORTED, ids=lambda v: str(v) if isinstance(v, str) else None)
def test_reported_relationship_is_in_the_data_with_its_source(tables, source, kind, target, amount, documents):
    rel = tables.relationships
    rows = rel[(rel["source"] == source) & (rel["type"] == kind) & (rel["target"] == target)]
    if amount is not None:
        rows = rows[rows["amount_usd"] == amount]
    assert len(rows) >= 1, f"{source} {kind} {target} {amount} missing"
    cited = set().union(*(documents_cited(row, tables.sources) for _, row in rows.iterrows()))
    assert documents <= cited


def test_musk_totals_are_aggregate_so_america_pac_money_is_counted_once(tables):
    rel = tables.relationships
    into_pac = rel[(rel["target"] == "america-pac") & (rel["type"] == "donation") & ~rel["aggregate"]]
    assert into_pac["amount_usd"].sum() == 43_600_000 + 75_000_000
    totals = rel[(rel["source"] == "elon-musk") & (rel["amount_usd"] >= 100_000_000)]
    assert totals["aggregate"].all() and len(totals) == 2


def test_every_relationship_cites_a_source_and_every_article_is_used(tables):
    assert (tables.relationships["source_ids"] != "").all()
    cited = {s for ids in tables.relationships["source_ids"] for s in ids.split(";")}
    assert cited == set(tables.sources["id"])
    assert sorted(tables.sources["document"].str[:3]) == ["000", "001", "002", "003", "004"]


def test_arabic_names_are_kept(tables):
    entities = tables.entities.set_index("id")
    assert "ماسك" in entities.loc["elon-musk", "aliases"] or "ماسك" in entities.loc["elon-musk", "name_ar"]
    assert "ألتمان" in entities.loc["sam-altman", "aliases"] + entities.loc["sam-altman", "name_ar"]
    assert "التمان" in entities.loc["sam-altman", "aliases"] + entities.loc["sam-altman", "name_ar"]


def test_size_is_in_the_expected_range(tables):
    assert 50 <= len(tables.entities) <= 70
    assert 80 <= len(tables.relationships) <= 120
    assert not math.isnan(tables.relationships["amount_usd"].max())


def test_the_bundle_carries_the_fec_ids_of_the_pac_the_campaign_and_the_candidate(tables):
    ids = dict(zip(tables.entities["id"], tables.entities["identifiers"]))
    assert ids["america-pac"] == "fec_committee:C00879510"
    assert ids["trump-campaign-2024"] == "fec_committee:C00828541"
    assert ids["donald-trump"] == "fec_candidate:P80001571"


def test_candidate_ids_from_the_real_2016_master_file_name_the_right_people(tables):
    """P80001571 and S6CA00584 are in the FEC's 2015-2016 cn.txt (tests/fixtures/fec/real) under these names."""
    import zipfile

    with zipfile.ZipFile(FIXTURES / "fec" / "real" / "cn.zip") as archive:
        text = archive.read(archive.namelist()[0]).decode("latin-1")
    names = {line.split("|")[0]: line.split("|")[1] for line in text.splitlines() if "|" in line}
    ids = dict(zip(tables.entities["id"], tables.entities["identifiers"]))
    assert names["P80001571"] == "TRUMP, DONALD J." and "fec_candidate:P80001571" in ids["donald-trump"]
    assert names["S6CA00584"] == "HARRIS, KAMALA D" and "fec_candidate:S6CA00584" in ids["kamala-harris"]
