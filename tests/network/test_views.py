"""network.maps.render without a browser: offline, reproducible, escaped, bounded, written whole or not at all."""

from __future__ import annotations

import json
import math
import os
import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from network.maps.page import PRECOMPUTED_LAYOUT_ABOVE, from_columns
from network.maps.records import NODE_SIZE_RANGE
from network.maps.render import MapTooLargeError, render_map, render_overview

XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"quoted\" & 'single'", "</script><b>x</b>"]
REMOTE = re.compile(r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)|(?:url\(\s*["']?\s*(?:https?:)?//)|@import""",
                    re.IGNORECASE)
DATA_BLOCKS = re.compile(r'<script type="application/json" id="influence-map-(?:data|details)">(.*?)</script>', re.DOTALL)


def small_tables(names: dict[str, str] | None = None, text: str = "") -> dict[str, pd.DataFrame]:
    """Four entities, five edges (one conflict, one planned), four sources' worth of detail.

    ``names`` overrides entity names; ``text`` is put into aliases, roles, evidence and source titles.
    """
    names = names or {}
    nodes = pd.DataFrame({
        "id": ["musk", "pac", "campaign", "bezos"],
        "name": [names.get(i, n) for i, n in [("musk", "Elon Musk"), ("pac", "America PAC"),
                                               ("campaign", "Trump 2024"), ("bezos", "Jeff Bezos")]],
        "type": ["person", "pac", "campaign", "person"],
        "name_ar": ["إيلون ماسك", "لجنة أمريكا", "حملة ترامب", "جيف بيزوس"],
        "aliases": [f"Musk;ماسك;{text}", "", "", "Bezos"],
        "description": ["", text, "", ""],
        "pagerank": [0.4, 0.3, 0.2, 0.1], "strength_in": [0.0, 3.0, 5.0, 1.0], "strength_out": [6.0, 3.0, 0.0, 1.0],
        "betweenness": [0.0, 0.5, 0.0, 0.0], "community": [1, 1, 1, 2], "reach": [3.0, 2.0, 0.0, 1.0],
    })
    edges = pd.DataFrame({
        "source": ["musk", "musk", "pac", "bezos", "musk"], "target": ["pac", "campaign", "campaign", "musk", "bezos"],
        "layer": ["money", "money", "money", "access", "conflict"],
        "types": ["donation", "pledge", "spending", "meeting", "rivalry"],
        "relationship_ids": ["r1;r2", "r3", "r4", "r5", "r6"], "relationship_count": [2, 1, 1, 1, 1],
        "strength": [9.0, 2.0, 3.0, 1.0, 1.0], "amount_usd": [118_600_000.0, math.nan, 1e9, math.nan, math.nan],
        "first_date": ["2024-07", "2024-10", "2024", "", "2014"], "last_date": ["2024-10-16", "", "2024", "", ""],
        "source_ids": ["s1", "s1", "s1", "s1", "s1"], "directed": [True, True, True, True, False],
        "status": ["reported", "planned", "reported", "alleged", "reported"],
    })
    edges["cost"] = 1 / edges["strength"]
    relationships = pd.DataFrame({
        "id": ["r1", "r2", "r3", "r4", "r5", "r6", "r7"],
        "source": ["musk", "musk", "musk", "pac", "bezos", "musk", "bezos"],
        "target": ["pac", "pac", "campaign", "campaign", "musk", "bezos", "campaign"],
        "type": ["donation", "donation", "pledge", "spending", "meeting", "rivalry", "donation"],
        "role": [text, "", "", "", "", "", ""], "amount_usd": [75e6, 43.6e6, math.nan, 1e9, math.nan, math.nan, 5.0],
        "amount_qualifier": ["exact", "exact", "", "at_least", "", "", "exact"],
        "start_date": ["2024-07", "2024-10-01", "2024-10", "2024", "", "2014", ""],
        "end_date": ["2024-09-30", "2024-10-16", "", "2024", "", "", ""],
        "status": ["reported", "reported", "planned", "reported", "alleged", "reported", "reported"],
        "aggregate": [False] * 7, "source_ids": ["s1"] * 7, "evidence": [text or "FEC filing"] + [""] * 6,
    })
    sources = pd.DataFrame({"id": ["s1", "s2"], "publisher": ["FEC", "Unused"], "title": [text or "Filing", "x"],
                            "published": ["2024-10-24", ""], "language": ["en", "en"],
                            "url": ["https://www.fec.gov/", ""], "document": ["", ""]})
    return {"nodes": nodes, "edges": edges, "relationships": relationships, "sources": sources}


def render(t: dict[str, pd.DataFrame], path: Path, **options) -> Path:
    return render_map(t["nodes"], t["edges"], t["relationships"], t["sources"], path, **options)


def page_data(path: Path) -> dict:
    """The page's two JSON blocks (drawing data, then panel details) merged, records rebuilt from columns."""
    drawing, details = (json.loads(block) for block in DATA_BLOCKS.findall(path.read_text(encoding="utf-8")))
    vis = {**drawing["vis"], "nodes": from_columns(drawing["vis"]["nodes"], keep_none=False),
           "edges": from_columns(drawing["vis"]["edges"], keep_none=False)}
    return {**drawing, **details, "vis": vis, **{name: from_columns(details[name])
                                                 for name in ("entities", "ties", "relationships")}}


def test_the_page_references_nothing_remote(tmp_path):
    html = render(small_tables(), tmp_path / "map.html").read_text(encoding="utf-8")
    assert REMOTE.findall(html) == []
    assert "bootstrap" not in html.lower()
    assert re.findall(r"""\b(?:src|href)\s*=\s*["']([^"']*)""", html) == ["data:,"]  # only the empty favicon


def test_rendering_writes_the_map_and_nothing_else(tmp_path, monkeypatch):
    workdir, out = tmp_path / "cwd", tmp_path / "out"
    workdir.mkdir()
    out.mkdir()
    monkeypatch.chdir(workdir)
    t = small_tables()
    written = render(t, out / "map.html")
    render_overview(t["nodes"], t["edges"], out / "overview.html")
    assert written == out / "map.html"
    assert sorted(p.name for p in out.iterdir()) == ["map.html", "overview.html"]
    assert list(workdir.iterdir()) == []


def test_same_inputs_and_seed_give_identical_bytes(tmp_path):
    t = small_tables()
    random.seed(1)
    np.random.seed(1)
    first = render(t, tmp_path / "a.html", seed=3).read_bytes()
    random.seed(2)
    np.random.seed(2)
    second = render(t, tmp_path / "b.html", seed=3).read_bytes()
    assert first == second
    assert render(t, tmp_path / "c.html", seed=4).read_bytes() != first  # the seed moves the layout
    one = render_overview(t["nodes"], t["edges"], tmp_path / "o1.html").read_bytes()
    assert render_overview(t["nodes"], t["edges"], tmp_path / "o2.html").read_bytes() == one


def test_large_maps_are_deterministic_and_precomputed(tmp_path):
    count = PRECOMPUTED_LAYOUT_ABOVE + 50
    rng = np.random.default_rng(0)
    ids = [f"n{i:04d}" for i in range(count)]
    nodes = pd.DataFrame({"id": ids, "name": ids, "type": "person", "pagerank": rng.random(count)})
    pairs = {(int(a), int(b)) for a, b in rng.integers(0, count, size=(3 * count, 2)) if a != b}
    edges = pd.DataFrame([{"source": ids[a], "target": ids[b], "layer": "money", "strength": 1.0}
                          for a, b in sorted(pairs)])
    empty = pd.DataFrame({"id": [], "source": [], "target": [], "type": []})
    first = render_map(nodes, edges, empty, pd.DataFrame({"id": []}), tmp_path / "a.html", seed=5)
    second = render_map(nodes, edges, empty, pd.DataFrame({"id": []}), tmp_path / "b.html", seed=5)
    assert first.read_bytes() == second.read_bytes()
    data = page_data(first)
    assert data["vis"]["options"]["physics"]["enabled"] is False
    assert data["vis"]["options"]["edges"]["smooth"] is False
    assert all("x" in node and "y" in node for node in data["vis"]["nodes"])


def test_repeated_values_are_written_once(tmp_path):
    """Columns with few distinct values (colors, layers, ends of edges) are stored as codes into them."""
    count = PRECOMPUTED_LAYOUT_ABOVE + 50
    ids = [f"n{i:04d}" for i in range(count)]
    nodes = pd.DataFrame({"id": ids, "name": ids, "type": "person", "pagerank": 1.0})
    edges = pd.DataFrame({"source": ids[0], "target": ids[1:], "layer": "money", "strength": 2.0})
    empty = pd.DataFrame({"id": [], "source": [], "target": [], "type": []})
    html = render_map(nodes, edges, empty, pd.DataFrame({"id": []}), tmp_path / "map.html").read_text(encoding="utf-8")
    drawing, details = (json.loads(block) for block in DATA_BLOCKS.findall(html))
    edge_columns = drawing["vis"]["edges"]["columns"]
    assert edge_columns["color"]["values"] == ["rgba(46,139,87,0.45)"] and set(edge_columns["color"]["codes"]) == {0}
    assert edge_columns["from"]["values"] == ["n0000"]
    assert isinstance(edge_columns["to"], list) and isinstance(edge_columns["id"], list)  # all distinct
    assert details["ties"]["columns"]["strength"] == {"values": [2], "codes": [0] * (count - 1)}  # 2.0 written as 2
    assert '"name":{"values":[null]' in html  # the labels are the names


def test_edge_tooltips_are_composed_from_names_and_lines(tmp_path):
    data = page_data(render(small_tables(), tmp_path / "map.html", labels="ar"))
    musk = next(node for node in data["vis"]["nodes"] if node["id"] == "musk")
    assert (musk["label"], musk["name"]) == ("إيلون ماسك", "Elon Musk")  # Arabic labels, English names in tooltips
    by_ends = {(e["from"], e["to"]): e for e in data["vis"]["edges"]}
    assert "title" not in by_ends[("musk", "pac")]  # the page writes it: "Elon Musk → America PAC" and these lines
    assert by_ends[("musk", "pac")]["tooltip"] == "money: donation\n$118,600,000\nreported"
    assert by_ends[("musk", "pac")]["directed"] is True and by_ends[("musk", "bezos")]["directed"] is False


@pytest.mark.parametrize("option, value", [("size_by", "wealth"), ("size_by", "community"), ("size_by", "name"),
                                           ("color_by", "layer"), ("labels", "fr")])
def test_unknown_choices_raise_a_clear_error(tmp_path, option, value):
    with pytest.raises(ValueError, match=f"unknown {option} '{value}'"):
        render(small_tables(), tmp_path / "map.html", **{option: value})
    assert not (tmp_path / "map.html").exists()


def test_any_numeric_column_can_size_the_nodes(tmp_path):
    data = page_data(render(small_tables(), tmp_path / "map.html", size_by="reach"))
    sizes = {node["id"]: node["size"] for node in data["vis"]["nodes"]}
    assert sizes["musk"] == NODE_SIZE_RANGE[1] and sizes["campaign"] == NODE_SIZE_RANGE[0]


def test_script_like_text_is_escaped_everywhere(tmp_path):
    t = small_tables(names={"musk": XSS[0], "pac": XSS[1], "campaign": XSS[2], "bezos": XSS[3]}, text=XSS[1])
    path = render(t, tmp_path / "map.html", title=XSS[0], provenance={"parameters": {"note": XSS[1]}, XSS[3]: "key"})
    html = path.read_text(encoding="utf-8")
    for payload in XSS:
        assert payload not in html
    assert "<img" not in html
    assert html.count("</script>") == 4  # two data blocks, vis-network, our page script: nothing closes early
    data = page_data(path)  # and the data reads back exactly as typed
    assert data["entities"]["musk"]["name"] == XSS[0]
    assert data["entities"]["musk"]["aliases"][-1] == XSS[1]
    assert data["relationships"][0]["role"] == XSS[1] and data["relationships"][0]["evidence"] == XSS[1]
    assert data["sources"]["s1"]["title"] == XSS[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the title, escaped by the template


def test_maps_larger_than_max_entities_are_refused(tmp_path):
    with pytest.raises(MapTooLargeError, match="--overview") as caught:
        render(small_tables(), tmp_path / "map.html", max_entities=3)
    assert isinstance(caught.value, ValueError)
    assert (caught.value.entity_count, caught.value.max_entities) == (4, 3)
    assert "--top" in str(caught.value) and "--ego" in str(caught.value) and "--community" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_no_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    target = tmp_path / "map.html"

    real_open = Path.open

    class HalfThenFail:  # the page is written in pieces: the first 100 bytes land, then the disk is full
        def __init__(self, handle):
            self.handle, self.room = handle, 100

        def write(self, content):
            written = self.handle.write(content[:self.room])
            self.room -= written
            if self.room <= 0:
                raise OSError("disk full")
            return written

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    def opened(self, mode="r", *args, **kwargs):
        handle = real_open(self, mode, *args, **kwargs)
        return HalfThenFail(handle) if "w" in mode and self.name.endswith(".tmp") else handle

    monkeypatch.setattr(Path, "open", opened)
    with pytest.raises(OSError, match="disk full"):
        render(small_tables(), target)
    assert list(tmp_path.iterdir()) == []
    target.write_text("old map", encoding="utf-8")
    with pytest.raises(OSError, match="disk full"):
        render(small_tables(), target)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"] and target.read_text(encoding="utf-8") == "old map"


def test_a_failed_rename_leaves_no_temporary_file(tmp_path, monkeypatch):
    def refuse(source, destination):
        raise OSError("rename refused")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="rename refused"):
        render(small_tables(), tmp_path / "map.html")
    assert list(tmp_path.iterdir()) == []


def test_sizes_and_widths_are_bounded_pixels_and_styles_follow_layer_and_status(tmp_path):
    data = page_data(render(small_tables(), tmp_path / "map.html"))
    low, high = NODE_SIZE_RANGE
    assert all(low <= node["size"] <= high for node in data["vis"]["nodes"])
    by_ends = {(e["from"], e["to"]): e for e in data["vis"]["edges"]}
    assert all(1 <= e["width"] <= 8 for e in data["vis"]["edges"])  # never a billion-pixel dollar amount
    assert by_ends[("musk", "pac")]["width"] == 8 and by_ends[("musk", "pac")]["arrows"] == "to"
    assert "arrows" not in by_ends[("musk", "bezos")]  # a rivalry has no direction
    assert by_ends[("musk", "bezos")]["dashes"] == [10, 6]  # conflict layer
    assert by_ends[("musk", "campaign")]["dashes"] == [2, 5] and by_ends[("bezos", "musk")]["dashes"] == [2, 5]
    assert "dashes" not in by_ends[("musk", "pac")]
    assert len({e["color"] for e in data["vis"]["edges"]}) == 3  # money, access, conflict


def test_panels_get_every_relationship_on_the_map_with_its_sources(tmp_path):
    data = page_data(render(small_tables(), tmp_path / "map.html"))
    assert [r["id"] for r in data["relationships"]] == ["r1", "r2", "r3", "r4", "r5", "r6"]
    assert data["relationships"][0]["amount"] == "$75,000,000"
    assert data["relationships"][3]["amount"] == "at least $1,000,000,000"
    assert list(data["sources"]) == ["s1"]  # only sources the map cites
    assert data["entities"]["bezos"]["outside"] == 1  # r7 joins bezos to campaign but is not drawn
    assert ["Strength in", "0"] in data["entities"]["musk"]["facts"] and ["reach", "3"] in data["entities"]["musk"]["facts"]


def test_edges_must_join_drawn_entities(tmp_path):
    t = small_tables()
    t["nodes"] = t["nodes"][t["nodes"]["id"] != "bezos"]
    with pytest.raises(ValueError, match="missing from nodes: bezos"):
        render(t, tmp_path / "map.html")


def test_the_overview_has_one_node_per_community_joined_by_summed_strength(tmp_path):
    t = small_tables()
    data = page_data(render_overview(t["nodes"], t["edges"], tmp_path / "overview.html"))
    assert [n["id"] for n in data["vis"]["nodes"]] == ["community-1", "community-2"]
    assert data["entities"]["community-1"]["memberCount"] == 3
    assert [m[0] for m in data["entities"]["community-1"]["members"]] == ["musk", "pac", "campaign"]
    (edge,) = data["ties"].values()
    assert (edge["source"], edge["target"], edge["strength"]) == ("community-1", "community-2", 2.0)
    assert edge["layers"] == ["access", "conflict"] and edge["directed"] is False
    assert data["vis"]["nodes"][0]["size"] > data["vis"]["nodes"][1]["size"]


def test_empty_tables_still_give_a_page(tmp_path):
    nodes = pd.DataFrame({"id": [], "name": [], "type": [], "pagerank": pd.Series([], dtype=float),
                          "community": pd.Series([], dtype=int)})
    edges = pd.DataFrame({"source": [], "target": [], "layer": [], "strength": pd.Series([], dtype=float)})
    relationships = pd.DataFrame({"id": [], "source": [], "target": [], "type": []})
    data = page_data(render_map(nodes, edges, relationships, pd.DataFrame({"id": []}), tmp_path / "map.html"))
    assert data["vis"]["nodes"] == [] and data["ties"] == {}
    assert page_data(render_overview(nodes, edges, tmp_path / "overview.html"))["vis"]["nodes"] == []
