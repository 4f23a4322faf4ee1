"""A map page written in pieces is the page rendered whole: the same text, byte for byte, for any data."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from network.maps.page import _rendered_template, embed_json, embed_json_pieces, page_pieces, write_page

_TEXT = st.text(alphabet=st.sampled_from(list("ab<>&\"'\\/ \u2028\u2029\ue000\u0627\U0001f600\x00\n")), max_size=8)
_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False), _TEXT)
_VALUE = st.recursive(_LEAF, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                    st.dictionaries(_TEXT, inner, max_size=4),
                                                    st.dictionaries(st.integers(0, 5), inner, max_size=3)),
                      max_leaves=25)


@settings(max_examples=200, deadline=None)
@given(_VALUE)
def test_json_in_pieces_is_the_json_whole(value):
    assert "".join(embed_json_pieces(value)) == embed_json(value)


@settings(max_examples=40, deadline=None)
@given(title=_TEXT, data=st.dictionaries(_TEXT, _VALUE, max_size=4), details=st.dictionaries(_TEXT, _VALUE, max_size=4))
def test_the_page_in_pieces_is_the_page_whole(title, data, details):
    header = {"counts": [["entities", 2]], "parameters": [["seed", 0]], "provenance": None}
    whole = _rendered_template(title, header, embed_json(data), embed_json(details))
    pieces = list(page_pieces(title=title, data=data, details=details, header=header))
    assert "".join(pieces) == whole
    assert len(pieces) >= 5  # cut where the data goes: never one string of the whole page


def test_a_title_holding_the_marker_characters_still_gives_the_same_page(monkeypatch):
    import network.maps.page as page

    monkeypatch.setattr(page.secrets, "token_hex", lambda n: "0" * 32)
    marker = "\ue000" + "0" * 32 + "\ue000"
    title = f"{marker}data{marker} and {marker}"
    header = {"counts": [], "parameters": [], "provenance": None}
    data, details = {"nodes": ["<script>"]}, {"entities": {"name": ["a&b"]}}
    pieces = list(page_pieces(title=title, data=data, details=details, header=header))
    assert "".join(pieces) == _rendered_template(title, header, embed_json(data), embed_json(details))


def test_write_page_writes_the_pieces_and_refuses_nan_leaving_nothing(tmp_path):
    header = {"counts": [], "parameters": [], "provenance": None}
    path = tmp_path / "map.html"
    write_page(page_pieces(title="t", data={"a": [1]}, details={"b": "\u0627"}, header=header), path)
    assert path.read_bytes() == _rendered_template("t", header, embed_json({"a": [1]}), embed_json({"b": "\u0627"})).encode("utf-8")
    target = tmp_path / "bad.html"
    with pytest.raises(ValueError):
        write_page(page_pieces(title="t", data={"a": [1]}, details={"b": [float("nan")]}, header=header), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]
    assert json.loads(embed_json({"x": "</script>"})) == {"x": "</script>"}
