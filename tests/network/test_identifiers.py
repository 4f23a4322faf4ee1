"""Identifiers on entities: schema.toml schemes, validation with file:line, exports that carry them and read them back."""

import csv
import json
import shutil

import pytest

from network.contract.identifiers import parse_identifiers
from network.contract.load import load_tables
from network.contract.schema import load_schema
from network.contract.validate import validate_tables, validated_tables
from network.errors import DataError
from network.formats.export import node_table, write_export, write_table
from network.formats.read import read_data
from network.graph import build_influence_graph
from tests.conftest import TINY

IDS = {"acme": "wikidata:Q95", "pac": "fec_committee:C00879510", "campaign": "fec_committee:C00828541",
       "alice": "fec_candidate:P80001571;littlesis:13191"}


def folder_with_identifiers(tmp_path, ids):
    """The tiny data set with an identifiers column filled from ``ids`` (entity id -> cell)."""
    folder = tmp_path / "data"
    shutil.copytree(TINY, folder)
    with open(folder / "entities.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[0].append("identifiers")
    for row in rows[1:]:
        row.append(ids.get(row[0], ""))
    with open(folder / "entities.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return folder


def problems_of(folder, schema):
    return [str(p).removeprefix(f"{folder}/") for p in validate_tables(load_tables(folder), schema)]


def test_well_formed_identifiers_are_valid(tmp_path, schema):
    assert problems_of(folder_with_identifiers(tmp_path, IDS), schema) == []


def test_a_folder_without_the_column_stays_valid_and_gets_an_empty_one(schema):
    tables = load_tables(TINY)
    assert "identifiers" not in tables.entities.columns
    assert validate_tables(tables, schema) == []
    assert set(validated_tables(tables, schema).entities["identifiers"]) == {""}


def test_malformed_identifiers_are_reported_with_file_and_line(tmp_path, schema):
    # Line numbers: acme is on line 2, alice 3, bob 4, campaign 5, pac 6, rival-co 7.
    folder = folder_with_identifiers(tmp_path, {
        "acme": "fec_committee:C0087951",          # 7 digits
        "alice": "fec_candidate:X80001571",        # not H, S or P
        "bob": "C00879510",                        # no scheme
        "campaign": "opensecrets:N00023864",       # unknown scheme
        "pac": "wikidata:Q0;fec_committee:c00879510",  # Q0 and a lowercase c
    })
    assert problems_of(folder, schema) == [
        "entities.csv:2: identifiers: not a valid FEC committee id (found 'fec_committee:C0087951', expected a value matching ^C[0-9]{8}$)",
        "entities.csv:3: identifiers: not a valid FEC candidate id (found 'fec_candidate:X80001571', expected a value matching ^[HSP][0-9][0-9A-Z]{7}$)",
        "entities.csv:4: identifiers: not scheme:value (found 'C00879510', expected scheme:value pairs separated by ';', such as fec_committee:C00879510)",
        "entities.csv:5: identifiers: unknown identifier scheme (found 'opensecrets', expected one of fec_candidate, fec_committee, littlesis, wikidata (schema.toml [identifier_schemes]))",
        "entities.csv:6: identifiers: not a valid FEC committee id (found 'fec_committee:c00879510', expected a value matching ^C[0-9]{8}$)",
        "entities.csv:6: identifiers: not a valid Wikidata item (found 'wikidata:Q0', expected a value matching ^Q[1-9][0-9]*$)",
    ]


def test_an_identifier_on_two_entities_is_an_error_naming_both_lines(tmp_path, schema):
    folder = folder_with_identifiers(tmp_path, {"pac": "fec_committee:C00879510", "campaign": "fec_committee:C00879510",
                                                "acme": "wikidata:Q95;wikidata:Q95"})
    assert problems_of(folder, schema) == [
        "entities.csv:2: identifiers: identifier listed twice (found 'wikidata:Q95', expected each identifier on one entity, once)",
        "entities.csv:6: identifiers: identifier already used by entity campaign on line 5 (found 'fec_committee:C00879510', expected each identifier on one entity, once)",
    ]
    with pytest.raises(DataError):
        validated_tables(load_tables(folder), schema)


def test_the_cli_rejects_a_duplicated_identifier_with_exit_status_1(tmp_path, capsys):
    from analysis.cli import main

    folder = folder_with_identifiers(tmp_path, {"pac": "fec_committee:C00879510", "campaign": "fec_committee:C00879510"})
    assert main(["validate", "--data", str(folder)]) == 1
    assert f"{folder}/entities.csv:6: identifiers: identifier already used by entity campaign on line 5" in capsys.readouterr().err


def test_a_bad_scheme_in_schema_toml_names_its_line(tmp_path):
    text = (TINY.parent.parent.parent / "data" / "schema.toml").read_text(encoding="utf-8")
    text += '\n[identifier_schemes.broken]\npattern = "^C[0-9"\n'
    path = tmp_path / "schema.toml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("[identifier_schemes.broken]") + 1
    with pytest.raises(DataError) as err:
        load_schema(path)
    assert [(p.line, p.column) for p in err.value.problems] == [(line, "identifier_schemes.broken.pattern")]


def test_the_bundled_schemes_name_followthemoney_properties_of_every_entity_schema(schema):
    from followthemoney import model

    used = {schema.entity_types[name].ftm for name in schema.entity_types} | {"LegalEntity"}
    for scheme in schema.identifier_schemes.values():
        for ftm_schema in used:
            assert not scheme.ftm or scheme.ftm in model.get(ftm_schema).properties, (scheme.name, ftm_schema)


@pytest.fixture
def id_graph(tmp_path, schema):
    return build_influence_graph(validated_tables(load_tables(folder_with_identifiers(tmp_path, IDS)), schema), schema)


@pytest.mark.parametrize("export_format, name", [("gexf", "g.gexf"), ("graphml", "g.graphml"), ("json", "g.json"),
                                                 ("ftm", "g.ftm.json"), ("relationships", "relationships.csv"),
                                                 ("csv", "edges.csv")])
def test_every_export_carries_the_identifiers_and_reads_them_back(tmp_path, id_graph, export_format, name):
    out = tmp_path / "out"
    out.mkdir()
    path = write_export(id_graph, export_format, out / name)
    if export_format in ("relationships", "csv"):  # entity attributes travel in the node table beside them
        write_table(node_table(id_graph), out / "nodes.csv")
        assert "fec_committee:C00879510" in (out / "nodes.csv").read_text(encoding="utf-8")
    else:
        assert "C00879510" in path.read_text(encoding="utf-8")
    back = read_data(path)
    got = dict(zip(back.entities["id"], back.entities["identifiers"]))
    assert {key: got[key] for key in IDS} == IDS
    assert {v for k, v in got.items() if k not in IDS} == {""}


def test_ftm_puts_identifiers_in_the_model_properties(tmp_path, id_graph):
    from followthemoney import model

    lines = write_export(id_graph, "ftm", tmp_path / "g.ftm.json").read_text(encoding="utf-8").splitlines()
    entities = {json.loads(line)["id"]: json.loads(line) for line in lines}
    assert entities["ent-pac"]["properties"]["registrationNumber"] == ["C00879510"]
    assert entities["ent-alice"]["properties"]["idNumber"] == ["P80001571"]
    assert entities["ent-alice"]["properties"]["keywords"] == ["littlesis:13191"]
    assert entities["ent-acme"]["properties"]["wikidataId"] == ["Q95"]
    for key in ("ent-pac", "ent-alice", "ent-acme"):
        proxy = model.get_proxy(entities[key])  # the model accepts each property
        assert proxy.schema.name == entities[key]["schema"]


def test_ftm_from_elsewhere_keeps_only_values_that_fit_a_scheme(tmp_path):
    line = {"id": "x1", "schema": "Company", "properties": {"name": ["Some Co"], "registrationNumber": ["HRB 1234", "C00000042"],
                                                           "wikidataId": ["Q7"], "keywords": ["littlesis:9", "not-an-id"]}}
    path = tmp_path / "other.ftm.json"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    row = read_data(path).entities.iloc[0]
    assert parse_identifiers(row["identifiers"]) == [("fec_committee", "C00000042"), ("littlesis", "9"), ("wikidata", "Q7")]
