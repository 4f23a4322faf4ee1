import json
from pathlib import Path

import pytest

from network.formats.ftm import write_ftm
from network.graph import build_influence_graph
from network.formats.read import read_data
from network.contract.schema import load_schema
from network.contract.validate import validated_tables

FOREIGN = Path(__file__).resolve().parents[1] / "fixtures" / "ftm" / "foreign.ftm.json"


def ftm_problems(path):
    """Every way the file breaks the FollowTheMoney model: unknown schema or property, invalid or missing
    values, and references to entities that are absent or outside the property's range."""
    from followthemoney import model
    from followthemoney.exc import InvalidData

    lines = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]
    schemata = {entity["id"]: entity["schema"] for entity in lines}
    problems = []
    for number, entity in enumerate(lines, start=1):
        schema = model.get(entity["schema"])
        if schema is None:
            problems.append((number, "schema", entity["schema"]))
            continue
        problems += [(number, "unknown property", name) for name in entity["properties"] if name not in schema.properties]
        problems += [(number, "required", name) for name in schema.required if not entity["properties"].get(name)]
        try:
            schema.validate(entity)
        except InvalidData as err:
            problems.append((number, "invalid", str(err.errors)))
        for name, values in entity["properties"].items():
            prop = schema.properties.get(name)
            if prop is not None and prop.type.name == "entity":
                for value in values:
                    if value not in schemata or not model.get(schemata[value]).is_a(prop.range):
                        problems.append((number, "range", f"{name}={value}"))
        model.get_proxy(entity)  # the library's own parsing accepts it
    return problems


@pytest.mark.parametrize("graph_name", ["tiny_graph", "bundled_graph"])
def test_ftm_export_is_valid_followthemoney(tmp_path, request, graph_name):
    graph = request.getfixturevalue(graph_name)
    assert ftm_problems(write_ftm(graph, tmp_path / "g.ftm.json")) == []


def test_ftm_export_maps_types_amounts_and_provenance(tmp_path, tiny_graph):
    lines = [json.loads(line) for line in write_ftm(tiny_graph, tmp_path / "g.ftm.json").read_text(encoding="utf-8").splitlines()]
    by_id = {entity["id"]: entity for entity in lines}
    assert [e["schema"] for e in lines].count("Article") == 2
    assert by_id["ent-alice"]["schema"] == "Person" and by_id["ent-pac"]["schema"] == "Organization"
    assert by_id["ent-alice"]["properties"]["name"] == ["Alice Able", "أليس"]
    r1 = by_id["rel-r1"]
    assert r1["schema"] == "Payment"
    assert r1["properties"]["payer"] == ["ent-alice"] and r1["properties"]["beneficiary"] == ["ent-pac"]
    assert (r1["properties"]["amount"], r1["properties"]["currency"]) == (["1000000"], ["USD"])
    assert r1["properties"]["sourceUrl"] == ["https://example.org/a"] and r1["properties"]["publisher"] == ["Example Times"]
    assert r1["properties"]["summary"] == ["donation (confirmed; 1000000 USD exact)"]
    assert by_id["rel-r3"]["properties"]["summary"] == ["donation (reported; 1500000 USD at_least; aggregate)"]
    assert by_id["rel-r5"]["schema"] == "Directorship" and by_id["rel-r5"]["properties"]["role"] == ["CEO"]
    assert by_id["rel-r7"]["schema"] == "Employment"
    assert by_id["rel-r7"]["properties"]["employee"] == ["ent-bob"] and by_id["rel-r7"]["properties"]["employer"] == ["ent-acme"]
    assert by_id["rel-r6"]["schema"] == "UnknownLink"
    assert by_id["src-s1"]["properties"]["language"] == ["eng"]


def test_ownership_of_a_non_company_becomes_an_unknown_link(tmp_path, bundled_graph):
    lines = [json.loads(line) for line in write_ftm(bundled_graph, tmp_path / "g.ftm.json").read_text(encoding="utf-8").splitlines()]
    schemata = {e["id"]: e["schema"] for e in lines}
    for entity in lines:
        if entity["schema"] == "Ownership":
            assert schemata[entity["properties"]["asset"][0]] == "Company"
    owned = [e for e in lines if e["schema"] == "UnknownLink" and e["properties"]["summary"][0].startswith("ownership ")]
    assert owned, "the bundled data has owners of media outlets (Organization in FtM)"


def test_import_of_foreign_ftm_lines():
    tables = read_data(FOREIGN)
    assert tables.problems == ()
    entities = tables.entities.set_index("id")
    assert entities.loc["nk-person-1", ["name", "type", "name_ar", "aliases"]].tolist() == ["Jane Roe", "person", "جين رو", "J. Roe"]
    assert entities.loc["nk-body-1", "type"] == "government"
    assert "addr-1" not in entities.index  # an Address is not an entity of ours
    rows = tables.relationships.set_index("id")
    assert rows.loc["own-1", ["source", "target", "type", "role", "start_date", "source_ids"]].tolist() == [
        "nk-person-1", "nk-company-1", "ownership", "sole owner", "2019", "doc-1"]
    assert rows.loc["pay-1", ["type", "amount_usd", "amount_qualifier", "start_date", "role"]].tolist() == [
        "donation", "10000", "exact", "2023-04-30", "permit fees"]  # amountUsd, not the euros
    assert rows.loc["link-1", ["type", "status", "source_ids"]].tolist() == ["associate", "reported", "ftm-foreign-ftm-json"]
    sources = tables.sources.set_index("id")
    assert sources.loc["doc-1", ["publisher", "published", "language"]].tolist() == ["Daily Example", "2023-05-02", "en"]
    assert sources.loc["ftm-foreign-ftm-json", "title"] == "foreign.ftm.json"
    schema = load_schema()
    graph = build_influence_graph(validated_tables(tables, schema), schema)
    assert len(graph.edges) == 3


def test_broken_ftm_line_is_reported(tmp_path, tiny_graph):
    path = write_ftm(tiny_graph, tmp_path / "g.ftm.json")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2][:-1]
    lines.insert(4, '["not", "an", "entity"]')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [(p.line, p.column, p.problem) for p in read_data(path).problems] == [
        (3, "(json)", "not valid JSON: Expecting ',' delimiter"), (5, "(json)", "not an FtM entity")]
