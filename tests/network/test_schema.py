import pytest

from network.errors import DataError
from network.contract.schema import load_schema

REQUIRED_ENTITY_TYPES = {"person", "company", "platform", "pac", "campaign", "fund", "government", "organization", "media"}
REQUIRED_RELATIONSHIP_TYPES = {
    "donation", "pledge", "spending", "ownership", "subsidiary", "executive", "founder", "investor", "board",
    "employee", "leadership", "advisor", "appointment", "meeting", "endorsement", "lawsuit", "rivalry", "competitor",
}


def test_bundled_schema_has_every_required_type_with_layer_direction_strength_and_category():
    schema = load_schema()
    assert REQUIRED_ENTITY_TYPES <= set(schema.entity_types)
    assert REQUIRED_RELATIONSHIP_TYPES <= set(schema.relationship_types)
    assert set(schema.layers) == {"money", "control", "affiliation", "access", "conflict"}
    for kind in schema.relationship_types.values():
        assert kind.layer in schema.layers
        assert kind.influence in ("forward", "reverse", "mutual")
        assert kind.default_strength > 0
        assert kind.littlesis
    assert schema.relationship_types["employee"].influence == "reverse"
    assert not schema.relationship_types["rivalry"].directed


def test_schema_problems_name_the_line_of_the_offending_table(tmp_path):
    path = tmp_path / "schema.toml"
    path.write_text(
        '[layers.money]\n[entity_types.person]\nlabel = "Person"\n'
        '[relationship_types.gift]\nlayer = "cash"\ninfluence = "sideways"\ndefault_strength = 0\n',
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        load_schema(path)
    messages = [str(p) for p in caught.value.problems]
    assert f"{path}:4: relationship_types.gift.layer: unknown layer (found 'cash', expected one of money)" in messages
    assert any(m.startswith(f"{path}:4: relationship_types.gift.influence: unknown direction") for m in messages)
    assert any(m.startswith(f"{path}:4: relationship_types.gift.default_strength: not a positive number") for m in messages)


def test_invalid_toml_is_reported_with_its_line(tmp_path):
    path = tmp_path / "schema.toml"
    path.write_text("[layers.money]\nthis is not toml\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_schema(path)
    assert str(caught.value.problems[0]).startswith(f"{path}:2: (toml): not valid TOML")
