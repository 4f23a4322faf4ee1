"""Donors resolved by name + ZIP5 (+ employer), the merge log and its overrides, tech employers."""

from __future__ import annotations

import pytest

from fec_helpers import run_ingest
from network.errors import DataError
from network.fec.lists import load_overrides, load_tech_employers

TRUMP, HILLARY = "c00580100", "c00575795"


def test_spellings_of_one_person_at_one_zip_are_merged(full):
    # "MUSK, ELON" (ZIP 78701-0000), "MUSK, ELON R", "MUSK, ELON REEVE": one donor, name key MUSK ELON
    (musk,) = full.donor_of("MUSK, ELON")
    entity = next(row for row in full.entities if row["id"] == musk)
    assert entity["aliases"] == "MUSK, ELON R;MUSK, ELON REEVE"
    logged = [(row["name"], row["rows"]) for row in full.merge_log if row["donor_id"] == musk]
    # "MUSK, ELON": L1 and L37 (L4 memo and L21 repeat are not counted rows)
    assert logged == [("MUSK, ELON", "2"), ("MUSK, ELON R", "1"), ("MUSK, ELON REEVE", "1")]
    assert {row["name_key"] for row in full.merge_log if row["donor_id"] == musk} == {"MUSK ELON"}


def test_same_name_at_another_zip_is_another_person(full):
    # the venture capitalist (94025) and the railroad conductor (60601) share "DOERR, JOHN"
    assert len(full.donor_of("DOERR, JOHN")) == 2
    # and a different first name with the same surname is another donor
    assert len(full.donor_of("MUSK, KIMBAL")) == 1


def test_generational_suffixes_and_titles(full):
    # "GATES, WILLIAM H III" + "GATES, WILLIAM H. III" = one donor (1000 + 500); "... SR" is another (700)
    (third,) = full.donor_of("GATES, WILLIAM H III")
    (senior,) = full.donor_of("GATES, WILLIAM H SR")
    assert full.money(third, TRUMP, "gift") == 1500
    assert full.money(senior, TRUMP, "gift") == 700


def test_names_with_stray_quotes_and_latin1_bytes_are_read(full):
    assert full.donor_of('MCKEON, HOWARD P "BUCK"')
    assert full.donor_of("PEÑA, MARIA")  # L36 has the Latin-1 byte 0xD1
    assert full.summary["rows"]["indiv"]["lines_decoded_as_latin1"] == 1
    assert full.donor_of("ROE, RICHARD")  # L39 holds a 0x1F byte


def test_no_zip_falls_back_to_city_and_state(full):
    (doe,) = full.donor_of("DOE, JANE")
    assert "ZIP NOZIP SPRINGFIELD IL" in next(row for row in full.entities if row["id"] == doe)["description"]


def test_organizations_are_their_own_kind(full):
    (acme,) = full.donor_of("ACME HOLDINGS, LLC")
    assert acme.startswith("org-")
    assert next(row for row in full.entities if row["id"] == acme)["type"] == "organization"
    assert full.money(acme, "c00495861", "gift") == 50000


def test_overrides_keep_apart_and_merge(tmp_path):
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("action,name_key,zip5,target_name_key,target_zip5\n"
                         "keep_apart,MUSK ELON,78701,,\n"
                         "merge,DOERR JOHN,60601,DOERR JOHN,94025\n", encoding="utf-8")
    out = run_ingest(tmp_path / "out", overrides=overrides)
    # kept apart by full name + employer: "MUSK, ELON"/TESLA (L1 2700 + L37 300), "MUSK, ELON R"/SPACEX (L2 2000)
    ids = {name: out.donor_of(name) for name in ("MUSK, ELON", "MUSK, ELON R", "MUSK, ELON REEVE")}
    assert all(len(found) == 1 for found in ids.values())
    assert out.money(ids["MUSK, ELON"][0], TRUMP, "gift") == 3000
    assert out.money(ids["MUSK, ELON R"][0], TRUMP, "gift") == 2000
    # merged: one DOERR, JOHN with both gifts (2700 to Hillary, 250 to Trump)
    (doerr,) = out.donor_of("DOERR, JOHN")
    assert (out.money(doerr, HILLARY, "gift"), out.money(doerr, TRUMP, "gift")) == (2700, 250)
    hows = {row["how"] for row in out.merge_log}
    assert "override: merge into DOERR JOHN / 94025" in hows
    assert "override: keep apart (full name + ZIP5 + employer)" in hows
    assert out.summary["lists"]["overrides"]["path"] == str(overrides)


def test_match_employer_splits_by_company(tmp_path):
    out = run_ingest(tmp_path / "out", match_employer=True)
    # Musk: TESLA rows (L1, L37) and SPACEX / SPACE EXPLORATION TECHNOLOGIES rows (L2, L3) are two donors
    musks = [row["id"] for row in out.entities if row["name"].startswith("MUSK, ELON")]
    assert len(musks) == 2
    # Jane Smith's GOOGLE LLC / GOOGLE / GOOGLE INC. are one company, so still one donor
    assert len(out.donor_of("SMITH, JANE")) == 1


