"""Names, aliases and Arabic spellings resolve to one entity; unknown and ambiguous names say why."""

import re
from dataclasses import replace

import pytest

from analysis.resolve import name_table, normalize_name, resolve_entity
from network.errors import UnknownEntityError


@pytest.mark.parametrize("text, expected", [
    ("سام ألتمان", "سام التمان"),          # hamza-on-alef written or not
    ("إيلون", "ايلون"),                     # alef with hamza below
    ("آمنة", "امنه"),                       # madda alef, ta marbuta
    ("مصطفى", "مصطفي"),                     # alef maqsura
    ("مُحَمَّد", "محمد"),                    # diacritics (damma, fatha, shadda)
    ("ترامـــب", "ترامب"),                  # tatweel
    ("Elon  MUSK", "elon musk"),
    ("elon-musk", "elon musk"),
    ("Able PAC, Inc.", "able pac inc"),
    ("Google+", "google+"),                # symbols stay: Google+ is not Google
])
def test_normalize_name(text, expected):
    assert normalize_name(text) == expected


@pytest.mark.parametrize("text, entity", [
    ("elon-musk", "elon-musk"),             # id
    ("Elon Musk", "elon-musk"),             # name
    ("ELON MUSK", "elon-musk"),             # any case
    ("musk", "elon-musk"),                  # alias
    ("إيلون ماسك", "elon-musk"),             # Arabic name
    ("ماسك", "elon-musk"),                  # Arabic alias
    ("سام ألتمان", "sam-altman"),            # Arabic name as stored
    ("سام التمان", "sam-altman"),            # the spelling without hamza (also an alias)
    ("سام آلتمان", "sam-altman"),            # a variant stored nowhere, found by normalization
    ("ترامب", "donald-trump"),
    ("Trump", "donald-trump"),
    ("Elon Musk PAC", "america-pac"),
    ("Google", "google"),                   # not confused with Google+
    ("Google+", "google-plus"),
    ("  tesla ", "tesla"),
])
def test_resolve_bundled_names(bundled_graph, text, entity):
    assert resolve_entity(bundled_graph, text) == entity


def test_resolve_tiny_aliases(tiny_graph):
    assert resolve_entity(tiny_graph, "ACME Inc.") == "acme"
    assert resolve_entity(tiny_graph, "أليس إيبل") == "alice"
    assert resolve_entity(tiny_graph, "able pac inc") == "pac"


def test_unknown_name_suggests_close_ones(bundled_graph):
    with pytest.raises(UnknownEntityError) as caught:
        resolve_entity(bundled_graph, "Elon Muks")
    message = str(caught.value)
    assert message.startswith("no entity is called 'Elon Muks'; did you mean: Elon Musk (elon-musk, person)")
    with pytest.raises(UnknownEntityError, match="no entity is called 'zzzz'. Give an id"):
        resolve_entity(bundled_graph, "zzzz")


def test_suggestions_are_capped(bundled_graph):
    with pytest.raises(UnknownEntityError) as caught:
        resolve_entity(bundled_graph, "trum")
    suggested = re.findall(r"\(([a-z0-9-]+), [a-z]+\)", str(caught.value))
    assert suggested[0] == "donald-trump" and len(suggested) == 5  # more entities contain "trum"


def test_ambiguous_name_lists_candidates(bundled_graph):
    with pytest.raises(UnknownEntityError) as caught:
        resolve_entity(bundled_graph, "Winklevoss")
    assert str(caught.value) == ("'Winklevoss' names 2 entities: Cameron Winklevoss (cameron-winklevoss, person); "
                                 "Tyler Winklevoss (tyler-winklevoss, person). Give the id instead.")
    assert resolve_entity(bundled_graph, "tyler-winklevoss") == "tyler-winklevoss"


def test_id_beats_another_entitys_alias(tiny_graph):
    entities = tiny_graph.entities.copy()
    entities.loc[entities["id"] == "bob", "aliases"] = "Bob;alice"
    graph = replace(tiny_graph, entities=entities)
    assert resolve_entity(graph, "alice") == "alice"
    with pytest.raises(UnknownEntityError, match="names 2 entities"):
        resolve_entity(graph, "Alice")  # the name of one, an alias of the other (ids are case-sensitive)


def test_name_table_has_every_form(tiny_graph):
    table = name_table(tiny_graph)
    acme = table[table["id"] == "acme"]
    assert sorted(acme["field"]) == ["alias", "id", "name", "name_ar"]  # "Acme" is both id and alias: kept once
    assert list(table.columns) == ["key", "id", "name", "type", "field", "written"]
    assert table["key"].is_monotonic_increasing


def test_last_first_order_names_the_entity(bundled_graph):
    from analysis.resolve import resolve_entity

    assert resolve_entity(bundled_graph, "Musk, Elon") == "elon-musk"
    assert resolve_entity(bundled_graph, "trump, donald") == "donald-trump"
