"""Open rendered maps in headless Chromium: offline, complete, clickable, searchable, filterable, inert data."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

from browsers import ADVICE, find_chromium
from map_tables import CHROMIUM_ARGS, ENTITIES, RELATIONSHIPS, SCREENSHOTS, XSS, synthetic_tables, tables, xss_tables
from network.maps.render import render_map, render_overview

pytestmark = pytest.mark.browser

READY = ("() => window.influenceMap && influenceMap.status().firstDrawMs !== null"
         " && influenceMap.status().stabilized")
NON_WHITE_PIXELS = """() => {
  const canvas = document.querySelector('#mynetwork canvas');
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let count = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] > 0 && (pixels[i] < 235 || pixels[i + 1] < 235 || pixels[i + 2] < 235)) count += 1;
  }
  return count;
}"""
PIXEL_AT_ENTITY = """(id) => {
  const point = network.canvasToDOM(network.getPositions([id])[id]);
  const canvas = document.querySelector('#mynetwork canvas');
  const ratio = canvas.width / canvas.clientWidth;
  const [r, g, b, a] = canvas.getContext('2d').getImageData(Math.round(point.x * ratio), Math.round(point.y * ratio), 1, 1).data;
  return r + g + b + (255 - a) * 3;
}"""
CATCH_SCRIPTS = """
window.__alerts = [];
window.alert = window.confirm = window.prompt = (message) => { window.__alerts.push(String(message)); };
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Chromium through Playwright (see tests/browser/browsers.py); fails (never skips) when there is none."""
    executable = find_chromium()
    if executable is None:
        pytest.fail(f"no Chromium found. {ADVICE}", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        pytest.fail(f"playwright is not installed ({err}); pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class OpenedMap:
    page: object
    other_requests: list[str] = field(default_factory=list)
    all_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _local(url: str) -> bool:
    return url.startswith(("file:", "data:"))


@contextmanager
def open_map(browser, path: Path, *, init_script: str = "") -> Iterator[OpenedMap]:
    """Open ``path`` from file://, blocking and recording every non-local request."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    opened = OpenedMap(page)
    page.on("request", lambda request: (opened.all_requests.append(request.url),
                                        None if _local(request.url) else opened.other_requests.append(request.url)))
    page.on("console", lambda message: opened.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    page.route("**/*", lambda route: route.continue_() if _local(route.request.url) else route.abort())
    if init_script:
        page.add_init_script(init_script)
    try:
        page.goto(path.as_uri())
        page.wait_for_function(READY, timeout=30_000)
        yield opened
    finally:
        context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _subset(full: dict, keep: set[str], layers: set[str] | None = None) -> dict:
    edges = full["edges"]
    if layers is not None:
        edges = edges[edges["layer"].isin(layers)]
    edges = edges[edges["source"].isin(keep) & edges["target"].isin(keep)]
    return {**full, "nodes": full["nodes"][full["nodes"]["id"].isin(keep)], "edges": edges}


@pytest.fixture(scope="module")
def maps(tmp_path_factory) -> dict[str, tuple[Path, int, int]]:
    """Every kind of map, each with the entity and edge counts it should draw."""
    folder = tmp_path_factory.mktemp("maps")
    full = tables()
    money_ends = set(full["edges"].loc[full["edges"]["layer"] == "money", ["source", "target"]].to_numpy().ravel())
    ego_edges = full["edges"][(full["edges"]["source"] == "bezos") | (full["edges"]["target"] == "bezos")]
    ego = _subset(full, {"bezos", *ego_edges["source"], *ego_edges["target"]})
    kinds = {"full": full, "money": _subset(full, money_ends, {"money"}), "ego": ego}
    made = {}
    for kind, t in kinds.items():
        path = render_map(t["nodes"], t["edges"], t["relationships"], t["sources"], folder / f"{kind}.html",
                          labels="both" if kind == "ego" else "en", title=f"Test map: {kind}",
                          provenance={"tool": "influence-network", "versions": {"influence-network": "0.1.0"},
                                      "inputs": {"entities.csv": {"sha256": "0" * 64}}, "parameters": {"kind": kind}})
        made[kind] = (path, len(t["nodes"]), len(t["edges"]))
    communities = full["nodes"]["community"].nunique()
    made["overview"] = (render_overview(full["nodes"], full["edges"], folder / "overview.html"), communities, 1)
    bad = xss_tables()
    made["xss"] = (render_map(bad["nodes"], bad["edges"], bad["relationships"], bad["sources"], folder / "xss.html",
                              labels="both", title=XSS[1], provenance={"note": XSS[0]}),
                   len(bad["nodes"]), len(bad["edges"]))
    big = synthetic_tables(5000, 20000, seed=0)
    made["large"] = (render_map(big["nodes"], big["edges"], big["relationships"], big["sources"],
                                folder / "large.html", title="Synthetic 5,000 entities"), 5000, 20000)
    return made


@pytest.mark.parametrize("kind", ["full", "money", "ego", "overview"])
def test_map_opens_offline_and_draws_every_entity_and_edge(browser, maps, kind):
    path, entity_count, edge_count = maps[kind]
    with open_map(browser, path) as opened:
        page = opened.page
        assert page.evaluate("nodes.length") == entity_count
        assert page.evaluate("edges.length") == edge_count
        assert page.evaluate(NON_WHITE_PIXELS) > 500, "the canvas is blank"
        screenshot(page, f"map-{kind}")
        assert opened.other_requests == []
        assert opened.errors == []


def test_clicking_an_entity_shows_its_relationships_amounts_and_sources(browser, maps):
    with open_map(browser, maps["full"][0]) as opened:
        page = opened.page
        page.click("#physics-toggle")  # freeze the layout so the node stays under the pointer
        assert page.evaluate("influenceMap.status().physics") is False
        page.wait_for_timeout(300)
        lightness_before = page.evaluate(PIXEL_AT_ENTITY, "harris")
        point = page.evaluate("network.canvasToDOM(network.getPositions(['america-pac'])['america-pac'])")
        box = page.locator("#mynetwork canvas").bounding_box()
        draws = page.evaluate("influenceMap.status().drawCount")
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_function("() => influenceMap.status().selected?.id === 'america-pac'", timeout=5_000)
        page.wait_for_function(f"() => influenceMap.status().drawCount > {draws}", timeout=5_000)
        highlighted = page.evaluate("influenceMap.status().highlighted")
        assert highlighted["entities"] == ["america-pac", "musk", "trump-campaign"]
        assert len(highlighted["edges"]) == 2
        assert page.evaluate(PIXEL_AT_ENTITY, "harris") > lightness_before + 150  # veiled: not a neighbour
        assert page.evaluate(PIXEL_AT_ENTITY, "musk") < 600  # a neighbour keeps its color
        panel = page.evaluate("influenceMap.panelText()")
        for expected in ("America PAC", "لجنة أمريكا للعمل السياسي", "$75,000,000", "$43,600,000",
                         "at least $20,000,000", "America PAC filing, October 2024", "Federal Election Commission",
                         "تقنية ماسك تحسم السباق", "2024-10-01 to 2024-10-16", "founding donor"):
            assert expected in panel
        links = page.evaluate("[...document.querySelectorAll('#map-panel a')].map(a => [a.href, a.rel, a.target])")
        assert links and all(href.startswith("https://") and "noopener" in rel for href, rel, _ in links)
        screenshot(page, "map-full-selected")
        assert opened.errors == [] and opened.other_requests == []


def test_selecting_an_edge_lists_its_relationships(browser, maps):
    with open_map(browser, maps["full"][0]) as opened:
        page = opened.page
        edge_id = page.evaluate("""Object.entries(influenceMap.data.ties)
            .find(([id, t]) => t.source === 'musk' && t.target === 'america-pac')[0]""")
        assert page.evaluate(f"influenceMap.selectEdge({edge_id!r})") is True
        panel = page.evaluate("influenceMap.panelText()")
        assert "$118,600,000" in panel and "r01" in panel and "r02" in panel
        # the tooltip is composed in the page from the names of the ends and the edge's own lines
        assert page.evaluate(f"edges.get({edge_id!r}).title") == (
            "Elon Musk \u2192 America PAC\nmoney: donation\n$118,600,000\nreported")
        rivalry = page.evaluate("edges.get({filter: (e) => e.dashes && e.dashes[0] === 10})[0].title")
        assert rivalry == "Jeff Bezos \u2014 Elon Musk\nconflict: rivalry\nreported"  # no direction: a dash


def test_search_finds_an_entity_by_an_arabic_alias(browser, maps):
    with open_map(browser, maps["full"][0]) as opened:
        page = opened.page
        page.fill("#map-search", "تويتر")
        assert page.locator("#search-results button").first.inner_text().startswith("X")
        page.press("#map-search", "Enter")
        page.wait_for_function("() => influenceMap.status().selected?.id === 'x-corp'", timeout=5_000)
        assert "إكس" in page.evaluate("influenceMap.panelText()")
        assert [hit["id"] for hit in page.evaluate("influenceMap.search('ماسك')")][:1] == ["musk"]
        assert [hit["id"] for hit in page.evaluate("influenceMap.search('لجنه امريكا')")] == ["america-pac"]


def test_type_filter_hides_exactly_the_entities_of_that_type(browser, maps):
    people = sorted(entity[0] for entity in ENTITIES if entity[2] == "person")
    with open_map(browser, maps["full"][0]) as opened:
        page = opened.page
        page.click("#filter-types input[value=person]")
        hidden = page.evaluate("nodes.get({filter: n => n.hidden === true}).map(n => n.id).sort()")
        assert hidden == people
        shown_edges = page.evaluate("edges.get({filter: e => !e.hidden}).map(e => [e.from, e.to])")
        assert shown_edges and all(a not in people and b not in people for a, b in shown_edges)
        page.click("#filter-types input[value=person]")
        assert page.evaluate("nodes.get({filter: n => n.hidden === true}).length") == 0
        kept = page.evaluate("influenceMap.setFilters({minAmountUsd: 50000000})")
        assert kept["edges"] == maps["full"][2] - 1  # only the $20M spending edge goes
        assert opened.errors == []


def _hover_entity(page, entity_id: str, attempts: int = 6) -> None:
    """Put the mouse on an entity until vis-network shows its tooltip.

    The view may still be moving (a selection's zoom animation, the last physics steps), above all on a
    busy machine: the position is read again and the mouse moved off and back on each attempt, so that
    the test checks the tooltip's content, not the animation's timing.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    box = page.locator("#mynetwork canvas").bounding_box()
    for _ in range(attempts):
        point = page.evaluate(f"network.canvasToDOM(network.getPositions([{entity_id!r}])[{entity_id!r}])")
        page.mouse.move(box["x"] + 1, box["y"] + 1)
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        try:
            page.wait_for_selector("div.vis-tooltip", state="visible", timeout=2_000)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"no tooltip after {attempts} hovers on {entity_id}")


def test_script_like_data_runs_nothing_and_shows_as_typed(browser, maps):
    with open_map(browser, maps["xss"][0], init_script=CATCH_SCRIPTS) as opened:
        page = opened.page
        for entity_id in page.evaluate("nodes.getIds()"):
            page.evaluate(f"influenceMap.selectEntity({entity_id!r})")
        page.evaluate("influenceMap.selectEntity('x-corp')")
        panel = page.evaluate("influenceMap.panelText()")
        for edge_id in page.evaluate("edges.getIds()"):
            page.evaluate(f"influenceMap.selectEdge({edge_id!r})")
        page.fill("#map-search", "alias")
        page.evaluate("influenceMap.clearSelection()")
        page.click("#physics-toggle")  # hold the nodes still, then hover one for its tooltip
        _hover_entity(page, "musk")
        tooltip = page.evaluate("""() => { const tip = document.querySelector('div.vis-tooltip');
            return [tip.innerText, [...tip.querySelectorAll('*')].map((child) => child.tagName)]; }""")
        assert tooltip[0].startswith(f"{XSS[0]} Elon Musk")  # shown as typed...
        assert set(tooltip[1]) <= {"BR"}  # ...as text: innerText adds <br> for line breaks, nothing else
        assert all(payload in panel for payload in XSS)  # x-corp's name, Arabic name, alias, description
        assert page.evaluate("window.__alerts") == []
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("document.querySelectorAll('#map-app img, #map-app script, #map-app svg').length") == 0
        assert page.title() == XSS[1]
        assert page.inner_text("#map-title") == XSS[1]
        assert not any(url.rstrip("/").endswith("/x") for url in opened.all_requests)
        screenshot(page, "map-xss")
        assert opened.other_requests == [] and opened.errors == []


def test_five_thousand_entity_map_draws_with_physics_off(browser, maps):
    with open_map(browser, maps["large"][0]) as opened:
        page = opened.page
        status = page.evaluate("influenceMap.status()")
        assert status["physics"] is False and status["drawCount"] >= 1
        assert page.evaluate("nodes.length") == 5000 and page.evaluate("edges.length") == 20000
        # built and drawn by vis-network, not only held in its DataSets
        assert page.evaluate("[network.body.nodeIndices.length, network.body.edgeIndices.length]") == [5000, 20000]
        assert page.evaluate(NON_WHITE_PIXELS) > 5000
        screenshot(page, "map-large-5000")
        assert opened.other_requests == [] and opened.errors == []


# ---------------------------------------------------------------- the bundled maps (issue 15)

@pytest.fixture(scope="module")
def bundled_maps(tmp_path_factory) -> Path:
    """`influence run` on the bundled data: map.html, maps/money.html and the ego maps."""
    from analysis.cli import main

    out = tmp_path_factory.mktemp("bundled")
    assert main(["run", "--out", str(out)]) == 0
    return out


def test_no_panel_of_the_bundled_maps_prints_null(browser, bundled_maps):
    paths = [bundled_maps / "map.html", *sorted((bundled_maps / "maps").glob("*.html"))]
    assert len(paths) == 7
    for path in paths:
        with open_map(browser, path) as opened:
            page = opened.page
            for entity_id in page.evaluate("nodes.getIds()"):
                page.evaluate(f"influenceMap.selectEntity({entity_id!r})")
                text = page.evaluate("influenceMap.panelText()")
                assert "null" not in text and "undefined" not in text, (path.name, entity_id)
            for edge_id in page.evaluate("edges.getIds()"):
                page.evaluate(f"influenceMap.selectEdge({edge_id!r})")
                text = page.evaluate("influenceMap.panelText()")
                assert "null" not in text and "undefined" not in text, (path.name, edge_id)
            assert opened.errors == []


@pytest.mark.parametrize("query", ["musk, elon", "Musk, Elon", "elon-musk", "الون ماسك", "إيلون ماسك", "ELON MUSK"])
def test_search_finds_musk_the_way_the_command_line_does(browser, bundled_maps, query):
    with open_map(browser, bundled_maps / "map.html") as opened:
        page = opened.page
        assert [hit["id"] for hit in page.evaluate("(q) => influenceMap.search(q)", query)][:1] == ["elon-musk"]
        page.fill("#map-search", query)
        assert page.locator("#search-results button").first.inner_text().startswith("Elon Musk")


def test_search_does_not_match_everything(browser, bundled_maps):
    with open_map(browser, bundled_maps / "map.html") as opened:
        page = opened.page
        assert page.evaluate("influenceMap.search('zzzz qqqq')") == []
        assert [hit["id"] for hit in page.evaluate("influenceMap.search('donald-trump')")][:1] == ["donald-trump"]


def test_a_layer_filter_hides_entities_left_without_a_visible_tie(browser, bundled_maps, bundled_graph):
    money = bundled_graph.filter(layers=["money"])
    expected = sorted(money.entities["id"])
    with open_map(browser, bundled_maps / "map.html") as opened:
        page = opened.page
        others = [layer for layer in page.evaluate("influenceMap.data.filters.layers.map(l => l.key)") if layer != "money"]
        assert others
        for layer in others:
            page.click(f"#filter-layers input[value={layer}]")
        assert sorted(page.evaluate("influenceMap.visibleEntityIds()")) == expected
        assert len(page.evaluate("influenceMap.visibleEdgeIds()")) == len(money.edges)
        page.click("#reset-filters")
        assert len(page.evaluate("influenceMap.visibleEntityIds()")) == len(bundled_graph.entities)


def test_the_entity_panel_shows_money_given_and_received(browser, bundled_maps):
    with open_map(browser, bundled_maps / "map.html") as opened:
        page = opened.page
        page.evaluate("influenceMap.selectEntity('america-pac')")
        text = page.evaluate("influenceMap.panelText()")
        # received: Musk's r001 $43.6M + r002 $75M (the other givers give no amount); no contribution given; its own
        # spending for the campaign, at least $21M (r015), is outside spending, not money given (docs/money.md)
        assert "Money given$0" in text and "Money received$118,600,000" in text
        assert "Its own spending forat least $21,000,000" in text
        page.evaluate("influenceMap.selectEntity('trump-campaign-2024')")
        text = page.evaluate("influenceMap.panelText()")
        # Mellon's $150M (r009) received; America PAC's $21M spent for it, not received
        assert "Money received$150,000,000" in text and "Outside spending for itat least $21,000,000" in text
        page.evaluate("influenceMap.selectEntity('openai')")  # no money moved: no money lines
        assert "Money" not in page.evaluate("influenceMap.panelText()")


PROTOTYPE_IDS = {"musk": "constructor", "bezos": "__proto__", "tesla": "toString", "wapo": "hasOwnProperty"}


def test_ids_named_like_object_properties_draw_and_select(browser, tmp_path):
    """Ids such as ``constructor`` or ``__proto__`` are data: the map draws and selects them (issue 13)."""
    rename = lambda value: PROTOTYPE_IDS.get(value, value)  # noqa: E731
    entities = [(rename(i), *rest) for i, *rest in ENTITIES]
    relationships = [(i, rename(s), rename(t), *rest) for i, s, t, *rest in RELATIONSHIPS]
    t = tables(entities, relationships)
    path = render_map(t["nodes"], t["edges"], t["relationships"], t["sources"], tmp_path / "proto.html", title="ids")
    with open_map(browser, path) as opened:
        page = opened.page
        assert page.evaluate("nodes.length") == len(ENTITIES)
        assert page.evaluate("edges.length") == len(t["edges"])
        page.evaluate("influenceMap.selectEntity('constructor')")
        page.wait_for_function("() => influenceMap.status().selected?.id === 'constructor'", timeout=5_000)
        assert "Elon Musk" in page.evaluate("influenceMap.panelText()")
        page.evaluate("influenceMap.selectEntity('__proto__')")
        page.wait_for_function("() => influenceMap.status().selected?.id === '__proto__'", timeout=5_000)
        assert "Jeff Bezos" in page.evaluate("influenceMap.panelText()")
        assert opened.errors == []