@pytest.mark.parametrize(("text", "expected"), [
    ("action,name_key,zip5,target_name_key,target_zip5\nsplit,A B,12345,,\n", ":2: action: unknown action"),
    ("action,name_key,zip5,target_name_key,target_zip5\nmerge,A B,12345,,\n", ":2: target_name_key: merge needs a target"),
    ("action,name_key,zip5,target_name_key,target_zip5\nkeep_apart,A B,1234,,\n", ":2: zip5: not a ZIP5 key"),
    ("action,name_key,zip5,target_name_key,target_zip5\nkeep_apart,A B,12345,,\nkeep_apart,a b,12345,,\n",
     ":3: name_key: group already overridden on line 2"),
])
def test_bad_overrides_name_file_and_line(tmp_path, text, expected):
    path = tmp_path / "overrides.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_overrides(path)
    assert f"{path}{expected}" in str(caught.value)


def test_tech_donors_are_found_by_employer_never_by_surname(tech):
    people = {row["name"] for row in tech.entities if row["type"] == "person" and row["id"].startswith("donor-")}
    assert people == {"MUSK, ELON", "SMITH, JANE", "LEE, DAVID", "PATEL, PRIYA", "NGUYEN, ANH"}
    # Kimbal Musk (THE KITCHEN) shares the surname and is not a tech donor
    assert tech.donor_of("MUSK, KIMBAL") == []


def test_employee_edges_and_swapped_employer(full):
    employees = {(row["source"], row["target"]): row for row in full.relationships if row["type"] == "employee"}
    (musk,) = full.donor_of("MUSK, ELON")
    assert {target for source, target in employees if source == musk} == {"employer-tesla", "employer-spacex"}
    (nguyen,) = full.donor_of("NGUYEN, ANH")
    row = employees[(nguyen, "employer-nvidia")]  # EMPLOYER "SOFTWARE ENGINEER", OCCUPATION "NVIDIA"
    assert row["role"] == "SOFTWARE ENGINEER"
    assert "employer written in OCCUPATION on 1" in row["evidence"]


def test_company_totals_put_employees_beside_the_pac(full):
    totals = {row["company_id"]: row for row in full.company_totals}
    # Google: Jane 2850 (L8, L9, L11, L13) + Lee 500 (L14-L16) = 3350 on 7 lines; NetPAC gave 5000 (O1)
    google = totals["employer-google"]
    assert (google["employee_donors"], google["employee_rows"], google["employee_net_usd"]) == ("2", "7", "3350")
    assert (google["pacs"], google["pac_given_usd"]) == ("c00428623", "5000")
    # Microsoft: Patel 750; its PAC 2000 to the RNC (O3 + O4) + 1000 to Bernie 2016 (P2) = 3000
    assert (totals["employer-microsoft"]["employee_net_usd"], totals["employer-microsoft"]["pac_given_usd"]) == ("750", "3000")
    # row-level attribution: SpaceX gets L2 2000 + L3 100000, Tesla L1 2700 + L37 300
    assert (totals["employer-spacex"]["employee_net_usd"], totals["employer-tesla"]["employee_net_usd"]) == ("102000", "3000")
    # Meta's PAC has no connected organization in cm.txt; the list names it by committee id
    sponsor = full.relationship("sponsor.employer-meta.c00502906")
    assert sponsor["evidence"] == "FEC cm: committee id listed in tech_employers.csv"


def test_bundled_tech_list_is_valid():
    table = load_tech_employers()
    assert set(table.loc[table["company_id"] == "employer-spacex", "variant"]) >= {"SPACEX", "SPACE EXPLORATION TECHNOLOGIES"}


def test_bad_tech_list_names_file_and_line(tmp_path):
    path = tmp_path / "tech.csv"
    path.write_text("company_id,company,variant\nemployer-a,A,ALPHA\nemployer-a,Other,ALPHA CORP\nBad Id,B,BETA\n"
                    "employer-c,C,alpha\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_tech_employers(path)
    message = str(caught.value)
    assert f"{path}:3: company: another name than on line 2" in message
    assert f"{path}:4: company_id: not a company id" in message
    assert f"{path}:5: variant: listed again (first on line 2)" in message


def test_two_companies_cannot_share_a_normalized_variant(tmp_path):
    path = tmp_path / "tech.csv"
    path.write_text("company_id,company,variant\nemployer-a,A,GOOGLE\nemployer-b,B,\"GOOGLE, INC.\"\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"tech.csv:3: variant: same normalized name as line 2"):
        run_ingest(tmp_path / "out", tech_employers=path)
